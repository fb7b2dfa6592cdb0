/// `softmax`: diag(p) − p·pᵀ, the cross-entropy row −y/p, and their product collapsing to p − y.
public struct SoftmaxLesson: Lesson {
    public let name = "softmax"
    public let summary = "softmax's Jacobian diag(p) − ppᵀ, cross-entropy's row −y/p, and their product p − y"
    /// The softmax map (replaceable in tests, to see a ✗).
    public var softmax: any VectorMap = Softmax(shape: .vector(4))

    /// The lesson with its default maps.
    public init() {}

    public func run(_ log: LessonLog) throws {
        let z = [1.0, 2.0, 0.5, -1.0], y = [0.0, 1.0, 0.0, 0.0]
        let loss = CrossEntropy(shape: .vector(4), target: y)
        log.say("Logits z = \(TextFormat.vector(z)), one-hot target y = \(TextFormat.vector(y)).")
        log.step("softmax: p = exp(z)/Σexp(z), J = diag(p) − p·pᵀ")
        let (p, jp) = try softmax.evaluate(at: z)
        log.say("p = \(TextFormat.vector(p))")
        log.show("J(softmax)", jp)
        log.verify("J(softmax) = diag(p) − p·pᵀ", try GradientCheck().run(softmax, at: z))
        log.step("cross-entropy: L = −Σ y log p, J = (−y ⊘ p)ᵀ")
        let (l, jl) = try loss.evaluate(at: p)
        log.say("L = \(TextFormat.number(l[0], digits: 8))")
        log.show("J(cross-entropy) at p", jl)
        log.verify("J(cross-entropy) = (−y ⊘ p)ᵀ", try GradientCheck().run(loss, at: p))
        log.step("the product collapses: (−y ⊘ p)ᵀ·(diag(p) − p·pᵀ) = (p − y)ᵀ")
        let product = jl.multiplied(by: jp)
        log.show("J(cross-entropy)·J(softmax)", product)
        let pMinusY = zip(p, y).map(-)
        log.say("p − y = \(TextFormat.vector(pMinusY))")
        let collapses = zip(product.matrix.elements, pMinusY).allSatisfy { abs($0 - $1) <= 1e-15 }
        log.verify("the product equals p − y", collapses, detail: "entry for entry to 1e-15")
        log.verify("p − y is the gradient of L(softmax(z))",
                   try GradientCheck().run(Pipeline([softmax, loss]), at: z))
    }
}
