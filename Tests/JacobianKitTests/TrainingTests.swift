import Foundation
import JacobianKit
import Testing

/// The notes' recorded NumPy run: initial weights and what it printed.
struct NotesRun: Decodable {
    struct Expected: Decodable {
        var errorsEvery10000: [Double]
        var outputs: [Double]
        var theta1: [[Double]]
        var theta2: [[Double]]
    }
    var theta1: [[Double]]
    var theta2: [[Double]]
    var expected: Expected

    static func load() throws -> NotesRun {
        let data = try #require(FileManager.default.contents(atPath: fixturePath("xor/notes-seed0.json")))
        return try JSONDecoder().decode(NotesRun.self, from: data)
    }
}

/// Relative closeness for trajectories: |a − b| ≤ tolerance·|b|.
func relativelyClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance * abs(b) }

@Suite("XOR training")
struct TrainingTests {
    @Test("the chain's θ gradients equal central finite differences of the loss",
          arguments: Layout.allCases, [UInt64(0), 1, 2, 7])
    func gradientsMatchFiniteDifferences(layout: Layout, seed: UInt64) throws {
        let net = XORNetwork(seed: seed)
        for (x, t) in zip(XORNetwork.inputs, XORNetwork.targets) {
            let loss = XORSampleLoss(network: net, x: x, target: t)
            let report = try GradientCheck(layout: layout).run(loss, at: net.theta1.elements + net.theta2.elements)
            #expect(report.passed, "x = \(x): max |Δ| \(report.maxAbsoluteError)")
            let (g1, g2) = try net.gradients(x: x, target: t, layout: layout)
            #expect(close(g1 + g2, report.analytic.matrix.elements, tolerance: 1e-15))
        }
    }

    @Test("the trainer forms the same explicit Jacobians and gradients as the library maps", arguments: Layout.allCases)
    func trainerMatchesLibraryMaps(layout: Layout) throws {
        let net = XORNetwork(seed: 5)
        for (x, t) in zip(XORNetwork.inputs, XORNetwork.targets) {
            let trainer = XORTrainer(network: net, learningRate: 0.02, layout: layout)
            _ = trainer.step(x[0], x[1], target: t)
            let j = try net.jacobians(x: x, target: t)
            let library = [j.f1Theta1, j.f2, j.f3X, j.f3Theta2, j.f4].map { $0.dense(in: layout) }
            for (ours, theirs) in zip(trainer.lastJacobians, library) {
                #expect(ours.rows == theirs.rows && ours.columns == theirs.columns)
                #expect(close(ours, theirs, tolerance: 1e-15), "x = \(x)")
            }
            let (g1, g2) = try net.gradients(x: x, target: t, layout: layout)
            #expect(close(trainer.lastGradients.theta1, g1, tolerance: 1e-15))
            #expect(close(trainer.lastGradients.theta2, g2, tolerance: 1e-15))
        }
    }

    @Test("from the notes' initial weights the run prints the notes' errors and ends at their θ",
          arguments: Layout.allCases)
    func reproducesTheNotes(layout: Layout) throws {
        let notes = try NotesRun.load()
        let net = try XORNetwork(theta1: Matrix(notes.theta1), theta2: Matrix(notes.theta2))
        let trainer = XORTrainer(network: net, learningRate: 0.02, layout: layout)
        var errors: [Double] = []
        let result = try trainer.train(iterations: 100_000, every: 10_000) { _, e in errors.append(e) }
        #expect(errors.count == 10)
        for (ours, theirs) in zip(errors, notes.expected.errorsEvery10000) {
            #expect(relativelyClose(ours, theirs, 1e-9), "\(ours) vs \(theirs)")
        }
        for (ours, theirs) in zip(result.network.theta1.elements + result.network.theta2.elements,
                                  notes.expected.theta1.flatMap { $0 } + notes.expected.theta2.flatMap { $0 }) {
            #expect(relativelyClose(ours, theirs, 1e-9), "\(ours) vs \(theirs)")
        }
        for (ours, theirs) in zip(result.outputs, notes.expected.outputs) {
            #expect(relativelyClose(ours, theirs, 1e-9))
        }
        #expect(result.converged)
    }

    @Test("numerator and denominator training give identical trajectories")
    func layoutsTrainIdentically() throws {
        let a = XORTrainer(network: XORNetwork(seed: 3), learningRate: 0.02, layout: .numerator)
        let b = XORTrainer(network: XORNetwork(seed: 3), learningRate: 0.02, layout: .denominator)
        var ea: [Double] = [], eb: [Double] = []
        let ra = try a.train(iterations: 20_000, every: 1_000) { _, e in ea.append(e) }
        let rb = try b.train(iterations: 20_000, every: 1_000) { _, e in eb.append(e) }
        #expect(ea == eb)
        #expect(ra.network == rb.network)
    }

    @Test("the same seed gives the same run; another seed another")
    func deterministicPerSeed() throws {
        func run(_ seed: UInt64) throws -> XORResult {
            try XORTrainer(network: XORNetwork(seed: seed), learningRate: 0.02, layout: .numerator)
                .train(iterations: 5_000, every: 5_000) { _, _ in }
        }
        #expect(try run(4).network == run(4).network)
        #expect(try run(4).network != run(5).network)
    }

    @Test("the default run converges", arguments: [UInt64(0), 1, 2])
    func defaultRunConverges(seed: UInt64) throws {
        let r = try XORTrainer(network: XORNetwork(seed: seed), learningRate: 0.02, layout: .numerator)
            .train(iterations: 100_000, every: 100_000) { _, _ in }
        #expect(r.converged, "seed \(seed): error \(r.error), outputs \(r.outputs)")
        #expect(r.error < 0.005)
    }

    @Test("--init files with the wrong shape or no file are clear errors")
    func badInitFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xor-init-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let wrong = dir.appendingPathComponent("wrong.json")
        try Data(#"{"theta1": [[1,2,3]], "theta2": [[1,2,3,4,5]]}"#.utf8).write(to: wrong)
        let garbage = dir.appendingPathComponent("garbage.json")
        try Data("not json".utf8).write(to: garbage)
        #expect(throws: JacobianError.self) { try XORWeights.load(wrong.path) }
        #expect(throws: JacobianError.self) { try XORWeights.load(garbage.path) }
        #expect(throws: JacobianError.self) { try XORWeights.load(dir.appendingPathComponent("missing.json").path) }
        #expect(try XORWeights.load(fixturePath("xor/notes-seed0.json")).theta1.rows == 4)
    }
}
