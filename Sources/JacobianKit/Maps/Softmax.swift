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

    /// softmax(x) with the maximum subtracted first.
    public static func probabilities(_ x: [Double]) -> [Double] {
        let m = x.max() ?? 0
        var p = [Double](repeating: 0, count: x.count)
        var s = 0.0
        for i in x.indices {
            p[i] = Foundation.exp(x[i] - m)
            s += p[i]
        }
        let inverse = 1 / s
        for i in p.indices { p[i] *= inverse }
        return p
    }

    public func value(at x: [Double]) throws -> [Double] { Self.probabilities(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let p = Self.probabilities(x)
        return (p, .diagonalPlusOuter(diagonal: p, u: p.map { -$0 }, v: p))
    }
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

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let m = x.max() ?? 0
        let lse = m + Foundation.log(x.reduce(0) { $0 + Foundation.exp($1 - m) })
        let p = x.map { Foundation.exp($0 - lse) }
        let n = x.count
        return (x.map { $0 - lse },
                .diagonalPlusOuter(diagonal: [Double](repeating: 1, count: n),
                                   u: [Double](repeating: -1, count: n), v: p))
    }
}
