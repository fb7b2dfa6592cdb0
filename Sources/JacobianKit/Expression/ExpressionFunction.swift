import Foundation

/// The functions an expression may call, with their arity and the rule their shapes follow.
enum ExpressionFunction: String, CaseIterable, Sendable {
    case sigmoid, tanh, relu, leaky_relu, exp, log, sin, cos, sqrt, abs
    case softmax, log_softmax, sum, mean
    case mse, cross_entropy, binary_cross_entropy, softmax_ce, hinge
    case inv, det, logdet, tr

    /// How a function's result shape follows from its arguments.
    enum Kind {
        /// Same shape as its argument, applied entry by entry.
        case elementwise
        /// A vector to a vector of the same size.
        case vector
        /// Any shape to a scalar.
        case reduction
        /// Two arguments of one shape to a scalar.
        case loss(vectorOnly: Bool)
        /// A square matrix to a matrix of the same shape.
        case square
        /// A square matrix to a scalar.
        case squareToScalar
    }

    var kind: Kind {
        switch self {
        case .sigmoid, .tanh, .relu, .leaky_relu, .exp, .log, .sin, .cos, .sqrt, .abs: return .elementwise
        case .softmax, .log_softmax: return .vector
        case .sum, .mean: return .reduction
        case .mse, .cross_entropy, .binary_cross_entropy: return .loss(vectorOnly: false)
        case .softmax_ce, .hinge: return .loss(vectorOnly: true)
        case .inv: return .square
        case .det, .logdet, .tr: return .squareToScalar
        }
    }

    /// The accepted argument counts.
    var arity: ClosedRange<Int> {
        switch kind {
        case .loss: return 2...2
        default: return self == .leaky_relu ? 1...2 : 1...1
        }
    }

    /// "f(x)", "f(p, t)", "leaky_relu(x[, slope])".
    var usage: String {
        switch self {
        case .leaky_relu: return "leaky_relu(x) or leaky_relu(x, slope)"
        case .mse, .binary_cross_entropy: return "\(rawValue)(p, t)"
        case .cross_entropy: return "cross_entropy(p, y)"
        case .softmax_ce, .hinge: return "\(rawValue)(z, y)"
        default: return "\(rawValue)(x)"
        }
    }

    /// Whether the function has a kink where its derivative jumps.
    var hasKink: Bool { self == .relu || self == .leaky_relu || self == .abs || self == .hinge }

    /// Every function name, for help text, completion and "did you mean".
    static var names: [String] { allCases.map(\.rawValue) }

    /// The function called `name`, or an error with the closest known name.
    static func named(_ name: String, text: String, column: Int) throws -> ExpressionFunction {
        if let f = ExpressionFunction(rawValue: name) { return f }
        let aliases: [String: ExpressionFunction] = [
            "logsoftmax": .log_softmax, "trace": .tr, "inverse": .inv, "leakyrelu": .leaky_relu,
        ]
        if let f = aliases[name.lowercased().replacingOccurrences(of: "-", with: "")] { return f }
        let hyphenated = name.replacingOccurrences(of: "_", with: "-")
        let hint: String
        if let guess = closest(to: name) {
            hint = "did you mean '\(guess)'?"
        } else if Catalog.names.contains(hyphenated) {
            hint = "'\(hyphenated)' is a built-in map, usable on its own but not inside an expression"
        } else {
            hint = "the functions are \(names.joined(separator: " "))"
        }
        throw JacobianError.syntax("unknown function '\(name)'; \(hint)", text: text, column: column)
    }

    private static func closest(to name: String) -> String? {
        let lowered = name.lowercased().replacingOccurrences(of: "-", with: "_")
        let scored = names.map { ($0, editDistance($0, lowered)) }.min { $0.1 < $1.1 }
        guard let (best, d) = scored, d <= max(1, min(3, name.count / 3)) else { return nil }
        return best
    }
}
