import RealModule
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

    /// f(x) for one coordinate, in Double or Complex: the one definition of each function.
    static func value<T: GraphScalar>(_ f: Function, _ x: T) -> T {
        switch f {
        // 1/(1 + e^−x) as the notes write it; for x < −709 e^−x is +∞ and σ is exactly 0, never NaN.
        case .sigmoid: return T(constant: 1) / (T(constant: 1) + T.exp(-x))
        case .tanh: return T.hyperbolicTangent(x)
        case .relu: return x.realPart > 0 ? x : .zero
        case let .leakyRelu(slope): return x.realPart > 0 ? x : T(constant: slope) * x
        case .exp: return T.exp(x)
        case .log: return T.log(x)
        case .sin: return T.sin(x)
        case .cos: return T.cos(x)
        case .sqrt: return T.sqrt(x)
        case .abs: return x.realPart < 0 ? -x : (x.realPart == 0 ? .zero : x)
        }
    }

    /// f′(x) for one coordinate, given y = f(x).
    static func derivative(_ f: Function, at x: Double, value y: Double) -> Double {
        switch f {
        // σ(1 − σ) and 1 − tanh² cancel where f is near ±1, losing all digits by x ≈ 37 and 19; there
        // e^−|x|/(1 + e^−|x|)² and 4e^−2|x|/(1 + e^−2|x|)² are exact to rounding
        // (σ′(30) = 9.3576e-14, not 9.348e-14).
        case .sigmoid:
            guard x > 8 else { return y * (1 - y) }
            let e = Foundation.exp(-x)
            return e / ((1 + e) * (1 + e))
        case .tanh:
            guard Swift.abs(x) > 8 else { return 1 - y * y }
            let e = Foundation.exp(-2 * Swift.abs(x))
            return 4 * e / ((1 + e) * (1 + e))
        case .relu: return x > 0 ? 1 : 0
        case let .leakyRelu(slope): return x > 0 ? 1 : slope
        case .exp: return y
        case .log: return 1 / x
        case .sin: return Foundation.cos(x)
        case .cos: return -Foundation.sin(x)
        case .sqrt: return 0.5 / y
        case .abs: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        }
    }

    /// f(x) and f′(x) for one coordinate.
    public static func apply(_ f: Function, _ x: Double) -> (Double, Double) {
        let y = value(f, x)
        return (y, derivative(f, at: x, value: y))
    }

    /// y = f(x) coordinatewise, in Double or Complex; log and sqrt need every (real part of a) coordinate > 0.
    func forward<T: GraphScalar>(_ x: [T]) throws -> [T] {
        if function == .log, let k = x.firstIndex(where: { !($0.realPart > 0) }) {
            throw JacobianError.outsideDomain("log needs every coordinate > 0, but x_\(k) = \(x[k].realPart)")
        }
        if function == .sqrt, let k = x.firstIndex(where: { !($0.realPart > 0) }) {
            throw JacobianError.outsideDomain(
                "sqrt needs every coordinate > 0 (its derivative 1/(2√x) is infinite at 0), but x_\(k) = "
                    + "\(x[k].realPart)")
        }
        return x.map { Self.value(function, $0) }
    }

    public func value(at x: [Double]) throws -> [Double] { try forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let y = try forward(x)
        var d = [Double](repeating: 0, count: x.count)
        for i in x.indices { d[i] = Self.derivative(function, at: x[i], value: y[i]) }
        return (y, .diagonal(d))
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] {
        function == .log || function == .sqrt
            ? rng.uniform(count: inputShape.count, 0.2, 2) : rng.uniform(count: inputShape.count, -1, 1)
    }
}

extension Elementwise: ComplexEvaluable {
    public var supportsComplexStep: Bool {
        switch function {
        case .relu, .leakyRelu, .abs: return false
        default: return true
        }
    }

    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        guard supportsComplexStep else { throw JacobianError.invalidArgument("\(name) is not real-analytic") }
        return try forward(z)
    }
}
