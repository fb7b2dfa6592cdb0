/// `chain`: the chain rule as a Jacobian product in both layouts (the 2021 notes, eqs. 2.3–2.5), and the
/// cost of multiplying a chain from either end.
public struct ChainLesson: Lesson {
    public let name = "chain"
    public let summary = "the chain rule as J(g)·J(f) and Jᵀ(f)·Jᵀ(g); forward vs reverse mode cost"

    /// The lesson with its default maps.
    public init() {}

    public func run(_ log: LessonLog) throws {
        let f = NotesExampleMap()
        var options = MapOptions()
        options.parameters = ["W": [0.5, -1, 0.25, 2, 1, -0.5], "b": [0.1, -0.2]]
        options.out = 2
        let g = try Catalog.build("linear | tanh", shape: .vector(3), options: options)
        let composite = Pipeline([f] + g.stages)
        let x = [0.3, -0.7]
        log.say("x ∈ R² →f→ y ∈ R³ →g→ z ∈ R², with f the notes' example and g(y) = tanh(W·y + b).")
        log.step("numerator layout: J(g∘f) = J(g)·J(f)")
        let (y, jf) = try f.evaluate(at: x)
        let (_, jg) = try g.evaluate(at: y)
        log.show("J(f) at x", jf)
        log.show("J(g) at y = f(x)", jg)
        let product = jg.multiplied(by: jf)
        log.show("J(g)·J(f)  (2×3 · 3×2)", product)
        log.verify("J(g)·J(f) is the Jacobian of g∘f", try GradientCheck(layout: .numerator).run(composite, at: x))
        log.step("denominator layout: Jᵀ(g∘f) = Jᵀ(f)·Jᵀ(g), eq. 2.4")
        let productT = jf.transposed().multiplied(by: jg.transposed())
        log.show("Jᵀ(f)·Jᵀ(g)  (2×3 · 3×2)", productT)
        let agree = zip(productT.matrix.elements, product.matrix.transposed().elements)
            .allSatisfy { abs($0 - $1) <= 1e-15 }
        log.verify("Jᵀ(f)·Jᵀ(g) = (J(g)·J(f))ᵀ", agree, detail: "every entry equal to 1e-15")
        log.verify("Jᵀ(f)·Jᵀ(g) is the transposed Jacobian of g∘f",
                   try GradientCheck(layout: .denominator).run(composite, at: x))
        log.step("which end first? forward vs reverse mode")
        log.say("For a chain of 10 layers of width 100 ending in a scalar loss (J: 1×100 · 100×100 · … · 100×100):")
        let factors = [Jacobian.dense(Matrix(rows: 1, columns: 100))]
            + (0..<9).map { _ in Jacobian.dense(Matrix(rows: 100, columns: 100)) }
        let chain = factors.reversed() as [Jacobian]
        let reverse = Pipeline.cost(chain, .reverse), forward = Pipeline.cost(chain, .forward)
        log.say("  left to right (reverse mode, rows):     \(reverse) multiply-adds")
        log.say("  right to left (forward mode, columns):  \(forward) multiply-adds")
        // Reverse: a 1×100 row times each 100×100 factor (9·100·100); forward: 100 columns through 8 factors,
        // then the loss row (8·100·100·100 + 100·100).
        log.verify("for a scalar loss, reverse mode needs \(forward / max(reverse, 1))× fewer multiply-adds",
                   reverse == 9 * 100 * 100 && forward == 8 * 100 * 100 * 100 + 100 * 100,
                   detail: "9·100² = \(reverse) against 8·100³ + 100² = \(forward)")
    }
}
