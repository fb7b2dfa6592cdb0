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

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let r = zip(x, target).map(-)
        return ([0.5 * r.dot(r)], .dense(Matrix(unchecked: 1, x.count, r)))
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

    public func evaluate(at p: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        if let k = p.firstIndex(where: { !($0 > 0) }) {
            throw JacobianError.outsideDomain("cross-entropy takes log p, so every p_i must be > 0, but p_\(k) = \(p[k])")
        }
        var loss = 0.0
        for i in p.indices where target[i] != 0 { loss -= target[i] * Foundation.log(p[i]) }
        return ([loss], .dense(Matrix(unchecked: 1, p.count, p.indices.map { -target[$0] / p[$0] })))
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

    public func evaluate(at p: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        if let k = p.firstIndex(where: { !($0 > 0 && $0 < 1) }) {
            throw JacobianError.outsideDomain(
                "binary-cross-entropy takes log p and log(1−p), so every p_i must lie in (0, 1), but p_\(k) = \(p[k])")
        }
        var loss = 0.0
        var row = [Double](repeating: 0, count: p.count)
        for i in p.indices {
            let t = target[i]
            loss -= t * Foundation.log(p[i]) + (1 - t) * Foundation.log(1 - p[i])
            row[i] = -t / p[i] + (1 - t) / (1 - p[i])
        }
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

    public func evaluate(at z: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let m = z.max() ?? 0
        let lse = m + Foundation.log(z.reduce(0) { $0 + Foundation.exp($1 - m) })
        let total = target.reduce(0, +)
        var loss = 0.0
        var row = [Double](repeating: 0, count: z.count)
        for i in z.indices {
            loss -= target[i] * (z[i] - lse)
            row[i] = Foundation.exp(z[i] - lse) * total - target[i]
        }
        return ([loss], .dense(Matrix(unchecked: 1, z.count, row)))
    }
}
