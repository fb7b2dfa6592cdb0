import Foundation
import JacobianKit
import Testing

@Suite("Sequence models")
struct SequenceTests {
    @Test("BPTT's gradient of the unrolled RNN loss equals finite differences for every parameter",
          arguments: [(1, 2, 2, 1), (3, 4, 3, 5), (2, 5, 4, 8)], Layout.allCases)
    func rnnGradient(sizes: (Int, Int, Int, Int), layout: Layout) throws {
        let (d, h, k, t) = sizes
        for seed in testSeeds {
            var constants = ConstantSource(seed: seed)
            let rnn = try UnrolledRNN(inputSize: d, hidden: h, classes: k, steps: t, constants: &constants)
            var rng = SplitMix64(seed: seed)
            let theta = rnn.samplePoint(using: &rng)
            let r = try GradientCheck(layout: layout).run(rnn, at: theta)
            #expect(r.passed && r.total == d * h + h * h + h + h * k + k,
                    "D\(d) H\(h) K\(k) T\(t) seed \(seed): \(r.maxAbsoluteError)")
        }
    }

    @Test("singular values through dgesdd: known matrices and Σσ² = ‖A‖²_F")
    func singularValues() throws {
        #expect(try Matrix(diagonal: [3, -5, 1]).singularValues() == [5, 3, 1])
        // [[3, 0], [4, 5]] has singular values √45 and √5.
        let s = try Matrix([[3, 0], [4, 5]]).singularValues()
        #expect(close(s, [Double(45).squareRoot(), Double(5).squareRoot()], tolerance: 1e-14))
        var rng = SplitMix64(seed: 4)
        let a = randomMatrix(5, 3, &rng)
        let sv = try a.singularValues()
        #expect(sv.count == 3 && zip(sv, sv.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(abs(sv.dot(sv) - a.elements.dot(a.elements)) < 1e-13)
    }
}

@Suite("LSTM cell")
struct LSTMCellTests {
    @Test("the LSTM cell's Jacobian with respect to inputs, states and every gate's weights equals finite differences",
          arguments: [(1, 1), (3, 4), (2, 6)], Layout.allCases)
    func lstmJacobian(sizes: (Int, Int), layout: Layout) throws {
        let (d, h) = sizes
        let cell = try LSTMCell(inputSize: d, hidden: h)
        for seed in testSeeds {
            var rng = SplitMix64(seed: seed)
            let theta = cell.samplePoint(using: &rng)
            let r = try GradientCheck(layout: layout).run(cell, at: theta)
            #expect(r.passed, "D\(d) H\(h) seed \(seed): \(r.maxAbsoluteError) at \(String(describing: r.worst))")
            #expect(r.total == 2 * h * (d + 2 * h + 4 * ((d + h) * h + h)))
        }
    }
}

@Suite("BPTT recursion")
struct BPTTTests {
    /// The loss as a function of h_s alone: the steps after s re-run from the given state.
    struct LossFromState: VectorMap {
        let name = "loss-from-state"
        let rnn: UnrolledRNN
        let theta: [Double]
        let step: Int   // s, 1-based
        var inputShape: Shape { .vector(rnn.hidden) }
        var outputShape: Shape { .scalar }
        var formula: String { "δ_s" }
        func evaluate(at hs: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
            let p = rnn.unpack(theta)
            var h = hs, loss = 0.0
            for t in (step - 1)..<rnn.steps {
                if t > step - 1 {
                    let x = Array(rnn.inputs[(t * rnn.inputSize)..<((t + 1) * rnn.inputSize)])
                    h = zip(zip(p.wxh.leftMultiplied(by: x), p.whh.leftMultiplied(by: h)).map(+), p.b).map(+)
                        .map { tanh($0) }
                }
                let z = zip(p.v.leftMultiplied(by: h), p.c).map(+)
                loss += try SoftmaxCrossEntropy(shape: .vector(rnn.classes), target: rnn.oneHot(rnn.labels[t]))
                    .evaluate(at: z).value[0]
            }
            return ([loss], .dense(Matrix(rows: 1, columns: rnn.hidden)))
        }
    }

    @Test("every δₜ of the recursion is ∂L/∂hₜ (finite differences through the remaining steps)")
    func deltasAreStateGradients() throws {
        var constants = ConstantSource(seed: 2)
        let rnn = try UnrolledRNN(inputSize: 3, hidden: 4, classes: 3, steps: 5, constants: &constants)
        var rng = SplitMix64(seed: 2)
        let theta = rnn.samplePoint(using: &rng)
        let r = rnn.backPropagation(at: theta)
        let states = rnn.forward(theta).states
        for s in 1...rnn.steps {
            let map = LossFromState(rnn: rnn, theta: theta, step: s)
            let fd = try FiniteDifference.jacobian(of: map, at: states[s - 1], step: .auto).jacobian.elements
            #expect(close(fd, r.deltas[s - 1], tolerance: 1e-8), "δ_\(s): \(r.deltas[s - 1]) vs \(fd)")
        }
    }
}
