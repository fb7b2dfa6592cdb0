import Foundation

/// The parsed form of an expression such as `softmax(W*x + b)`, before shapes are known.
///
/// Every node remembers the columns of the text it came from, so errors can point at it.
public indirect enum ExpressionSyntax: Equatable, Sendable {
    /// A number literal.
    case number(Double, SourceRange)
    /// A variable or a bare name.
    case name(String, SourceRange)
    /// `-e`.
    case negate(ExpressionSyntax, SourceRange)
    /// `a op b` for `+ - * / .* ./ ^`.
    case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax, SourceRange)
    /// `e'`.
    case transpose(ExpressionSyntax, SourceRange)
    /// `f(a, b, …)`.
    case call(String, [ExpressionSyntax], SourceRange)
    /// `[a, b; c, d]`: rows separated by `;`, entries by `,`.
    case bracket([[ExpressionSyntax]], SourceRange)

    /// The columns of the text this node spans.
    public var range: SourceRange {
        switch self {
        case let .number(_, r), let .name(_, r), let .negate(_, r), let .binary(_, _, _, r), let .transpose(_, r),
             let .call(_, _, r), let .bracket(_, r):
            return r
        }
    }

    /// Every variable name, in order of first appearance (function names excluded).
    public var variableNames: [String] {
        var seen: [String] = []
        func visit(_ e: ExpressionSyntax) {
            switch e {
            case .number: break
            case let .name(n, _): if !seen.contains(n) { seen.append(n) }
            case let .negate(a, _), let .transpose(a, _): visit(a)
            case let .binary(_, a, b, _): visit(a); visit(b)
            case let .call(_, args, _): args.forEach(visit)
            case let .bracket(rows, _): rows.joined().forEach(visit)
            }
        }
        visit(self)
        return seen
    }
}

/// A half-open range of character offsets [start, end) into the expression text.
public struct SourceRange: Equatable, Hashable, Sendable {
    /// First character.
    public var start: Int
    /// One past the last character.
    public var end: Int

    /// The range [start, end).
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    /// The smallest range covering both.
    func union(_ other: SourceRange) -> SourceRange { SourceRange(min(start, other.start), max(end, other.end)) }

    /// The characters of `text` this range covers, trimmed.
    func text(in text: String) -> String {
        let chars = Array(text)
        let s = max(0, min(start, chars.count)), e = max(s, min(end, chars.count))
        return String(chars[s..<e]).trimmingCharacters(in: .whitespaces)
    }
}

/// The infix operators, by how they are written.
public enum BinaryOperator: String, Sendable {
    /// Sum, elementwise; a scalar is added to every entry.
    case add = "+"
    /// Difference, elementwise; a scalar is subtracted from every entry.
    case subtract = "-"
    /// Matrix product between non-scalars, scaling when one side is a scalar.
    case multiply = "*"
    /// Division by a scalar.
    case divide = "/"
    /// Hadamard (elementwise) product, also written ⊙.
    case hadamard = ".*"
    /// Elementwise division.
    case elementwiseDivide = "./"
    /// Elementwise power with a constant exponent.
    case power = "^"
}
