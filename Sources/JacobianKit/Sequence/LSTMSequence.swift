import RealModule
import Foundation

/// The LSTM of notes 003 over a sequence x₁…x_T, column form, with a softmax output and cross-entropy at every step:
///
///     gₜ = act_g(W_g hₜ₋₁ + U_g xₜ + b_g) for g ∈ {f, i, a, o} (σ, σ, tanh, σ)
///     Cₜ = Cₜ₋₁ ⊙ fₜ + iₜ ⊙ aₜ,   hₜ = oₜ ⊙ tanh(Cₜ),   L = Σₜ −log softmax(V hₜ + c)[yₜ]
///
/// as a map θ = [vec W_f, W_i, W_a, W_o (H×H each), vec U_f … U_o (H×D), b_f … b_o (H), vec V (K×H), c (K)] → L.
/// Its 1×P Jacobian is back-propagation through time along both paths: δ_hₜ = ∂L/∂hₜ and δ_Cₜ = ∂L/∂Cₜ,
///
///     δ_hₜ = Vᵀ(ŷₜ − yₜ) + Σ_g W_gᵀ[∂L/∂(gate g pre-activation at t+1)]
///     δ_Cₜ = δ_hₜ ⊙ oₜ ⊙ (1 − tanh² Cₜ) + δ_Cₜ₊₁ ⊙ fₜ₊₁            (the cell path)
public struct LSTMSequence: VectorMap {
    public let name = "lstm-sequence"
    /// Input size D, hidden size H, classes K, steps T.
    public let inputSize: Int, hidden: Int, classes: Int, steps: Int
    /// x₁…x_T (T×D row-major), the class of each step, h₀ and C₀.
    public let inputs: [Double], labels: [Int], initialH: [Double], initialC: [Double]

    /// θ = [W_f, W_i, W_a, W_o (H×H), U_f … U_o (H×D), b_f … b_o (H), V (K×H), c (K)], declared once.
    public let layout: ParameterLayout
    public var inputShape: Shape { .vector(parameterCount) }
    public var inputBlocks: [InputBlock]? { layout.blocks }
    public func inputCoordinateName(_ k: Int) -> String { layout.coordinateName(k) }
    public var outputShape: Shape { .scalar }
    public var formula: String { "Σₜ BPTT rows with δ_h and δ_C (cell path δ_Cₜ₊₁ ⊙ fₜ₊₁)" }

    /// P = 4H² + 4HD + 4H + KH + K.
    public var parameterCount: Int { layout.count }

    /// A sequence model with inputs, labels and initial state drawn from `seed`; sizes checked before allocating.
    public init(inputSize: Int, hidden: Int, classes: Int, steps: Int, seed: UInt64) throws {
        guard (1...256).contains(inputSize), (1...256).contains(hidden), (2...256).contains(classes),
              (1...1000).contains(steps) else {
            throw JacobianError.invalidArgument("an LSTM sequence needs D and H in 1…256, K in 2…256 and T in 1…1000.")
        }
        (self.inputSize, self.hidden, self.classes, self.steps) = (inputSize, hidden, classes, steps)
        let gates = ["f", "i", "a", "o"]
        layout = ParameterLayout(gates.map { ("W_\($0)", .matrix(rows: hidden, columns: hidden)) }
            + gates.map { ("U_\($0)", .matrix(rows: hidden, columns: inputSize)) }
            + gates.map { ("b_\($0)", .vector(hidden)) }
            + [("V", .matrix(rows: classes, columns: hidden)), ("c", .vector(classes))])
        var rng = SplitMix64(seed: seed)
        inputs = rng.uniform(count: steps * inputSize, -1, 1)
        labels = (0..<steps).map { _ in Int(rng.next() % UInt64(classes)) }
        initialH = rng.uniform(count: hidden, -0.5, 0.5)
        initialC = rng.uniform(count: hidden, -0.5, 0.5)
    }

