import Foundation
import JacobianKit
import Testing

/// relu whose derivative at exactly 0 is 2: outside the one-sided quotients [0, 1], so genuinely wrong.
struct BrokenRelu: VectorMap {
    let name = "broken-relu"
    let inputShape: Shape
    var outputShape: Shape { inputShape }
    var formula: String { "diag(x > 0 ? 1 : (x == 0 ? 2 : 0))" }
    var hasKinks: Bool { true }

    func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        (x.map { max(0, $0) }, .diagonal(x.map { $0 > 0 ? 1 : ($0 == 0 ? 2 : 0) }))
    }
}

@Suite("Check methods, kinks, step study, directions")
struct CheckMethodTests {
    @Test("relu at and near 0 passes with a kink note; a wrong derivative at the same point fails",
          arguments: Layout.allCases)
    func reluKinks(layout: Layout) throws {
        let relu = try Catalog.build("relu", shape: .vector(4), options: MapOptions())
        let x = [0, 1e-7, -3e-6, 0.5]
        let r = try GradientCheck(layout: layout).run(relu, at: x)
        #expect(r.passed)
        #expect(r.kinks.count == 3)
        #expect(r.kinks.allSatisfy { $0.inside })
        let atZero = try #require(r.kinks.first { $0.input == 0 })
        #expect(atZero.left == 0 && atZero.right == 1 && atZero.analytic == 0)
        let broken = try GradientCheck(layout: layout).run(BrokenRelu(inputShape: .vector(4)), at: x)
        #expect(!broken.passed)
        #expect(broken.mismatches == 1)
        #expect(broken.worst?.input == 0 && broken.worst?.analytic == 2)
        #expect(broken.kinks.contains { $0.input == 0 && !$0.inside })
    }

    @Test("a kink inside a pipeline is recognised too")
    func kinkInPipeline() throws {
        var o = MapOptions()
        o.parameters = ["W": [1, 0, 0, 1], "b": [0, 0]]
        let p = try Catalog.build("linear | relu | mse", shape: .vector(2), options: o)
        let r = try GradientCheck().run(p, at: [0, 0.3])
        #expect(r.passed && r.kinks.count == 1)
    }

    @Test("Richardson at its default step beats central differences at theirs by at least 100×",
          arguments: [("softmax", Shape.vector(8)), ("log-softmax", .vector(8)),
                      ("inverse", .matrix(rows: 3, columns: 3))])
    func richardsonBeatsCentral(name: String, shape: Shape) throws {
        for seed in testSeeds {
            var o = MapOptions()
            o.seed = seed
            let map = try Catalog.build(name, shape: shape, options: o)
            var rng = SplitMix64(seed: seed)
            let x = map.samplePoint(using: &rng)
            let central = try GradientCheck(method: .central).run(map, at: x)
            let richardson = try GradientCheck(method: .richardson).run(map, at: x)
            #expect(richardson.passed && richardson.evaluations == 6 * x.count)
            #expect(central.maxAbsoluteError >= 100 * richardson.maxAbsoluteError,
                "\(name) seed \(seed): central \(central.maxAbsoluteError), richardson \(richardson.maxAbsoluteError)")
            // The estimate covers the actual error.
            let estimate = try #require(richardson.maxErrorEstimate)
            #expect(richardson.maxAbsoluteError <= estimate)
        }
    }

    @Test("the step study shows truncation falling and round-off rising around an optimum")
    func stepStudy() throws {
        let map = try Catalog.build("exp", shape: .vector(2), options: MapOptions())
        let s = try StepStudy.run(map, at: [0.3, 1.2], output: 1, input: 1)
        #expect(s.rows.count == 12)
        #expect(s.rows.first!.error > 1e-4 && s.rows.last!.error > 1e-6)
        #expect(s.best.error < 1e-9)
        #expect(s.best.h < 1e-3 && s.best.h > 1e-8)
        // Truncation: from 1e-1 to 1e-2 the error shrinks about 100×.
        #expect(s.rows[0].error / s.rows[1].error > 50)
    }

    @Test("directional checks pass for huge structured maps and catch a wrong Jacobian")
    func directional() throws {
        let big = try Catalog.build("sigmoid | softmax", shape: .vector(200_000), options: MapOptions())
        var rng = SplitMix64(seed: 1)
        let x = big.samplePoint(using: &rng)
        let r = try DirectionalCheck(count: 4, seed: 0).run(big, at: x)
        // 4 dense pairs, 8 sparse probes, 2 rounds of 32 block probes: 2 evaluations each.
        #expect(r.passed && r.probes.count == 4 + 8 + 64 && r.evaluations == 2 * r.probes.count)
        let broken = try DirectionalCheck(count: 4, seed: 0).run(BrokenTanh(inputShape: .vector(50), wrong: 7),
                                                                 at: (0..<50).map { Double($0) / 50 })
        #expect(!broken.passed && broken.located.map { [$0.output, $0.input] } == [[7, 7]])
    }
}

