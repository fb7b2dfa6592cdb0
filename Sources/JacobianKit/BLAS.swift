import CLinAlg
import Dispatch
import Foundation
import Synchronization

/// The only Swift file that calls CBLAS and LAPACKE. Every call states `CblasRowMajor`/`LAPACK_ROW_MAJOR`.
///
/// Products below `smallWork` multiply-adds use a plain loop: OpenBLAS costs about 80 ns a call,
/// ten times a 2×3·3×4 product done by hand (NOTES-BLAS §3).
public enum BLAS {
    /// Products with fewer multiply-adds than this skip BLAS.
    public static let smallWork = 512

    /// op(A)·op(B) for row-major A and B; op is transpose when the flag is set.
    public static func gemm(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kb, "gemm: inner dimensions \(k) and \(kb) differ")
        if m == 0 || n == 0 || k == 0 { return Matrix(rows: m, columns: n) }
        // With beta = 0 every entry of C is written, so C need not be zeroed first.
        let c = [Double](unsafeUninitializedCapacity: m * n) { cp, count in
            a.elements.withUnsafeBufferPointer { ap in
                b.elements.withUnsafeBufferPointer { bp in
                    gemm(m: m, n: n, k: k, ap.baseAddress!, lda: a.columns, transposeA: transposeA,
                         bp.baseAddress!, ldb: b.columns, transposeB: transposeB,
                         cp.baseAddress!, ldc: n, beta: 0)
                }
            }
            count = m * n
        }
        return Matrix(unchecked: m, n, c)
    }

    /// C ← alpha·op(A)·op(B) + beta·C in place (C must already have op(A)'s rows and op(B)'s columns).
    public static func gemm(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
                            into c: inout Matrix, alpha: Double, beta: Double) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition(k == (transposeB ? b.columns : b.rows) && c.rows == m && c.columns == n, "gemm: shapes disagree")
        if m == 0 || n == 0 { return }
        c.elements.withUnsafeMutableBufferPointer { cp in
            a.elements.withUnsafeBufferPointer { ap in
                b.elements.withUnsafeBufferPointer { bp in
                    gemm(m: m, n: n, k: k, ap.baseAddress!, lda: a.columns, transposeA: transposeA,
                         bp.baseAddress!, ldb: b.columns, transposeB: transposeB, cp.baseAddress!, ldc: n,
                         alpha: alpha, beta: beta)
                }
            }
        }
    }

    /// How many parts large products are split into, each a single-threaded BLAS call on its own core
    /// (1: OpenBLAS's own threads do the work). Set through `useOwnThreads`.
    public static var workers: Int { workerCount.load(ordering: .relaxed) }
    private static let workerCount = Atomic<Int>(1)

    /// Products of at least this many multiply-adds are split over `workers`.
    static let splitWork = 1 << 21

    /// Stops OpenBLAS's thread pool (its idle worker spins on a core) and splits each large product over `n`
    /// single-threaded BLAS calls on Dispatch's threads instead; the other work of a training step can then
    /// use the cores too. (Measured here: the split product is bitwise the unsplit one, since each entry's
    /// k-sum runs in the same kernel order; OpenBLAS does not promise it.)
    public static func useOwnThreads(_ n: Int) {
        stopWorkerThreads()
        workerCount.store(max(1, n), ordering: .relaxed)
    }

    /// C ← alpha·op(A)·op(B) + beta·C on raw row-major buffers (the hot-path form; no allocation), split over
    /// `workers` along the longer side of C when the product is large.
    public static func gemm(m: Int, n: Int, k: Int,
                            _ a: UnsafePointer<Double>, lda: Int, transposeA: Bool,
                            _ b: UnsafePointer<Double>, ldb: Int, transposeB: Bool,
                            _ c: UnsafeMutablePointer<Double>, ldc: Int, alpha: Double = 1, beta: Double) {
        let parts = workers
        guard parts > 1, m * n * k >= splitWork else {
            gemmSerial(m: m, n: n, k: k, a, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB,
                       c, ldc: ldc, alpha: alpha, beta: beta)
            return
        }
        let pointers = Pointers(a: a, b: b, c: c)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            if m >= n {
                // Rows of C: rows of op(A).
                let start = m * part / parts, end = m * (part + 1) / parts
                let aStart = transposeA ? pointers.a + start : pointers.a + start * lda
                gemmSerial(m: end - start, n: n, k: k, aStart, lda: lda, transposeA: transposeA, pointers.b, ldb: ldb,
                           transposeB: transposeB, pointers.c + start * ldc, ldc: ldc, alpha: alpha, beta: beta)
            } else {
                // Columns of C: columns of op(B).
                let start = n * part / parts, end = n * (part + 1) / parts
                let bStart = transposeB ? pointers.b + start * ldb : pointers.b + start
                gemmSerial(m: m, n: end - start, k: k, pointers.a, lda: lda, transposeA: transposeA, bStart, ldb: ldb,
                           transposeB: transposeB, pointers.c + start, ldc: ldc, alpha: alpha, beta: beta)
            }
        }
    }

    /// Operands shared by the workers of one split product (each writes its own part of C).
    private struct Pointers: @unchecked Sendable {
        let a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>
    }

    /// One BLAS call (or a plain loop when tiny).
    static func gemmSerial(m: Int, n: Int, k: Int,
                           _ a: UnsafePointer<Double>, lda: Int, transposeA: Bool,
                           _ b: UnsafePointer<Double>, ldb: Int, transposeB: Bool,
                           _ c: UnsafeMutablePointer<Double>, ldc: Int, alpha: Double, beta: Double) {
        if m * n * k < smallWork {
            for i in 0..<m {
                for j in 0..<n {
                    var s = 0.0
                    for p in 0..<k {
                        let x = transposeA ? a[p * lda + i] : a[i * lda + p]
                        let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                        s += x * y
                    }
                    c[i * ldc + j] = beta == 0 ? alpha * s : beta * c[i * ldc + j] + alpha * s
                }
            }
            return
        }
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// C = A·B for tiny row-major A (m×k) and B (k×n), as a plain loop with no transposes, no beta and no
    /// allocation: inlined at a call site with constant sizes, the compiler unrolls it. For products of a few
    /// dozen multiply-adds, where a BLAS call's fixed cost would dominate.
    @inline(__always)
    public static func smallProduct(m: Int, n: Int, k: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                                    _ c: UnsafeMutablePointer<Double>) {
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += a[i * k + p] * b[p * n + j] }
                c[i * n + j] = s
            }
        }
    }

    /// A·x (or Aᵀ·x when `transpose`) for a row-major A.
    public static func gemv(_ a: Matrix, _ x: [Double], transpose: Bool = false) -> [Double] {
        let outCount = transpose ? a.columns : a.rows
        let inCount = transpose ? a.rows : a.columns
        precondition(x.count == inCount, "gemv: vector has \(x.count) entries, matrix needs \(inCount)")
        var y = [Double](repeating: 0, count: outCount)
        if a.rows == 0 || a.columns == 0 { return y }
        if a.rows * a.columns < smallWork {
            for i in 0..<a.rows {
                for j in 0..<a.columns {
                    if transpose { y[j] += a.elements[i * a.columns + j] * x[i] }
                    else { y[i] += a.elements[i * a.columns + j] * x[j] }
                }
            }
            return y
        }
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(a.rows), Int32(a.columns),
                    1.0, a.elements, Int32(a.columns), x, 1, 0.0, &y, 1)
        return y
    }

    /// LU factorization (LAPACKE_dgetrf, row-major) of a square matrix: the packed LU and the pivots.
    static func luFactor(_ a: Matrix) throws -> (lu: [Double], pivots: [Int32]) {
        try requireFinite(a)
        guard a.rows == a.columns else { throw JacobianError.notSquare(rows: a.rows, columns: a.columns) }
        let n = a.rows
        var lu = a.elements
        var pivots = [Int32](repeating: 0, count: max(n, 1))
        if n == 0 { return (lu, pivots) }
        let info = LAPACKE_dgetrf(LAPACK_ROW_MAJOR, Int32(n), Int32(n), &lu, Int32(n), &pivots)
        if info < 0 { throw JacobianError.lapack(routine: "dgetrf", info: Int(info)) }
        if info > 0 { throw JacobianError.singular(pivot: Int(info)) }
        // Subnormal or huge entries can overflow inside the factorization; LAPACKE would then reject the factors
        // in the next call as if it were our bug.
        guard lu.allSatisfy(\.isFinite) else {
            throw JacobianError.nonFinite(
                "Factoring this \(n)×\(n) matrix overflows Double (its LU factors hold inf or NaN), so it cannot be "
                + "inverted reliably; choose a point whose entries are neither tiny nor huge.")
        }
        return (lu, pivots)
    }

    /// The inverse of a square matrix through LAPACKE_dgetrf + dgetri (row-major); singular → error.
    static func inverse(_ a: Matrix) throws -> Matrix {
        var (lu, pivots) = try luFactor(a)
        let n = a.rows
        if n == 0 { return a }
        let info = LAPACKE_dgetri(LAPACK_ROW_MAJOR, Int32(n), &lu, Int32(n), pivots)
        if info < 0 { throw JacobianError.lapack(routine: "dgetri", info: Int(info)) }
        if info > 0 { throw JacobianError.singular(pivot: Int(info)) }
        return Matrix(unchecked: n, n, lu)
    }

    /// The determinant from the LU factorization: ∏ Uᵢᵢ with the sign of the row swaps.
    static func determinant(_ a: Matrix) throws -> Double {
        try requireFinite(a)
        guard a.rows == a.columns else { throw JacobianError.notSquare(rows: a.rows, columns: a.columns) }
        let n = a.rows
        if n == 0 { return 1 }
        var lu = a.elements
        var pivots = [Int32](repeating: 0, count: n)
        let info = LAPACKE_dgetrf(LAPACK_ROW_MAJOR, Int32(n), Int32(n), &lu, Int32(n), &pivots)
        if info < 0 { throw JacobianError.lapack(routine: "dgetrf", info: Int(info)) }
        if info > 0 { return 0 }
        var det = 1.0
        for i in 0..<n {
            det *= lu[i * n + i]
            if pivots[i] != Int32(i + 1) { det = -det }
        }
        return det
    }

    /// log|det A| and the sign of det A from the LU factorization: Σ log|Uᵢᵢ|, so it does not overflow where
    /// det A itself would; sign 0 (and log −∞) when LU finds an exactly zero pivot.
    static func logAbsDeterminant(_ a: Matrix) throws -> (sign: Double, log: Double) {
        try requireFinite(a)
        guard a.rows == a.columns else { throw JacobianError.notSquare(rows: a.rows, columns: a.columns) }
        let n = a.rows
        if n == 0 { return (1, 0) }
        var lu = a.elements
        var pivots = [Int32](repeating: 0, count: n)
        let info = LAPACKE_dgetrf(LAPACK_ROW_MAJOR, Int32(n), Int32(n), &lu, Int32(n), &pivots)
        if info < 0 { throw JacobianError.lapack(routine: "dgetrf", info: Int(info)) }
        if info > 0 { return (0, -.infinity) }
        var sign = 1.0, sum = 0.0
        for i in 0..<n {
            let u = lu[i * n + i]
            sum += Foundation.log(abs(u))
            if (u < 0) != (pivots[i] != Int32(i + 1)) { sign = -sign }
        }
        return (sign, sum)
    }

    /// The full singular value decomposition A = U·diag(s)·Vᵀ of an m×n matrix (LAPACKE dgesdd, jobz "A",
    /// row-major): U m×m, s descending, Vᵀ n×n.
    static func svd(_ a: Matrix) throws -> (u: Matrix, s: [Double], vt: Matrix) {
        try requireFinite(a)
        let m = a.rows, n = a.columns
        var copy = a.elements
        var s = [Double](repeating: 0, count: max(min(m, n), 1))
        var u = [Double](repeating: 0, count: max(m * m, 1)), vt = [Double](repeating: 0, count: max(n * n, 1))
        if m > 0 && n > 0 {
            let info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "A")), Int32(m), Int32(n), &copy, Int32(n),
                                      &s, &u, Int32(m), &vt, Int32(n))
            if info < 0 { throw JacobianError.lapack(routine: "dgesdd", info: Int(info)) }
            if info > 0 { throw JacobianError.invalidArgument("dgesdd did not converge (\(info) superdiagonals).") }
        }
        return (Matrix(unchecked: m, m, Array(u.prefix(m * m))), Array(s.prefix(min(m, n))),
                Matrix(unchecked: n, n, Array(vt.prefix(n * n))))
    }

    /// Throws `JacobianError.nonFinite` when `a` holds inf or NaN (a stage before overflowed): LAPACKE rejects
    /// such input with an argument error that would otherwise read as a bug.
    static func requireFinite(_ a: Matrix) throws {
        guard a.elements.allSatisfy(\.isFinite) else {
            throw JacobianError.nonFinite(
                "A \(a.rows)×\(a.columns) matrix holds inf or NaN (a value overflowed before it), so it cannot be "
                + "factored; choose a point where every stage stays finite.")
        }
    }

    /// Solves A·X = B (A n×n, B n×k) through LAPACKE_dgesv (row-major); singular → error.
    static func solve(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        try requireFinite(a)
        try requireFinite(b)
        guard a.rows == a.columns else { throw JacobianError.notSquare(rows: a.rows, columns: a.columns) }
        guard b.rows == a.rows else {
            throw JacobianError.shapeMismatch("solve needs B with \(a.rows) rows, got \(b.rows)")
        }
        let n = a.rows
        if n == 0 || b.columns == 0 { return b }
        var lu = a.elements
        var x = b.elements
        var pivots = [Int32](repeating: 0, count: n)
        let info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, Int32(n), Int32(b.columns), &lu, Int32(n), &pivots,
                                 &x, Int32(b.columns))
        if info < 0 { throw JacobianError.lapack(routine: "dgesv", info: Int(info)) }
        if info > 0 { throw JacobianError.singular(pivot: Int(info)) }
        return Matrix(unchecked: n, b.columns, x)
    }

    /// The singular values of A (largest first), through LAPACKE_dgesdd (row-major, no vectors).
    static func singularValues(_ a: Matrix) throws -> [Double] {
        try requireFinite(a)
        let m = a.rows, n = a.columns
        if m == 0 || n == 0 { return [] }
        var copy = a.elements
        var s = [Double](repeating: 0, count: min(m, n))
        // U and Vᵀ are not computed with jobz "N", but the row-major wrapper still checks ldu ≥ m and ldvt ≥ n.
        var u = [Double](repeating: 0, count: m * m), vt = [Double](repeating: 0, count: n * n)
        let info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "N")), Int32(m), Int32(n), &copy, Int32(n), &s,
                                  &u, Int32(m), &vt, Int32(n))
        if info < 0 { throw JacobianError.lapack(routine: "dgesdd", info: Int(info)) }
        if info > 0 { throw JacobianError.invalidArgument("dgesdd did not converge (\(info) superdiagonals).") }
        return s
    }

    /// Sets the number of OpenBLAS threads (for reproducible timings).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }

    /// Uses one BLAS thread and stops OpenBLAS's idle workers, which otherwise spin (sched_yield) for about
    /// 0.1 s after start-up and take a core from work that is not BLAS (finite differences, elementwise maps).
    public static func stopWorkerThreads() {
        openblas_set_num_threads(1)
        _ = blas_thread_shutdown_()
    }
}
