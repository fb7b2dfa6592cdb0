import Foundation

/// `notes-002`: note 002 (softmax regression for one image, then a batch), steps 1–6 and 核心求导 live, each slip
/// N002-… named. Column form: the note's row x (1×N) times W (N×L) is f = Wᵀx here.
public struct Notes002Lesson: NotesLesson {
    public let name = "notes-002"
    public let note = "002"
    public let summary = "note 002: softmax regression, steps 1–6, 核心求导, the batch; 12 slips"

    /// The lesson.
    public init() {}

    static let shapes: [String: Shape] = ["W": .matrix(rows: 6, columns: 4)]
    static let y: [Double] = [0, 0, 1, 0]

    public func run(_ log: LessonLog) throws {
        log.say("Note 002 (shared/seeds/002_*.txt): one image x (N = 6 features), L = 4 classes, λ = 0.1.")
        log.say("The note's row form f = x@W is written f = W'*x (columns).")
        let loss = try LessonExpression("softmax_ce(W'*x, y) + 0.05*sum(W.*W)", shapes: Self.shapes, wrt: ["W"],
                                        constants: ["y": Self.y], seed: 2)
        let w = loss.values("W"), x = loss.values("x")
        let f = try evaluate("W'*x", ["W": w, "x": x], shapes: Self.shapes)
        let s = try evaluate("softmax(f)", ["f": f])
        let sMinusY = zip(s, Self.y).map(-)
        log.say("f = \(TextFormat.vector(f)), S = softmax(f) = \(TextFormat.vector(s))")
        try dataAndSteps(log, loss: loss, w: w, x: x, f: f, s: s, sMinusY: sMinusY)
        try core(log, f: f, s: s)
        try batch(log, w: w)
    }

    func dataAndSteps(_ log: LessonLog, loss: LessonExpression, w: [Double], x: [Double], f: [Double], s: [Double],
                      sMinusY: [Double]) throws {
        log.step("数据 and 第一步 … 第四步 (data, logits, shift, softmax, cross-entropy)")
        log.slip("N002-Y-SHAPE", "Y, one-hot 标签", printed: "Y = (y₁ … y_n)_{1×N}", right: "(y₁ … y_l)_{1×L}")
        let ce = try LessonExpression("softmax_ce(f, y)", constants: ["y": Self.y], at: ["f": f])
        let dce = try ce.jacobian().elements
        log.compare("∂C/∂f has one entry per class (L = 4): S − Y", notes: sMinusY, computed: dce, agree: true,
                    tolerance: 1e-12)
        log.slip("N002-W-INDEX", "the first W matrix", printed: "every row ends w_nl", right: "the last column is "
                 + "w_l1 … w_ln; W is N×L")
        log.slip("N002-GREEN-ORDER", "−(Y − S)·Xᵀ ⇒ Xᵀ@(S − Y)", printed: "(1×L)(N×1): no product",
                 right: "Xᵀ(S − Y), N×L: entry (n, l) = x_n(S_l − Y_l)")
        let g = try loss.jacobian().elements
        let outer = x.flatMap { xn in sMinusY.map { xn * $0 } }
        log.compare("∂loss/∂W = Xᵀ(S − Y) + λW, N×L row-major", notes: zip(outer, w).map { $0 + 0.1 * $1 }, computed: g,
                    agree: true, tolerance: 1e-12)
        try log.verify("∂loss/∂W against finite differences", loss)
        log.slip("N002-STEP1-BIAS", "第一步 f(X,W) = X@W + B, then f = X@W", printed: "B in the title only",
                 right: "carry it: ∂loss/∂B = S − Y")
        let withB = try LessonExpression("softmax_ce(W'*x + B, y)", shapes: Self.shapes, wrt: ["B"],
                                         constants: ["y": Self.y, "W": w, "x": x], at: ["B": [0, 0, 0, 0]])
        log.compare("∂C/∂B at B = 0 is S − Y", notes: sMinusY, computed: try withB.jacobian().elements, agree: true,
                    tolerance: 1e-12)
        log.slip("N002-STEP2-INDEX", "第二步", printed: "(f₁ − f_max, …, f_n − f_max)_{1×L}", right: "… f_l − f_max")
        let shifted = try evaluate("softmax(f)", ["f": f.map { $0 - f.max()! }])
        log.compare("softmax(f − f_max) = softmax(f), L entries", notes: s, computed: shifted, agree: true,
                    tolerance: 1e-15)
        log.slip("N002-STEP3-SUM", "第三步 softmax", printed: "S = Σⱼ e^{f_j}/Σₖ e^{f_k}", right: "S is the vector "
                 + "S_j = e^{f_j}/Σₖ e^{f_k}; the printed sum is 1 for every f")
        let total = try LessonExpression("sum(softmax(f))", at: ["f": f])
        log.compare("the printed S is the constant 1, not the vector S", notes: try total.value(), computed: s,
                    agree: false)
        log.verify("d(Σ softmax)/df = 0: the printed S carries no gradient",
                   try total.jacobian().elements.allSatisfy { abs($0) < 1e-15 }, detail: "all 4 entries below 1e-15")
        try stepFive(log, loss: loss, w: w, x: x)
    }

