import Foundation

/// `notes-004`: note 004 (derivatives of vector functions, gradient descent, the 2-4-1 XOR net and its listing),
/// every worked example live and each slip N004-… named.
public struct Notes004Lesson: NotesLesson {
    public let name = "notes-004"
    public let note = "004"
    public let summary = "note 004: Jᵀ(g∘f) = Jᵀ(f)Jᵀ(g), gradient descent, the 2-4-1 XOR net; 17 slips"

    /// The lesson.
    public init() {}

    static let shapes: [String: Shape] = ["T1": .matrix(rows: 4, columns: 3), "T2": .matrix(rows: 1, columns: 5),
                                          "x": .vector(2), "x3": .vector(5)]

    public func run(_ log: LessonLog) throws {
        log.say("Note 004 (shared/seeds/004_*.txt). Its vec is row-major (3.13)–(3.14), as here.")
        try chain(log)
        try descent(log)
        try network(log)
        try listing(log)
    }

    func chain(_ log: LessonLog) throws {
        log.step("§2: Jacobians and the chain rule in denominator layout")
        let x: [Double] = [0.7, -1.2]
        let f = try LessonExpression("[x1^2 + x2^2, x1^2 - x2^2, x1*x2]", at: ["x1": [x[0]], "x2": [x[1]]])
        log.example("例2.2", "f(x₁, x₂) = [x₁² + x₂², x₁² − x₂², x₁x₂]: J = [[2x₁, 2x₂], [2x₁, −2x₂], [x₂, x₁]]")
        log.compare("J(f) at (0.7, −1.2)", notes: [2 * x[0], 2 * x[1], 2 * x[0], -2 * x[1], x[1], x[0]],
                    computed: try f.jacobian().elements, agree: true, tolerance: 1e-15)
        let y = try f.value()
        let g = try LessonExpression("[sin(y1)*y2 + y3, y2^2 + y3]", at: ["y1": [y[0]], "y2": [y[1]], "y3": [y[2]]])
        let gf = try LessonExpression("[sin(x1^2 + x2^2)*(x1^2 - x2^2) + x1*x2, (x1^2 - x2^2)^2 + x1*x2]",
                                      at: ["x1": [x[0]], "x2": [x[1]]])
        let product = try f.map.jacobian(at: f.x, layout: .denominator)
            .multiplied(by: try g.map.jacobian(at: g.x, layout: .denominator)).matrix.elements
        log.slip("N004-EQ2.2-TYPO", "(2.2), Jᵀ(g) row 2", printed: "∂z₁/∂z₁", right: "∂z₁/∂y₂")
        log.slip("N004-EQ2.5-TYPO", "(2.5), last matrix, last row", printed: "∂z₁/∂x_m, ∂z₂/∂x_m, …, ∂z_q/∂y_n",
                 right: "∂z₁/∂y_n, ∂z₂/∂y_n, …")
        log.compare("(2.4): Jᵀ(g∘f) = Jᵀ(f)·Jᵀ(g)", notes: product, computed: try gf.jacobian(.denominator).elements,
                    agree: true, tolerance: 1e-12)
        try log.verify("Jᵀ(g∘f) against finite differences", gf, layout: .denominator)
    }

    func descent(_ log: LessonLog) throws {
        log.step("§3.1: gradient descent on f = (x₁x₂ − 3)² + 1, α = 0.01 (also 'jacobian demo gradient-descent')")
        func at(_ v: Double) throws -> LessonExpression {
            try LessonExpression("(x1*x2 - 3)^2 + 1", at: ["x1": [v], "x2": [v]])
        }
        let one = try at(1)
        log.compare("(3.3), (3.4): f(1, 1) = 5, J = [−4, −4]", notes: [5, -4, -4],
                    computed: try one.value() + one.jacobian().elements, agree: true, tolerance: 1e-15)
        let two = try at(1.04)
        log.compare("(3.5), (3.6): x⁽²⁾ = (1.04, 1.04), f = 4.68025856", notes: [1.04, 4.68025856],
                    computed: [1 - 0.01 * -4, try two.value()[0]], agree: true, tolerance: 1e-12)
        let j2 = try two.jacobian().elements
        log.slip("N004-GD-STEP2-GRAD", "(3.7)", printed: "J at (1.04, 1.04) = [−1.995136, −1.995136]",
                 right: "2·1.04·(1.04² − 3) = −3.990272: the factor 2 of (3.2) dropped")
        log.compare("J(f) at x⁽²⁾", notes: [-1.995136, -1.995136], computed: j2, agree: false)
        try log.verify("J(f) at x⁽²⁾ against finite differences", two)
        let x3 = 1.04 - 0.01 * j2[0]
        log.slip("N004-GD-STEP2-X3", "(3.7)", printed: "x⁽³⁾ = (1.05995136, 1.05995136)",
                 right: "(1.07990272, 1.07990272)")
        log.compare("x⁽³⁾ = x⁽²⁾ − α·J", notes: [1.05995136], computed: [x3], agree: false)
        log.compare("x⁽³⁾ = 1.07990272", notes: [1.07990272], computed: [x3], agree: true, tolerance: 1e-12)
        log.slip("N004-GD-STEP2-F3", "(3.8)", printed: "f(x⁽³⁾) = 4.5212639385 (f at the wrong x⁽³⁾)",
                 right: "f(1.07990272, 1.07990272) = 4.3628595391")
        log.compare("f at the printed x⁽³⁾ is the printed value: only the gradient slipped", notes: [4.5212639385],
                    computed: try at(1.05995136).value(), agree: true, tolerance: 1e-9)
        log.compare("f(x⁽³⁾)", notes: [4.5212639385], computed: try at(x3).value(), agree: false)
    }

