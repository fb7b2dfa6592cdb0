/// log|det| and the adjugate: the determinant's pieces that exist where det overflows or X is singular.
extension Matrix {
    /// (sign of det A, log|det A|) for a square A from the LU pivots: finite where det A overflows; (0, −∞) when
    /// A is singular.
    public func logAbsDeterminant() throws -> (sign: Double, log: Double) { try BLAS.logAbsDeterminant(self) }

    /// adj(A), n×n, for any square A, singular or not: adj(A) = det(A)·A⁻¹ when A is invertible. Computed from
    /// the SVD A = U·Σ·Vᵀ as det(U)·det(V)·V·diag(∏_{j≠i} σ_j)·Uᵀ, which needs no division by a singular value.
    public func adjugate() throws -> Matrix {
        guard rows == columns else { throw JacobianError.notSquare(rows: rows, columns: columns) }
        let n = rows
        if n == 0 { return self }
        let (u, s, vt) = try BLAS.svd(self)
        // c_i = ∏_{j≠i} σ_j from prefix and suffix products.
        var prefix = [Double](repeating: 1, count: n + 1), suffix = [Double](repeating: 1, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] * s[i] }
        for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] * s[i] }
        let sign = try u.determinant() * vt.determinant()  // ±1 each: U and V are orthogonal
        // V·diag(c)·Uᵀ: row i of V is column i of Vᵀ.
        var v = vt.transposed()
        for i in 0..<n {
            for k in 0..<n { v[i, k] *= prefix[k] * suffix[k + 1] * (sign < 0 ? -1 : 1) }
        }
        return v.multiplied(by: u.transposed())
    }
}
