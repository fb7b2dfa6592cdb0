import Foundation
import Testing
import JacobianKit

@Suite("Non-finite numbers")
struct NonFiniteTests {
    @Test("a model with a NaN or inf weight is neither saved nor loaded", arguments: [Double.nan, .infinity])
    func nonFiniteModel(bad: Double) throws {
        let good = MLP(sizes: [784, 3, 10], activation: .relu, seed: 0)
        var weights = good.weights
        weights[1][2, 1] = bad
        let broken = try MLP(sizes: good.sizes, activation: .relu, weights: weights, biases: good.biases)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("nonfinite-\(UUID().uuidString).jcb").path
        #expect(throws: JacobianError.self) { try ModelFile.write(broken, to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        // Bytes a broken writer (or an older build) could have produced are refused on load.
        #expect(throws: JacobianError.self) { try ModelFile.decode(ModelFile.encode(broken), name: "broken") }
        _ = try ModelFile.decode(ModelFile.encode(good), name: "good")
    }

    @Test("a result holding inf or NaN is a failure with a sentence, not silent output")
    func nonFiniteResult() throws {
        #expect(throws: JacobianError.self) {
            try NonFinite.ensureFinite(value: [.infinity, 1], jacobian: [1], map: "exp")
        }
        #expect(throws: JacobianError.self) { try NonFinite.ensureFinite(value: [1], jacobian: [.nan], map: "exp") }
        try NonFinite.ensureFinite(value: [1], jacobian: [2, 3], map: "exp")
        let map = try Catalog.build("exp", shape: .vector(2), options: MapOptions())
        let report = try GradientCheck().run(map, at: [1000, 1])
        #expect(throws: JacobianError.self) { try NonFinite.ensureFinite(report) }
    }
}
