import Foundation

/// A scalar formula that can be differentiated, simplified and printed: the symbolic Jacobian of an
/// expression whose variables are all scalars ("∂/∂x1 of (x1·x2 − 3)² + 1 is 2·x2·(x1·x2 − 3)").
indirect enum SymbolicExpression: Equatable, Sendable {
    case number(Double)
    case variable(String)
    case sum([SymbolicExpression])
    case product([SymbolicExpression])
    case power(SymbolicExpression, Double)
    /// sin cos exp log tanh sigmoid abs sign step (step is [x > 0], relu's derivative).
    case function(String, SymbolicExpression)

    static let zero = SymbolicExpression.number(0)
    static let one = SymbolicExpression.number(1)

    /// The scalar formula of `syntax`, or nil where it uses something without a scalar formula here.
    init?(_ syntax: ExpressionSyntax) {
        switch syntax {
        case let .number(v, _): self = .number(v)
        case let .name(n, _): self = .variable(n)
        case let .negate(a, _):
            guard let a = SymbolicExpression(a) else { return nil }
            self = .product([.number(-1), a])
        case let .transpose(a, _):
            guard let a = SymbolicExpression(a) else { return nil }
            self = a
        case let .binary(op, a, b, _):
            guard let x = SymbolicExpression(a) else { return nil }
            if op == .power {
                guard let k = ShapeInference.constantValue(b) else { return nil }
                self = .power(x, k)
                return
            }
            guard let y = SymbolicExpression(b) else { return nil }
            switch op {
            case .add: self = .sum([x, y])
            case .subtract: self = .sum([x, .product([.number(-1), y])])
            case .multiply, .hadamard: self = .product([x, y])
            case .divide, .elementwiseDivide: self = .product([x, .power(y, -1)])
            case .power: return nil
            }
        case let .call(name, args, _):
            guard args.count == 1, let a = SymbolicExpression(args[0]) else { return nil }
            switch name {
            case "sin", "cos", "exp", "log", "tanh", "sigmoid", "abs": self = .function(name, a)
            case "sqrt": self = .power(a, 0.5)
            case "relu": self = .product([.function("step", a), a])
            default: return nil
            }
        case .bracket: return nil
        }
    }

    /// ∂/∂name, simplified.
    func derivative(_ name: String) -> SymbolicExpression {
        switch self {
        case .number: return .zero
        case let .variable(n): return n == name ? .one : .zero
        case let .sum(terms): return SymbolicExpression.sum(terms.map { $0.derivative(name) }).simplified
        case let .product(factors):
            var terms: [SymbolicExpression] = []
            for i in factors.indices {
                var f = factors
                f[i] = factors[i].derivative(name)
                terms.append(.product(f))
            }
            return SymbolicExpression.sum(terms).simplified
        case let .power(base, k):
            return SymbolicExpression.product([.number(k), .power(base, k - 1), base.derivative(name)]).simplified
        case let .function(f, a):
            let inner = a.derivative(name)
            let outer: SymbolicExpression
            switch f {
            case "sin": outer = .function("cos", a)
            case "cos": outer = .product([.number(-1), .function("sin", a)])
            case "exp": outer = .function("exp", a)
            case "log": outer = .power(a, -1)
            case "tanh": outer = .sum([.one, .product([.number(-1), .power(.function("tanh", a), 2)])])
            case "sigmoid": outer = .product([.function("sigmoid", a),
                                              .sum([.one, .product([.number(-1), .function("sigmoid", a)])])])
            case "abs": outer = .function("sign", a)
            default: outer = .zero // sign and step are flat away from their jumps
            }
            return SymbolicExpression.product([outer, inner]).simplified
        }
    }

    /// Flattened, constants folded, 0 and 1 dropped, equal factors gathered into powers, like terms added.
    var simplified: SymbolicExpression {
        switch self {
        case .number, .variable: return self
        case let .function(f, a): return .function(f, a.simplified)
        case let .power(base, k):
            let b = base.simplified
            if k == 0 { return .one }
            if k == 1 { return b }
            if case let .number(v) = b { return .number(Foundation.pow(v, k)) }
            if case let .power(inner, j) = b { return SymbolicExpression.power(inner, j * k).simplified }
            return .power(b, k)
        case let .product(factors):
            var coefficient = 1.0
            var bases: [(SymbolicExpression, Double)] = []
            func gather(_ f: SymbolicExpression) {
                switch f {
                case let .number(v): coefficient *= v
                case let .product(inner): inner.forEach(gather)
                case let .power(b, k):
                    if let i = bases.firstIndex(where: { $0.0 == b }) { bases[i].1 += k } else { bases.append((b, k)) }
                default:
                    if let i = bases.firstIndex(where: { $0.0 == f }) { bases[i].1 += 1 } else { bases.append((f, 1)) }
                }
            }
            factors.map(\.simplified).forEach(gather)
            if coefficient == 0 { return .zero }
            var rest = bases.filter { $0.1 != 0 }.map { SymbolicExpression.power($0.0, $0.1).simplified }
            rest.sort { $0.rank < $1.rank }
            if rest.isEmpty { return .number(coefficient) }
            if coefficient == 1 && rest.count == 1 { return rest[0] }
            return .product((coefficient == 1 ? [] : [.number(coefficient)]) + rest)
        case let .sum(terms):
            var constant = 0.0
            var collected: [(SymbolicExpression, Double)] = []
            func gather(_ t: SymbolicExpression) {
                switch t {
                case let .number(v): constant += v
                case let .sum(inner): inner.forEach(gather)
                default:
                    let (c, rest) = t.coefficientAndRest
                    if let i = collected.firstIndex(where: { $0.0 == rest }) {
                        collected[i].1 += c
                    } else {
                        collected.append((rest, c))
                    }
                }
            }
            terms.map(\.simplified).forEach(gather)
            var out = collected.filter { $0.1 != 0 }.map { rest, c in
                c == 1 ? rest : SymbolicExpression.product([.number(c), rest]).simplified
            }
            if constant != 0 { out.append(.number(constant)) }
            if out.isEmpty { return .zero }
            return out.count == 1 ? out[0] : .sum(out)
        }
    }

    /// Variables first (by name), then powers and functions, then sums: "2·x2·(x1·x2 − 3)".
    private var rank: Int {
        switch self {
        case .number: return 0
        case .variable: return 1
        case .power(.variable, _): return 2
        case .function, .power: return 3
        case .product: return 4
        case .sum: return 5
        }
    }

    private var coefficientAndRest: (Double, SymbolicExpression) {
        if case let .product(f) = self, case let .number(c)? = f.first {
            let rest = Array(f.dropFirst())
            return (c, rest.count == 1 ? rest[0] : .product(rest))
        }
        return (1, self)
    }

    /// The value with every variable taken from `values`.
    func value(_ values: [String: Double]) -> Double {
        switch self {
        case let .number(v): return v
        case let .variable(n): return values[n] ?? .nan
        case let .sum(t): return t.reduce(0) { $0 + $1.value(values) }
        case let .product(f): return f.reduce(1) { $0 * $1.value(values) }
        case let .power(b, k):
            let x = b.value(values)
            return k == k.rounded() && Swift.abs(k) < 1e9 ? Foundation.pow(x, k) : Foundation.pow(x, k)
        case let .function(f, a):
            let x = a.value(values)
            switch f {
            case "sin": return Foundation.sin(x)
            case "cos": return Foundation.cos(x)
            case "exp": return Foundation.exp(x)
            case "log": return Foundation.log(x)
            case "tanh": return Foundation.tanh(x)
            case "sigmoid": return 1 / (1 + Foundation.exp(-x))
            case "abs": return Swift.abs(x)
            case "sign": return x > 0 ? 1 : (x < 0 ? -1 : 0)
            case "step": return x > 0 ? 1 : 0
            default: return .nan
            }
        }
    }

    /// The formula as the notes write it: "2·x2·(x1·x2 − 3)", "cos(x1)", "x1/x2".
    var text: String { render(parent: 0) }

    private func render(parent: Int) -> String {
        switch self {
        case let .number(v): return Self.numberText(v, parent: parent)
        case let .variable(n): return n
        case let .function(f, a): return f == "step" ? "[\(a.render(parent: 0)) > 0]" : "\(f)(\(a.render(parent: 0)))"
        case let .power(b, k):
            if k == 0.5 { return "√\(b.render(parent: 3))" }
            if k < 0 { return "1/" + SymbolicExpression.power(b, -k).simplified.render(parent: 3) }
            let exponent = Self.numberText(k, parent: 0)
            let s = b.render(parent: 3) + "^"
                + (exponent.contains("-") || exponent.contains(".") ? "(\(exponent))" : exponent)
            return parent > 2 ? "(\(s))" : s
        case let .product(factors):
            var numerator: [String] = [], denominator: [String] = []
            var sign = ""
            for (i, f) in factors.enumerated() {
                if i == 0, case let .number(c) = f, c == -1 { sign = "−"; continue }
                if case let .power(b, k) = f, k < 0 {
                    denominator.append(SymbolicExpression.power(b, -k).simplified.render(parent: 2))
                } else {
                    numerator.append(f.render(parent: 2))
                }
            }
            var s = sign + (numerator.isEmpty ? "1" : numerator.joined(separator: "·"))
            if !denominator.isEmpty {
                s += "/" + (denominator.count == 1 ? denominator[0] : "(" + denominator.joined(separator: "·") + ")")
            }
            return parent > 1 ? "(\(s))" : s
        case let .sum(terms):
            var s = ""
            for (i, t) in terms.enumerated() {
                let (c, rest) = t.coefficientAndRest
                if i > 0 && c < 0 {
                    let positive = c == -1 ? rest : SymbolicExpression.product([.number(-c), rest]).simplified
                    s += " − " + positive.render(parent: 1)
                } else if case let .number(v) = t, i > 0, v < 0 {
                    s += " − " + Self.numberText(-v, parent: 1)
                } else {
                    s += (i > 0 ? " + " : "") + t.render(parent: 1)
                }
            }
            return parent > 0 ? "(\(s))" : s
        }
    }

    private static func numberText(_ v: Double, parent: Int) -> String {
        let s = v == v.rounded() && Swift.abs(v) < 1e15 ? String(Int(v)) : String(v)
        return v < 0 && parent > 0 ? "(\(s))" : s
    }
}
