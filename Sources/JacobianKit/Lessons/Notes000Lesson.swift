/// `notes-000`: note 000 (Jacobian, layouts, activations, softmax with cross-entropy, one hidden layer, the MNIST
/// listing), every worked example live and every slip of docs/notes-errata.md (N000-…) named and corrected.
public struct Notes000Lesson: NotesLesson {
    public let name = "notes-000"
    public let note = "000"
    public let summary = "note 000: layouts, activations, softmax + cross-entropy, one hidden layer; 14 slips"

    /// The lesson.
    public init() {}

    public func run(_ log: LessonLog) throws {
        log.say("Note 000 (shared/seeds/000_*.txt), section by section. \"notes:\" is what the note prints,")
        log.say("\"right:\" what the tool computes; slip ids are those of docs/notes-errata.md.")
        try layouts(log)
        try activations(log)
        try softmaxCrossEntropy(log)
        try oneHiddenLayer(log)
        try listing(log)
    }

    func layouts(_ log: LessonLog) throws {
        log.step("雅可比矩阵 and 矩阵求导布局规范 (Jacobian, layouts)")
        log.example("雅可比矩阵", "the Jacobian of f: ℝⁿ → ℝᵐ is m×n")
        let f = try LessonExpression("[x1*x2, sin(x1), x2^2]", at: ["x1": [1], "x2": [2]])
        let jf = try f.jacobian()
        log.verify("[x1·x2, sin x1, x2²] has a 3×2 Jacobian", jf.rows == 3 && jf.columns == 2,
                   detail: "\(jf.rows)×\(jf.columns)")
        log.slip("N000-LAYOUT-TEXT", "line 35", printed: "numerator layout: ∂y/∂x (vector by scalar) is a row, "
                 + "∂y/∂x (scalar by vector) a column", right: "the other way round, as the note's own table says")
        let column = try LessonExpression("[t, t^2, sin(t)]", at: ["t": [0.3]]).jacobian()
        let row = try LessonExpression("sum(x.*x)", at: ["x": [0.5, -1, 2]]).jacobian()
        log.verify("in numerator layout ∂[t, t², sin t]/∂t is a 3×1 column", column.rows == 3 && column.columns == 1,
                   detail: "\(column.rows)×\(column.columns)")
        log.verify("in numerator layout ∂(Σx²)/∂x is a 1×3 row", row.rows == 1 && row.columns == 3,
                   detail: "\(row.rows)×\(row.columns)")
    }

    func activations(_ log: LessonLog) throws {
        log.step("activation functions")
        log.slip("N000-SIGMOID-MISSING", "\"## activation functions\"", printed: "singmod = … (no formula)",
                 right: "sigmoid(z) = 1/(1 + e^−z), sigmoid′ = s(1 − s)")
        let s = try LessonExpression("sigmoid(z)", at: ["z": [-1.5, -0.2, 0.4, 2]])
        let sv = try s.value(), sj = try s.jacobian()
        log.verify("J(sigmoid) = diag(s(1 − s))", close((0..<4).map { sj[$0, $0] }, sv.map { $0 * (1 - $0) }, 1e-15)
                   && sj.elements.filter { $0 != 0 }.count == 4, detail: "diagonal equals s(1 − s), off-diagonal 0")
        try log.verify("sigmoid′ against finite differences", s)
        log.slip("N000-TANH-VAR", "tanh", printed: "tanh(x) = (e^z − e^−z)/(e^z + e^−z)", right: "tanh(z) = …")
        let zs: [Double] = [-1.5, -0.2, 0.4, 2]
        let t = try LessonExpression("(exp(z) - exp(-z)) ./ (exp(z) + exp(-z))", at: ["z": zs])
        log.verify("the printed right-hand side is tanh", close(try t.value(), zs.map { Foundation.tanh($0) }, 1e-15),
                   detail: "equal to 1e-15 at \(TextFormat.vector(zs))")
        try log.verify("tanh′ = 1 − tanh²", try LessonExpression("tanh(z)", at: ["z": zs]))
        log.example("activation functions", "relu and leaky relu (slope 0.01 below 0)")
        try log.verify("J(leaky_relu) = diag(1 or 0.01)", try LessonExpression("leaky_relu(z)", at: ["z": zs]))
    }

