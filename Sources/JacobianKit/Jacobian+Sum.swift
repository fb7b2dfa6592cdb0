/// Sums of Jacobians, where paths through a graph meet. Every sum gives exactly the dense sum's values.
extension Jacobian {
    /// self + other (same rows and columns), keeping structure where the sum has one.
    func adding(_ other: Jacobian) -> Jacobian {
        switch (self, other) {
        case (.zero, _): return other
        case (_, .zero): return self
        case let (.identity(n), .identity): return .diagonal([Double](repeating: 2, count: n))
        case let (.identity(n), .diagonal(d)), let (.diagonal(d), .identity(n)):
            return .diagonal((0..<n).map { d[$0] + 1 })
        case let (.diagonal(a), .diagonal(b)): return .diagonal(zip(a, b).map(+))
        case let (.diagonal(a), .diagonalPlusOuter(d, u, v)), let (.diagonalPlusOuter(d, u, v), .diagonal(a)):
            return .diagonalPlusOuter(diagonal: zip(a, d).map(+), u: u, v: v)
        case let (.kronecker(.identity(n), b1), .kronecker(.identity(m), b2))
            where n == m && b1.rows == b2.rows && b1.columns == b2.columns:
            // I⊗B₁ + I⊗B₂ = I⊗(B₁ + B₂).
            var sum = b1.dense
            for k in sum.elements.indices { sum.elements[k] += b2.dense.elements[k] }
            return .kronecker(.identity(n), .matrix(sum))
        default:
            var m = matrix
            let o = other.matrix
            for k in m.elements.indices { m.elements[k] += o.elements[k] }
            return .dense(m)
        }
    }
}
