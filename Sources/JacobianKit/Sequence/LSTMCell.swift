import RealModule
import Foundation

/// One LSTM cell of notes 003, row convention, with u = [xₜ, hₜ₋₁] (1×(D+H)) and gates k ∈ {f, i, a, o}:
///
///     f = σ(u·W_f + b_f), i = σ(u·W_i + b_i), a = tanh(u·W_a + b_a), o = σ(u·W_o + b_o)
///     Cₜ = Cₜ₋₁ ⊙ f + i ⊙ a,   hₜ = o ⊙ tanh(Cₜ)
///
/// as a map of θ = [xₜ (D), hₜ₋₁ (H), Cₜ₋₁ (H), vec W_f, b_f, vec W_i, b_i, vec W_a, b_a, vec W_o, b_o] → [hₜ, Cₜ].
/// Its 2H×P Jacobian is assembled from the parts' Jacobians: J(g_k wrt u) = W_kᵀ, J(g_k wrt W_k) = u ⊗ I_H,
/// J(g_k wrt b_k) = I_H, the gates' diagonal σ′ / tanh′, and J(Cₜ wrt f, i, a, Cₜ₋₁) = diag(Cₜ₋₁), diag(a),
/// diag(i), diag(f); J(hₜ wrt o) = diag(tanh Cₜ), J(hₜ wrt Cₜ) = diag(o ⊙ (1 − tanh² Cₜ)).
public struct LSTMCell: VectorMap {
    public let name = "lstm-cell"
    /// Input size D and hidden size H.
    public let inputSize: Int, hidden: Int
    /// θ = [x (D), h (H), C (H), W_f ((D+H)×H), b_f (H), W_i, b_i, W_a, b_a, W_o, b_o], declared once.
    public let layout: ParameterLayout
    public var inputShape: Shape { .vector(layout.count) }
    public var inputBlocks: [InputBlock]? { layout.blocks }
    public func inputCoordinateName(_ k: Int) -> String { layout.coordinateName(k) }
    public var outputShape: Shape { .vector(2 * hidden) }
    public var formula: String {
        "[J(hₜ); J(Cₜ)] from W_kᵀ, u ⊗ I, I, diag(σ′), diag(Cₜ₋₁), diag(a), diag(i), diag(f), diag(tanh C)"
    }

    /// A cell with D = `inputSize`, H = `hidden`.
    public init(inputSize: Int, hidden: Int) throws {
        guard inputSize > 0, hidden > 0 else {
            throw JacobianError.invalidArgument("lstm-cell needs an input size D > 0 and a hidden size H > 0.")
        }
        let u = try CheckedSize.sum([inputSize, hidden], "lstm-cell's [x, h]")
        let gate = try CheckedSize.sum([CheckedSize.product(u, hidden, "lstm-cell's W_f"), hidden], "lstm-cell's gate")
        _ = try CheckedSize.sum([u, hidden, CheckedSize.product(4, gate, "lstm-cell's gates"), hidden],
                                "lstm-cell's input")
        self.inputSize = inputSize
        self.hidden = hidden
        let w = Shape.matrix(rows: inputSize + hidden, columns: hidden), b = Shape.vector(hidden)
        layout = ParameterLayout([("x", .vector(inputSize)), ("h", b), ("C", b), ("W_f", w), ("b_f", b),
                                  ("W_i", w), ("b_i", b), ("W_a", w), ("b_a", b), ("W_o", w), ("b_o", b)])
    }

