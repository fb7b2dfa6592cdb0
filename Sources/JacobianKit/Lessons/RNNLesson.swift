/// `rnn`: back-propagation through time as products of step Jacobians on a tiny sequence, verified, and
/// the singular values of ∏ ∂hₜ₊₁/∂hₜ showing gradients vanish over time.
public struct RNNLesson: Lesson {
    public let name = "rnn"
    public let summary = "BPTT: δₜ = (pₜ − yₜ)Vᵀ + δₜ₊₁·∂hₜ₊₁/∂hₜ, and the vanishing product of step Jacobians"

    /// The lesson with its default maps.
    public init() {}

    public func run(_ log: LessonLog) throws {
        var constants = ConstantSource(seed: 3)
        let rnn = try UnrolledRNN(inputSize: 3, hidden: 4, classes: 3, steps: 6, constants: &constants)
        var rng = SplitMix64(seed: 3)
        let theta = rnn.samplePoint(using: &rng)
        log.say("hₜ = tanh(xₜ·W_xh + hₜ₋₁·W_hh + b), zₜ = hₜ·V + c, L = Σₜ cross-entropy(softmax(zₜ), yₜ): "
                + "D = 3, H = 4, K = 3, T = 6.")
        log.say("(Row convention, as notes 003: a row vector times W.)")
        log.step("the recursion")
        log.say("δₜ = ∂L/∂hₜ = (pₜ − yₜ)·J(zₜ wrt hₜ) + δₜ₊₁·J(hₜ₊₁ wrt hₜ), with")
        log.say("J(zₜ wrt hₜ) = Vᵀ (K×H) and J(hₜ₊₁ wrt hₜ) = diag(1 − hₜ₊₁²)·W_hhᵀ (H×H): "
                + "one row times two Jacobians per step.")
        let steps = rnn.stateJacobians(at: theta)
        log.show("J(h₆ wrt h₅) = diag(1 − h₆²)·W_hhᵀ", steps[4])
        log.step("every parameter's gradient: Σₜ (row at step t)·J(step t wrt the parameter)")
        log.say("e.g. J(aₜ wrt W_xh) = xₜ ⊗ I_H and J(zₜ wrt V) = hₜ ⊗ I_K; \(rnn.parameterCount) parameters in all.")
        log.verify("BPTT gives the gradient of L with respect to all \(rnn.parameterCount) parameters",
                   try GradientCheck(layout: .numerator).run(rnn, at: theta))
        log.verify("and in denominator layout", try GradientCheck(layout: .denominator).run(rnn, at: theta))
        log.step("vanishing gradients: singular values of ∂h₆/∂h₆₋ₖ = ∏ J(hₜ₊₁ wrt hₜ)")
        var product = Jacobian.identity(4)
        var largest: [Double] = []
        for (k, j) in steps.reversed().enumerated() {
            product = product.multiplied(by: j)
            let s = try product.matrix.singularValues()
            largest.append(s[0])
            log.say("  k = \(k + 1): σ = \(TextFormat.vector(s))")
        }
        log.verify("the largest singular value shrinks at every step back in time",
                   zip(largest, largest.dropFirst()).allSatisfy { $0 > $1 },
                   detail: "\(TextFormat.sci(largest.first!)) → \(TextFormat.sci(largest.last!)) "
                   + "(|tanh′| ≤ 1 and ‖W_hh‖ < 1 here)")
        let direct = try product.matrix.singularValues()
        let frobenius = product.matrix.elements.dot(product.matrix.elements)
        log.verify("Σσ² equals ‖∏J‖²_F (the SVD is consistent)",
                   abs(direct.dot(direct) - frobenius) <= 1e-12 * max(1, frobenius),
                   detail: "\(TextFormat.sci(direct.dot(direct))) vs \(TextFormat.sci(frobenius))")
    }
}
