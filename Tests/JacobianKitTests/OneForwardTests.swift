import ComplexModule
import JacobianKit
import Testing

/// Each built-in map's value is written once, generic over Double and Complex. Evaluated at a real point, the
/// complex forward must therefore give the real forward's numbers up to rounding (complex division, tanh and the
/// small LU round differently from real arithmetic, BLAS and LAPACK), with imaginary parts exactly zero: a second,
/// drifting copy of a formula would differ by far more.
@Suite("One forward per map")
struct OneForwardTests {
    @Test("the complex forward at a real point is the real forward up to rounding", arguments: Catalog.names)
    func complexForwardIsTheRealForward(name: String) throws {
        for c in catalogCases() where c.name == name {
            for seed in testSeeds {
                var options = c.options
                options.seed = seed
                let map = try Catalog.build(name, shape: c.shape, options: options)
                guard let analytic = map as? ComplexEvaluable, analytic.supportsComplexStep else { continue }
                var rng = SplitMix64(seed: seed)
                let x = map.samplePoint(using: &rng)
                let real = try map.value(at: x)
                let complex = try analytic.complexValue(at: x.map { ComplexDouble($0, 0) })
                let scale = max(1, real.map(abs).max() ?? 0)
                let gap = zip(complex, real).map { abs($0.real - $1) }.max() ?? 0
                #expect(gap <= 1e-13 * scale, "\(name) \(c.shape) seed \(seed): |Re f(x + 0i) − f(x)| = \(gap)")
                #expect(complex.allSatisfy { $0.imaginary == 0 }, "\(name) \(c.shape) seed \(seed)")
                #expect(try map.evaluate(at: x).value == real, "\(name): evaluate and value disagree")
            }
        }
    }

    @Test("a sequence map names θ's coordinates by its parameter layout")
    func sequenceNames() throws {
        let step = try RNNStep(inputSize: 2, hidden: 3)
        #expect(step.layout.blocks.map(\.name) == ["x", "h", "W_xh", "W_hh", "b"])
        #expect(step.layout.count == step.inputShape.count)
        // θ = [x (2), h (3), W_xh (2×3), …]: entry 2 + 3 + 5 is W_xh[1,2].
        #expect(step.inputCoordinateName(10) == "W_xh[1,2]")
        #expect(step.inputCoordinateName(0) == "x_0")
        let cell = try LSTMCell(inputSize: 2, hidden: 2)
        #expect(cell.layout.count == cell.inputShape.count)
        #expect(cell.inputBlocks?.last?.name == "b_o")
    }
}
