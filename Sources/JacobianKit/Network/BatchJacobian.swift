/// The Jacobians of one map at every sample of a mini-batch of B samples, sharing one structure.
///
/// The chain rule over a batch pulls B cotangents back at once. In numerator layout they are the rows of
/// a B×m matrix G (row b is the row vector v_bᵀ), and the pull-back is G·J_b row by row; in denominator
/// layout they are the columns of an m×B matrix Gᵀ and the pull-back is J_bᵀ·Gᵀ column by column. Either
/// way the structured per-sample products become one BLAS call or one elementwise pass.
public enum BatchJacobian: Sendable {
    /// The same dense J (m×n) for every sample: the linear layer's ∂z/∂a = W.
    case shared(Matrix)
    /// diag(d_b) for sample b; row b of the B×n matrix is d_b (an elementwise activation's σ′).
    case diagonal(Matrix)
    /// I_m ⊗ a_bᵀ for sample b, m×(m·n): ∂(W·a)/∂W under row-major vec W; row b of the B×n matrix is a_b.
    case identityKronecker(m: Int, inputs: Matrix)
    /// I_m ⊗ a_bᵀ where a_b is zero outside `columns` (of `width`): `inputs` holds only those columns (B×k),
    /// so the Jacobian's other columns — exactly zero for the whole batch — are never multiplied.
    case selectedIdentityKronecker(m: Int, inputs: Matrix, columns: [Int], width: Int)

    /// The per-sample Jacobian of sample b, numerator layout (for checking against the single-sample library).
    public func sample(_ b: Int) -> Jacobian {
        switch self {
        case let .shared(w): return .dense(w)
        case let .diagonal(d): return .diagonal(d.row(b))
        case let .identityKronecker(m, a):
            return .kronecker(.identity(m), .matrix(Matrix(unchecked: 1, a.columns, a.row(b))))
        case let .selectedIdentityKronecker(m, a, columns, width):
            var row = [Double](repeating: 0, count: width)
            for (k, c) in columns.enumerated() { row[c] = a[b, k] }
            return .kronecker(.identity(m), .matrix(Matrix(unchecked: 1, width, row)))
        }
    }

    /// Pulls the batch's cotangents back through a `.shared` or `.diagonal` Jacobian:
    /// numerator: G (B×m) ↦ G·J_b per row (B×n); denominator: Gᵀ (m×B) ↦ J_bᵀ·Gᵀ per column (n×B).
    public func pullback(_ g: Matrix, layout: Layout) -> Matrix {
        switch (self, layout) {
        case let (.shared(w), .numerator): return BLAS.gemm(g, w)
        case let (.shared(w), .denominator): return BLAS.gemm(w, g, transposeA: true)
        case let (.diagonal(d), .numerator): return Self.hadamard(g, d, transposed: false)
        case let (.diagonal(d), .denominator): return Self.hadamard(g, d, transposed: true)
        case (.identityKronecker, _), (.selectedIdentityKronecker, _):
            preconditionFailure("a Kronecker Jacobian of the weights ends the chain; use summedPullback")
        }
    }

    /// Σ_b v_bᵀ·(I_m ⊗ a_bᵀ) reshaped row-major to m×n — the batch's gradient for a weight matrix, the same shape
    /// in both layouts: Gᵀ·A from the rows of G (numerator) or Gᵀ·A from the columns of Gᵀ (denominator).
    public func summedPullback(_ g: Matrix, layout: Layout) -> Matrix {
        let (m, width) = weightShape
        var c = Matrix(rows: m, columns: width)
        summedPullback(g, layout: layout, into: &c, alpha: 1, beta: 0)
        return c
    }

    /// `summedPullback` accumulated in place: C ← alpha·Σ_b v_bᵀ(I ⊗ a_bᵀ) + beta·C (C m×n), in one GEMM.
    /// A momentum step v ← μv − α∇ is this with alpha = −α, beta = μ.
    public func summedPullback(_ g: Matrix, layout: Layout, into c: inout Matrix, alpha: Double, beta: Double) {
        switch self {
        case let .identityKronecker(_, a):
            BLAS.gemm(g, a, transposeA: layout == .numerator, into: &c, alpha: alpha, beta: beta)
        case let .selectedIdentityKronecker(_, a, columns, width):
            // The selected columns through one GEMM, scattered back; the others only scale by beta.
            let part = BLAS.gemm(g, a, transposeA: layout == .numerator)
            let k = columns.count
            c.elements.withUnsafeMutableBufferPointer { cp in
                part.elements.withUnsafeBufferPointer { pp in
                    for i in 0..<c.rows {
                        let row = cp.baseAddress! + i * width
                        if beta == 0 {
                            for j in 0..<width { row[j] = 0 }
                        } else if beta != 1 {
                            for j in 0..<width { row[j] *= beta }
                        }
                        for (j, col) in columns.enumerated() { row[col] += alpha * pp[i * k + j] }
                    }
                }
            }
        default:
            preconditionFailure("summedPullback is for the weights' Kronecker Jacobian")
        }
    }

    /// Σ_b v_bᵀ·(I ⊗ a_bᵀ) with only the columns the structure can make nonzero: an m×k matrix and, for the
    /// selected form, which of the weight matrix's columns they are (nil: all of them, k = n).
    public func compactSummedPullback(_ g: Matrix, layout: Layout) -> (gradient: Matrix, columns: [Int]?) {
        switch self {
        case let .identityKronecker(_, a): return (BLAS.gemm(g, a, transposeA: layout == .numerator), nil)
        case let .selectedIdentityKronecker(_, a, columns, _):
            return (BLAS.gemm(g, a, transposeA: layout == .numerator), columns)
        default: preconditionFailure("summedPullback is for the weights' Kronecker Jacobian")
        }
    }

    /// (m, n) of the weight matrix a Kronecker Jacobian differentiates.
    public var weightShape: (Int, Int) {
        switch self {
        case let .identityKronecker(m, a): return (m, a.columns)
        case let .selectedIdentityKronecker(m, _, _, width): return (m, width)
        case let .shared(w): return (w.rows, w.columns)
        case let .diagonal(d): return (d.columns, d.columns)
        }
    }

    /// g ⊙ d (numerator: both B×n) or g ⊙ dᵀ (denominator: g is n×B).
    static func hadamard(_ g: Matrix, _ d: Matrix, transposed: Bool) -> Matrix {
        var out = g
        out.elements.withUnsafeMutableBufferPointer { o in
            d.elements.withUnsafeBufferPointer { dp in
                if !transposed {
                    for k in 0..<o.count { o[k] *= dp[k] }
                } else {
                    let rows = g.rows, columns = g.columns  // rows = n, columns = B
                    for i in 0..<rows { for b in 0..<columns { o[i * columns + b] *= dp[b * rows + i] } }
                }
            }
        }
        return out
    }

    /// Multiplications of the structured batch pull-back against forming each sample's dense Jacobian and
    /// multiplying by it (for a cotangent of width `width` per sample over `batch` samples).
    public func multiplications(batch: Int, width: Int) -> (structured: Int, dense: Int) {
        switch self {
        case let .shared(w): return (batch * w.rows * w.columns, batch * w.rows * w.columns)
        case let .diagonal(d): return (batch * d.columns, batch * d.columns * d.columns)
        case let .identityKronecker(m, a): return (batch * m * a.columns, batch * m * m * a.columns)
        case let .selectedIdentityKronecker(m, a, _, width): return (batch * m * a.columns, batch * m * m * width)
        }
    }
}
