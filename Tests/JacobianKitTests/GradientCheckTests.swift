import Foundation
import JacobianKit
import Testing

/// tanh with a sign error in the derivative of coordinate `wrong` only: the checker must catch it.
struct BrokenTanh: VectorMap {
    let name = "broken-tanh"
    let inputShape: Shape
    var outputShape: Shape { inputShape }
    var formula: String { "diag(1 − tanh²x), with one sign flipped" }
    let wrong: Int

    func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let y = x.map { tanh($0) }
        var d = y.map { 1 - $0 * $0 }
        d[wrong] = -d[wrong]
        return (y, .diagonal(d))
    }
}

@Suite("Gradient check")
struct GradientCheckTests {
    @Test("a sign error fails the check and the report names that entry", arguments: Layout.allCases)
    func wrongDerivativeIsNamed(layout: Layout) throws {
        let map = BrokenTanh(inputShape: .vector(5), wrong: 3)
        let r = try GradientCheck(layout: layout).run(map, at: [0.1, -0.2, 0.3, 0.4, -0.5])
        #expect(!r.passed)
        #expect(r.mismatches == 1)
        let w = try #require(r.worst)
        #expect(w.output == 3 && w.input == 3)
        #expect(w.analytic < 0 && w.finiteDifference > 0)
        #expect(abs(w.finiteDifference - (1 - tanh(0.4) * tanh(0.4))) < 1e-9)
    }

    @Test("a pipeline with a wrong factor fails and blames that factor")
    func pipelineBlamesFactor() throws {
        let good = try Catalog.build("sigmoid", shape: .vector(4), options: MapOptions())
        let loss = try Catalog.build("mse", shape: .vector(4), options: MapOptions())
        let p = Pipeline([good, BrokenTanh(inputShape: .vector(4), wrong: 1), loss])
        let r = try GradientCheck().run(p, at: [0.3, -0.1, 0.7, 0.2])
        #expect(!r.passed)
        let blame = try #require(r.blame)
        #expect(blame.stage == 2 && blame.map == "broken-tanh")
        #expect(blame.worst.output == 1 && blame.worst.input == 1)
    }

    @Test("a matrix input reports the worst entry's (r, c)")
    func matrixIndex() throws {
        struct BrokenTrace: VectorMap {
            let name = "broken-trace"
            let inputShape = Shape.matrix(rows: 2, columns: 2)
            let outputShape = Shape.scalar
            let formula = "vec(I)ᵀ with entry (1,1) wrong"
            func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
                ([x[0] + x[3]], .dense(try Matrix(rows: 1, columns: 4, elements: [1, 0, 0, 2])))
            }
        }
        let r = try GradientCheck().run(BrokenTrace(), at: [1, 2, 3, 4])
        #expect(r.worst?.inputMatrixIndex == [1, 1])
    }

    @Test("the report states the step and counts evaluations")
    func reportsStepAndEvaluations() throws {
        let map = try Catalog.build("softmax", shape: .vector(6), options: MapOptions())
        let r = try GradientCheck(step: .fixed(1e-4)).run(map, at: [0, 1, 2, 3, 4, 5])
        #expect(r.evaluations == 12)
        #expect(abs(r.step.max - 1e-4) < 1e-12 && abs(r.step.min - 1e-4) < 1e-12)
        #expect(r.total == 36)
        #expect(r.passed)
    }

    @Test("a Jacobian too large to hold is refused with its size")
    func tooLarge() {
        #expect(throws: JacobianError.self) { try FiniteDifference.ensureFits(rows: 1 << 20, columns: 1 << 20) }
    }
}
