import Foundation

/// Checks that a matrix map got a matrix (and, where needed, a square one).
func matrixDimensions(_ shape: Shape, map: String, square: Bool) throws -> (Int, Int) {
    guard case let .matrix(r, c) = shape else {
        throw JacobianError.needsMatrix(map: map)
    }
    if square && r != c {
        throw JacobianError.notSquare(rows: r, columns: c)
    }
    return (r, c)
}

/// A random well-conditioned square matrix with positive determinant: uniform [−1,1) entries plus n·I.
func sampleDominant(_ shape: Shape, _ rng: inout SplitMix64) -> [Double] {
    var x = rng.uniform(count: shape.count, -1, 1)
    if case let .matrix(r, c) = shape, r == c { for i in 0..<r { x[i * c + i] += Double(r) } }
    return x
}

/// `transpose`: X (r×c) ↦ Xᵀ (c×r); Jacobian rc×rc: the permutation taking row-major vec X to vec Xᵀ.
public struct Transpose: VectorMap {
    public let name = "transpose"
    public let inputShape: Shape
    public let outputShape: Shape
    public var formula: String { "commutation permutation K" }

    /// The transpose of an r×c matrix.
    public init(shape: Shape) throws {
        let (r, c) = try matrixDimensions(shape, map: "transpose", square: false)
        inputShape = shape
        outputShape = .matrix(rows: c, columns: r)
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        guard case let .matrix(r, c) = inputShape else { return (x, .identity(x.count)) }
        var source = [Int](repeating: 0, count: r * c)
        for j in 0..<c { for i in 0..<r { source[j * r + i] = i * c + j } }
        let y = source.map { x[$0] }
        return (y, .selection(source: source, scale: [Double](repeating: 1, count: r * c), columns: r * c))
    }
}

/// `trace`: X (n×n) ↦ tr X; Jacobian 1×n²: vec(I)ᵀ.
public struct Trace: VectorMap {
    public let name = "trace"
    public let inputShape: Shape
    public var outputShape: Shape { .scalar }
    public var formula: String { "vec(I)ᵀ" }

    /// The trace of an n×n matrix.
    public init(shape: Shape) throws {
        _ = try matrixDimensions(shape, map: "trace", square: true)
        inputShape = shape
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let n = Int(Double(x.count).squareRoot())
        let i = Matrix.identity(n)
        return ([i.elements.dot(x)], .dense(Matrix(unchecked: 1, n * n, i.elements)))
    }
}

/// `inverse`: X ↦ X⁻¹ (n×n); dY = −X⁻¹·dX·X⁻¹, so J = −X⁻¹ ⊗ X⁻ᵀ (n²×n², row-major vec).
public struct Inverse: VectorMap {
    public let name = "inverse"
    public let inputShape: Shape
    public var outputShape: Shape { inputShape }
    public var formula: String { "−X⁻¹ ⊗ X⁻ᵀ" }

    /// The inverse of an n×n matrix; a singular point is an error.
    public init(shape: Shape) throws {
        _ = try matrixDimensions(shape, map: "inverse", square: true)
        inputShape = shape
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let n = Int(Double(x.count).squareRoot())
        let inv = try Matrix(unchecked: n, n, x).inverse()
        return (inv.elements, .kronecker(.matrix(inv.scaled(by: -1)), .matrix(inv.transposed())))
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] { sampleDominant(inputShape, &rng) }
}

/// `det`: X ↦ det X (n×n); ∂det/∂X = det(X)·X⁻ᵀ, so J = vec(det(X)·X⁻ᵀ)ᵀ, 1×n².
public struct Determinant: VectorMap {
    public let name = "det"
    public let inputShape: Shape
    public var outputShape: Shape { .scalar }
    public var formula: String { "vec(det(X)·X⁻ᵀ)ᵀ" }  // = vec(adj(X)ᵀ)ᵀ, which also holds where X is singular

    /// The determinant of an n×n matrix; its Jacobian, the adjugate, exists for singular X too.
    public init(shape: Shape) throws {
        _ = try matrixDimensions(shape, map: "det", square: true)
        inputShape = shape
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let n = Int(Double(x.count).squareRoot())
        let m = Matrix(unchecked: n, n, x)
        let d = try m.determinant()
        // d·X⁻ᵀ where X is invertible; the adjugate from the SVD where it is singular (det and J exist there).
        let g: Matrix
        do {
            g = try m.inverse().transposed().scaled(by: d)
        } catch JacobianError.singular {
            g = try m.adjugate().transposed()
        }
        return ([d], .dense(Matrix(unchecked: 1, n * n, g.elements)))
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] { sampleDominant(inputShape, &rng) }
}

/// `logdet`: X ↦ log det X for det X > 0 (n×n); J = vec(X⁻ᵀ)ᵀ, 1×n².
public struct LogDeterminant: VectorMap {
    public let name = "logdet"
    public let inputShape: Shape
    public var outputShape: Shape { .scalar }
    public var formula: String { "vec(X⁻ᵀ)ᵀ" }