    /// The forward pass, in Double or Complex (the one definition): u = [xₜ, hₜ₋₁], Cₜ₋₁, the gates' weights and
    /// activations (f, i, a, o), Cₜ and hₜ.
    func forward<T: GraphScalar>(_ theta: [T]) -> (u: [T], cPrev: [T], w: [[T]], act: [[T]], c: [T], h: [T]) {
        let p = layout.slices(theta), n = inputSize + hidden
        let u = p[0] + p[1]
        var w: [[T]] = [], act: [[T]] = []
        for k in 0..<4 {
            let pre = zip(T.vectorMatrix(u, p[3 + 2 * k], rows: n, columns: hidden), p[4 + 2 * k]).map(+)
            w.append(p[3 + 2 * k])
            act.append(pre.map { Elementwise.value(k == 2 ? .tanh : .sigmoid, $0) })
        }
        let (f, i, a, o) = (act[0], act[1], act[2], act[3])
        let c = (0..<hidden).map { p[2][$0] * f[$0] + i[$0] * a[$0] }
        let h = (0..<hidden).map { o[$0] * T.hyperbolicTangent(c[$0]) }
        return (u, p[2], w, act, c, h)
    }

    public func value(at theta: [Double]) throws -> [Double] {
        let r = forward(theta)
        return r.h + r.c
    }

    public func evaluate(at theta: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let (d, h) = (inputSize, hidden), n = d + h
        let r = forward(theta)
        let (f, i, a, o) = (r.act[0], r.act[1], r.act[2], r.act[3])
        let tanhC = r.c.map { Foundation.tanh($0) }
        // Each gate's activation Jacobian: diag(σ′) or, for the candidate a, diag(1 − a²).
        let gateDiag = (0..<4).map { k in Jacobian.diagonal(r.act[k].map { k == 2 ? 1 - $0 * $0 : $0 * (1 - $0) }) }
        // J(Cₜ wrt gate k's activation): f → diag(Cₜ₋₁), i → diag(a), a → diag(i), o → 0.
        let cWrtGate: [Jacobian?] = [.diagonal(r.cPrev), .diagonal(a), .diagonal(i), nil]
        let hWrtC = Jacobian.diagonal((0..<h).map { o[$0] * (1 - tanhC[$0] * tanhC[$0]) })
        let hWrtO = Jacobian.diagonal(tanhC)
        var jc = Matrix(rows: h, columns: inputShape.count), jh = Matrix(rows: h, columns: inputShape.count)
        func place(_ block: Jacobian, column start: Int) {
            let bc = block.matrix, bh = hWrtC.multiplied(by: block).matrix
            for row in 0..<h { for col in 0..<bc.columns {
                jc[row, start + col] += bc[row, col]
                jh[row, start + col] += bh[row, col]
            } }
        }
        func placeH(_ block: Jacobian, column start: Int) {
            let b = block.matrix
            for row in 0..<h { for col in 0..<b.columns { jh[row, start + col] += b[row, col] } }
        }
        // Cₜ₋₁ directly: J(Cₜ wrt Cₜ₋₁) = diag(f).
        place(.diagonal(f), column: n)
        var at = n + h
        let uRow = Jacobian.kronecker(.matrix(Matrix(unchecked: 1, n, r.u)), .identity(h))
        for k in 0..<4 {
            let wk = Matrix(unchecked: n, h, r.w[k])
            let blocks: [(Jacobian, Int)] = [(.dense(wk.transposed()), 0), (uRow, at), (.identity(h), at + n * h)]
            for (part, start) in blocks {
                let local = gateDiag[k].multiplied(by: part)                 // J(gate k activation wrt the part)
                if let cg = cWrtGate[k] { place(cg.multiplied(by: local), column: start) }
                else { placeH(hWrtO.multiplied(by: local), column: start) }   // the output gate reaches hₜ only
            }
            at += n * h + h
        }
        let j = try Matrix(rows: 2 * h, columns: inputShape.count, elements: jh.elements + jc.elements)
        return (r.h + r.c, .dense(j))
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] { rng.uniform(count: inputShape.count, -0.8, 0.8) }
}

extension LSTMCell: ComplexEvaluable {
    public func complexValue(at theta: [ComplexDouble]) throws -> [ComplexDouble] {
        let r = forward(theta)
        return r.h + r.c
    }
}