    func network(_ log: LessonLog) throws {
        log.step("§3.2–3.3: the 2-4-1 XOR net x⁽²⁾ = θ⁽¹⁾[1; x], x⁽³⁾ = [1; σ(x⁽²⁾)], x⁽⁴⁾ = σ(θ⁽²⁾x⁽³⁾)")
        let s = Self.shapes
        let f1 = try LessonExpression("T1*[1; x]", shapes: s, wrt: ["T1"], seed: 4)
        let t1 = f1.values("T1"), x = f1.values("x")
        log.slip("N004-X0-BIAS", "after (3.17)", printed: "x₀⁽ᵏ⁾ = 0",
                 right: "x₀ = 1, as (3.9), (3.21), (3.23) and the "
                 + "code's [[1]] say")
        let withZero = try evaluate("T1*[0; x]", ["T1": t1, "x": x], shapes: s)
        log.compare("x⁽²⁾ with x₀ = 0 loses the bias column", notes: withZero, computed: try f1.value(), agree: false)
        let j1 = try f1.jacobian()
        log.slip("N004-EQ3.19-SHAPE", "(3.19), (3.20)", printed: "5 rows, blocks at columns 1, 3, 4, 5, 6; blocks x⁽¹⁾ "
                 + "without the 1 (4×8)", right: "4×12 = blockdiag([1, x₁, x₂] × 4), blocks at columns 1, 4, 7, 10")
        log.slip("N004-CODE-BLOCKDIAG3", "block_diag(temp, temp, temp)", printed: "three blocks: a 3×9 Jacobian, and "
                 + "back_propagate fails (size 3 is different from 4)",
                 right: "block_diag(temp, temp, temp, temp), 4×12")
        let ones = (0..<4).allSatisfy { j1[$0, 3 * $0] == 1 }
        log.verify("J_θ⁽¹⁾(f₁) is 4×12 with the bias 1 opening each of the 4 blocks",
                   j1.rows == 4 && j1.columns == 12 && ones, detail: "\(j1.rows)×\(j1.columns)")
        try log.verify("J_θ⁽¹⁾(f₁) against finite differences", f1)
        log.slip("N004-EQ3.17-ROWS", "(3.17), the θ⁽¹⁾ matrix", printed: "5 rows, θ₁,· twice; the 4th entry sums θ₃,·",
                 right: "4 rows; entry i is Σⱼ θᵢ,ⱼxⱼ")
        let fx = try LessonExpression("T1*[1; x]", shapes: s, wrt: ["x"], at: ["T1": t1, "x": x])
        var t1x: [Double] = []
        for r in 0..<4 { t1x += [t1[r * 3 + 1], t1[r * 3 + 2]] }
        log.compare("(3.18): J_x(f₁) = θ⁽¹⁾ without its bias column, 4×2", notes: t1x,
                    computed: try fx.jacobian().elements, agree: true, tolerance: 0)
        log.slip("N004-LAYER-NAME", "f₂'s paragraph", printed: "第三层 acting on 第而层's output", right: "the second "
                 + "layer, acting on the first layer's output")
        log.slip("N004-EQ3.22-ROW1", "(3.22), first row", printed: "5 zeros", right: "4 zeros: J is 5×4")
        let z2 = try f1.value()
        let f2 = try LessonExpression("[1; sigmoid(x2)]", at: ["x2": z2])
        let j22 = try f2.jacobian()
        let sp = z2.map { (v: Double) -> Double in let e = 1 / (1 + Foundation.exp(-v)); return e * (1 - e) }
        log.compare("(3.22): J = [0; diag(s(1 − s))], 5×4, its first row 4 zeros", notes: [0, 0, 0, 0]
                    + Matrix(diagonal: sp).elements, computed: j22.elements, agree: true, tolerance: 1e-15)
        let x3 = try f2.value()
        log.slip("N004-EQ3.11-TRANSPOSE", "(3.11)", printed: "x⁽⁴⁾ = σ((θ⁽²⁾)ᵀx⁽³⁾), θ⁽²⁾ 1×5: no product",
                 right: "σ(θ⁽²⁾x⁽³⁾), as (3.23) and the code")
        var refused = ""
        do { _ = try LessonExpression("sigmoid(T2'*x3)", shapes: s, at: ["x3": x3]) } catch { refused = "\(error)" }
        log.verify("the tool refuses (θ⁽²⁾)ᵀx⁽³⁾ with a shape error", !refused.isEmpty, detail: refused)
        let f3 = try LessonExpression("sigmoid(T2*x3)", shapes: s, wrt: ["T2"], at: ["x3": x3], seed: 4)
        let sv = try f3.value()[0], ds = sv * (1 - sv)
        log.slip("N004-EQ3.25", "(3.25)", printed: "[s(1−s), x₁⁽³⁾s(1−s), x₁⁽³⁾s(1−s), x₁⁽³⁾s(1−s), x₁⁽³⁾s(1−s)]",
                 right: "[1, x₁⁽³⁾, x₂⁽³⁾, x₃⁽³⁾, x₄⁽³⁾]·s(1−s), as the code computes")
        let jt2 = try f3.jacobian().elements
        log.compare("J_θ⁽²⁾(f₃)", notes: [x3[0], x3[1], x3[1], x3[1], x3[1]].map { $0 * ds }, computed: jt2,
                    agree: false)
        log.compare("x⁽³⁾ᵀ·s(1−s) is", notes: x3.map { $0 * ds }, computed: jt2, agree: true, tolerance: 1e-15)
        try log.verify("J_θ⁽²⁾(f₃) against finite differences", f3)
        log.slip("N004-EQ3.12-CODOMAIN", "(3.12)", printed: "f₄: ℝ → {1, 0}",
                 right: "f₄ = ½(x⁽⁴⁾ − t)² is real, in [0, ½)")
        let f4 = try evaluate("0.5*(x4 - t)^2", ["x4": [sv], "t": [1]])
        log.verify("f₄ at this x⁽⁴⁾ and t = 1 is neither 0 nor 1", f4[0] > 0 && f4[0] < 0.5,
                   detail: TextFormat.number(f4[0], digits: 6))
    }

