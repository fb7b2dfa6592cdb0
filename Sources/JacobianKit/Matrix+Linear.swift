import Dispatch

/// Linear algebra on row-major matrices; products go through `BLAS` (or a plain loop when tiny).
extension Matrix {
    /// The columns×rows transpose.
    public func transposed() -> Matrix {
        // 32×32 tiles keep both the reads and the strided writes in cache; every entry is written.
        let tile = 32
        let t = [Double](unsafeUninitializedCapacity: rows * columns) { b, count in
            elements.withUnsafeBufferPointer { a in
                for i0 in stride(from: 0, to: rows, by: tile) {
                    for j0 in stride(from: 0, to: columns, by: tile) {
                        for i in i0..<min(i0 + tile, rows) {
                            for j in j0..<min(j0 + tile, columns) { b[j * rows + i] = a[i * columns + j] }
                        }
                    }
                }
            }
            count = rows * columns
        }
        return Matrix(unchecked: columns, rows, t)
    }

    /// The product self·other: (m×k)·(k×n) → m×n. Shapes must agree.
    public func multiplied(by other: Matrix) -> Matrix {
        BLAS.gemm(self, other)
    }

    /// self·x for a vector x of `columns` numbers → `rows` numbers.
    public func multiplied(by x: [Double]) -> [Double] {
        BLAS.gemv(self, x)
    }

    /// xᵀ·self for a vector x of `rows` numbers → `columns` numbers.
    public func leftMultiplied(by x: [Double]) -> [Double] {
        BLAS.gemv(self, x, transpose: true)
    }

    /// Entrywise sum; shapes must agree.
    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "matrix sum of different shapes")
        var c = a
        for i in c.elements.indices { c.elements[i] += b.elements[i] }
        return c
    }

    /// Entrywise difference; shapes must agree.
    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "matrix difference of different shapes")
        var c = a
        for i in c.elements.indices { c.elements[i] -= b.elements[i] }
        return c
    }

    /// Every entry multiplied by s.
    public func scaled(by s: Double) -> Matrix {
        Matrix(unchecked: rows, columns, elements.map { $0 * s })
    }

    /// The rows×k matrix of the given columns, in that order.
    public func selectingColumns(_ columns: [Int]) -> Matrix {
        let k = columns.count, n = self.columns, rows = self.rows
        let out = [Double](unsafeUninitializedCapacity: rows * k) { o, count in
            elements.withUnsafeBufferPointer { e in
                columns.withUnsafeBufferPointer { cp in
                    let p = GatherPointers(source: e.baseAddress!, target: o.baseAddress!, columns: cp.baseAddress!)
                    // Rows are independent; large gathers use the workers BLAS uses (1 unless `useOwnThreads`).
                    let parts = rows * k >= 65_536 ? BLAS.workers : 1
                    let body: @Sendable (Int) -> Void = { part in
                        for i in (rows * part / parts)..<(rows * (part + 1) / parts) {
                            let row = p.source + i * n
                            for j in 0..<k { p.target[i * k + j] = row[p.columns[j]] }
                        }
                    }
                    if parts == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: body) }
                }
            }
            count = rows * k
        }
        return Matrix(unchecked: rows, k, out)
    }

    /// The trace Σᵢ Aᵢᵢ of a square matrix.
    public var trace: Double {
        (0..<min(rows, columns)).reduce(0) { $0 + self[$1, $1] }
    }
}

/// Vector helpers used throughout the library.
extension Array where Element == Double {
    /// Σ aᵢbᵢ.
    @inlinable
    public func dot(_ other: [Double]) -> Double {
        var s = 0.0
        for i in indices { s += self[i] * other[i] }
        return s
    }
}

/// The buffers of one column gather, shared by workers that fill disjoint rows.
private struct GatherPointers: @unchecked Sendable {
    let source: UnsafePointer<Double>
    let target: UnsafeMutablePointer<Double>
    let columns: UnsafePointer<Int>
}
