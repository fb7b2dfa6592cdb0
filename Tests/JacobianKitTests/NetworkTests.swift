import Foundation
import JacobianKit
import Testing

/// A batch of synthetic MNIST-like images (sparse, as real digits are) and labels.
func syntheticBatch(_ n: Int, seed: UInt64) -> (x: Matrix, labels: [UInt8]) {
    var rng = SplitMix64(seed: seed)
    let x = (0..<(n * 784)).map { k -> Double in (k % 784) < 100 || rng.nextUnit() < 0.6 ? 0 : rng.nextUnit() }
    return (try! Matrix(rows: n, columns: 784, elements: x), (0..<n).map { _ in UInt8(rng.next() % 10) })
}

@Suite("MNIST network")
struct NetworkTests {
    @Test("the network gradient equals central finite differences", arguments: [
        ([784, 24, 10], Activation.relu), ([784, 12, 10], .tanh), ([784, 16, 8, 10], .sigmoid), ([784, 10], .relu),
    ], Layout.allCases)
    func gradientMatchesFiniteDifferences(network: ([Int], Activation), layout: Layout) throws {
        let (sizes, activation) = network
        let net = MLP(sizes: sizes, activation: activation, seed: 3)
        let (x, labels) = syntheticBatch(5, seed: 4)
        let loss = NetworkLoss(network: net, x: x, labels: labels, l2: 0.01, layout: layout, count: 40, seed: 5)
        #expect(Set(loss.parameters.map { "\($0.layer) \($0.isBias) \($0.index)" }).count == 40)
        let report = try GradientCheck(layout: layout).run(loss, at: loss.point)
        #expect(report.passed, "max |Δ| \(report.maxAbsoluteError), worst \(String(describing: report.worst))")
    }

    @Test("numerator and denominator chains give the same gradients and losses")
    func layoutsAgree() throws {
        let net = MLP(sizes: [784, 20, 10], activation: .relu, seed: 1)
        let (x, labels) = syntheticBatch(30, seed: 2)
        let n = net.lossAndGradients(x, labels: labels[...], l2: 0.001, layout: .numerator)
        let d = net.lossAndGradients(x, labels: labels[...], l2: 0.001, layout: .denominator)
        #expect(n.loss == d.loss)
        for l in 0..<2 {
            #expect(close(n.gradients.weights[l], d.gradients.weights[l], tolerance: 1e-13))
            #expect(close(n.gradients.biases[l], d.gradients.biases[l], tolerance: 1e-13))
        }
    }

