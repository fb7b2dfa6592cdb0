import Foundation

/// `notes-001`: note 001 (matrix differentials, trace tricks as Jacobian identities, the NumPy autodiff listing and
/// its "Final Gradient Check" done for the whole 6-5-6 network), every slip N001-… named and corrected.
public struct Notes001Lesson: NotesLesson {
    public let name = "notes-001"
    public let note = "001"
    public let summary = "note 001: differentials, trace tricks as Jacobians, the whole 6-5-6 check; 9 slips"

    /// The lesson.
    public init() {}

    public func run(_ log: LessonLog) throws {
        log.say("Note 001 (shared/seeds/001_*.txt). Matrices enter Jacobians as row-major vec, as everywhere here.")
        try rules(log)
        try traceTricks(log)
        try examples(log)
        try listing(log)
        try finalCheck(log)
    }

    func rules(_ log: LessonLog) throws {
        log.step("矩阵微分 rules 1–5 (the full set is 'jacobian demo matrix-calculus')")
        let x3: [String: Shape] = ["X": .matrix(rows: 3, columns: 3)]
        let det = try LessonExpression("det(X)", shapes: x3, seed: 1)
        let xv = det.values("X"), dv = try det.value()[0]
        let xinv = try evaluate("inv(X)", ["X": xv], shapes: x3)
        // d|X|[E] = tr(X* E) = |X| tr(X⁻¹E); the printed tr(X*) = |X| tr(X⁻¹) has no E.
        let e: [Double] = [0.3, -0.1, 0.2, 0.0, 0.5, -0.4, 0.1, 0.2, -0.3]
        let trAdj = dv * (xinv[0] + xinv[4] + xinv[8])
        let jd = try det.jacobian().elements
        let directional = zip(jd, e).map(*).reduce(0, +)
        let step = 1e-6
        let plus = try det.map.value(at: zip(xv, e).map { $0 + step * $1 })[0]
        let minus = try det.map.value(at: zip(xv, e).map { $0 - step * $1 })[0]
        log.slip("N001-D-DET", "rule 3, 行列式", printed: "d|X| = tr(X*) (no dX: a constant)",
                 right: "d|X| = tr(X* dX) = |X| tr(X⁻¹dX), the second printed form")
        log.compare("in the direction E, d|X|[E] is not tr(X*)", notes: [trAdj],
                    computed: [(plus - minus) / (2 * step)], agree: false)
        log.compare("d|X|[E] = tr(X* E) = J(det)·vec(E)", notes: [directional], computed: [(plus - minus) / (2 * step)],
                    agree: true, tolerance: 1e-7)
        let xinvT = (0..<9).map { xinv[($0 % 3) * 3 + $0 / 3] * dv }
        log.verify("J(det) = vec(|X|·X⁻ᵀ)", close(jd, xinvT, 1e-9), detail: "all 9 entries")
        try log.verify("J(det) against finite differences", det)
    }

    func traceTricks(_ log: LessonLog) throws {
        log.step("迹技巧 (trace tricks) as Jacobian identities: equal functions have equal Jacobians")
        let s: [String: Shape] = ["A": .matrix(rows: 3, columns: 4), "B": .matrix(rows: 4, columns: 3),
                                  "C": .matrix(rows: 3, columns: 4), "D": .matrix(rows: 3, columns: 4),
                                  "S": .matrix(rows: 3, columns: 3)]
        let pairs: [(String, String, String, [String])] = [
            ("tr(AB) = tr(BA)", "tr(A*B)", "tr(B*A)", ["A", "B"]),
            ("tr(Sᵀ) = tr(S)", "tr(S')", "tr(S)", ["S"]),
            ("tr(S + 2S) = tr S + 2 tr S (linearity)", "tr(S + 2*S)", "tr(S) + 2*tr(S)", ["S"]),
            ("tr(Aᵀ(C⊙D)) = tr((A⊙C)ᵀD)", "tr(A'*(C.*D))", "tr((A.*C)'*D)", ["A", "C", "D"]),
        ]
        for (claim, left, right, wrt) in pairs {
            let l = try LessonExpression(left, shapes: s, wrt: wrt, seed: 11)
            let values = Dictionary(uniqueKeysWithValues: l.map.inputs.map { ($0.name, l.values($0.name)) })
            let r = try LessonExpression(right, shapes: s, wrt: wrt, at: values, seed: 11)
            let (jl, jr) = (try l.jacobian().elements, try r.jacobian().elements)
            let gap = zip(jl, jr).map { abs($0 - $1) }.max() ?? 0
            log.verify("\(claim): values and Jacobians wrt \(wrt.joined(separator: ", ")) agree",
                       close(try l.value(), try r.value(), 1e-12) && jl.count == jr.count && gap <= 1e-12,
                       detail: "\(jl.count) entries, largest gap \(TextFormat.sci(gap))")
            log.verify("  … and against finite differences", try l.check())
        }
        let ab = try LessonExpression("tr(A*B)", shapes: s, wrt: ["A"], seed: 11)
        let b = ab.values("B")
        log.verify("J_A tr(AB) = vec(Bᵀ)", close(try ab.jacobian().elements, (0..<12).map { b[($0 % 4) * 3 + $0 / 4] }),
                   detail: "the gradient of tr(AB) with respect to A is Bᵀ")
    }

