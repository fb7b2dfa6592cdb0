import RealModule
import Foundation

/// p = softmax(x), pᵢ = e^{xᵢ}/Σⱼe^{xⱼ}; Jacobian n×n: J = diag(p) − p·pᵀ.
///
/// Computed with max(x) subtracted, so exp cannot overflow.
public struct Softmax: VectorMap {
    public let name = "softmax"
    public let inputShape: Shape
    public var outputShape: Shape { inputShape }
    public var formula: String { "diag(p) − p·pᵀ" }

    /// Softmax over n = `shape.count` coordinates.
    public init(shape: Shape) { inputShape = shape }

    /// softmax(x) with the maximum subtracted first, in Double or Complex: the one definition.
    static func forward<T: GraphScalar>(_ x: [T]) -> [T] {
        var largest = -Double.infinity
        for v in x where v.realPart > largest { largest = v.realPart }
        let m = T(constant: x.isEmpty ? 0 : largest)
        var p = x.map { T.exp($0 - m) }
        var sum = T.zero
        for v in p { sum = sum + v }
        let inverse = T(constant: 1) / sum
        for i in p.indices { p[i] = p[i] * inverse }
        return p
    }

    /// softmax(x) with the maximum subtracted first.
    public static func probabilities(_ x: [Double]) -> [Double] { forward(x) }

    public func value(at x: [Double]) throws -> [Double] { Self.forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let p = Self.forward(x)
        return (p, .diagonalPlusOuter(diagonal: p, u: p.map { -$0 }, v: p))
    }
}

extension Softmax: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { Self.forward(z) }
}

/// y = log softmax(x) = x − log Σⱼe^{xⱼ}; Jacobian n×n: J = I − 1·pᵀ.
///
/// Computed as x − max − log Σ e^{x−max}, so neither overflow nor log(0) occurs.
public struct LogSoftmax: VectorMap {
    public let name = "log-softmax"
    public let inputShape: Shape
    public var outputShape: Shape { inputShape }
    public var formula: String { "I − 1·pᵀ" }

    /// Log-softmax over n = `shape.count` coordinates.
    public init(shape: Shape) { inputShape = shape }

    /// x − log Σ e^x, in Double or Complex: the one definition.
    static func forward<T: GraphScalar>(_ x: [T]) -> [T] {
        let lse = T.logSumExp(x)
        return x.map { $0 - lse }
    }

    public func value(at x: [Double]) throws -> [Double] { Self.forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let y = Self.forward(x)
        let n = x.count
        return (y, .diagonalPlusOuter(diagonal: [Double](repeating: 1, count: n),
                                      u: [Double](repeating: -1, count: n), v: y.map { Foundation.exp($0) }))
    }
}

extension LogSoftmax: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { Self.forward(z) }
}
