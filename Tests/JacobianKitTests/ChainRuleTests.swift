import JacobianKit
import Testing

/// A seeded random pipeline of 2–5 maps on vectors, sometimes ending in a scalar loss.
func randomPipeline(seed: UInt64) throws -> Pipeline {
    var rng = SplitMix64(seed: seed)
    let inner = ["sigmoid", "tanh", "exp", "sin", "softmax", "log-softmax", "linear", "bias", "relu", "leaky-relu"]
    let losses = ["mse", "softmax-cross-entropy", "binary-cross-entropy"]
    let count = 2 + Int(rng.next() % 4)
    var names = (0..<count).map { _ in inner[Int(rng.next() % UInt64(inner.count))] }
    if rng.next() % 2 == 0 {
        // binary-cross-entropy needs probabilities: put a sigmoid before it.
        let loss = losses[Int(rng.next() % UInt64(losses.count))]
        if loss == "binary-cross-entropy" { names[names.count - 1] = "sigmoid" }
        names[names.count - 1] = names.count > 1 ? names[names.count - 1] : names[0]
        names.append(loss)
    }
    var options = MapOptions()
    options.seed = seed
    options.out = 2 + Int(rng.next() % 5)
    let map = try Catalog.build(names.joined(separator: " | "), shape: .vector(2 + Int(rng.next() % 6)),
                                options: options)
    return try #require(map as? Pipeline)
}

@Suite("Chain rule")
struct ChainRuleTests {
    @Test("random pipelines of 2–5 maps agree with finite differences of the composite, both layouts",
          arguments: Array(UInt64(0)..<40))
    func pipelineMatchesFiniteDifferences(seed: UInt64) throws {
        let p = try randomPipeline(seed: seed)
        var rng = SplitMix64(seed: seed)
        let x = p.samplePoint(using: &rng)
        for layout in Layout.allCases {
            let r = try GradientCheck(layout: layout).run(p, at: x)
            #expect(r.passed, "\(p.name) \(layout): max |Δ| \(r.maxAbsoluteError)")
        }
    }

    @Test("both multiplication orders and both layouts give the same Jacobian to rounding",
          arguments: Array(UInt64(0)..<40))
    func ordersAndLayoutsAgree(seed: UInt64) throws {
        let p = try randomPipeline(seed: seed)
        var rng = SplitMix64(seed: seed)
        let x = p.samplePoint(using: &rng)
        let reference = try p.chain(at: x, layout: .numerator, order: .reverse).product.matrix
        for layout in Layout.allCases {
            for order in ChainOrder.allCases {
                let c = try p.chain(at: x, layout: layout, order: order)
                let m = layout == .numerator ? c.product.matrix : c.product.matrix.transposed()
                #expect(close(m, reference, tolerance: 1e-13),
                        "\(p.name) \(layout) \(order): \(maxDifference(m, reference))")
            }
        }
    }

    @Test("the chain order is picked by cost: reverse for a scalar output, forward for a narrow input")
    func orderFollowsShapes() throws {
        var o = MapOptions()
        o.out = 50
        let wide = try #require(try Catalog.build("linear | sigmoid | softmax", shape: .vector(2),
                                                  options: o) as? Pipeline)
        let narrow = try #require(try Catalog.build("linear | sigmoid | mse", shape: .vector(50),
                                                    options: o) as? Pipeline)
        var rng = SplitMix64(seed: 1)
        #expect(try wide.chain(at: wide.samplePoint(using: &rng), layout: .numerator).order == .forward)
        #expect(try narrow.chain(at: narrow.samplePoint(using: &rng), layout: .numerator).order == .reverse)
        #expect(try narrow.chain(at: narrow.samplePoint(using: &rng), layout: .denominator).order == .reverse)
    }

    @Test("a malformed pipeline is a typed error")
    func malformedPipeline() {
        for text in ["sigmoid |", "| softmax", "sigmoid || softmax", " "] {
            #expect(throws: JacobianError.self, "\(text)") {
                try Catalog.build(text, shape: .vector(3), options: MapOptions())
            }
        }
    }
}

@Suite("Pipelines of every pair of maps")
struct PipelinePairTests {
    @Test("every pair of catalog maps builds a pipeline whose shapes chain, or is refused with a JacobianError",
          arguments: [Shape.vector(3), .matrix(rows: 2, columns: 2)])
    func everyPair(shape: Shape) throws {
        var built = 0, refused = 0
        for a in Catalog.names {
            for b in Catalog.names {
                do {
                    let map = try Catalog.build("\(a) | \(b)", shape: shape, options: MapOptions())
                    let p = try #require(map as? Pipeline)
                    #expect(p.stages[1].inputShape.count == p.stages[0].outputShape.count, "\(a) | \(b)")
                    var rng = SplitMix64(seed: 1)
                    do { _ = try GradientCheck().run(p, at: p.samplePoint(using: &rng)) } catch is JacobianError {}
                    built += 1
                } catch is JacobianError {
                    refused += 1
                }
            }
        }
        #expect(built > 100 && refused > 0, "built \(built), refused \(refused)")
    }
}