    func examples(_ log: LessonLog) throws {
        log.step("复合法则 and 例1, 例2")
        let s: [String: Shape] = ["A": .matrix(rows: 2, columns: 3), "X": .matrix(rows: 3, columns: 4),
                                  "B": .matrix(rows: 4, columns: 2)]
        log.example("复合法则", "Y = AXB ⇒ ∂f/∂X = Aᵀ(∂f/∂Y)Bᵀ")
        try log.verify("∂ Σ tanh(AXB)² / ∂X",
                       try LessonExpression("sum(tanh(A*X*B).^2)", shapes: s, wrt: ["X"], seed: 1))
        log.example("例1", "∂(aᵀXb)/∂X = abᵀ")
        let e1 = try LessonExpression("a'*X*b", shapes: s, wrt: ["X"], seed: 1)
        let (a, bv) = (e1.values("a"), e1.values("b"))
        log.compare("J = vec(abᵀ)", notes: a.flatMap { ai in bv.map { ai * $0 } }, computed: try e1.jacobian().elements,
                    agree: true, tolerance: 1e-12)
        log.slip("N001-EX2-TRANSPOSE", "例2, last line",
                 printed: "(aᵀ ⊙ exp(Xb))bᵀ: 1×m ⊙ m×1 (NumPy broadcasts to m×m)",
                 right: "(a ⊙ exp(Xb))bᵀ, m×n")
        let e2 = try LessonExpression("a'*exp(X*b)", shapes: s, wrt: ["X"], seed: 1)
        let ex = try evaluate("exp(X*b)", ["X": e2.values("X"), "b": e2.values("b")], shapes: s)
        let a2 = e2.values("a"), b2 = e2.values("b")
        log.compare("J = vec((a ⊙ exp(Xb))bᵀ)", notes: (0..<3).flatMap { i in b2.map { a2[i] * ex[i] * $0 } },
                    computed: try e2.jacobian().elements, agree: true, tolerance: 1e-12)
        try log.verify("例2 against finite differences", e2)
    }

    func listing(_ log: LessonLog) throws {
        log.step("In [20], In [21]: the NumPy autodiff classes")
        log.slip("N001-SOFTMAX-OVERFLOW", "Softmax.forward: np.exp(x) without the row max",
                 printed: "logits [800, 0] give [nan, 0]", right: "subtract the max first: [1, 0]")
        let big = Foundation.exp(800.0), naive = [big / (big + 1), 1 / (big + 1)]
        let stable = try evaluate("softmax(z)", ["z": [800, 0]])
        log.verify("the printed forward gives NaN at [800, 0]; the tool's softmax gives [1, 0]",
                   naive[0].isNaN && stable == [1, 0], detail: "printed \(naive[0]), tool \(TextFormat.vector(stable))")
        log.slip("N001-LOG-DOCSTRING", "class Log", printed: "'''softmax over last dimention'''",
                 right: "elementwise log: J = diag(1/x)")
        let lg = try LessonExpression("log(x)", at: ["x": [0.5, 2, 4]])
        log.verify("J(log) = diag(1/x)", try lg.jacobian().elements == [2, 0, 0, 0, 0.5, 0, 0, 0, 0.25],
                   detail: "diag(2, 0.5, 0.25) at x = [0.5, 2, 4]")
        log.slip("N001-CELL21-TRANSCRIPT", "In [21] Gradient check", printed: "two tf.Tensor blocks, though label is "
                 + "undefined and print(grad) prints an ndarray",
                 right: "the printed output comes from another notebook "
                 + "state; the Log backward itself, L ⊘ x, is right")
        let l21 = try LessonExpression("sum(L .* log(x))", shapes: ["x": .matrix(rows: 5, columns: 6),
                                       "L": .matrix(rows: 5, columns: 6)], wrt: ["x"], seed: 1)
        log.compare("∂ Σ L⊙log x / ∂x = L ⊘ x", notes: zip(l21.values("L"), l21.values("x")).map(/),
                    computed: try l21.jacobian().elements, agree: true, tolerance: 1e-12)
        try log.verify("Log.backward against finite differences", l21)
    }

