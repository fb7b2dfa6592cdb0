/// `matrix-calculus`: the matrix-differential rules of notes 001, each as a row-major Jacobian with its
/// Kronecker form, verified; and the notes' two worked examples.
public struct MatrixCalculusLesson: Lesson {
    public let name = "matrix-calculus"
    public let summary = "d(AXB), d(Xᵀ), d tr X, d(X⁻¹), d|X|, Hadamard, elementwise — as Kronecker-form Jacobians"

    /// The lesson with its default maps.
    public init() {}

    public func run(_ log: LessonLog) throws {
        log.say("Under row-major vec (x[i·q + j] = X[i][j]), a differential dY = A·dX·B is the Jacobian A ⊗ Bᵀ.")
        let shape = Shape.matrix(rows: 2, columns: 2)
        let x: [Double] = [2, 0.5, -1, 3]
        var constants = ConstantSource(given: ["A": [1, 2, 0, -1], "B": [0.5, 1, -2, 1], "a": [1, -2], "b": [0.5, 3]],
                                       seed: 0)
        let rules: [(String, any VectorMap)] = [
            ("product: d(A·X·B) = A·dX·B, so J = A ⊗ Bᵀ", try MatrixProduct(shape: shape, constants: &constants)),
            ("transpose: d(Xᵀ) = (dX)ᵀ, so J is the commutation permutation", try Transpose(shape: shape)),
            ("trace: d tr X = tr dX, so J = vec(I)ᵀ", try Trace(shape: shape)),
            ("inverse: d(X⁻¹) = −X⁻¹·dX·X⁻¹, so J = −X⁻¹ ⊗ X⁻ᵀ", try Inverse(shape: shape)),
            ("determinant: d|X| = |X|·tr(X⁻¹dX), so J = vec(|X|·X⁻ᵀ)ᵀ", try Determinant(shape: shape)),
            ("Hadamard: d(A ⊙ X) = A ⊙ dX, so J = diag(vec A)", try Hadamard(shape: shape, constants: &constants)),
            ("elementwise: d exp(X) = exp(X) ⊙ dX, so J = diag(vec exp X)",
             Elementwise(.exp, name: "exp", shape: shape)),
        ]
        log.say("X = [[2, 0.5], [−1, 3]], A = [[1, 2], [0, −1]], B = [[0.5, 1], [−2, 1]].")
        for (rule, map) in rules {
            log.step(rule)
            let (_, j) = try map.evaluate(at: x)
            log.show("J (\(map.formula))", j)
            log.verify(rule.components(separatedBy: ":")[0] + " rule", try GradientCheck().run(map, at: x))
        }
        log.step("worked example 1: f = aᵀ·X·b, ∂f/∂X = a·bᵀ")
        let ex1 = try Bilinear(shape: shape, exponential: false, constants: &constants)
        let g1 = try ex1.evaluate(at: x).jacobian.matrix.elements
        log.say("a = (1, −2), b = (0.5, 3): ∂f/∂X reshaped 2×2 = \(TextFormat.vector(g1)) = a·bᵀ = [0.5, 3, −1, −6]")
        log.verify("∂(aᵀXb)/∂X = a·bᵀ", g1 == [0.5, 3, -1, -6], detail: "exactly")
        log.verify("and it is the gradient", try GradientCheck().run(ex1, at: x))
        log.step("worked example 2: f = aᵀ·exp(X·b), ∂f/∂X = (a ⊙ exp(X·b))·bᵀ")
        let ex2 = try Bilinear(shape: shape, exponential: true, constants: &constants)
        let g2 = try ex2.evaluate(at: x).jacobian
        log.show("∂f/∂X as a 1×4 row (reshape to 2×2)", g2)
        log.verify("∂(aᵀexp(Xb))/∂X = (a ⊙ exp(Xb))·bᵀ", try GradientCheck().run(ex2, at: x))
    }
}
