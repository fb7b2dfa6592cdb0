import Foundation
import Testing
import JacobianKit

@Suite("Determinant edges and rnn labels")
struct DeterminantEdgeTests {
    @Test("logdet sums the logs of the LU pivots, so it is finite where det overflows")
    func logdetWithoutOverflow() throws {
        let n = 700
        var x = [Double](repeating: 0, count: n * n)
        for i in 0..<n { x[i * n + i] = 3 }
        #expect(try Matrix(rows: n, columns: n, elements: x).determinant() == .infinity)
        let map = try Catalog.build("logdet", shape: .matrix(rows: n, columns: n), options: MapOptions())
        let y = try map.evaluate(at: x).value[0]
        #expect(abs(y - Double(n) * log(3.0)) < 1e-9 * y)
    }

    @Test("logdet's complex step also sums pivot logs: a 30×30 matrix whose det overflows (1e300^30) checks")
    func complexStepLogdet() throws {
        let n = 30
        var rng = SplitMix64(seed: 4)
        var x = rng.uniform(count: n * n, -1, 1)
        for i in 0..<n { x[i * n + i] = 1e300 }
        let map = try Catalog.build("logdet", shape: .matrix(rows: n, columns: n), options: MapOptions())
        let report = try GradientCheck(method: .complexStep).run(map, at: x)
        #expect(report.passed && report.value[0].isFinite, "\(report.verdicts)")
    }

    @Test("the adjugate satisfies A·adj(A) = det(A)·I, and exists for singular A", arguments: [0, 1, 2] as [UInt64])
    func adjugateIdentity(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let a = randomMatrix(5, 5, &rng)
        let product = a.multiplied(by: try a.adjugate())
        #expect(close(product, Matrix.identity(5).scaled(by: try a.determinant()), tolerance: 1e-10))
        // Rank 2: the adjugate is the cofactor matrix transposed, e.g. adj [[1,2,3],[4,5,6],[7,8,9]].
        let singular = try Matrix(rows: 3, columns: 3, elements: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let cofactorsTransposed = try Matrix(rows: 3, columns: 3, elements: [-3, 6, -3, 6, -12, 6, -3, 6, -3])
        #expect(close(try singular.adjugate(), cofactorsTransposed, tolerance: 1e-12))
    }

    @Test("det of a singular matrix has its adjugate Jacobian, which matches finite differences")
    func singularDeterminant() throws {
        let map = try Catalog.build("det", shape: .matrix(rows: 3, columns: 3), options: MapOptions())
        let report = try GradientCheck().run(map, at: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(report.passed)
        #expect(abs(report.value[0]) < 1e-12)
    }

    @Test("rnn labels must be whole numbers in range, checked before conversion", arguments: [1e300, 1.7, -1, 3, .nan])
    func rnnLabels(bad: Double) throws {
        var options = MapOptions()
        options.parameters["y"] = [bad, 0, 0, 0, 0]
        #expect(throws: JacobianError.self) { try Catalog.build("rnn", shape: .vector(3), options: options) }
    }
}
