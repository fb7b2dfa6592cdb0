import JacobianKit

/// `mnist --explain` and `mnist --check`.
enum MNISTExplain {
    /// One sample's chain of Jacobians for the first layer's weights, with shapes, structure and multiplication
    /// counts of the structured product against dense matrices, in `layout`.
    static func print(_ net: MLP, sample: (x: Matrix, labels: [UInt8]), layout: Layout) {
        let f = net.forward(sample.x)
        let layers = net.weights.count
        Output.line("chain for ∂L/∂W_1 at training image 0 (label \(sample.labels[0])), \(layout.convention)")
        // Factors from the loss end, numerator shapes: loss row, then per layer J(z wrt a) = W and diag(σ′), then I⊗aᵀ.
        var factors: [(String, Int, Int, String, BatchJacobian?)] = [
            ("J(loss wrt z_\(layers)) = (p − y)ᵀ", 1, 10, "dense row (fused softmax + cross-entropy)", nil)]
        for l in stride(from: layers - 1, to: 0, by: -1) {
            let w = net.weights[l]
            factors.append(("J(z_\(l + 1) wrt a_\(l)) = W_\(l + 1)", w.rows, w.columns, "dense, shared by the batch",
                            .shared(w)))
            factors.append(("J(a_\(l) wrt z_\(l)) = diag(σ′(z_\(l)))", w.columns, w.columns, "diagonal",
                            .diagonal(f.derivatives[l - 1])))
        }
        let first = net.weights[0]
        factors.append(("J(z_1 wrt W_1) = I ⊗ xᵀ", first.rows, first.rows * first.columns,
                        "I⊗xᵀ (block diagonal"
                            + (f.inputColumns.map { "; x is zero outside \($0.count) of \(f.inputWidth) pixels" } ?? "")
                            + ")",
                        f.firstLayerJacobian(m: first.rows)))
        var structured = 0, dense = 0
        var width = 1
        for (name, rows, columns, structure, batch) in factors {
            let (r, c) = layout == .numerator ? (rows, columns) : (columns, rows)
            Output.line("  \(name): \(r)×\(c), \(structure)")
            if let b = batch {
                let (s, d) = b.multiplications(batch: 1, width: width)
                structured += s
                dense += d
            }
            width = columns
        }
        let order = layout == .numerator ? "left to right" : "right to left"
        Output.line("multiplied \(order) from the loss end: \(structured) multiplications with the structure, "
                    + "\(dense) with dense matrices (\(dense / max(structured, 1))× more); "
                    + "result ∂L/∂W_1 has W_1's shape \(first.rows)×\(first.columns)")
        Output.line("over a batch of B images each step is one BLAS call (W), one elementwise pass (diag) "
                    + "and Gᵀ·X (I⊗xᵀ, summed)")
        Output.line()
    }

    /// Checks the network's gradient on 4 training images for 24 seeded weights; prints the figures.
    static func check(_ net: MLP, data: MNISTSplit, layout: Layout, seed: UInt64, json: Bool) throws -> Bool {
        let (x, labels) = data.batch(Array(0..<min(4, data.count))[...])
        let loss = NetworkLoss(network: net, x: x, labels: labels, l2: 0, layout: layout, count: 24, seed: seed)
        let report = try GradientCheck(layout: layout).run(loss, at: loss.point)
        if json {
            try Output.json(CheckSummary(check: "network-gradient", parameters: report.total,
                                         evaluations: report.evaluations, maxAbsoluteError: report.maxAbsoluteError,
                                         maxRelativeError: report.maxRelativeError, passed: report.passed))
        } else {
            Output.line("gradient check: \(report.total) weights on \(x.rows) images, "
                        + "\(report.evaluations) evaluations, "
                        + "max |Δ| \(Output.sci(report.maxAbsoluteError)), "
                        + "max relative error \(Output.sci(report.maxRelativeError)): "
                        + (report.passed ? "✓ PASS" : "✗ FAIL"))
        }
        return report.passed
    }

    struct CheckSummary: Encodable {
        var check: String, parameters: Int, evaluations: Int, maxAbsoluteError: Double, maxRelativeError: Double,
            passed: Bool
    }
}
