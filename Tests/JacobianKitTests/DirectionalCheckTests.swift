import Foundation
import JacobianKit
import Testing

/// One planted mistake: the analytic J·u gets δ·u_j added at output i.
struct PlantedEntry: Sendable {
    let output: Int
    let input: Int
    let delta: Double
}

/// A correct map whose Jacobian–vector product is wrong at the planted entries: J·u + Σ δ·u_j·e_i. Its value is the
/// base map's, so finite differences see the true J.
struct PlantedMap: VectorMap {
    let base: any VectorMap
    let planted: [PlantedEntry]
    var name: String { "planted-\(base.name)" }
    var inputShape: Shape { base.inputShape }
    var outputShape: Shape { base.outputShape }
    var formula: String { base.formula + ", with planted errors" }
    var hasKinks: Bool { base.hasKinks }
    func inputCoordinateName(_ k: Int) -> String { base.inputCoordinateName(k) }
    func outputCoordinateName(_ k: Int) -> String { base.outputCoordinateName(k) }
    func value(at x: [Double]) throws -> [Double] { try base.value(at: x) }
    func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) { try base.evaluate(at: x) }

    func jacobianVectorProduct(at x: [Double], _ u: [Double]) throws -> [Double] {
        var ju = try base.jacobianVectorProduct(at: x, u)
        for p in planted { ju[p.output] += p.delta * u[p.input] }
        return ju
    }

    /// `base` with J[i][j] made `factor` times its true value at each (i, j).
    static func scaling(_ base: any VectorMap, at x: [Double], _ entries: [(Int, Int)], factor: Double = 55) throws
        -> PlantedMap
    {
        let planted = try entries.map { i, j -> PlantedEntry in
            var e = [Double](repeating: 0, count: x.count)
            e[j] = 1
            let truth = try base.jacobianVectorProduct(at: x, e)[i]
            return PlantedEntry(output: i, input: j, delta: (factor - 1) * truth)
        }
        return PlantedMap(base: base, planted: planted)
    }
}

/// A sample point of `map` from `seed`.
func point(of map: any VectorMap, seed: UInt64) -> [Double] {
    var rng = SplitMix64(seed: seed)
    return map.samplePoint(using: &rng)
}

/// The rtol of the defaults with no absolute term (atol's default is going to 0).
let relativeOnly = Tolerance(absolute: 0, relative: Tolerance.default.relative)

@Suite("Directional check")
struct DirectionalCheckTests {
    @Test("correct maps pass with and without atol: softmax, a pipeline, an expression, inverse, relu's kinks",
          arguments: ["softmax", "sigmoid | softmax", "log-softmax", "inverse", "relu", "softmax(W*x + b)"])
    func correctMapsPass(name: String) throws {
        let map: any VectorMap
        switch name {
        case "inverse": map = try Catalog.build(name, shape: .matrix(rows: 6, columns: 6), options: MapOptions())
        case "softmax(W*x + b)":
            map = try Expression(name).map(ExpressionBindings(shapes: ["W": .matrix(rows: 30, columns: 40)],
                                                              wrt: ["W", "x"]))
        case "relu": map = try Catalog.build(name, shape: .vector(100_000), options: MapOptions())
        default: map = try Catalog.build(name, shape: .vector(10_000), options: MapOptions())
        }
        for seed in testSeeds {
            let x = point(of: map, seed: seed)
            for tolerance in [Tolerance.default, relativeOnly] {
                let r = try DirectionalCheck(count: 4, seed: seed, tolerance: tolerance).run(map, at: x)
                let failing = r.probes.enumerated().filter { !$0.element.passed }.map(\.offset)
                #expect(r.passed, "\(name) seed \(seed) atol \(tolerance.absolute): failing probes \(failing)")
                #expect(r.located.isEmpty)
                #expect(r.probes.count == 4 + r.schedule.sparse + r.schedule.rounds * r.schedule.inputGroups)
            }
        }
    }

