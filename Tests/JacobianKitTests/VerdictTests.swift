import Foundation
import JacobianKit
import Testing

/// Verdicts from error bounds: each entry passes, fails or is inconclusive against a reference that carries its
/// own error, undecided entries escalate to the complex step or Richardson, and steps respect the domain.
@Suite("Verdicts")
struct VerdictTests {
    static func elementwise(_ f: Elementwise.Function, _ n: Int) -> Elementwise {
        Elementwise(f, name: "\(f)", shape: .vector(n))
    }

    @Test("sigmoid at 30: central differences cannot decide σ′ ≈ 1e-13, the complex step does, and it passes")
    func sigmoidAtThirty() throws {
        let map = Self.elementwise(.sigmoid, 3), x = [30.0, 31, 32]
        let report = try GradientCheck().run(map, at: x)
        #expect(report.verdict == .pass && report.verdicts == VerdictCounts(pass: 9, fail: 0, inconclusive: 0))
        let e = try #require(report.escalation)
        #expect(e.method == .complexStep && e.entries == 3 && e.decided == 3 && e.columns == 3, "\(e)")
        // Honestly: the reference on the diagonal is σ′(x) = e^−x/(1 + e^−x)² to rounding, not noise.
        for (k, v) in x.enumerated() {
            let exact = exp(-v) / ((1 + exp(-v)) * (1 + exp(-v)))
            #expect(abs(report.finiteDifferences[k, k] - exact) <= 1e-14 * exact)
        }
        // Forced to central differences, the same check is inconclusive: it neither passes nor fails.
        let central = try GradientCheck(escalates: false).run(map, at: x)
        #expect(central.verdict == .inconclusive && central.verdicts.inconclusive > 0 && !central.passed)
        // The old fixed absolute tolerance would have passed a σ′ that is 100% wrong; the verdict does not.
        let doubled = ClosureMap(name: "2σ′", input: .vector(1), output: .vector(1)) { x in
            let (y, d) = Elementwise.apply(.sigmoid, x[0])
            return ([y], try Matrix(rows: 1, columns: 1, elements: [2 * d]))
        }
        let wrong = try GradientCheck().run(doubled, at: [30])
        #expect(wrong.verdict != .pass)
    }

    @Test("a Jacobian wrong only in entries of size 1e-12 fails, and the report names them")
    func tinyEntriesJudged() throws {
        // f = [x0 + x1, 1e-12·sin(x0)·x1]: the second row's claimed derivative with respect to x0 is 30% off.
        let map = ClosureMap(name: "tiny", input: .vector(2), output: .vector(2)) { x in
            let value = [x[0] + x[1], 1e-12 * sin(x[0]) * x[1]]
            let j = [1, 1, 1.3e-12 * cos(x[0]) * x[1], 1e-12 * sin(x[0])]
            return (value, try Matrix(rows: 2, columns: 2, elements: j))
        }
        let x = [0.4, 0.7]
        let report = try GradientCheck().run(map, at: x)
        #expect(report.verdict == .fail && report.verdicts.fail == 1)
        let w = try #require(report.worst)
        #expect(w.output == 1 && w.input == 0 && w.verdict == .fail)
        #expect(report.text().contains("worst failing entry") && report.text().hasSuffix("FAIL"))
        // The legacy rule |Δ| ≤ 1e-6 + 1e-5·|fd| would pass it: the absolute part swamps the entry.
        let legacy = Tolerance.default
        #expect(legacy.accepts(w.analytic, w.finiteDifference))
        // With the right derivative the same map passes.
        let right = ClosureMap(name: "tiny", input: .vector(2), output: .vector(2)) { x in
            let value = [x[0] + x[1], 1e-12 * sin(x[0]) * x[1]]
            let j = [1, 1, 1e-12 * cos(x[0]) * x[1], 1e-12 * sin(x[0])]
            return (value, try Matrix(rows: 2, columns: 2, elements: j))
        }
        #expect(try GradientCheck().run(right, at: x).verdict == .pass)
    }

