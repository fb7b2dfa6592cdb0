import RealModule
import Foundation

/// L = ½‖x − t‖² for a fixed target t; Jacobian 1×n: (x − t)ᵀ.
public struct MeanSquaredError: VectorMap {
    public let name = "mse"
    public let inputShape: Shape
    public var outputShape: Shape { .scalar }
    public var formula: String { "(x − t)ᵀ" }
    /// The target t, n numbers.
    public let target: [Double]
    public var constants: [NamedConstant] { [NamedConstant("t", inputShape, target)] }

    /// ½‖x − t‖² over n = `shape.count` coordinates.
    public init(shape: Shape, target: [Double]) {
        inputShape = shape
        self.target = target
    }

    /// ½‖x − t‖², in Double or Complex (no conjugation: the analytic continuation); the one definition.
    static func loss<T: GraphScalar>(_ x: [T], _ t: [T]) -> T {
        var s = T.zero
        for i in x.indices { let r = x[i] - t[i]; s = s + r * r }
        return s / T(constant: 2)
    }

    public func value(at x: [Double]) throws -> [Double] { [Self.loss(x, target)] }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        ([Self.loss(x, target)], .dense(Matrix(unchecked: 1, x.count, zip(x, target).map(-))))
    }
}

extension MeanSquaredError: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        [Self.loss(z, target.map { ComplexDouble($0, 0) })]
    }
}

/// L = −Σᵢ yᵢ log pᵢ over probabilities p > 0, fixed distribution y; Jacobian 1×n: (−y/p)ᵀ.
public struct CrossEntropy: VectorMap {
    public let name = "cross-entropy"
    public let inputShape: Shape
    public var outputShape: Shape { .scalar }
    public var formula: String { "(−y ⊘ p)ᵀ" }
    /// The target distribution y.
    public let target: [Double]
    public var constants: [NamedConstant] { [NamedConstant("y", inputShape, target)] }

    /// Cross-entropy against `target` over n = `shape.count` probabilities.
    public init(shape: Shape, target: [Double]) {
        inputShape = shape
        self.target = target
    }

    /// −Σ yᵢ log pᵢ, in Double or Complex; every pᵢ (its real part) must be > 0. The one definition.
    static func loss<T: GraphScalar>(_ p: [T], _ y: [T]) throws -> T {
        if let k = p.firstIndex(where: { !($0.realPart > 0) }) {
            throw JacobianError.outsideDomain(
                "cross-entropy takes log p, so every p_i must be > 0, but p_\(k) = \(p[k].realPart)")
        }
        var s = T.zero
        for i in p.indices where y[i] != .zero { s = s - y[i] * T.log(p[i]) }
        return s
    }

    public func value(at p: [Double]) throws -> [Double] { [try Self.loss(p, target)] }

    public func evaluate(at p: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        ([try Self.loss(p, target)], .dense(Matrix(unchecked: 1, p.count, p.indices.map { -target[$0] / p[$0] })))
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] {
        rng.uniform(count: inputShape.count, 0.05, 1)
    }
}

/// L = −Σᵢ [tᵢ log pᵢ + (1−tᵢ) log(1−pᵢ)] for p in (0, 1); Jacobian 1×n: (−t/p + (1−t)/(1−p))ᵀ.
public struct BinaryCrossEntropy: VectorMap {
    public let name = "binary-cross-entropy"
    public let inputShape: Shape
    public var outputShape: Shape { .scalar }
    public var formula: String { "(−t ⊘ p + (1−t) ⊘ (1−p))ᵀ" }
    /// The targets t in [0, 1].
    public let target: [Double]
    public var constants: [NamedConstant] { [NamedConstant("t", inputShape, target)] }

    /// Binary cross-entropy against `target` over n = `shape.count` probabilities.
    public init(shape: Shape, target: [Double]) {
        inputShape = shape
        self.target = target
    }

    /// −Σ [tᵢ log pᵢ + (1−tᵢ) log(1−pᵢ)], in Double or Complex; every pᵢ (its real part) must lie in (0, 1).
    /// The one definition.
    static func loss<T: GraphScalar>(_ p: [T], _ t: [T]) throws -> T {
        if let k = p.firstIndex(where: { !($0.realPart > 0 && $0.realPart < 1) }) {
            throw JacobianError.outsideDomain("binary-cross-entropy takes log p and log(1−p), so every p_i must lie "
                + "in (0, 1), but p_\(k) = \(p[k].realPart)")
        }
        var s = T.zero
        for i in p.indices { s = s - (t[i] * T.log(p[i]) + (T(constant: 1) - t[i]) * T.log(T(constant: 1) - p[i])) }
        return s
    }

    public func value(at p: [Double]) throws -> [Double] { [try Self.loss(p, target)] }

    public func evaluate(at p: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let loss = try Self.loss(p, target)
        let row = p.indices.map { i in -target[i] / p[i] + (1 - target[i]) / (1 - p[i]) }
        return ([loss], .dense(Matrix(unchecked: 1, p.count, row)))
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] {
        rng.uniform(count: inputShape.count, 0.05, 0.95)
    }
}

/// L = −Σᵢ yᵢ log softmax(z)ᵢ over logits z; Jacobian 1×n: (p − y)ᵀ·(Σy), i.e. (p − y)ᵀ for a distribution y.
///
/// Computed through log-softmax with the maximum subtracted: no overflow, no log(0).
public struct SoftmaxCrossEntropy: VectorMap {
    public let name = "softmax-cross-entropy"
    public let inputShape: Shape
    public var outputShape: Shape { .scalar }
    public var formula: String { "(p − y)ᵀ, p = softmax(z)" }
    /// The target distribution y (one-hot by default).
    public let target: [Double]
    public var constants: [NamedConstant] { [NamedConstant("y", inputShape, target)] }

    /// Softmax cross-entropy against `target` over n = `shape.count` logits.
    public init(shape: Shape, target: [Double]) {
        inputShape = shape
        self.target = target
    }

    /// −Σ yᵢ (zᵢ − log Σ e^z), in Double or Complex: the one definition.
    static func loss<T: GraphScalar>(_ z: [T], _ y: [T]) -> T {
        let lse = T.logSumExp(z)
        var s = T.zero
        for i in z.indices { s = s - y[i] * (z[i] - lse) }
        return s
    }

    public func value(at z: [Double]) throws -> [Double] { [Self.loss(z, target)] }

    public func evaluate(at z: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let lse = Double.logSumExp(z), total = target.reduce(0, +)
        let row = z.indices.map { i in Foundation.exp(z[i] - lse) * total - target[i] }
        return ([Self.loss(z, target)], .dense(Matrix(unchecked: 1, z.count, row)))
    }
}

extension CrossEntropy: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        [try Self.loss(z, target.map { ComplexDouble($0, 0) })]
    }
}

extension BinaryCrossEntropy: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        [try Self.loss(z, target.map { ComplexDouble($0, 0) })]
    }
}

extension SoftmaxCrossEntropy: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        [Self.loss(z, target.map { ComplexDouble($0, 0) })]
    }
}