    func finalCheck(_ log: LessonLog) throws {
        log.step("In [22] Final Gradient Check: the whole 6-5-6 network")
        log.slip("N001-FINALCHECK-EPS", "In [22], the two printed arrays", printed: "ours 1.22527188e+10 against TF "
                 + "1.24047102e+10 (1.23% apart), no comment", right: "Log.backward's 1/(x + 1e-12) at p ≈ 8e-11: "
                 + "1/(1/TF + 1e-12) gives every printed value of ours")
        let ours = [6.76312100e+03, 3.04652832e+06, 5.14210153e+02, 1.22527188e+10, 1.00138727e+00]
        let tf = [6.76312105e+03, 3.04653760e+06, 5.14210153e+02, 1.24047102e+10, 1.00138727e+00]
        let predicted = tf.map { 1 / (1 / $0 + 1e-12) }
        let rel = zip(predicted, ours).map { abs($0 - $1) / $1 }.max() ?? 0
        log.say("  TF:             " + TextFormat.vector(tf, format: { String(format: "%.8e", $0) }))
        log.say("  1/(1/TF+1e-12): " + TextFormat.vector(predicted, format: { String(format: "%.8e", $0) }))
        log.say("  ours (printed): " + TextFormat.vector(ours, format: { String(format: "%.8e", $0) }))
        log.verify("the epsilon explains all five printed values", rel < 1e-8, detail: "largest relative gap "
                   + TextFormat.sci(rel))
        let tiny = try LessonExpression("sum(L .* log(p))", constants: ["L": [1, 0, 1]], at: ["p": [8e-11, 0.5, 0.3]])
        log.verify("without an epsilon, ∂/∂p at p = 8e-11 is exactly 1/p = 1.25e10",
                   try tiny.jacobian().elements[0] == 1 / 8e-11, detail: "and the complex step agrees below")
        try log.verify("Σ L⊙log p near 1e-10 (central differences would step out of the domain)", tiny,
                       method: .complexStep)
        log.slip("N001-FINALCHECK-SCOPE", "In [22]", printed: "compares only ∂loss/∂prob = label/prob (W1, W2 watched "
                 + "but never differentiated)", right: "check ∂loss/∂W1 and ∂loss/∂W2 through every layer, as here")
        log.slip("N001-H1-SHAPE-COMMENT", "In [22], h1 = mul_h1.forward(x, W1)", printed: "# shape(5, 4)",
                 right: "x (5×6)·W1 (6×5) is (5, 5)")
        let labels = [1, 0, 3, 5, 0]
        var terms: [String] = [], constants: [String: [Double]] = [:]
        var rng = SplitMix64(seed: 22)
        for (r, k) in labels.enumerated() {
            terms.append("sum(L\(r) .* log_softmax(W2'*relu(W1'*x\(r))))")
            constants["x\(r)"] = rng.uniform(count: 6, -1.5, 1.5)
            constants["L\(r)"] = (0..<6).map { $0 == k ? 1 : 0 }
        }
        let shapes: [String: Shape] = ["W1": .matrix(rows: 6, columns: 5), "W2": .matrix(rows: 5, columns: 6)]
        let net = try LessonExpression(terms.joined(separator: " + "), shapes: shapes, wrt: ["W1", "W2"],
                                       constants: constants, seed: 22)
        let h1 = try evaluate("relu(x*W1)", ["x": (0..<5).flatMap { constants["x\($0)"]! }, "W1": net.values("W1")],
                              shapes: ["x": .matrix(rows: 5, columns: 6), "W1": .matrix(rows: 6, columns: 5)])
        log.verify("h1 = relu(x·W1) has 5·5 = 25 entries, not 5·4", h1.count == 25, detail: "\(h1.count) entries")
        log.say("  the batch loss Σᵣ Lᵣ·log softmax(relu(xᵣW1)W2), x 5×6 (seed 22), labels \(labels)")
        let report = try net.check()
        log.verify("∂loss/∂W1 (30) and ∂loss/∂W2 (30) through Matmul, Relu, Softmax and Log", report)
        log.slip("N001-MODEL-SUM-VS-MEAN", "myModel.backward(-label) against compute_loss's np.mean",
                 printed: "the gradient of the sum, the loss of the mean", right: "they differ by N, hidden in the lr")
        let two = "softmax_ce(W'*x1, y1) + softmax_ce(W'*x2, y2) + softmax_ce(W'*x3, y3)"
        let c3: [String: [Double]] = ["x1": [1, -0.5, 0.2], "x2": [0.3, 0.8, -1], "x3": [-0.7, 0.1, 0.4],
                                      "y1": [1, 0], "y2": [0, 1], "y3": [1, 0]]
        let ws: [String: Shape] = ["W": .matrix(rows: 3, columns: 2)]
        let sum = try LessonExpression(two, shapes: ws, wrt: ["W"], constants: c3, seed: 5)
        let mean = try LessonExpression("(\(two))/3", shapes: ws, wrt: ["W"], constants: c3, at: ["W": sum.values("W")])
        log.compare("∇(sum) = N·∇(mean) for N = 3", notes: try sum.jacobian().elements,
                    computed: try mean.jacobian().elements.map { 3 * $0 }, agree: true, tolerance: 1e-12)
    }
}