    func softmaxCrossEntropy(_ log: LessonLog) throws {
        log.step("Derivative of Cross Entropy and Softmax")
        let y = [0.0, 0, 1, 0, 0]
        let z = try LessonExpression("softmax_ce(z, y)", constants: ["y": y], seed: 0)
        let zv = z.values("z")
        let p = try evaluate("softmax(z)", ["z": zv])
        log.say("z = \(TextFormat.vector(zv)) (seed 0), y = e₃,")
        log.say("p = softmax(z) = \(TextFormat.vector(p))")
        log.slip("N000-DEDP-SIGN", "∂E/∂p_j", printed: "∂E/∂p_j = y_j/p_j", right: "∂E/∂p_j = −y_j/p_j")
        let e = try LessonExpression("sum(-y .* log(p))", constants: ["y": y], at: ["p": p])
        let dEdp = try e.jacobian().elements
        log.compare("the printed y/p is not ∂E/∂p", notes: zip(y, p).map { $0 / $1 }, computed: dEdp, agree: false)
        log.verify("∂E/∂p = −y ⊘ p", close(dEdp, zip(y, p).map { -$0 / $1 }, 1e-12), detail: "entry for entry")
        try log.verify("∂E/∂p against finite differences", e)
        log.slip("N000-DPDZ-SIGN", "∂p_i/∂z_j", printed: "p_i(1 − p_i) if i = j, +p_i·p_j otherwise",
                 right: "−p_i·p_j off the diagonal: J = diag(p) − p·pᵀ")
        let s = try LessonExpression("softmax(z)", at: ["z": zv])
        let js = try s.jacobian()
        var printed: [Double] = [], right: [Double] = []
        for i in 0..<5 { for j in 0..<5 {
            printed.append(i == j ? p[i] * (1 - p[i]) : p[i] * p[j])
            right.append((i == j ? p[i] : 0) - p[i] * p[j])
        } }
        log.compare("entry [1,2] of the printed matrix has the wrong sign", notes: [printed[1]], computed: [js[0, 1]],
                    agree: false)
        log.verify("J(softmax) = diag(p) − p·pᵀ", close(js.elements, right, 1e-15), detail: "all 25 entries")
        try log.verify("J(softmax) against finite differences", s)
        log.slip("N000-PRODUCT", "综合以上", printed: "[y/p]·[printed ∂p/∂z] = p − y",
                 right: "those two factors give y + p − 2y⊙p; the right factors give p − y")
        let printedProduct = (0..<5).map { j in (0..<5).reduce(0.0) { $0 + y[$1] / p[$1] * printed[$1 * 5 + j] } }
        let pMinusY = zip(p, y).map(-)
        log.compare("the printed factors do not multiply to p − y", notes: printedProduct, computed: pMinusY,
                    agree: false)
        log.compare("J(softmax_ce) = p − y, the printed result", notes: pMinusY, computed: try z.jacobian().elements,
                    agree: true, tolerance: 1e-12)
        try log.verify("∂E/∂z = p − y against finite differences", z)
        log.example("loss function", "binary cross-entropy −t log p − (1 − t) log(1 − p)")
        try log.verify("∂BCE/∂p = (p − t)/(p(1 − p))",
                       try LessonExpression("binary_cross_entropy(p, t)", constants: ["t": [1, 0, 1]],
                                            at: ["p": [0.7, 0.2, 0.4]]))
    }

    func oneHiddenLayer(_ log: LessonLog) throws {
        log.step("对于单层神经网络 (one hidden layer: z¹ = W¹x + b¹, h = σ(z¹), p = softmax(W²h + b²))")
        let shapes: [String: Shape] = ["W1": .matrix(rows: 3, columns: 4), "W2": .matrix(rows: 5, columns: 3)]
        let y = [0.0, 1, 0, 0, 0], text = "softmax_ce(W2*sigmoid(W1*x + b1) + b2, y)"
        let net = try LessonExpression(text, shapes: shapes, wrt: ["W2", "b2", "b1", "W1"], constants: ["y": y],
                                       seed: 0)
        let v = ["W1": net.values("W1"), "W2": net.values("W2"), "b1": net.values("b1"), "b2": net.values("b2"),
                 "x": net.values("x")]
        let h = try evaluate("sigmoid(W1*x + b1)", v, shapes: shapes)
        let p = try evaluate("softmax(W2*sigmoid(W1*x + b1) + b2)", v, shapes: shapes)
        let g = try net.jacobian().elements        // [∂E/∂W2 (15), ∂E/∂b2 (5), ∂E/∂b1 (3), ∂E/∂W1 (12)]
        let pMinusY = zip(p, y).map(-)
        let outer = pMinusY.flatMap { d in h.map { d * $0 } }
        log.slip("N000-NOTATION", "∂z¹/∂b¹, ∂z¹/∂W¹ (no ∂), z¹ = W¹x + b^{1}", printed: "fractions without ∂, b^{1}",
                 right: "∂ in every fraction, b^[1]; no number changes")
        try log.verify("∂z¹/∂b¹ = I and ∂z¹/∂W¹ = I ⊗ xᵀ", try LessonExpression("W1*x + b1", shapes: shapes,
                       wrt: ["b1", "W1"], seed: 0))
        log.slip("N000-DW2-ENTRY", "the c×b matrix ∂E/∂W², last row", printed: "last entry (p₂ − y₂)h_b",
                 right: "(p_c − y_c)h_b: the matrix is (p − y)hᵀ")
        log.slip("N000-DW2-TRANSPOSE", "观察可发现又等于", printed: "∂E/∂W² = (p − y)ᵀhᵀ, (1×c)(1×b): no product",
                 right: "(p − y)hᵀ, c×b")
        log.compare("∂E/∂W² = (p − y)hᵀ, row-major", notes: outer, computed: Array(g[0..<15]), agree: true,
                    tolerance: 1e-12)
        log.slip("N000-DB1-SHAPE", "∂E/∂b¹ and ∂E/∂W¹", printed: "[(p − y)ᵀW² ∘ σ′(z¹)]ᵀ, a 1×b row ∘ a b×1 column "
                 + "(NumPy broadcasts to b×b)", right: "[W²ᵀ(p − y)] ⊙ σ′(z¹), b×1, and ∂E/∂W¹ = that·xᵀ")
        let w2 = v["W2"]!
        let back = (0..<3).map { j in (0..<5).reduce(0.0) { $0 + w2[$1 * 3 + j] * pMinusY[$1] } }
        let db1 = (0..<3).map { back[$0] * h[$0] * (1 - h[$0]) }
        log.compare("∂E/∂b¹ = [W²ᵀ(p − y)] ⊙ σ′(z¹)", notes: db1, computed: Array(g[20..<23]), agree: true,
                    tolerance: 1e-12)
        log.compare("∂E/∂W¹ = ∂E/∂b¹·xᵀ", notes: db1.flatMap { d in v["x"]!.map { d * $0 } },
                    computed: Array(g[23..<35]), agree: true, tolerance: 1e-12)
        try log.verify("every block of the network's gradient", net)
    }

