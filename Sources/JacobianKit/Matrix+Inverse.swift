/// Inverse, determinant, solve and singular values through LAPACKE; a singular matrix is a thrown
/// `JacobianError.singular`.
extension Matrix {
    /// A⁻¹ for a square, non-singular A (LU with partial pivoting).
    public func inverse() throws -> Matrix { try BLAS.inverse(self) }

    /// det A for a square A (0 when LU finds an exactly zero pivot).
    public func determinant() throws -> Double { try BLAS.determinant(self) }

    /// X with A·X = B, for a square non-singular A (self) and B with as many rows.
    public func solve(_ b: Matrix) throws -> Matrix { try BLAS.solve(self, b) }

    /// The singular values σ₁ ≥ σ₂ ≥ … (LAPACKE dgesdd).
    public func singularValues() throws -> [Double] { try BLAS.singularValues(self) }
}
