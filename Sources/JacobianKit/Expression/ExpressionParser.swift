/// Reads expression text into an `ExpressionSyntax` tree: precedence from low to high is `+ -`, then
/// `* / .* ./ ⊙`, then unary `-`, then `^` (right-associative), then postfix `'`.
struct ExpressionParser {
    private enum Token: Equatable {
        case number(Double)
        case name(String)
        case symbol(String)
        case end

        var text: String {
            switch self {
            case let .number(v): return "\(v)"
            case let .name(n): return n
            case let .symbol(s): return s
            case .end: return "the end"
            }
        }
    }

    private let text: String
    private var tokens: [(token: Token, start: Int, end: Int)] = []
    private var position = 0

    /// Tokenizes `text`; throws a syntax error at the first character that starts no token.
    init(_ text: String) throws {
        self.text = text
        tokens = try Self.tokenize(text)
    }

    /// The whole text as one expression.
    mutating func parse() throws -> ExpressionSyntax {
        if case .end = tokens[0].token { throw error("the expression is empty", at: 0) }
        let e = try additive()
        if case .end = current { return e }
        if current == .symbol(")") || current == .symbol("]") {
            throw error("this '\(tokens[position].token.text)' has no opening partner", at: tokens[position].start)
        }
        throw error("expected an operator such as + or * before '\(tokens[position].token.text)'",
                    at: tokens[position].start)
    }

    private var current: Token { tokens[position].token }

    private func error(_ message: String, at column: Int) -> JacobianError {
        .syntax(message, text: text, column: column)
    }

    private mutating func advance() -> (token: Token, start: Int, end: Int) {
        defer { if position < tokens.count - 1 { position += 1 } }
        return tokens[position]
    }

    private mutating func accept(_ symbol: String) -> Bool {
        guard current == .symbol(symbol) else { return false }
        _ = advance()
        return true
    }

    private mutating func expect(_ symbol: String, closing opener: Int) throws -> Int {
        let t = tokens[position]
        guard t.token == .symbol(symbol) else {
            let found = t.token == .end ? "the end" : "'\(t.token.text)'"
            throw error("expected '\(symbol)' to close the one at column \(opener + 1), but found \(found)",
                        at: t.start)
        }
        _ = advance()
        return t.end
    }

    private mutating func additive() throws -> ExpressionSyntax {
        var left = try multiplicative()
        while case let .symbol(s) = current, s == "+" || s == "-" {
            _ = advance()
            let right = try multiplicative()
            left = .binary(BinaryOperator(rawValue: s)!, left, right, left.range.union(right.range))
        }
        return left
    }

    private mutating func multiplicative() throws -> ExpressionSyntax {
        var left = try unary()
        while case let .symbol(s) = current, let op = Self.multiplicativeOperators[s] {
            _ = advance()
            let right = try unary()
            left = .binary(op, left, right, left.range.union(right.range))
        }
        return left
    }

    private static let multiplicativeOperators: [String: BinaryOperator] = [
        "*": .multiply, "/": .divide, ".*": .hadamard, "⊙": .hadamard, "./": .elementwiseDivide,
    ]

    private mutating func unary() throws -> ExpressionSyntax {
        let start = tokens[position].start
        if accept("-") {
            let operand = try unary()
            return .negate(operand, SourceRange(start, operand.range.end))
        }
        if accept("+") { return try unary() }
        return try power()
    }

    /// base^exponent, where the exponent is a signed primary, and a transpose after it applies to the power
    /// (x^2' is (x^2)', as in MATLAB).
    private mutating func power() throws -> ExpressionSyntax {
        let base = try postfix()
        guard accept("^") || accept(".^") else { return base }
        let exponent = try exponentOperand()
        var e = ExpressionSyntax.binary(.power, base, exponent, base.range.union(exponent.range))
        while current == .symbol("'") {
            let t = advance()
            e = .transpose(e, SourceRange(e.range.start, t.end))
        }
        return e
    }

    /// A signed primary, right-associative under ^ (2^3^2 is 2^(3^2)).
    private mutating func exponentOperand() throws -> ExpressionSyntax {
        let start = tokens[position].start
        var e: ExpressionSyntax
        if accept("-") {
            let operand = try primary()
            e = .negate(operand, SourceRange(start, operand.range.end))
        } else {
            _ = accept("+")
            e = try primary()
        }
        if accept("^") || accept(".^") {
            let rest = try exponentOperand()
            e = .binary(.power, e, rest, e.range.union(rest.range))
        }
        return e
    }