    func listing(_ log: LessonLog) throws {
        log.step("In [8]: the SimpleNetwork listing")
        log.slip("N000-CTOR-ARGS", "SimpleNetwork(0.2, 784, 300, 10, relu, softmax)", printed: "6 arguments; "
                 + "__init__ takes 5 (TypeError)", right: "SimpleNetwork(0.2, 784, 300, 10, relu): softmax is built in")
        let shapes: [String: Shape] = ["W1": .matrix(rows: 4, columns: 6), "W2": .matrix(rows: 3, columns: 4)]
        let y = [0.0, 0, 1], text = "softmax_ce(W2*relu(W1*x + b1) + b2, y)"
        let net = try LessonExpression(text, shapes: shapes, wrt: ["W1", "b1", "W2", "b2"], constants: ["y": y],
                                       seed: 8)
        try log.verify("the network the corrected call builds (relu hidden, softmax output), a 6-4-3 copy", net)
        log.slip("N000-MAIN-GUARD", "if __name__ == 'main':", printed: "never true, so nothing trains",
                 right: "if __name__ == '__main__': — then each step lowers the loss, as here")
        var theta = net.x
        let before = try net.map.value(at: theta)[0]
        let grad = try net.jacobian().elements
        for k in theta.indices { theta[k] -= 0.2 * grad[k] }
        let after = try net.map.value(at: theta)[0]
        log.verify("one step of lr 0.2 lowers the loss", after < before,
                   detail: "\(TextFormat.number(before, digits: 6)) → \(TextFormat.number(after, digits: 6))")
        log.slip("N000-TEST-RATIO", "test(): (len(samples) − false)/100", printed: "len(samples) is 784 (pixels): "
                 + "250 images, 221 wrong give (784 − 221)/100 = 5.63",
                 right: "(N − wrong)/N = (250 − 221)/250 = 0.116")
        let printedRatio = Double(784 - 221) / 100, rightRatio = Double(250 - 221) / 250
        log.verify("an accuracy lies in [0, 1]: 5.63 does not, 0.116 does",
                   !(0...1).contains(printedRatio) && (0...1).contains(rightRatio),
                   detail: "\(TextFormat.number(printedRatio)) against \(TextFormat.number(rightRatio))")
        log.slip("N000-RELU-INPLACE", "relu(x, derivative=True)", printed: "overwrites x: z = [−1, 2] becomes [0, 1]",
                 right: "(x > 0) as a new array; the tool's relu leaves z alone")
        let r = try LessonExpression("relu(z)", at: ["z": [-1, 2]])
        let rj = try r.jacobian(), rv = try r.value()
        log.verify("J(relu) at z = [−1, 2] is diag(0, 1) and relu(z) = [0, 2]",
                   rj.elements == [0, 0, 0, 1] && rv == [0, 2] && r.x == [-1, 2],
                   detail: "z is still [−1, 2]")
        log.say("")
        log.say("The listing's MNIST run, corrected, is `jacobian mnist --hidden 300 --activation relu --lr 0.2`;")
        log.say("the note's transcript (loss 2.3028…) is unseeded, so only its regime (≈ ln 10) can be reproduced.")
    }
}

import Foundation