    /// Parameters drawn from `seed`, scaled so the gates are neither saturated nor linear.
    public func parameters(seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed &+ 0x9E37)
        return rng.uniform(count: parameterCount, -0.6, 0.6)
    }

    /// The forward pass's record of one step.
    public struct Step: Sendable {
        /// hₜ₋₁, Cₜ₋₁, the four gate activations (f, i, a, o), Cₜ, hₜ, ŷₜ.
        public var hPrev: [Double], cPrev: [Double], gates: [[Double]], c: [Double], h: [Double], p: [Double]
    }

    struct Weights {
        var w: [[Double]], u: [[Double]], b: [[Double]], v: [Double], c: [Double]
    }

    func unpack(_ theta: [Double]) -> Weights {
        let p = layout.slices(theta)
        return Weights(w: Array(p[0..<4]), u: Array(p[4..<8]), b: Array(p[8..<12]), v: p[12], c: p[13])
    }

    /// Runs the sequence; `replace` (t, h, C) overrides the state after step t (1-based) for finite differences.
    public func forward(_ theta: [Double], replace: (step: Int, h: [Double]?, c: [Double]?)? = nil)
        -> (loss: Double, steps: [Step])
    {
        let p = unpack(theta), (hn, d) = (hidden, inputSize)
        var h = initialH, cell = initialC, loss = 0.0, record: [Step] = []
        for t in 0..<steps {
            let x = Array(inputs[(t * d)..<(t * d + d)])
            var gates: [[Double]] = []
            for g in 0..<4 {
                let pre = zip(zip(times(p.w[g], h), times(p.u[g], x)).map(+), p.b[g]).map(+)
                gates.append(pre.map { g == 2 ? Foundation.tanh($0) : 1 / (1 + Foundation.exp(-$0)) })
            }
            var c = (0..<hn).map { cell[$0] * gates[0][$0] + gates[1][$0] * gates[2][$0] }
            var hOut = (0..<hn).map { gates[3][$0] * Foundation.tanh(c[$0]) }
            if let r = replace, r.step == t + 1 { c = r.c ?? c; hOut = r.h ?? hOut }
            let z = zip(times(p.v, hOut), p.c).map(+), m = z.max() ?? 0
            let e = z.map { Foundation.exp($0 - m) }, s = e.reduce(0, +)
            let prob = e.map { $0 / s }
            loss -= Foundation.log(prob[labels[t]])
            record.append(Step(hPrev: h, cPrev: cell, gates: gates, c: c, h: hOut, p: prob))
            (h, cell) = (hOut, c)
        }
        return (loss, record)
    }

    /// BPTT: the gradient (row-major blocks as θ) and δ_hₜ, δ_Cₜ for t = 1…T. With `cellPath: false`, the
    /// recursion of notes 003 (lines 316–350): everything reaching Cₜ₊₁ is routed through δ_hₜ₊₁·∂hₜ₊₁/∂Cₜ₊₁,
    /// so the term δ_Cₜ₊₂ ⊙ fₜ₊₂ that flows back along the cell is lost (the gate terms are the corrected ones).
    public func backward(_ theta: [Double], cellPath: Bool = true)
        -> (gradient: [Double], deltaH: [[Double]], deltaC: [[Double]])
    {
        let p = unpack(theta), (hn, d, k) = (hidden, inputSize, classes)
        let steps = forward(theta).steps
        var gw = [[Double]](repeating: [Double](repeating: 0, count: hn * hn), count: 4)
        var gu = [[Double]](repeating: [Double](repeating: 0, count: hn * d), count: 4)
        var gb = [[Double]](repeating: [Double](repeating: 0, count: hn), count: 4)
        var gv = [Double](repeating: 0, count: k * hn), gc = [Double](repeating: 0, count: k)
        var dhNext = [Double](repeating: 0, count: hn), dcNext = [Double](repeating: 0, count: hn)
        var deltaH = [[Double]](repeating: [], count: self.steps), deltaC = deltaH
        for t in stride(from: self.steps - 1, through: 0, by: -1) {
            let s = steps[t], x = Array(inputs[(t * d)..<(t * d + d)])
            var dy = s.p
            dy[labels[t]] -= 1
            for r in 0..<k { gc[r] += dy[r]; for j in 0..<hn { gv[r * hn + j] += dy[r] * s.h[j] } }
            let dh = zip(times(transpose(p.v, k, hn), dy), dhNext).map(+)
            let tanhC = s.c.map { Foundation.tanh($0) }
            let local = hadamard(hadamard(dh, s.gates[3]), tanhC.map { 1 - $0 * $0 })
            let dc = zip(local, dcNext).map(+)
            deltaH[t] = dh
            deltaC[t] = dc
            // Gate activations' gradients, then the pre-activations'.
            let (f, i, a, o) = (s.gates[0], s.gates[1], s.gates[2], s.gates[3])
            func preGrads(_ dC: [Double]) -> [[Double]] {
                let sf = f.map { $0 * (1 - $0) }, si = i.map { $0 * (1 - $0) }
                let ta = a.map { 1 - $0 * $0 }, so = o.map { $0 * (1 - $0) }
                return [hadamard(hadamard(dC, s.cPrev), sf), hadamard(hadamard(dC, a), si),
                        hadamard(hadamard(dC, i), ta), hadamard(hadamard(dh, tanhC), so)]
            }
            let dz = preGrads(dc)
            for g in 0..<4 {
                for r in 0..<hn {
                    gb[g][r] += dz[g][r]
                    for j in 0..<hn { gw[g][r * hn + j] += dz[g][r] * s.hPrev[j] }
                    for j in 0..<d { gu[g][r * d + j] += dz[g][r] * x[j] }
                }
            }
            // What reaches hₜ₋₁: through every gate. The notes route the gates by δ_hₜ·∂hₜ/∂Cₜ (local) only.
            let dzForH = cellPath ? dz : preGrads(local)
            dhNext = [Double](repeating: 0, count: hn)
            for g in 0..<4 { dhNext = zip(dhNext, times(transpose(p.w[g], hn, hn), dzForH[g])).map(+) }
            dcNext = zip(dc, f).map(*)
        }
        return (gw.flatMap { $0 } + gu.flatMap { $0 } + gb.flatMap { $0 } + gv + gc, deltaH, deltaC)
    }

    /// δ_hₜ and δ_Cₜ by central differences on the state after step t (h or C replaced, the rest recomputed).
    public func finiteDifferenceDeltas(_ theta: [Double], step h: Double = 1e-6)
        -> (deltaH: [[Double]], deltaC: [[Double]])
    {
        let base = forward(theta).steps
        var dH: [[Double]] = [], dC: [[Double]] = []
        for t in 0..<steps {
            var rowH: [Double] = [], rowC: [Double] = []
            for j in 0..<hidden {
                var up = base[t].h, down = base[t].h
                up[j] += h
                down[j] -= h
                rowH.append((forward(theta, replace: (t + 1, up, nil)).loss
                             - forward(theta, replace: (t + 1, down, nil)).loss) / (2 * h))
                // Cₜ also feeds hₜ: replace C and recompute h from it.
                var cu = base[t].c, cd = base[t].c
                cu[j] += h
                cd[j] -= h
                let hu = (0..<hidden).map { base[t].gates[3][$0] * Foundation.tanh(cu[$0]) }
                let hd = (0..<hidden).map { base[t].gates[3][$0] * Foundation.tanh(cd[$0]) }
                rowC.append((forward(theta, replace: (t + 1, hu, cu)).loss
                             - forward(theta, replace: (t + 1, hd, cd)).loss) / (2 * h))
            }
            dH.append(rowH)
            dC.append(rowC)
        }
        return (dH, dC)
    }

    public func value(at theta: [Double]) throws -> [Double] {
        guard theta.count == parameterCount else {
            throw JacobianError.shapeMismatch("the LSTM sequence has \(parameterCount) parameters, not \(theta.count)")
        }
        return [forward(theta).loss]
    }

    public func evaluate(at theta: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let v = try value(at: theta)
        let g = backward(theta).gradient
        return (v, .dense(try Matrix(rows: 1, columns: g.count, elements: g)))
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] { rng.uniform(count: parameterCount, -0.6, 0.6) }
}