    private mutating func postfix() throws -> ExpressionSyntax {
        var e = try primary()
        while current == .symbol("'") {
            let t = advance()
            e = .transpose(e, SourceRange(e.range.start, t.end))
        }
        return e
    }

    private mutating func primary() throws -> ExpressionSyntax {
        let t = tokens[position]
        switch t.token {
        case let .number(v):
            _ = advance()
            return .number(v, SourceRange(t.start, t.end))
        case let .name(n):
            _ = advance()
            guard current == .symbol("(") else { return .name(n, SourceRange(t.start, t.end)) }
            let open = tokens[position].start
            _ = advance()
            var args: [ExpressionSyntax] = []
            if current != .symbol(")") {
                repeat { args.append(try additive()) } while accept(",")
            }
            let end = try expect(")", closing: open)
            return .call(n, args, SourceRange(t.start, end))
        case .symbol("("):
            _ = advance()
            if current == .symbol(")") { throw error("empty parentheses", at: tokens[position].start) }
            let inner = try additive()
            let end = try expect(")", closing: t.start)
            return Self.widened(inner, to: SourceRange(t.start, end))
        case .symbol("["):
            _ = advance()
            var rows: [[ExpressionSyntax]] = [[]]
            if current == .symbol("]") { throw error("empty brackets: write entries such as [1; x]", at: t.start) }
            while true {
                rows[rows.count - 1].append(try additive())
                if accept(",") { continue }
                if accept(";") { rows.append([]); continue }
                break
            }
            let end = try expect("]", closing: t.start)
            return .bracket(rows, SourceRange(t.start, end))
        case .end:
            throw error("the expression ends where a number, a name or '(' was expected", at: t.start)
        case let .symbol(s):
            throw error("expected a number, a name or '(' but found '\(s)'", at: t.start)
        }
    }

    /// A parenthesized expression keeps its parentheses in its range, so errors quote "(a + b)".
    private static func widened(_ e: ExpressionSyntax, to r: SourceRange) -> ExpressionSyntax {
        switch e {
        case let .number(v, _): return .number(v, r)
        case let .name(n, _): return .name(n, r)
        case let .negate(a, _): return .negate(a, r)
        case let .binary(op, a, b, _): return .binary(op, a, b, r)
        case let .transpose(a, _): return .transpose(a, r)
        case let .call(f, args, _): return .call(f, args, r)
        case let .bracket(rows, _): return .bracket(rows, r)
        }
    }

    private static let symbols = [".*", "./", ".^", "+", "-", "*", "/", "^", "'", "(", ")", "[", "]", ",", ";", "⊙"]

    private static func tokenize(_ text: String) throws -> [(token: Token, start: Int, end: Int)] {
        let chars = Array(text)
        var out: [(token: Token, start: Int, end: Int)] = []
        var i = 0
        func fail(_ message: String, _ at: Int) -> JacobianError { .syntax(message, text: text, column: at) }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            let nextIsDigit = i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber
            if (c.isASCII && c.isNumber) || (c == "." && nextIsDigit) {
                while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "." { i += 1 }
                if i < chars.count, chars[i] == "e" || chars[i] == "E" {
                    var j = i + 1
                    if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
                    if j < chars.count, chars[j].isASCII, chars[j].isNumber {
                        i = j
                        while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
                    }
                }
                let literal = String(chars[start..<i])
                guard let v = Double(literal), v.isFinite else { throw fail("'\(literal)' is not a number", start) }
                out.append((.number(v), start, i))
                continue
            }
            if c.isLetter || c == "_" {
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                out.append((.name(String(chars[start..<i])), start, i))
                continue
            }
            if c == "ᵀ" || c == "’" { out.append((.symbol("'"), start, i + 1)); i += 1; continue }
            if c == "·" || c == "×" { out.append((.symbol("*"), start, i + 1)); i += 1; continue }
            if let s = symbols.first(where: { sym in
                i + sym.count <= chars.count && String(chars[i..<(i + sym.count)]) == sym
            }) {
                out.append((.symbol(s), start, i + s.count))
                i += s.count
                continue
            }
            if c == "|" {
                throw fail("'|' joins built-in map names (\"sigmoid | softmax\"), not expressions; "
                    + "write the composition as a call, softmax(sigmoid(x))", start)
            }
            throw fail("'\(c)' is not part of the expression language", start)
        }
        out.append((.end, chars.count, chars.count))
        return out
    }
}