    @Test("one entry 55× too large at n = 10 000 is caught and located to exactly its row and column",
          arguments: [("softmax", 4242, 4242), ("softmax", 17, 9001), ("tanh", 555, 555),
                      ("sigmoid | softmax", 3, 9999)])
    func singleWrongEntryIsLocated(name: String, output: Int, input: Int) throws {
        let base = try Catalog.build(name, shape: .vector(10_000), options: MapOptions())
        for seed in testSeeds {
            let x = point(of: base, seed: seed)
            let map = try PlantedMap.scaling(base, at: x, [(output, input)])
            for layout in Layout.allCases {
                let r = try DirectionalCheck(count: 8, seed: seed, tolerance: relativeOnly, layout: layout)
                    .run(map, at: x)
                #expect(!r.passed, "\(name) seed \(seed)")
                #expect(r.located.count == 1, "\(name) seed \(seed): \(r.located)")
                let e = try #require(r.located.first)
                #expect(e.output == output && e.input == input)
                let expected = layout == .numerator ? (output, input) : (input, output)
                #expect((e.row, e.column) == expected)
                #expect(e.outputName == "y_\(output)" && e.inputName == "x_\(input)")
                #expect(abs(e.analytic - 55 * e.reference) <= 1e-6 * abs(e.analytic), "\(e)")
                // One descent: at most 2 measurements per halving of a block of ⌈n/32⌉ inputs, plus the column.
                #expect(r.locate.evaluations <= 2 * (2 * 9 + 1), "\(r.locate)")
                #expect(!r.locate.truncated && r.locate.unlocalized == 0)
            }
        }
    }

    @Test("the default atol still lets a large wrong entry through to the locator")
    func wrongEntryWithDefaultTolerance() throws {
        let base = try Catalog.build("softmax", shape: .vector(10_000), options: MapOptions())
        let x = point(of: base, seed: 7)
        let map = try PlantedMap.scaling(base, at: x, [(4242, 4242)])
        let r = try DirectionalCheck(count: 8, seed: 0).run(map, at: x)
        #expect(!r.passed && r.located.map(\.input) == [4242])
    }

    @Test("two wrong entries are both located, and an expression's entries carry its variables' names")
    func twoWrongEntries() throws {
        let base = try Catalog.build("softmax", shape: .vector(10_000), options: MapOptions())
        for seed in testSeeds {
            let x = point(of: base, seed: seed)
            let map = try PlantedMap.scaling(base, at: x, [(100, 100), (5000, 7000)])
            let r = try DirectionalCheck(count: 8, seed: seed, tolerance: relativeOnly).run(map, at: x)
            #expect(!r.passed)
            #expect(Set(r.located.map { [$0.output, $0.input] }) == [[100, 100], [5000, 7000]], "seed \(seed)")
        }
        let expression = try Expression("softmax(W*x + b)").map(ExpressionBindings(
            shapes: ["W": .matrix(rows: 30, columns: 40)], wrt: ["W"]))
        let x = point(of: expression, seed: 1)
        let map = try PlantedMap.scaling(expression, at: x, [(3, 3 * 40 + 5), (29, 0)])
        let r = try DirectionalCheck(count: 2, seed: 1, tolerance: relativeOnly).run(map, at: x)
        #expect(Set(r.located.map(\.inputName)) == ["W[3,5]", "W[0,0]"])
        #expect(Set(r.located.map(\.outputName)) == ["y_3", "y_29"])
    }

    @Test("on a dense J a wrong entry of the guaranteed size is caught at the stated rate, a tenth of it rarely")
    func guaranteeHolds() throws {
        // linear: J = W, uniform entries, so the RMS over any block is about the RMS of W.
        var options = MapOptions()
        options.out = 200
        let base = try Catalog.build("linear", shape: .vector(400), options: options)
        let w = try #require(base.constants.first { $0.name == "W" }).values
        let rms = (w.map { $0 * $0 }.reduce(0, +) / Double(w.count)).squareRoot()
        var rng = SplitMix64(seed: 9)
        for (factor, atLeast, atMost) in [(1.0, 19, 20), (0.1, 0, 5)] {
            var caught = 0
            for s in 0..<20 {
                let x = point(of: base, seed: UInt64(s))
                let check = DirectionalCheck(count: 0, seed: UInt64(s), tolerance: relativeOnly)
                let size = try check.run(base, at: x).guarantee.relativeSize
                let planted = PlantedEntry(output: Int(rng.next() % 200), input: Int(rng.next() % 400),
                                           delta: factor * size * rms)
                if try !check.run(PlantedMap(base: base, planted: [planted]), at: x).passed { caught += 1 }
            }
            // 1 − 4⁻² = 0.9375 is a lower bound (Markov); on a dense J the rate is close to 1.
            print("a wrong entry of \(factor) × the guaranteed size on linear 400 → 200: caught \(caught) of 20")
            #expect(caught >= atLeast && caught <= atMost, "factor \(factor): caught \(caught) of 20")
        }
    }