    func listing(_ log: LessonLog) throws {
        log.step("§3.4: the listing")
        let s = Self.shapes
        let loss = "0.5*(sigmoid(T2*[1; sigmoid(T1*[1; x])]) - t)^2"
        var rng = SplitMix64(seed: 0)
        let theta1 = rng.uniform(count: 12, 0, 1), theta2 = rng.uniform(count: 5, 0, 1)
        log.slip("N004-CODE-NPFLOAT", "dtype=np.float", printed: "AttributeError: np.float was removed in NumPy 1.24",
                 right: "float or np.float64; θ ~ U[0, 1) in double precision, as here")
        let sample = try LessonExpression(loss, shapes: s, wrt: ["T1", "T2"], constants: ["x": [1, 0], "t": [1]],
                                          at: ["T1": theta1, "T2": theta2])
        try log.verify("the whole chain f₄∘f₃∘f₂∘f₁ for the sample (1, 0) → 1, θ ~ U[0, 1) (seed 0)", sample)
        log.slip("N004-CODE-SELF_TX1", "feed_forward: self_tx1 = y", printed: "a local variable: self.tx1 stays 0, "
                 + "every target is 0", right: "self.tx1 = y")
        let asZero = try LessonExpression(loss, shapes: s, wrt: ["T1", "T2"], constants: ["x": [1, 0], "t": [0]],
                                          at: ["T1": theta1, "T2": theta2])
        log.compare("with t stuck at 0 the gradient for (1, 0) → 1 is another one",
                    notes: try asZero.jacobian().elements,
                    computed: try sample.jacobian().elements, agree: false)
        log.slip("N004-CODE-THETA2-UPDATE", "update_parameter", printed: "the θ⁽²⁾ update printed outside the method, "
                 + "as 'theta2 gradient'", right: "both updates inside update_parameter")
        let g = try sample.jacobian().elements
        let before = try sample.value()[0]
        let onlyT1 = try sample.map.value(at: (0..<17).map { $0 < 12 ? sample.x[$0] - 0.5 * g[$0] : sample.x[$0] })[0]
        let both = try sample.map.value(at: (0..<17).map { sample.x[$0] - 0.5 * g[$0] })[0]
        log.verify("a step on θ⁽¹⁾ and θ⁽²⁾ lowers the loss more than on θ⁽¹⁾ alone", both < onlyT1 && onlyT1 < before,
                   detail: "\(TextFormat.number(before, digits: 6)) → "
                   + "\(TextFormat.number(onlyT1, digits: 6)) (θ⁽¹⁾ only), "
                   + "\(TextFormat.number(both, digits: 6)) (both)")
        log.say("")
        log.say("The notes fix no seed and print no training run. 'jacobian xor --init fixtures/xor/notes-seed0.json'")
        log.say("starts from the weights np.random.seed(0) gives the listing and reproduces our NumPy run of the")
        log.say("corrected listing; those errors are ours, not numbers from the notes.")
    }
}
