import JacobianKit
import Testing

@Suite("Matrix")
struct MatrixTests {
    @Test("elements are row-major: (i, j) is elements[i*columns + j]")
    func rowMajorIndexing() throws {
        let m = try Matrix(rows: 2, columns: 3, elements: [14, 32, 66, 72, 86, 97])
        #expect(m[0, 2] == 66)
        #expect(m[1, 0] == 72)
        #expect(m.row(1) == [72, 86, 97])
        #expect(m.transposed().elements == [14, 72, 32, 86, 66, 97])
    }

    @Test("a copy is independent of the original")
    func copyOnWrite() throws {
        let a = try Matrix(rows: 2, columns: 2, elements: [1, 2, 3, 4])
        var b = a
        b[0, 0] = 100
        #expect(a[0, 0] == 1)
        #expect(b[0, 0] == 100)
    }

    @Test("a wrong element count is an error, not a trap")
    func checkedInit() {
        #expect(throws: JacobianError.self) { try Matrix(rows: 2, columns: 3, elements: [1, 2, 3]) }
    }

    @Test("gemm equals the naive triple loop, small and large, with transposes", arguments: [
        (2, 3, 4), (1, 7, 1), (5, 7, 4), (30, 40, 20), (100, 78, 31),
    ])
    func gemmMatchesNaive(m: Int, k: Int, n: Int) {
        var rng = SplitMix64(seed: UInt64(m * 1000 + k * 10 + n))
        let a = randomMatrix(m, k, &rng), b = randomMatrix(k, n, &rng)
        let reference = naiveProduct(a, b)
        #expect(close(a.multiplied(by: b), reference))
        #expect(close(BLAS.gemm(a.transposed(), b, transposeA: true), reference))
        #expect(close(BLAS.gemm(a, b.transposed(), transposeB: true), reference))
        let x = rng.uniform(count: k, -1, 1)
        #expect(close(a.multiplied(by: x), naiveProduct(a, try! Matrix(rows: k, columns: 1, elements: x)).elements))
        let y = rng.uniform(count: m, -1, 1)
        #expect(close(a.leftMultiplied(by: y), naiveProduct(try! Matrix(rows: 1, columns: m, elements: y), a).elements))
    }

    @Test("A·A⁻¹ = I through LAPACKE", arguments: [1, 2, 3, 8, 40])
    func inverseTimesMatrixIsIdentity(n: Int) throws {
        var rng = SplitMix64(seed: UInt64(n))
        let a = randomMatrix(n, n, &rng) + Matrix.identity(n).scaled(by: 2)
        let inv = try a.inverse()
        #expect(close(a.multiplied(by: inv), .identity(n), tolerance: 1e-12))
        #expect(close(inv.multiplied(by: a), .identity(n), tolerance: 1e-12))
    }

    @Test("det is the product of LU pivots with the swap sign; det(AB) = det A · det B")
    func determinant() throws {
        let a = try Matrix([[0, 1], [1, 0]])
        #expect(try a.determinant() == -1)
        let b = try Matrix([[2, 0, 1], [1, 3, 2], [1, 1, 1]])
        // Cofactor expansion: 2(3−2) − 0 + 1(1−3) = 0.
        #expect(abs(try b.determinant()) < 1e-15)
        var rng = SplitMix64(seed: 9)
        let p = randomMatrix(5, 5, &rng), q = randomMatrix(5, 5, &rng)
        let lhs = try p.multiplied(by: q).determinant(), rhs = try p.determinant() * q.determinant()
        #expect(abs(lhs - rhs) <= 1e-12 * max(1, abs(rhs)))
    }

    @Test("solve gives A·X = B")
    func solve() throws {
        var rng = SplitMix64(seed: 5)
        let a = randomMatrix(6, 6, &rng) + Matrix.identity(6).scaled(by: 3), b = randomMatrix(6, 2, &rng)
        #expect(close(a.multiplied(by: try a.solve(b)), b, tolerance: 1e-12))
    }

    @Test("a singular or non-square matrix is a typed error")
    func singularIsAnError() throws {
        let s = try Matrix([[1, 2], [2, 4]])
        #expect(throws: JacobianError.singular(pivot: 2)) { try s.inverse() }
        #expect(throws: JacobianError.self) { try s.solve(.identity(2)) }
        let r = try Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        #expect(throws: JacobianError.notSquare(rows: 2, columns: 3)) { try r.inverse() }
        #expect(throws: JacobianError.notSquare(rows: 2, columns: 3)) { try r.determinant() }
    }

    @Test("a view's fillRow writes row i of the view, stored or transposed", arguments: [false, true])
    func viewRows(transposed: Bool) throws {
        let m = try Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        let view = MatrixView(m, transposed: transposed)
        var row = [Double](repeating: .nan, count: view.columns)
        for i in 0..<view.rows {
            row.withUnsafeMutableBufferPointer { view.fillRow(i, into: $0) }
            #expect(row == (0..<view.columns).map { view[i, $0] })
        }
    }
}
