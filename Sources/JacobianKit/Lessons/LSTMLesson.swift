/// `lstm`: the notes-003 LSTM over a whole sequence: BPTT through h and C (δ_h, δ_C) checked against finite
/// differences, and where the note's δ_h recursion loses the cell path (N003-LSTM-DH-CELLPATH).
public struct LSTMLesson: Lesson {
    public let name = "lstm"
    public let summary = "note 003's LSTM over T steps: δ_h and δ_C by BPTT, checked; "
        + "where the note loses the cell path"

    /// The lesson.
    public init() {}

    public func run(_ log: LessonLog) throws {
        let model = try LSTMSequence(inputSize: 3, hidden: 4, classes: 3, steps: 5, seed: 3)
        let theta = model.parameters(seed: 3)
        log.say("An LSTM (D = 3, H = 4, K = 3) over T = 5 steps, softmax + cross-entropy at each step (seed 3):")
        log.say("  fₜ, iₜ, oₜ = σ(W hₜ₋₁ + U xₜ + b), aₜ = tanh(W_a hₜ₋₁ + U_a xₜ + b_a)")
        log.say("  Cₜ = Cₜ₋₁ ⊙ fₜ + iₜ ⊙ aₜ,  hₜ = oₜ ⊙ tanh Cₜ,  L = Σₜ −log softmax(V hₜ + c)[yₜ]")
        log.say("θ holds \(model.parameterCount) parameters; "
                + "L = \(TextFormat.number(model.forward(theta).loss, digits: 8)).")
        log.step("the gradient by BPTT, both layouts")
        log.verify("∂L/∂θ (numerator layout, 1×\(model.parameterCount))", try GradientCheck().run(model, at: theta))
        log.verify("∂L/∂θ (denominator layout, \(model.parameterCount)×1)",
                   try GradientCheck(layout: .denominator).run(model, at: theta))
        log.step("δ_h and δ_C, step by step, against finite differences on the state")
        log.say("  δ_hₜ = Vᵀ(ŷₜ − yₜ) + Σ_g W_gᵀ·∂L/∂(gate g at t+1)")
        log.say("  δ_Cₜ = δ_hₜ ⊙ oₜ ⊙ (1 − tanh² Cₜ) + δ_Cₜ₊₁ ⊙ fₜ₊₁   ← the cell path")
        let right = model.backward(theta), fd = model.finiteDifferenceDeltas(theta)
        let notes = model.backward(theta, cellPath: false)
        func relative(_ a: [Double], _ b: [Double]) -> Double {
            let num = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            let den = b.map { $0 * $0 }.reduce(0, +)
            return (num / max(den, 1e-300)).squareRoot()
        }
        log.say("   t   |δ_h − fd|/|fd|   |δ_C − fd|/|fd|   note 003's δ_h: |δ_h − fd|/|fd|")
        var worst = 0.0, notesErrors: [Double] = []
        for t in 0..<model.steps {
            let eh = relative(right.deltaH[t], fd.deltaH[t]), ec = relative(right.deltaC[t], fd.deltaC[t])
            let en = relative(notes.deltaH[t], fd.deltaH[t])
            worst = max(worst, eh, ec)
            notesErrors.append(en)
            log.say("   \(t + 1)   "
                    + [eh, ec].map { TextFormat.sci($0).padding(toLength: 18, withPad: " ", startingAt: 0) }
                    .joined() + TextFormat.sci(en))
        }
        log.verify("δ_h and δ_C with the cell path agree with finite differences at every step", worst < 1e-6,
                   detail: "largest relative error \(TextFormat.sci(worst))")
        log.slip("N003-LSTM-DH-CELLPATH", "note 003, lines 316–318 and 349–350", printed: "δ_hᵗ = (ŷᵗ − yᵗ)Vᵀ + "
                 + "δ_hᵗ⁺¹·∂hᵗ⁺¹/∂Cᵗ⁺¹·[gate terms] + δ_hᵗ⁺¹·∂hᵗ⁺¹/∂oᵗ⁺¹·∂oᵗ⁺¹/∂hᵗ",
                 right: "multiply the gate terms by δ_Cᵗ⁺¹ (the full ∂L/∂Cᵗ⁺¹), not δ_hᵗ⁺¹·∂hᵗ⁺¹/∂Cᵗ⁺¹")
        let lastTwo = notesErrors.suffix(2).allSatisfy { $0 < 1e-6 }
        let earlier = notesErrors.dropLast(2).allSatisfy { $0 > 1e-4 }
        log.verify("the note's δ_h is exact only at t = T and T − 1, where no later cell term exists",
                   lastTwo && earlier,
                   detail: "relative errors " + TextFormat.vector(notesErrors, format: TextFormat.sci))
        log.slip("N003-LSTM-CIRCULAR", "line 316", printed: "δ_hᵗ = ∂L/∂hᵗ = ∂L/∂hᵗ + …", right: "the first term is "
                 + "∂Lₜ/∂hᵗ, the output loss at step t only: at t = T that is all of δ_h")
        let last = model.forward(theta).steps[model.steps - 1]
        var dy = last.p
        dy[model.labels[model.steps - 1]] -= 1
        let outputTerm = times(transpose(model.unpack(theta).v, model.classes, model.hidden), dy)
        log.compare("δ_h at t = T is Vᵀ(ŷ_T − y_T)", notes: outputTerm, computed: fd.deltaH[model.steps - 1],
                    agree: true, tolerance: 1e-7)
        log.slip("N003-LSTM-A-NOTATION", "lines 249 and 279", printed: "aⁱ = tanh(W_a hᵗ⁻¹ + U_a xᵗ + b_a), then "
                 + "aⁱ = tanh(hᵗ⁻¹W_a + …)", right: "aᵗ, one form throughout (here the column form above)")
        log.verify("the column form is the one whose BPTT gradient checks",
                   try GradientCheck().run(model, at: theta).passed, detail: "see the two checks above")
    }
}