    /// log det of an n×n matrix with positive determinant.
    public init(shape: Shape) throws {
        _ = try matrixDimensions(shape, map: "logdet", square: true)
        inputShape = shape
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let n = Int(Double(x.count).squareRoot())
        let m = Matrix(unchecked: n, n, x)
        // Σ log|Uᵢᵢ| over the LU pivots: finite where det X itself overflows (a 150×150 matrix).
        let (sign, logAbs) = try m.logAbsDeterminant()
        guard sign > 0 else {
            throw JacobianError.outsideDomain("logdet needs det X > 0, but det X " + (sign == 0 ? "= 0" : "< 0"))
        }
        let g = try m.inverse().transposed()
        return ([logAbs], .dense(Matrix(unchecked: 1, n * n, g.elements)))
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] { sampleDominant(inputShape, &rng) }
}

/// `matmul`: X (r×c) ↦ A·X·B with fixed A (r×r) and B (c×c); J = A ⊗ Bᵀ (row-major vec).
public struct MatrixProduct: VectorMap {
    public let name = "matmul"
    public let inputShape: Shape
    public var outputShape: Shape { inputShape }
    public var formula: String { "A ⊗ Bᵀ" }
    /// A, r×r.
    public let a: Matrix
    /// B, c×c.
    public let b: Matrix
    public var constants: [NamedConstant] {
        [NamedConstant("A", .matrix(rows: a.rows, columns: a.columns), a.elements),
         NamedConstant("B", .matrix(rows: b.rows, columns: b.columns), b.elements)]
    }

    /// A·X·B for an r×c X.
    public init(shape: Shape, constants: inout ConstantSource) throws {
        let (r, c) = try matrixDimensions(shape, map: "matmul", square: false)
        inputShape = shape
        a = Matrix(unchecked: r, r, try constants.uniform("A", count: r * r, -1, 1))
        b = Matrix(unchecked: c, c, try constants.uniform("B", count: c * c, -1, 1))
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let xm = Matrix(unchecked: a.columns, b.rows, x)
        return (a.multiplied(by: xm).multiplied(by: b).elements, .kronecker(.matrix(a), .matrix(b.transposed())))
    }
}

/// `hadamard`: X ↦ A ⊙ X for a fixed A of X's shape; J = diag(vec A).
public struct Hadamard: VectorMap {
    public let name = "hadamard"
    public let inputShape: Shape
    public var outputShape: Shape { inputShape }
    public var formula: String { "diag(vec A)" }
    /// A, same shape as X, row-major.
    public let a: [Double]
    public var constants: [NamedConstant] { [NamedConstant("A", inputShape, a)] }

    /// A ⊙ X for X of `shape`.
    public init(shape: Shape, constants: inout ConstantSource) throws {
        inputShape = shape
        a = try constants.uniform("A", count: shape.count, -1, 1)
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        (zip(a, x).map(*), .diagonal(a))
    }
}

/// The matrix-differential notes' two worked examples, for X (p×q) and fixed a ∈ Rᵖ, b ∈ R^q (J is 1×pq):
/// `bilinear` f = aᵀ·X·b with ∂f/∂X = a·bᵀ, and `bilinear-exp` f = aᵀ·exp(X·b) (exp elementwise) with
/// ∂f/∂X = (a ⊙ exp(X·b))·bᵀ.
public struct Bilinear: VectorMap {
    /// Whether exp is applied to X·b before the product with a.
    public let exponential: Bool
    public var name: String { exponential ? "bilinear-exp" : "bilinear" }
    public let inputShape: Shape
    public var outputShape: Shape { .scalar }
    public var formula: String { exponential ? "vec((a ⊙ exp(X·b))·bᵀ)ᵀ" : "vec(a·bᵀ)ᵀ" }
    /// a, p numbers.
    public let a: [Double]
    /// b, q numbers.
    public let b: [Double]
    public var constants: [NamedConstant] {
        [NamedConstant("a", .vector(a.count), a), NamedConstant("b", .vector(b.count), b)]
    }

    /// aᵀXb (or aᵀexp(Xb) when `exponential`) for a p×q X.
    public init(shape: Shape, exponential: Bool, constants: inout ConstantSource) throws {
        self.exponential = exponential
        let (p, q) = try matrixDimensions(shape, map: exponential ? "bilinear-exp" : "bilinear", square: false)
        inputShape = shape
        a = try constants.uniform("a", count: p, -1, 1)
        b = try constants.uniform("b", count: q, -1, 1)
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let q = b.count
        var f = 0.0
        var g = [Double](repeating: 0, count: x.count)
        for i in a.indices {
            // Row i contributes a_i·s_i with s_i = (X·b)_i, or a_i·exp(s_i); its gradient row is (that weight)·bᵀ.
            var s = 0.0
            for j in 0..<q { s += x[i * q + j] * b[j] }
            let weight = exponential ? a[i] * Foundation.exp(s) : a[i]
            f += exponential ? weight : a[i] * s
            for j in 0..<q { g[i * q + j] = weight * b[j] }
        }
        return ([f], .dense(Matrix(unchecked: 1, x.count, g)))
    }
}
