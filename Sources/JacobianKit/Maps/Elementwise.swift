import Foundation

/// A scalar function applied to every coordinate; its Jacobian is diagonal: J = diag(f′(x)).
public struct Elementwise: VectorMap {
    /// The scalar functions available.
    public enum Function: Sendable, Equatable {
        /// σ(x) = 1/(1+e^−x); σ′ = σ(1−σ).
        case sigmoid
        /// tanh x; tanh′ = 1 − tanh².
        case tanh
        /// max(0, x); derivative 1 for x > 0, 0 otherwise (0 at the kink x = 0).
        case relu
        /// x for x > 0, slope·x otherwise; derivative 1 or slope.
        case leakyRelu(slope: Double)
        /// eˣ; derivative eˣ.
        case exp
        /// log x for x > 0; derivative 1/x.
        case log
        /// sin x; derivative cos x.
        case sin
        /// cos x; derivative −sin x.
        case cos
        /// √x for x > 0; derivative 1/(2√x).
        case sqrt
        /// |x|; derivative sign x (0 at the kink x = 0).
        case abs
    }

    public let name: String
    /// The function applied elementwise.
    public let function: Function
    public let inputShape: Shape
    public var outputShape: Shape { inputShape }

    /// f applied to each of the `shape.count` coordinates.
    public init(_ function: Function, name: String, shape: Shape) {
        self.function = function
        self.name = name
        self.inputShape = shape
    }

    /// relu and leaky-relu have a kink at 0.
    public var hasKinks: Bool {
        switch function {
        case .relu, .leakyRelu, .abs: return true
        default: return false
        }
    }

    public var formula: String {
        switch function {
        case .sigmoid: return "diag(σ(x)⊙(1−σ(x)))"
        case .tanh: return "diag(1 − tanh²x)"
        case .relu: return "diag([x > 0])"
        case let .leakyRelu(s): return "diag(x > 0 ? 1 : \(s))"
        case .exp: return "diag(exp x)"
        case .log: return "diag(1/x)"
        case .sin: return "diag(cos x)"
        case .cos: return "diag(−sin x)"
        case .sqrt: return "diag(1/(2√x))"
        case .abs: return "diag(sign x)"
        }
    }

    /// f(x) and f′(x) for one coordinate.
    @inlinable
    public static func apply(_ f: Function, _ x: Double) -> (Double, Double) {
        switch f {
        case .sigmoid:
            // 1/(1 + e^−x) as the notes write it; for x < −709 e^−x is +∞ and σ is exactly 0, never NaN.
            let s = 1 / (1 + Foundation.exp(-x))
            return (s, s * (1 - s))
        case .tanh:
            let t = Foundation.tanh(x)
            return (t, 1 - t * t)
        case .relu: return x > 0 ? (x, 1) : (0, 0)
        case let .leakyRelu(slope): return x > 0 ? (x, 1) : (slope * x, slope)
        case .exp:
            let e = Foundation.exp(x)
            return (e, e)
        case .log: return (Foundation.log(x), 1 / x)
        case .sin: return (Foundation.sin(x), Foundation.cos(x))
        case .cos: return (Foundation.cos(x), -Foundation.sin(x))
        case .sqrt:
            let r = Foundation.sqrt(x)
            return (r, 0.5 / r)
        case .abs: return (Swift.abs(x), x > 0 ? 1 : (x < 0 ? -1 : 0))
        }
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        if function == .log, let k = x.firstIndex(where: { !($0 > 0) }) {
            throw JacobianError.outsideDomain("log needs every coordinate > 0, but x_\(k) = \(x[k])")
        }
        if function == .sqrt, let k = x.firstIndex(where: { !($0 > 0) }) {
            throw JacobianError.outsideDomain(
                "sqrt needs every coordinate > 0 (its derivative 1/(2√x) is infinite at 0), but x_\(k) = \(x[k])")
        }
        var y = [Double](repeating: 0, count: x.count)
        var d = [Double](repeating: 0, count: x.count)
        for i in x.indices { (y[i], d[i]) = Self.apply(function, x[i]) }
        return (y, .diagonal(d))
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] {
        function == .log || function == .sqrt ? rng.uniform(count: inputShape.count, 0.2, 2) : rng.uniform(count: inputShape.count, -1, 1)
    }
}
