import Foundation

/// A gradient with the network's own shapes: one m×n matrix and one bias vector per layer.
public struct Gradients: Sendable {
    /// ∂L/∂W_l, the shape of W_l (row-major, in both layouts).
    public var weights: [Matrix]
    /// ∂L/∂b_l.
    public var biases: [[Double]]
}

extension MLP {
    /// Mean softmax cross-entropy of the batch plus λ/2·Σ‖W_l‖², and its gradient by the chain of layer
    /// Jacobians in `layout`, pulled back from the loss end:
    ///
    ///     ∂L/∂W_l = J(loss)·J(z_L wrt a)·diag(σ′)·…·J(z_l wrt W_l),   J(z_l wrt W_l) = I ⊗ aᵀ
    ///
    /// over the batch: the fused softmax-cross-entropy rows (p − y)/B, then `.shared(W)` and `.diagonal(σ′)`
    /// pull-backs, and each weight's `.identityKronecker` pull-back summed over the batch, plus λW.
    public func lossAndGradients(_ x: Matrix, labels: ArraySlice<UInt8>, l2: Double, layout: Layout)
        -> (loss: Double, gradients: Gradients, forward: ForwardPass)
    {
        var gw = weights.map { Matrix(rows: $0.rows, columns: $0.columns) }
        var gb = [[Double]](repeating: [], count: weights.count)
        let (loss, f) = backward(x, labels: labels, l2: l2, layout: layout) { l, kronecker, g in
            kronecker.summedPullback(g, layout: layout, into: &gw[l], alpha: 1, beta: 0)
            if l2 != 0 {
                let w = weights[l]
                gw[l].elements.withUnsafeMutableBufferPointer { gp in
                    for k in 0..<gp.count { gp[k] += l2 * w.elements[k] }
                }
            }
        } biasGradient: { l, b in
            gb[l] = b
        }
        return (loss, Gradients(weights: gw, biases: gb), f)
    }

    /// The forward pass and the chain of layer Jacobians pulled back from the loss end (see `lossAndGradients`).
    /// For each layer, from the last, `weightGradient(l, J, G)` receives the batch's cotangents G and the
    /// weights' Jacobian J = I ⊗ aᵀ (so the caller decides where Σ_b v_bᵀ·J goes: a new matrix, or straight
    /// into a momentum buffer), and `biasGradient(l, Σ_b v_b)`. Returns the loss (with λ/2·Σ‖W‖²).
    public func backward(_ x: Matrix, labels: ArraySlice<UInt8>, l2: Double, layout: Layout,
                         weightGradient: (Int, BatchJacobian, Matrix) -> Void,
                         biasGradient: (Int, [Double]) -> Void) -> (loss: Double, forward: ForwardPass) {
        let f = forward(x)
        let batch = x.rows, classes = sizes[sizes.count - 1]
        var loss = 0.0
        var g = f.probabilities
        let scale = 1 / Double(batch)
        g.elements.withUnsafeMutableBufferPointer { gp in
            for (r, label) in labels.enumerated() {
                let y = Int(label)
                loss -= Foundation.log(max(gp[r * classes + y], .leastNormalMagnitude))
                gp[r * classes + y] -= 1
                for j in 0..<classes { gp[r * classes + j] *= scale }
            }
        }
        loss *= scale
        // Rows (numerator) or columns (denominator) of the loss Jacobians.
        if layout == .denominator { g = g.transposed() }
        for l in weights.indices.reversed() {
            if l2 != 0 { loss += 0.5 * l2 * weights[l].elements.dot(weights[l].elements) }
            let kronecker = l == 0 ? f.firstLayerJacobian(m: sizes[1])
                : .identityKronecker(m: sizes[l + 1], inputs: f.inputs[l])
            weightGradient(l, kronecker, g)
            biasGradient(l, Self.batchSum(g, layout: layout))
            if l > 0 {
                g = BatchJacobian.shared(weights[l]).pullback(g, layout: layout)
                g = BatchJacobian.diagonal(f.derivatives[l - 1]).pullback(g, layout: layout)
            }
        }
        return (loss, f)
    }

    /// Σ_b v_bᵀ·I: column sums of G (numerator, B×m) or row sums of Gᵀ (denominator, m×B).
    static func batchSum(_ g: Matrix, layout: Layout) -> [Double] {
        if layout == .numerator {
            var s = [Double](repeating: 0, count: g.columns)
            for r in 0..<g.rows { for j in 0..<g.columns { s[j] += g.elements[r * g.columns + j] } }
            return s
        }
        return (0..<g.rows).map { i in
            var s = 0.0
            for b in 0..<g.columns { s += g.elements[i * g.columns + b] }
            return s
        }
    }
}
