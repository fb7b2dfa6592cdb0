import JacobianKit

/// `jacobian xor --explain`: the notes' equations 3.18–3.27 for the first sample, live.
enum XORExplain {
    static func print(_ net: XORNetwork, layout: Layout) throws {
        let x = XORNetwork.inputs[0], t = XORNetwork.targets[0]
        let j = try net.jacobians(x: x, target: t)
        let name = layout == .numerator ? "J" : "Jᵀ"
        Output.line("XOR chain for sample x = (\(Int(x[0])), \(Int(x[1]))), t = \(Int(t)), \(layout.convention)")
        Output.line("θ1 (4×3):")
        Output.line(Output.matrix(net.theta1))
        Output.line("θ2 (1×5):")
        Output.line(Output.matrix(net.theta2))
        Output.line("forward: x2 = \(Output.vector(j.x2)), x3 = \(Output.vector(j.x3)), x4 = \(Output.number(j.output)), loss = \(Output.number(j.loss))")
        let items: [(String, String, Jacobian)] = [
            ("\(name)_x(f1)", "eq. 3.18, θ1 without its bias column", j.f1X),
            ("\(name)_θ1(f1)", "eq. 3.19, I₄ ⊗ [1; x]ᵀ", j.f1Theta1),
            ("\(name)(f2)", "eq. 3.22, [0ᵀ; diag(σ′(x2))]", j.f2),
            ("\(name)_x3(f3)", "eq. 3.24, σ′·θ2", j.f3X),
            ("\(name)_θ2(f3)", "eq. 3.25, σ′·x3ᵀ", j.f3Theta2),
            ("d f4/d x4", "eq. 3.27, x4 − t", j.f4),
        ]
        for (label, note, jac) in items {
            let m = jac.oriented(layout)
            Output.line()
            Output.line("\(label)  \(m.rows)×\(m.columns), \(m.structureName)  (\(note))")
            Output.line(Output.matrix(m, maxRows: 12, maxColumns: 12))
        }
        Output.line()
        let chain1 = layout == .numerator ? "J(f4)·J_x3(f3)·J(f2)·J_θ1(f1)" : "J_θ1ᵀ(f1)·Jᵀ(f2)·J_x3ᵀ(f3)·Jᵀ(f4)"
        let chain2 = layout == .numerator ? "J(f4)·J_θ2(f3)" : "J_θ2ᵀ(f3)·Jᵀ(f4)"
        let shapes1 = j.factorsTheta1(layout).map { "\($0.rows)×\($0.columns)" }.joined(separator: " · ")
        let g1 = j.chainTheta1(layout), g2 = j.chainTheta2(layout)
        Output.line("∇θ1 = \(chain1) = \(shapes1) → \(g1.rows)×\(g1.columns), multiplied from the loss end:")
        Output.line(Output.matrix(g1, maxRows: 12, maxColumns: 12))
        Output.line("∇θ2 = \(chain2) → \(g2.rows)×\(g2.columns):")
        Output.line(Output.matrix(g2, maxRows: 12, maxColumns: 12))
        let check = try GradientCheck(layout: layout).run(XORSampleLoss(network: net, x: x, target: t), at: net.theta1.elements + net.theta2.elements)
        Output.line()
        Output.line("finite-difference check of [∇θ1, ∇θ2] (17 weights, \(check.evaluations) evaluations, \(check.step.rule)):")
        Output.line("max |Δ| = \(Output.sci(check.maxAbsoluteError)), max relative error = \(Output.sci(check.maxRelativeError)), \(check.mismatches) / \(check.total) mismatched: \(check.passed ? "✓ PASS" : "✗ FAIL")")
        Output.line()
    }
}