    @Test("locating stops at its limit and says so")
    func locateLimit() throws {
        let base = try Catalog.build("tanh", shape: .vector(2_000), options: MapOptions())
        let x = point(of: base, seed: 2)
        let map = try PlantedMap.scaling(base, at: x, (0..<40).map { ($0 * 50, $0 * 50) })
        var check = DirectionalCheck(count: 2, seed: 2, tolerance: relativeOnly)
        check.locateLimit = 5
        let r = try check.run(map, at: x)
        #expect(!r.passed && r.located.count == 5 && r.locate.truncated)
    }

    @Test("--step and --method change what is measured: evaluations, products and steps")
    func stepAndMethod() throws {
        let map = try Catalog.build("softmax", shape: .vector(50), options: MapOptions())
        let x = point(of: map, seed: 3)
        let probes = 2 + 8 + 2 * 32
        let counts: [(CheckMethod, Int)] = [(.central, 2), (.richardson, 6), (.complexStep, 1)]
        for (method, perProbe) in counts {
            let r = try DirectionalCheck(count: 2, seed: 3, method: method).run(map, at: x)
            #expect(r.passed && r.method == method)
            #expect(r.evaluations == perProbe * probes && r.jacobianVectorProducts == probes, "\(method)")
        }
        let auto = try DirectionalCheck(count: 2, seed: 3).run(map, at: x)
        #expect(auto.step.rule.hasPrefix("auto") && auto.step.min == StepRule.cubeRootEpsilon)
        let fixed = try DirectionalCheck(count: 2, seed: 3, step: .fixed(1e-4)).run(map, at: x)
        // Block probes have ‖u‖∞ = 1, so they step exactly h; unit Gaussian u steps h/‖u‖∞ > h.
        #expect(fixed.passed && fixed.step.rule.hasPrefix("fixed") && fixed.step.min == 1e-4 && fixed.step.max > 1e-4)
        let richardson = try DirectionalCheck(count: 2, seed: 3, method: .richardson).run(map, at: x)
        #expect(richardson.step.min == 0.01)
    }

    @Test("the complex step refuses a map with kinks in one sentence")
    func complexStepNeedsAnalyticMap() throws {
        let relu = try Catalog.build("relu", shape: .vector(10), options: MapOptions())
        #expect(throws: JacobianError.self) {
            try DirectionalCheck(count: 1, seed: 0, method: .complexStep).run(relu, at: point(of: relu, seed: 0))
        }
    }

    @Test("the report states its probability and block sizes, and its text fits 80 columns")
    func guaranteeAndText() throws {
        let base = try Catalog.build("softmax", shape: .vector(10_000), options: MapOptions())
        let x = point(of: base, seed: 0)
        let map = try PlantedMap.scaling(base, at: x, [(17, 9001)])
        let r = try DirectionalCheck(count: 8, seed: 0, tolerance: relativeOnly).run(map, at: x)
        #expect(r.schedule.inputsPerGroup == 313 && r.schedule.outputsPerGroup == 8)
        #expect(r.guarantee.probability == 1 - 1.0 / 16)
        #expect(abs(r.guarantee.relativeSize - 2 * 1e-5 * 8 * 313.0.squareRoot()) < 1e-15)
        #expect(abs(r.guarantee.certainRelativeSize - 1e-5 * 313 * 8) < 1e-15)
        let lines = r.textLines(inputShape: base.inputShape, outputShape: base.outputShape)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        #expect(lines.contains { $0.contains("∂y_17/∂x_9001 (row 17, column 9001)") })
        #expect(lines.last == "FAIL")
        #expect(lines.count < 30)
        let data = try JSONEncoder().encode(r)
        let back = try JSONDecoder().decode(DirectionalCheck.Report.self, from: data)
        #expect(back.located == r.located && back.guarantee == r.guarantee)
    }

    @Test("locating one wrong entry of softmax at n = 10⁶ (wall time printed, not asserted)")
    func locateAtOneMillion() throws {
        let base = try Catalog.build("softmax", shape: .vector(1_000_000), options: MapOptions())
        let x = point(of: base, seed: 0)
        let map = try PlantedMap.scaling(base, at: x, [(123_456, 654_321)])
        let clock = ContinuousClock()
        var report: DirectionalCheck.Report?
        let elapsed = try clock.measure {
            report = try DirectionalCheck(count: 8, seed: 0, tolerance: relativeOnly).run(map, at: x)
        }
        let r = try #require(report)
        #expect(r.located.map { [$0.output, $0.input] } == [[123_456, 654_321]])
        print("directional check + locate, softmax n = 10⁶, K = 8: \(elapsed); \(r.evaluations) evaluations, "
              + "\(r.jacobianVectorProducts) products; locating: \(r.locate.evaluations) evaluations, "
              + "\(r.locate.jacobianVectorProducts) products")
    }
}
