import ComplexModule
import RealModule

/// The LU factorization P·A = L·U of a row-major n×n complex matrix, with partial pivoting by magnitude:
/// the complex-step counterpart of LAPACK's dgetrf, enough for inverse, det and logdet.
struct ComplexLU {
    /// L (unit lower, below the diagonal) and U (on and above it), row-major n×n.
    private(set) var factors: [Complex<Double>]
    /// Row i of P·A is row `rows[i]` of A.
    private(set) var rows: [Int]
    /// The number of row swaps.
    private(set) var swaps = 0
    /// Whether a pivot was exactly zero.
    private(set) var singular = false
    /// The order n.
    let n: Int

    /// Factors the n×n matrix `a`.
    init(_ a: [Complex<Double>], n: Int) {
        self.n = n
        factors = a
        rows = Array(0..<n)
        for col in 0..<n {
            var best = col
            for r in (col + 1)..<max(n, col + 1) where factors[r * n + col].length > factors[best * n + col].length {
                best = r
            }
            if factors[best * n + col] == .zero {
                singular = true
                return
            }
            if best != col {
                for j in 0..<n { factors.swapAt(col * n + j, best * n + j) }
                rows.swapAt(col, best)
                swaps += 1
            }
            for r in (col + 1)..<max(n, col + 1) {
                let factor = factors[r * n + col] / factors[col * n + col]
                factors[r * n + col] = factor
                for j in (col + 1)..<max(n, col + 1) {
                    factors[r * n + j] = factors[r * n + j] - factor * factors[col * n + j]
                }
            }
        }
    }

    /// det A = ∏ Uᵢᵢ with the sign of the swaps (0 where A is singular).
    var determinant: Complex<Double> {
        if singular { return .zero }
        let d = (0..<n).reduce(Complex<Double>.one) { $0 * factors[$1 * n + $1] }
        return swaps % 2 == 0 ? d : -d
    }

    /// Σ log(sᵢ·Uᵢᵢ) over the pivots, sᵢ = sign(Re Uᵢᵢ): no overflow where det itself would, and each log taken
    /// near the positive real axis, so its imaginary part is the derivative's, free of ±π.
    func logDeterminant() throws -> Complex<Double> {
        guard !singular else { throw JacobianError.outsideDomain("logdet needs det X > 0, but det X = 0") }
        var sign = swaps % 2 == 0 ? 1.0 : -1.0
        var sum = Complex<Double>.zero
        for i in 0..<n {
            let u = factors[i * n + i]
            let s = u.real < 0 ? -1.0 : 1.0
            sign *= s
            sum = sum + .log(Complex(s * u.real, s * u.imaginary))
        }
        guard sign > 0 else { throw JacobianError.outsideDomain("logdet needs det X > 0, but det X < 0") }
        return sum
    }

    /// A⁻¹, solving L·U·x = P·e_c for each column c; a singular A is an error.
    func inverse() throws -> [Complex<Double>] {
        if singular { throw JacobianError.singular(pivot: 0) }
        var x = [Complex<Double>](repeating: .zero, count: n * n)
        for c in 0..<n {
            var y = (0..<n).map { rows[$0] == c ? Complex<Double>.one : .zero }
            for i in 0..<n { for k in 0..<i { y[i] = y[i] - factors[i * n + k] * y[k] } }
            for i in stride(from: n - 1, through: 0, by: -1) {
                for k in (i + 1)..<max(n, i + 1) { y[i] = y[i] - factors[i * n + k] * y[k] }
                y[i] = y[i] / factors[i * n + i]
            }
            for i in 0..<n { x[i * n + c] = y[i] }
        }
        return x
    }
}
