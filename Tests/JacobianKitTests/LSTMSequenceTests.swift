import Foundation
import JacobianKit
import Testing

@Suite("LSTM over a sequence")
struct LSTMSequenceTests {
    @Test("BPTT through h and C equals finite differences for every parameter, both layouts",
          arguments: [(1, 1, 2, 1), (3, 4, 3, 5), (2, 5, 4, 8), (4, 3, 2, 3)], Layout.allCases)
    func gradient(sizes: (Int, Int, Int, Int), layout: Layout) throws {
        let (d, h, k, t) = sizes
        for seed: UInt64 in [1, 2, 3] {
            let model = try LSTMSequence(inputSize: d, hidden: h, classes: k, steps: t, seed: seed)
            let theta = model.parameters(seed: seed)
            let report = try GradientCheck(layout: layout).run(model, at: theta)
            #expect(report.passed, "D=\(d) H=\(h) K=\(k) T=\(t) seed \(seed): max |Δ| \(report.maxAbsoluteError)")
            #expect(report.total == model.parameterCount)
            let j = try model.evaluate(at: theta).jacobian
            #expect(layout == .numerator ? report.analytic.rows == 1 : report.analytic.columns == 1, "\(j.rows)")
        }
    }

    @Test("δ_h and δ_C at every step equal finite differences on the state", arguments: [UInt64(1), 2, 3])
    func deltas(seed: UInt64) throws {
        let model = try LSTMSequence(inputSize: 3, hidden: 4, classes: 3, steps: 6, seed: seed)
        let theta = model.parameters(seed: seed)
        let right = model.backward(theta), fd = model.finiteDifferenceDeltas(theta)
        for t in 0..<model.steps {
            for j in 0..<model.hidden {
                #expect(abs(right.deltaH[t][j] - fd.deltaH[t][j]) <= 1e-7 + 1e-5 * abs(fd.deltaH[t][j]), "δ_h t=\(t)")
                #expect(abs(right.deltaC[t][j] - fd.deltaC[t][j]) <= 1e-7 + 1e-5 * abs(fd.deltaC[t][j]), "δ_C t=\(t)")
            }
        }
    }

    @Test("note 003's recursion without the cell path is exact only at the last two steps",
          arguments: [UInt64(1), 2, 3])
    func notesRecursionLosesTheCellPath(seed: UInt64) throws {
        let model = try LSTMSequence(inputSize: 3, hidden: 4, classes: 3, steps: 5, seed: seed)
        let theta = model.parameters(seed: seed)
        let notes = model.backward(theta, cellPath: false), fd = model.finiteDifferenceDeltas(theta)
        func gap(_ t: Int) -> Double { zip(notes.deltaH[t], fd.deltaH[t]).map { abs($0 - $1) }.max()! }
        #expect(gap(4) < 1e-7 && gap(3) < 1e-7)
        #expect(gap(0) > 1e-4 || gap(1) > 1e-4 || gap(2) > 1e-4)
    }

    @Test("bad sizes and a wrong parameter count are clear errors, not traps")
    func badInput() throws {
        #expect(throws: JacobianError.self) { try LSTMSequence(inputSize: 0, hidden: 4, classes: 3, steps: 2, seed: 0) }
        #expect(throws: JacobianError.self) { try LSTMSequence(inputSize: 2, hidden: 4, classes: 1, steps: 2, seed: 0) }
        #expect(throws: JacobianError.self) {
            try LSTMSequence(inputSize: 2, hidden: 1 << 40, classes: 3, steps: 2, seed: 0)
        }
        let model = try LSTMSequence(inputSize: 2, hidden: 3, classes: 2, steps: 2, seed: 0)
        #expect(throws: JacobianError.self) { try model.value(at: [1, 2, 3]) }
    }
}