    @Test("log near 0 passes at 1e-3, 1e-6 and 1e-9, in both layouts, with steps inside the domain",
          arguments: [1e-3, 1e-6, 1e-9])
    func logNearZero(at v: Double) throws {
        for layout in [Layout.numerator, .denominator] {
            let report = try GradientCheck(layout: layout).run(Self.elementwise(.log, 2), at: [v, 2])
            #expect(report.verdict == .pass, "\(report.text())")
            #expect(report.step.values[0] < v, "h = \(report.step.values[0]) at x = \(v)")
        }
        let sqrtReport = try GradientCheck().run(Self.elementwise(.sqrt, 1), at: [v])
        #expect(sqrtReport.verdict == .pass, "\(sqrtReport.text())")
        let expression = try Expression("log(x1) + x1*x2").map()
        #expect(try GradientCheck().run(expression, at: [v, 3]).verdict == .pass)
    }

    @Test("where both sides of x ± h leave the domain's edge, a one-sided stencil is used and reported")
    func oneSidedAtTheEdge() throws {
        let map = try Expression("log(x - 1)").map()
        let report = try GradientCheck().run(map, at: [1 + 1e-9])
        #expect(report.verdict == .pass, "\(report.text())")
        #expect(report.stepAdjustments.first?.kind == .forward)
        // Forced central, the one-sided stencil still never evaluates the map outside its domain.
        #expect(throws: Never.self) { try GradientCheck(escalates: false).run(map, at: [1 + 1e-9]) }
    }

    @Test("a map whose only reference is Richardson escalates to it, and relu's dead units are decided")
    func richardsonEscalation() throws {
        // A closure cannot be evaluated on complex numbers, so its undecided entries go to Richardson.
        let map = ClosureMap(name: "σ", input: .vector(2), output: .vector(2)) { x in
            let a = Elementwise.apply(.sigmoid, x[0]), b = Elementwise.apply(.sigmoid, x[1])
            return ([a.0, b.0], try Matrix(rows: 2, columns: 2, elements: [a.1, 0, 0, b.1]))
        }
        let report = try GradientCheck().run(map, at: [12, 0.5])
        #expect(report.verdict == .pass, "\(report.text())")
        #expect(report.escalation?.method == .richardson)
        // relu then sigmoid: a unit with x < 0 has a whole zero row and column of J, judged at J's own scale.
        let chain = try Catalog.build("relu | sigmoid | sigmoid", shape: .vector(3), options: MapOptions())
        #expect(try GradientCheck().run(chain, at: [-0.8, 0.4, -0.1]).verdict == .pass)
    }

    @Test("a constant map's exactly zero Jacobian passes")
    func zeroJacobian() throws {
        let softmax = try Catalog.build("softmax", shape: .vector(1), options: MapOptions())
        #expect(try GradientCheck().run(softmax, at: [0.7]).verdict == .pass)
    }

    @Test("the report counts verdicts, and the worst entry is the worst failing one")
    func countsAndWorst() throws {
        // Two wrong entries: one off by 1e-3 absolute on an entry of 1, one off by 50% on an entry of 1e-6.
        let map = ClosureMap(name: "two", input: .vector(2), output: .vector(2)) { x in
            let value = [x[0] * x[1], 1e-6 * x[1] * x[1]]
            let j = [x[1] + 1e-3, x[0], 0, 1.5 * 2e-6 * x[1]]
            return (value, try Matrix(rows: 2, columns: 2, elements: j))
        }
        let report = try GradientCheck().run(map, at: [0.3, 0.9])
        #expect(report.verdicts.fail == 2 && report.verdicts.pass == 2 && report.mismatches == 2)
        #expect(report.failing.count == 2)
        // Measured in tolerances, the 50% error on the small entry is the worse one.
        #expect(report.worst?.output == 1 && report.worst?.input == 1)
        let grid = try #require(report.verdictGrid)
        #expect(grid.filter { $0 == .fail }.count == 2)
    }

    @Test("the step table skips the steps that leave the domain")
    func stepTableInsideDomain() throws {
        let study = try StepStudy.run(Self.elementwise(.log, 1), at: [1e-3], output: 0, input: 0)
        #expect(study.skipped == [0.1, 0.01, 0.001] && study.rows.count == 9)
        #expect(study.rows.allSatisfy { $0.h < 1e-3 })
    }
}