    @Test("batched pull-backs equal each sample's structured Jacobian product", arguments: Layout.allCases)
    func batchEqualsPerSample(layout: Layout) {
        var rng = SplitMix64(seed: 8)
        let batch = 4
        let g = randomMatrix(batch, 5, &rng), w = randomMatrix(5, 6, &rng), d = randomMatrix(batch, 5, &rng)
        let a = randomMatrix(batch, 6, &rng)
        let oriented = layout == .numerator ? g : g.transposed()
        for bj in [BatchJacobian.shared(w), .diagonal(d)] {
            var out = bj.pullback(oriented, layout: layout)
            if layout == .denominator { out = out.transposed() }
            for b in 0..<batch { #expect(close(out.row(b), bj.sample(b).vjp(g.row(b)), tolerance: 1e-14)) }
        }
        // The weights' Kronecker Jacobians, summed over the batch; the selected form leaves out zero columns.
        var sparse = a
        for r in 0..<batch { sparse[r, 2] = 0; sparse[r, 4] = 0 }
        let kronecker: [BatchJacobian] = [
            .identityKronecker(m: 5, inputs: a),
            .selectedIdentityKronecker(m: 5, inputs: sparse.selectingColumns([0, 1, 3, 5]), columns: [0, 1, 3, 5],
                                       width: 6),
        ]
        for (k, full) in zip(kronecker, [a, sparse]) {
            let summed = k.summedPullback(oriented, layout: layout)
            var expected = [Double](repeating: 0, count: 30)
            for b in 0..<batch {
                let perSample = BatchJacobian.identityKronecker(m: 5, inputs: full).sample(b).vjp(g.row(b))
                for i in 0..<30 { expected[i] += perSample[i] }
            }
            #expect(close(summed.elements, expected, tolerance: 1e-14))
        }
    }

    @Test("a short run on real MNIST learns: well above chance on held-out images")
    func shortRunLearns() throws {
        let data = try #require(fixtureMNIST)
        var options = TrainingOptions()
        options.epochs = 1
        options.batch = 20
        options.seed = 0
        let trainer = SGDTrainer(network: MLP(sizes: [784, 64, 10], activation: .relu, seed: 0), options: options)
        let stats = try trainer.trainEpoch(data.train.prefix(2000), epoch: 0)
        let accuracy = trainer.network.accuracy(data.test.prefix(1000))
        #expect(accuracy > 0.75, "accuracy \(accuracy)")
        #expect(stats.trainLoss < 1.5)
    }

    @Test("numerator and denominator training give the same losses; the same seed the same run")
    func trainingIsDeterministicAndLayoutFree() throws {
        let (x, labels) = syntheticBatch(200, seed: 9)
        let split = MNISTSplit(pixels: x.elements.map { UInt8(($0 * 255).rounded()) }, labels: labels)
        func run(_ layout: Layout, seed: UInt64) throws -> (EpochStats, MLP) {
            var options = TrainingOptions()
            options.epochs = 2
            options.batch = 20
            options.layout = layout
            options.seed = seed
            let t = SGDTrainer(network: MLP(sizes: [784, 16, 10], activation: .tanh, seed: seed), options: options)
            _ = try t.trainEpoch(split, epoch: 0)
            return (try t.trainEpoch(split, epoch: 1), t.network)
        }
        let (n, netN) = try run(.numerator, seed: 1), (d, _) = try run(.denominator, seed: 1)
        #expect(abs(n.trainLoss - d.trainLoss) <= 1e-10 * abs(n.trainLoss))
        let (again, netAgain) = try run(.numerator, seed: 1)
        #expect(again.trainLoss == n.trainLoss)
        #expect(netAgain == netN)
        #expect(try run(.numerator, seed: 2).0.trainLoss != n.trainLoss)
    }

    @Test("a saved model loads back exactly; corrupt, truncated and foreign files are clear errors")
    func modelFileRoundTrip() throws {
        let dir = try temporaryFolder("model")
        defer { try? FileManager.default.removeItem(at: dir) }
        let net = MLP(sizes: [784, 7, 5, 10], activation: .leakyRelu, seed: 4)
        let path = dir.appendingPathComponent("m.jcb").path
        try ModelFile.write(net, to: path)
        #expect(try ModelFile.read(path) == net)
        var bytes = ModelFile.encode(net)
        func message(_ b: [UInt8]) -> String {
            do { _ = try ModelFile.decode(b, name: "m.jcb"); return "" } catch { return "\(error)" }
        }
        bytes[200] ^= 1
        #expect(message(bytes).contains("checksum"))
        #expect(message(Array(ModelFile.encode(net).prefix(500))).contains("m.jcb"))
        #expect(message(Array(
            "hello, world, this is not a model at all, not even close to one; nope.............".utf8))
            .contains("magic"))
        #expect(throws: JacobianError.self) { try ModelFile.read(dir.appendingPathComponent("missing.jcb").path) }
        #expect(throws: JacobianError.self) { try OutputPath.ensureWritable("/nonexistent-folder/m.jcb") }
        // A failed save leaves an existing file as it was.
        try ModelFile.write(net, to: path)
        #expect(throws: JacobianError.self) {
            try ModelFile.write(net, to: dir.appendingPathComponent("no/such/dir.jcb").path)
        }
        #expect(try ModelFile.read(path) == net)
    }
}
