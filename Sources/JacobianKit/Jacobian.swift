/// One factor of a Kronecker product: an explicit identity (never materialized) or a dense matrix.
public enum KroneckerFactor: Equatable, Sendable {
    /// I_n.
    case identity(Int)
    /// A dense matrix.
    case matrix(Matrix)

    /// Rows of the factor.
    public var rows: Int {
        switch self { case let .identity(n): return n; case let .matrix(m): return m.rows }
    }
    /// Columns of the factor.
    public var columns: Int {
        switch self { case let .identity(n): return n; case let .matrix(m): return m.columns }
    }
    /// The factor as a dense matrix.
    public var dense: Matrix {
        switch self { case let .identity(n): return .identity(n); case let .matrix(m): return m }
    }
    /// The transposed factor.
    public var transposed: KroneckerFactor {
        switch self { case .identity: return self; case let .matrix(m): return .matrix(m.transposed()) }
    }
    /// Entry (i, j).
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        switch self {
        case .identity: return i == j ? 1 : 0
        case let .matrix(m): return m[i, j]
        }
    }
}

/// A Jacobian matrix that keeps its structure: it always *is* a full matrix, materialized on demand.
///
/// Cases describe the matrix in the orientation it is stored (numerator J for a map's own Jacobian; its
/// `transposed()` for denominator layout). Products keep structure where that is cheaper and give
/// exactly the dense product's values.
public indirect enum Jacobian: Equatable, Sendable {
    /// The rows×columns zero matrix.
    case zero(rows: Int, columns: Int)
    /// I_n.
    case identity(Int)
    /// diag(d), n×n.
    case diagonal([Double])
    /// diag(d) + u·vᵀ, n×n (softmax: d = p, u = −p, v = p; log-softmax: d = 1, u = −1, v = p).
    case diagonalPlusOuter(diagonal: [Double], u: [Double], v: [Double])
    /// A ⊗ B, (rA·rB)×(cA·cB); under row-major vec, vec(A·X·B) = (A ⊗ Bᵀ)·vec(X), and ∂(W·x)/∂W = I_m ⊗ xᵀ.
    case kronecker(KroneckerFactor, KroneckerFactor)
    /// A weighted selection: row i is scale[i]·e_{source[i]}ᵀ, or zero where source[i] < 0; no column is used twice
    /// (padding [1; x], slicing, the transpose permutation, diag·padding).
    case selection(source: [Int], scale: [Double], columns: Int)
    /// A dense matrix.
    case dense(Matrix)

    /// The padding x ↦ [c; x] (the notes' bias node): (n+1)×n, zero first row, then I_n.
    public static func prependingOne(_ n: Int) -> Jacobian {
        .selection(source: [-1] + Array(0..<n), scale: [0] + [Double](repeating: 1, count: n), columns: n)
    }

    /// Number of rows.
    public var rows: Int {
        switch self {
        case let .zero(r, _): return r
        case let .identity(n): return n
        case let .diagonal(d): return d.count
        case let .diagonalPlusOuter(d, _, _): return d.count
        case let .kronecker(a, b): return a.rows * b.rows
        case let .selection(source, _, _): return source.count
        case let .dense(m): return m.rows
        }
    }

    /// Number of columns.
    public var columns: Int {
        switch self {
        case let .zero(_, c): return c
        case let .identity(n): return n
        case let .diagonal(d): return d.count
        case let .diagonalPlusOuter(d, _, _): return d.count
        case let .kronecker(a, b): return a.columns * b.columns
        case let .selection(_, _, c): return c
        case let .dense(m): return m.columns
        }
    }

    /// The structure's name as the notes write it: "diag", "diag + u·vᵀ", "I⊗B", "dense", ….
    public var structureName: String {
        switch self {
        case .zero: return "zero"
        case .identity: return "identity"
        case .diagonal: return "diagonal"
        case .diagonalPlusOuter: return "diagonal + outer product"
        case let .kronecker(a, b):
            switch (a, b) {
            case (.identity, .identity): return "identity (I⊗I)"
            case (.identity, _): return "I⊗B (block diagonal)"
            case (_, .identity): return "A⊗I"
            default: return "Kronecker A⊗B"
            }
        case .selection: return "selection"
        case .dense: return "dense"
        }
    }

    /// The full matrix in the stored orientation.
    public var matrix: Matrix {
        let r = rows, c = columns
        var m = Matrix(rows: r, columns: c)
        switch self {
        case .zero: break
        case let .identity(n): for i in 0..<n { m.elements[i * n + i] = 1 }
        case let .diagonal(d): for i in d.indices { m.elements[i * c + i] = d[i] }
        case let .diagonalPlusOuter(d, u, v):
            m.elements.withUnsafeMutableBufferPointer { e in
                v.withUnsafeBufferPointer { v in
                    for i in 0..<r {
                        let ui = u[i]
                        for j in 0..<c { e[i * c + j] = ui * v[j] }
                        e[i * c + i] += d[i]
                    }
                }
            }
        case let .kronecker(a, b):
            for i in 0..<a.rows {
                for j in 0..<a.columns {
                    let aij = a[i, j]
                    if aij == 0 { continue }
                    for k in 0..<b.rows {
                        for l in 0..<b.columns {
                            m.elements[(i * b.rows + k) * c + j * b.columns + l] = aij * b[k, l]
                        }
                    }
                }
            }
        case let .selection(source, scale, _):
            for i in source.indices where source[i] >= 0 { m.elements[i * c + source[i]] = scale[i] }
        case let .dense(d): return d
        }
        return m
    }

    /// The matrix a map's (numerator) Jacobian is written as in `layout`: J itself, or Jᵀ.
    public func dense(in layout: Layout) -> Matrix {
        layout == .numerator ? matrix : transposed().matrix
    }

    /// The same Jacobian in `layout`: itself for numerator, the structured transpose for denominator.
    public func oriented(_ layout: Layout) -> Jacobian {
        layout == .numerator ? self : transposed()
    }

    /// The transpose, keeping structure (diag stays diag, A⊗B becomes Aᵀ⊗Bᵀ, …).
    public func transposed() -> Jacobian {
        switch self {
        case let .zero(r, c): return .zero(rows: c, columns: r)
        case .identity, .diagonal: return self
        case let .diagonalPlusOuter(d, u, v): return .diagonalPlusOuter(diagonal: d, u: v, v: u)
        case let .kronecker(a, b): return .kronecker(a.transposed, b.transposed)
        case let .selection(source, scale, columns):
            var newSource = [Int](repeating: -1, count: columns)
            var newScale = [Double](repeating: 0, count: columns)
            for i in source.indices where source[i] >= 0 {
                newSource[source[i]] = i
                newScale[source[i]] = scale[i]
            }
            return .selection(source: newSource, scale: newScale, columns: source.count)
        case let .dense(m): return .dense(m.transposed())
        }
    }
}