    func stepFive(_ log: LessonLog, loss: LessonExpression, w: [Double], x: [Double]) throws {
        log.step("第五步, 第六步 (the loss with L2, its gradient)")
        log.slip("N002-STEP5-SIGN", "第五步 损失函数", printed: "loss = −C.sum() + λ/2‖W‖² = Σ Y ln S + λ/2‖W‖²",
                 right: "loss = C + λ/2‖W‖², as step 6 writes it")
        let printed = try LessonExpression("0.05*sum(W.*W) - softmax_ce(W'*x, y)", shapes: Self.shapes, wrt: ["W"],
                                           constants: ["y": Self.y, "x": x], at: ["W": w])
        try log.verify("the printed loss's gradient is −Xᵀ(S − Y) + λW", printed)
        let gp = try printed.jacobian().elements, gr = try loss.jacobian().elements
        log.compare("it is not step 6's Xᵀ(S − Y) + λW", notes: gp, computed: gr, agree: false)
        let ce = try LessonExpression("softmax_ce(W'*x, y)", shapes: Self.shapes, wrt: ["W"],
                                      constants: ["y": Self.y, "x": x], at: ["W": w])
        let before = try ce.value()[0]
        let after = try ce.map.value(at: zip(w, gp).map { $0 - 0.5 * $1 })[0]
        let afterRight = try ce.map.value(at: zip(w, gr).map { $0 - 0.5 * $1 })[0]
        log.verify("a step of lr 0.5 on the printed loss raises the cross-entropy; on the right one it falls",
                   after > before && afterRight < before, detail: "\(TextFormat.number(before)) → "
                   + "\(TextFormat.number(after)) (printed), → \(TextFormat.number(afterRight)) (right)")
        log.slip("N002-STEP6-NORM", "第六步, first line", printed: "… + λ/2‖x‖²", right: "λ/2‖W‖², whose gradient is λW")
        let reg = try LessonExpression("0.05*sum(W.*W)", shapes: Self.shapes, at: ["W": w])
        log.compare("∂(λ/2‖W‖²)/∂W = λW", notes: w.map { 0.1 * $0 }, computed: try reg.jacobian().elements, agree: true,
                    tolerance: 1e-15)
    }

    func core(_ log: LessonLog, f: [Double], s: [Double]) throws {
        log.step("核心求导 (the softmax Jacobian)")
        log.slip("N002-CORE-S-DEF", "S = (e^{f₁}, …, e^{f_l})", printed: "S_i = e^{f_i}", right: "S_i = e^{f_i}/h, "
                 + "h = Σ e^{f_k}")
        log.compare("e^f is not softmax(f)", notes: f.map { Foundation.exp($0) }, computed: s, agree: false)
        let sm = try LessonExpression("softmax(f)", at: ["f": f])
        let j = try sm.jacobian()
        log.example("核心求导", "∂S_i/∂f_i = S_i − S_i², ∂S_i/∂f_j = −S_iS_j")
        log.verify("the diagonal is S − S² and the rest −S_iS_j",
                   close((0..<16).map { j.elements[$0] }, (0..<16).map { k in
                       let (r, c) = (k / 4, k % 4); return (r == c ? s[r] : 0) - s[r] * s[c] }, 1e-15),
                   detail: "all 16 entries")
        try log.verify("J(softmax) against finite differences", sm)
        log.slip("N002-CORE-OFFDIAG-MID", "case 2) i ≠ j, the middle step", printed: "−e^{f_i}·e^{f_i}/h² = −S_i²",
                 right: "−e^{f_i}·e^{f_j}/h² = −S_iS_j")
        log.compare("entry [1,2]: −S₁² against the computed −S₁S₂", notes: [-s[0] * s[0]], computed: [j[0, 1]],
                    agree: false)
        log.slip("N002-CORE-SUMPARTIALS", "∂S_i/∂f = Σⱼ ∂S_i/∂f_j", printed: "∂S/∂f as the row sums of the Jacobian",
                 right: "those sums are 0 for every f; the chain rule needs the full L×L Jacobian")
        let rowSums = (0..<4).map { r in (0..<4).reduce(0.0) { $0 + j[r, $1] } }
        log.verify("every row sum of J(softmax) is 0", rowSums.allSatisfy { abs($0) < 1e-15 },
                   detail: TextFormat.vector(rowSums, format: TextFormat.sci))
        let chain = (0..<4).map { k in (0..<4).reduce(0.0) { $0 - Self.y[$1] / s[$1] * j[$1, k] } }
        log.compare("(−Y/S)ᵀ·J(softmax) = S − Y: the full Jacobian gives the green step's result",
                    notes: zip(s, Self.y).map(-), computed: chain, agree: true, tolerance: 1e-12)
    }

    func batch(_ log: LessonLog, w: [Double]) throws {
        log.step("同理可得多张图片输入 (a batch of M = 2 images)")
        log.slip("N002-BATCH-SUM", "∂loss/∂w = (1/M)·∂C/∂w + λW", printed: "the gradient has 1/M, the loss of step 5 "
                 + "sums over the images", right: "1/M belongs to the mean loss; the summed loss has none")
        let c: [String: [Double]] = ["x1": [0.5, -1, 0.3, 0.8, -0.2, 0.1], "x2": [-0.4, 0.6, 1.1, -0.7, 0.2, 0.9],
                                     "y1": [1, 0, 0, 0], "y2": [0, 0, 1, 0]]
        let data = "softmax_ce(W'*x1, y1) + softmax_ce(W'*x2, y2)"
        let mean = try LessonExpression("(\(data))/2 + 0.05*sum(W.*W)", shapes: Self.shapes, wrt: ["W"], constants: c,
                                        at: ["W": w])
        let summed = try LessonExpression("\(data) + 0.05*sum(W.*W)", shapes: Self.shapes, wrt: ["W"], constants: c,
                                          at: ["W": w])
        try log.verify("Xᵀ(S − Y)/M + λW is the gradient of the mean loss", mean)
        try log.verify("Xᵀ(S − Y) + λW is the gradient of the summed loss", summed)
        log.compare("the two differ: the printed 1/M does not go with step 5's sum",
                    notes: try mean.jacobian().elements, computed: try summed.jacobian().elements, agree: false)
    }
}