@Suite("Complex step")
struct ComplexStepTests {
    @Test("the complex step agrees with the analytic Jacobian to 1e-14 relative on every map that supports it",
          arguments: Catalog.names)
    func agreesToRounding(name: String) throws {
        for c in catalogCases() where c.name == name {
            for seed in testSeeds {
                var options = c.options
                options.seed = seed
                let map = try Catalog.build(name, shape: c.shape, options: options)
                guard let analytic = map as? ComplexEvaluable, analytic.supportsComplexStep else {
                    #expect(name == "relu" || name == "leaky-relu", "\(name) should support the complex step")
                    #expect(throws: JacobianError.self) {
                        try GradientCheck(method: .complexStep)
                            .run(map, at: [Double](repeating: 0.5, count: map.inputShape.count))
                    }
                    continue
                }
                var rng = SplitMix64(seed: seed)
                let x = map.samplePoint(using: &rng)
                for layout in Layout.allCases {
                    let r = try GradientCheck(layout: layout, method: .complexStep).run(map, at: x)
                    #expect(r.evaluations == x.count)
                    if name == "inverse" || name == "rnn" || name == "lstm-cell" {
                        // −X⁻¹ ⊗ X⁻ᵀ: LAPACK's inverse is accurate normwise; the RNN's gradient entries are sums over
                        // the time steps and the LSTM's over its four gates, whose terms cancel. Either way small
                        // entries carry errors of the size of the largest ones. Normwise 1e-14 (and the inverse's
                        // entries 1e-13).
                        let normwise = r.maxAbsoluteError / r.analytic.matrix.maxAbs
                        #expect(normwise <= 1e-14, "\(name) \(c.shape) seed \(seed) \(layout): normwise \(normwise)")
                        if name == "inverse" {
                            #expect(r.maxRelativeError <= 1e-13,
                                    "\(name) \(c.shape) seed \(seed) \(layout): \(r.maxRelativeError)")
                        }
                    } else {
                        #expect(r.maxRelativeError <= 1e-14,
                                "\(name) \(c.shape) seed \(seed) \(layout): \(r.maxRelativeError)")
                    }
                }
            }
        }
    }

    @Test("a pipeline of analytic maps takes the complex step; one with relu does not")
    func pipelines() throws {
        let smooth = try Catalog.build("linear | tanh | softmax | cross-entropy", shape: .vector(5),
                                       options: MapOptions())
        var rng = SplitMix64(seed: 3)
        let r = try GradientCheck(method: .complexStep).run(smooth, at: smooth.samplePoint(using: &rng))
        #expect(r.maxRelativeError <= 1e-14)
        let kinked = try Catalog.build("linear | relu | mse", shape: .vector(5), options: MapOptions())
        #expect((kinked as? ComplexEvaluable)?.supportsComplexStep == false)
    }
}
