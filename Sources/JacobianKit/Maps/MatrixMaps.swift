import RealModule
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

extension Shape {
    /// The number of rows: r for an r×c matrix, n for a vector.
    var rows: Int {
        if case let .matrix(r, _) = self { return r }
        return count
    }
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

    /// Where entry k of vec Xᵀ comes from in vec X.
    private var source: [Int] {
        guard case let .matrix(r, c) = inputShape else { return Array(0..<inputShape.count) }
        var source = [Int](repeating: 0, count: r * c)
        for j in 0..<c { for i in 0..<r { source[j * r + i] = i * c + j } }
        return source
    }

    /// Xᵀ, in Double or Complex: the one definition.
    func forward<T: GraphScalar>(_ x: [T]) -> [T] { source.map { x[$0] } }

    public func value(at x: [Double]) throws -> [Double] { forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let n = x.count
        return (forward(x), .selection(source: source, scale: [Double](repeating: 1, count: n), columns: n))
    }
}

extension Transpose: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { forward(z) }
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

    /// tr X, in Double or Complex: the one definition.
    func forward<T: GraphScalar>(_ x: [T]) -> [T] {
        let n = inputShape.rows
        return [(0..<n).reduce(T.zero) { $0 + x[$1 * n + $1] }]
    }

    public func value(at x: [Double]) throws -> [Double] { forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let n = inputShape.rows
        return (forward(x), .dense(Matrix(unchecked: 1, n * n, Matrix.identity(n).elements)))
    }
}

extension Trace: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { forward(z) }
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

    /// X⁻¹, in Double or Complex: the one definition.
    func forward<T: GraphScalar>(_ x: [T]) throws -> [T] { try T.inverse(x, n: inputShape.rows) }

    public func value(at x: [Double]) throws -> [Double] { try forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let n = inputShape.rows
        let inv = Matrix(unchecked: n, n, try forward(x))
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

    /// det X, in Double or Complex: the one definition.
    func forward<T: GraphScalar>(_ x: [T]) throws -> [T] { [try T.determinant(x, n: inputShape.rows)] }

    public func value(at x: [Double]) throws -> [Double] { try forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let n = inputShape.rows
        let m = Matrix(unchecked: n, n, x)
        let d = try forward(x)[0]
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

    /// log det X over the LU pivots (finite where det X itself overflows, a 150×150 matrix), in Double or
    /// Complex: the one definition.
    func forward<T: GraphScalar>(_ x: [T]) throws -> [T] { [try T.logDeterminant(x, n: inputShape.rows)] }

    public func value(at x: [Double]) throws -> [Double] { try forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let n = inputShape.rows
        let y = try forward(x)
        let g = try Matrix(unchecked: n, n, x).inverse().transposed()
        return (y, .dense(Matrix(unchecked: 1, n * n, g.elements)))
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

    /// A·X·B, in Double or Complex: the one definition.
    func forward<T: GraphScalar>(_ x: [T]) -> [T] {
        let r = a.rows, c = b.rows
        let ax = T.product(a.elements.map { T(constant: $0) }, x, rows: r, inner: r, columns: c)
        return T.product(ax, b.elements.map { T(constant: $0) }, rows: r, inner: c, columns: c)
    }

    public func value(at x: [Double]) throws -> [Double] { forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        (forward(x), .kronecker(.matrix(a), .matrix(b.transposed())))
    }
}

extension MatrixProduct: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { forward(z) }
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

    /// A ⊙ X, in Double or Complex: the one definition.
    func forward<T: GraphScalar>(_ x: [T]) -> [T] { zip(a, x).map { T(constant: $0) * $1 } }

    public func value(at x: [Double]) throws -> [Double] { forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) { (forward(x), .diagonal(a)) }
}

extension Hadamard: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { forward(z) }
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

    /// s = X·b, one number per row of X.
    private func rowSums<T: GraphScalar>(_ x: [T]) -> [T] {
        let q = b.count
        return a.indices.map { i in (0..<q).reduce(T.zero) { $0 + x[i * q + $1] * T(constant: b[$1]) } }
    }

    /// aᵀ·s or aᵀ·exp(s) with s = X·b, in Double or Complex: the one definition.
    func forward<T: GraphScalar>(_ x: [T]) -> [T] {
        let s = rowSums(x)
        return [a.indices.reduce(T.zero) { f, i in f + T(constant: a[i]) * (exponential ? T.exp(s[i]) : s[i]) }]
    }

    public func value(at x: [Double]) throws -> [Double] { forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        // Row i of X contributes a_i·s_i, or a_i·exp(s_i); its gradient row is (that weight)·bᵀ.
        let s = rowSums(x), q = b.count
        var g = [Double](repeating: 0, count: x.count)
        for i in a.indices {
            let weight = exponential ? a[i] * Foundation.exp(s[i]) : a[i]
            for j in 0..<q { g[i * q + j] = weight * b[j] }
        }
        return (forward(x), .dense(Matrix(unchecked: 1, x.count, g)))
    }
}

extension Bilinear: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { forward(z) }
}

extension Inverse: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { try forward(z) }
}

extension Determinant: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { try forward(z) }
}

extension LogDeterminant: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { try forward(z) }
}
