import Foundation

/// `notes-003`: note 003 (cs231n notes, row vectors): chain rules, the multi-layer MSE network and its δ recursion,
/// softmax, the RNN and the LSTM, each slip N003-… named. Column form here: the note's row z = aW + b is W'*a + b.
public struct Notes003Lesson: NotesLesson {
    public let name = "notes-003"
    public let note = "003"
    public let summary = "note 003: layouts, the 3-layer MSE net's δ recursion, RNN, LSTM gates; 14 slips (+3: lstm)"

    /// The lesson.
    public init() {}

    public func run(_ log: LessonLog) throws {
        log.say("Note 003 (shared/seeds/003_*.txt). Its rows are columns here: z = aW + b is W'*a + b, and")
        log.say("a Jacobian written Wᵀ in the note is the numerator-layout Jacobian J = ∂z/∂a.")
        try chainRules(log)
        try dnn(log)
        try rnn(log)
        try lstmGates(log)
        log.say("")
        log.say("The LSTM over a whole sequence, with δ_h and δ_C and the cell path the note loses")
        log.say("(N003-LSTM-DH-CELLPATH, N003-LSTM-CIRCULAR, N003-LSTM-A-NOTATION): 'jacobian demo lstm'.")
    }

    func chainRules(_ log: LessonLog) throws {
        log.step("链式求导 and the layout the note uses")
        let s: [String: Shape] = ["W": .matrix(rows: 4, columns: 3)]
        let affine = try LessonExpression("W'*a + b", shapes: s, wrt: ["a"], seed: 3)
        let w = affine.values("W")
        log.slip("N003-LAYOUT-NAME", "lines 4 and 31", printed: "我们选取分母布局 (denominator layout), with ∂Z/∂a = Wᵀ",
                 right: "Wᵀ (m×n, rows follow Z) is the numerator layout; denominator layout gives W")
        let num = try affine.jacobian(.numerator), den = try affine.jacobian(.denominator)
        let wT = transpose(w, 4, 3)
        let isWT = num.rows == 3 && num.columns == 4 && close(num.elements, wT, 0)
        log.verify("numerator layout: J is 3×4 and equals Wᵀ", isWT, detail: "\(num.rows)×\(num.columns)")
        log.verify("denominator layout: 4×3, equal to W", den.rows == 4 && close(den.elements, w, 0),
                   detail: "\(den.rows)×\(den.columns)")
        try log.verify("both against finite differences (denominator shown)", affine, layout: .denominator)
        log.example("向量对向量", "Z = σ(a)W + b: ∂Z/∂a = Wᵀdiag(σ′(a))")
        try log.verify("∂(W'σ(a) + b)/∂a", try LessonExpression("W'*sigmoid(a) + b", shapes: s, wrt: ["a"], seed: 3))
        log.slip("N003-AXB-dA", "lines 25 and 87", printed: "∂z/∂A = ∂z/∂A·Xᵀ (circular)", right: "∂z/∂A = (∂z/∂Y)Xᵀ")
        let axb: [String: Shape] = ["A": .matrix(rows: 3, columns: 4), "X": .matrix(rows: 4, columns: 2),
                                    "B": .matrix(rows: 3, columns: 2)]
        let z = try LessonExpression("sum(tanh(A*X + B).^2)", shapes: axb, wrt: ["A", "X"], seed: 3)
        let (a, x, b) = (z.values("A"), z.values("X"), z.values("B"))
        let yv = try evaluate("A*X + B", ["A": a, "X": x, "B": b], shapes: axb)
        let gy = yv.map { (y: Double) -> Double in let t = Foundation.tanh(y); return 2 * t * (1 - t * t) }  // ∂z/∂Y
        let xT = transpose(x, 4, 2)
        var ga: [Double] = []
        for r in 0..<3 { ga += times(transpose(xT, 2, 4), Array(gy[(r * 2)..<(r * 2 + 2)])) }
        log.compare("∂z/∂A = (∂z/∂Y)Xᵀ", notes: ga, computed: Array(try z.jacobian().elements[0..<12]), agree: true,
                    tolerance: 1e-12)
        try log.verify("∂z/∂A and ∂z/∂X = Aᵀ∂z/∂Y", z)
    }

    func dnn(_ log: LessonLog) throws {
        log.step("DNN: J = ½‖a^L − y‖², three sigmoid layers, the δ recursion")
        let s: [String: Shape] = ["W1": .matrix(rows: 3, columns: 4), "W2": .matrix(rows: 4, columns: 3),
                                  "W3": .matrix(rows: 3, columns: 2)]
        let text = "0.5*sum((sigmoid(W3'*sigmoid(W2'*sigmoid(W1'*x + b1) + b2) + b3) - y).^2)"
        let net = try LessonExpression(text, shapes: s, wrt: ["W1", "b1", "W2", "b2", "W3", "b3"], seed: 3)
        var v: [String: [Double]] = [:]
        for n in ["W1", "b1", "W2", "b2", "W3", "b3", "x", "y"] { v[n] = net.values(n) }
        // Forward in the note's order: a⁰ = x, zˡ = Wˡᵀaˡ⁻¹ + bˡ, aˡ = σ(zˡ).
        var acts = [v["x"]!], sp: [[Double]] = []
        for (l, (r, c)) in [(3, 4), (4, 3), (3, 2)].enumerated() {
            let wl: [Double] = v["W\(l + 1)"]!, bl: [Double] = v["b\(l + 1)"]!
            let zl: [Double] = zip(times(transpose(wl, r, c), acts[l]), bl).map(+)
            let al: [Double] = zl.map { 1 / (1 + Foundation.exp(-$0)) }
            acts.append(al)
            sp.append(al.map { $0 * (1 - $0) })
        }
        // δᴸ = (aᴸ − y) ⊙ σ′(zᴸ); δˡ = (Wˡ⁺¹δˡ⁺¹) ⊙ σ′(zˡ); ∂J/∂Wˡ = aˡ⁻¹δˡᵀ, ∂J/∂bˡ = δˡ.
        var delta = [[Double]](repeating: [], count: 3)
        delta[2] = hadamard(zip(acts[3], v["y"]!).map(-), sp[2])
        for l in [1, 0] { delta[l] = hadamard(times(v["W\(l + 2)"]!, delta[l + 1]), sp[l]) }
        let g = try net.jacobian().elements
        var at = 0
        for l in 0..<3 {
            let gw = outer(acts[l], delta[l])
            log.compare("∂J/∂W\(l + 1) = a\(l)·δ\(l + 1)ᵀ and ∂J/∂b\(l + 1) = δ\(l + 1) (δ by the recursion)",
                        notes: gw + delta[l], computed: Array(g[at..<(at + gw.count + delta[l].count)]), agree: true,
                        tolerance: 1e-12)
            at += gw.count + delta[l].count
        }
        log.slip("N003-DNN-ZINDEX", "line 89", printed: "zˡ = aˡWˡ⁺¹ + bˡ⁺¹", right: "zˡ = aˡ⁻¹Wˡ + bˡ: the recursion "
                 + "above uses that reading and matches")
        try log.verify("every layer's gradient against finite differences", net)
        log.slip("N003-DNN-HALF", "lines 61 and 69", printed: "∂J/∂Wᴸ = ∂(OOᵀ)/∂Wᴸ, then ∂(OOᵀ)/∂O = 2O whose 2 "
                 + "disappears", right: "J = ½OOᵀ: the two slips cancel in the final formula")
        let o = [0.3, -0.2, 0.5]
        let full = try LessonExpression("sum(O.^2)", at: ["O": o]).jacobian().elements
        let half = try LessonExpression("0.5*sum(O.^2)", at: ["O": o]).jacobian().elements
        log.compare("∂(OOᵀ)/∂O = 2O is twice ∂J/∂O = O", notes: full, computed: half.map { 2 * $0 }, agree: true,
                    tolerance: 1e-15)
        log.slip("N003-DNN-OTO", "line 65", printed: "∂(OᵀO)/∂O for a row O (an n×n matrix)", right: "∂(OOᵀ)/∂O, "
                 + "the scalar's derivative")
        let outer = try evaluate("O*O'", ["O": o]), inner = try evaluate("O'*O", ["O": o])
        log.verify("with a column O, O'*O is the scalar and O*O' the 3×3 matrix (the note's OᵀO for a row)",
                   inner.count == 1 && outer.count == 9, detail: "\(inner.count) and \(outer.count) entries")
        log.example("Softmax / SoftMax更新梯度", "∂(−y·ln softmax(z))/∂z = a − y, ∂l/∂W = Xᵀ(a − y)")
        try log.verify("∂ softmax_ce(W'*x, y)/∂W", try LessonExpression("softmax_ce(W'*x, y)",
                       shapes: ["W": .matrix(rows: 4, columns: 3)], wrt: ["W"], constants: ["y": [0, 1, 0]], seed: 3))
    }

    func rnn(_ log: LessonLog) throws {
        log.step("RNN: hₜ = tanh(W_xhᵀxₜ + W_hhᵀhₜ₋₁ + b), aₜ = softmax(Vᵀhₜ + c)")
        let s: [String: Shape] = ["V": .matrix(rows: 4, columns: 3), "Whh": .matrix(rows: 4, columns: 4),
                                  "Wxh": .matrix(rows: 3, columns: 4), "h1": .vector(4), "x2": .vector(3)]
        let y1: [Double] = [1, 0, 0], y2: [Double] = [0, 1, 0]
        let text = "softmax_ce(V'*h1 + c, y1) + softmax_ce(V'*tanh(Wxh'*x2 + Whh'*h1 + b) + c, y2)"
        let loss = try LessonExpression(text, shapes: s, wrt: ["h1"], constants: ["y1": y1, "y2": y2], seed: 3)
        var v: [String: [Double]] = [:]
        for n in ["V", "Whh", "Wxh", "h1", "x2", "b", "c"] { v[n] = loss.values(n) }
        let whh = v["Whh"]!, vm = v["V"]!, h1 = v["h1"]!
        let o2 = try evaluate("Wxh'*x2 + Whh'*h1 + b", v, shapes: s)
        let h2 = o2.map { Foundation.tanh($0) }
        let a1 = try evaluate("softmax(V'*h1 + c)", v, shapes: s)
        let a2 = try evaluate("softmax(V'*h2 + c)", ["V": vm, "h2": h2, "c": v["c"]!], shapes: s)
        func vTimes(_ d: [Double]) -> [Double] { times(vm, d) }
        func whhTimes(_ d: [Double]) -> [Double] { times(whh, d) }
        let delta2 = vTimes(zip(a2, y2).map(-))
        log.slip("N003-RNN-DHDH", "line 187", printed: "∂hₜ/∂hₜ₋₁ = W_hhᵀdiag(1 − hₜ₋₁²)", right: "diag(1 − hₜ²)W_hhᵀ: "
                 + "tanh′ at the output")
        let step = try LessonExpression("tanh(Wxh'*x2 + Whh'*h1 + b)", shapes: s, wrt: ["h1"], at: v)
        let js = try step.jacobian().elements
        let whhT = transpose(whh, 4, 4)
        let notesLocal = transpose(diagTimes(h1.map { 1 - $0 * $0 }, whh), 4, 4)     // W_hhᵀ·diag(1 − h₁²)
        let rightLocal = diagTimes(h2.map { 1 - $0 * $0 }, whhT)
        log.compare("the printed local Jacobian is not ∂h₂/∂h₁", notes: notesLocal, computed: js, agree: false)
        log.compare("diag(1 − h₂²)W_hhᵀ is", notes: rightLocal, computed: js, agree: true, tolerance: 1e-12)
        log.slip("N003-RNN-DELTA", "line 192", printed: "δₜ = (aₜ − yₜ)Vᵀ + δₜ₊₁W_hhᵀdiag(1 − hₜ²)",
                 right: "δₜ = (aₜ − yₜ)Vᵀ + [δₜ₊₁ ⊙ (1 − hₜ₊₁²)]W_hhᵀ")
        let out1 = vTimes(zip(a1, y1).map(-))
        let notesDelta = zip(out1, hadamard(h1.map { 1 - $0 * $0 }, whhTimes(delta2))).map(+)
        let rightDelta = zip(out1, whhTimes(hadamard(delta2, h2.map { 1 - $0 * $0 }))).map(+)
        let trueDelta = try loss.jacobian().elements
        log.compare("the printed δ₁ drifts from ∂L/∂h₁", notes: notesDelta, computed: trueDelta, agree: false)
        log.compare("the corrected δ₁ equals ∂L/∂h₁", notes: rightDelta, computed: trueDelta, agree: true,
                    tolerance: 1e-12)
        try log.verify("∂L/∂h₁ of the two-step loss", loss)
        log.slip("N003-RNN-dWhh-TANHPRIME", "lines 197–205", printed: "∂L/∂W_hh = hₜ₋₁ᵀ[δₜ ⊙ (1 − oₜ²)] (o the "
                 + "pre-activation)", right: "Σₜ hₜ₋₁ᵀ[δₜ ⊙ (1 − hₜ²)]")
        var vw = v
        vw.removeValue(forKey: "Whh")
        let lw = try LessonExpression(text, shapes: s, wrt: ["Whh"], constants: ["y1": y1, "y2": y2]
                                      .merging(vw) { a, _ in a }, at: ["Whh": whh])
        let gw = try lw.jacobian().elements
        let notesW = outer(h1, hadamard(delta2, o2.map { 1 - $0 * $0 }))
        let rightW = outer(h1, hadamard(delta2, h2.map { 1 - $0 * $0 }))
        log.compare("1 − o² is not tanh′(o)", notes: notesW, computed: gw, agree: false)
        log.compare("1 − h² is", notes: rightW, computed: gw, agree: true, tolerance: 1e-12)
        try log.verify("∂L/∂W_hh against finite differences", lw)
        log.slip("N003-RNN-STEP-DX", "rnn_step_backward", printed: "dx = (dnext_h·(1 − next_h²))@Wh.T, dprev_h None",
                 right: "dx = dO@Wx.T (N×D), dprev_h = dO@Wh.T (N×H)")
        let both = try LessonExpression("tanh(Wx'*x + Wh'*h + b)", shapes: ["Wx": .matrix(rows: 3, columns: 4),
                                        "Wh": .matrix(rows: 4, columns: 4)], wrt: ["x", "h"], seed: 3)
        let jb = try both.jacobian()
        log.verify("J wrt x is 4×3 (Wx′), wrt h is 4×4 (Wh′): the printed dx has dprev_h's shape",
                   jb.rows == 4 && jb.columns == 7, detail: "blocks 4×3 and 4×4")
        try log.verify("the step's Jacobian wrt x and h", both)
    }

    func lstmGates(_ log: LessonLog) throws {
        log.step("LSTM: the gate terms of δ_h (one step, h = hᵗ)")
        let s: [String: Shape] = ["h": .vector(4), "x": .vector(3), "W": .matrix(rows: 4, columns: 4),
                                  "U": .matrix(rows: 3, columns: 4)]
        // A gate g = act(W'h + U'x + b); each term's Jacobian wrt h is diag(d)·Wᵀ for a vector d.
        func gate(_ text: String, _ extra: [String: [Double]], _ act: (Double) -> Double,
                  _ actPrime: (Double) -> Double) throws
            -> (e: LessonExpression, g: [Double], d: [Double], w: [Double])
        {
            let e = try LessonExpression(text, shapes: s, wrt: ["h"], constants: extra, seed: 3)
            let w = e.values("W")
            let z = try evaluate("W'*h + U'*x + b", ["W": w, "h": e.values("h"), "U": e.values("U"), "x": e.values("x"),
                                                     "b": e.values("b")], shapes: s)
            return (e, z.map(act), z.map(actPrime), w)
        }
        func diagW(_ d: [Double], _ w: [Double]) -> [Double] { diagTimes(d, transpose(w, 4, 4)) }
        let sig: (Double) -> Double = { 1 / (1 + Foundation.exp(-$0)) }
        let sigP: (Double) -> Double = { let s = 1 / (1 + Foundation.exp(-$0)); return s * (1 - s) }
        let th: (Double) -> Double = { Foundation.tanh($0) }
        let thP: (Double) -> Double = { 1 - Foundation.tanh($0) * Foundation.tanh($0) }
        let cPrev = [0.4, -0.7, 0.2, 0.9], iGate = [0.3, 0.6, 0.8, 0.45], aGate = [-0.5, 0.2, 0.7, -0.1]
        let c = [0.6, -1.1, 0.3, 1.4], oPrev = [0.2, 0.7, 0.55, 0.35]

        log.slip("N003-LSTM-GATE-F", "line 336", printed: "diag(Cᵗ ⊙ fᵗ⁺¹)diag(σ′)W_fᵀ", right: "diag(Cᵗ ⊙ σ′)W_fᵀ")
        let f = try gate("Cprev .* sigmoid(W'*h + U'*x + b)", ["Cprev": cPrev], sig, sigP)
        try compareGate(log, f.e, notes: diagW(hadamard(hadamard(cPrev, f.g), f.d), f.w),
                        right: diagW(hadamard(cPrev, f.d), f.w))
        log.slip("N003-LSTM-GATE-A", "line 337", printed: "diag(aᵗ⁺¹ ⊙ iᵗ⁺¹ ⊙ tanh′)W_aᵀ",
                 right: "diag(iᵗ⁺¹ ⊙ tanh′)W_aᵀ")
        let a = try gate("i .* tanh(W'*h + U'*x + b)", ["i": iGate], th, thP)
        try compareGate(log, a.e, notes: diagW(hadamard(hadamard(a.g, iGate), a.d), a.w),
                        right: diagW(hadamard(iGate, a.d), a.w))
        log.slip("N003-LSTM-GATE-I", "line 338", printed: "diag(aᵗ⁺¹ ⊙ iᵗ⁺¹)diag(σ′)W_iᵀ", right: "diag(aᵗ⁺¹ ⊙ σ′)W_iᵀ")
        let i = try gate("sigmoid(W'*h + U'*x + b) .* a", ["a": aGate], sig, sigP)
        try compareGate(log, i.e, notes: diagW(hadamard(hadamard(aGate, i.g), i.d), i.w),
                        right: diagW(hadamard(aGate, i.d), i.w))
        log.slip("N003-LSTM-GATE-O", "line 344", printed: "diag(oᵗ⁺¹ ⊙ tanh(Cᵗ⁺¹) ⊙ σ′)W_oᵀ",
                 right: "diag(tanh(Cᵗ⁺¹) ⊙ σ′)W_oᵀ")
        let o = try gate("sigmoid(W'*h + U'*x + b) .* tanh(C)", ["C": c], sig, sigP)
        try compareGate(log, o.e, notes: diagW(hadamard(hadamard(o.g, c.map(th)), o.d), o.w),
                        right: diagW(hadamard(c.map(th), o.d), o.w))
        log.slip("N003-LSTM-DHDC", "line 324", printed: "∂hᵗ⁺¹/∂Cᵗ⁺¹ = diag(oᵗ ⊙ tanh′(Cᵗ⁺¹))",
                 right: "diag(oᵗ⁺¹ ⊙ tanh′(Cᵗ⁺¹)): the gate of the same step")
        let hc = try LessonExpression("o .* tanh(C)", constants: ["o": o.g], at: ["C": c])
        let jhc = try hc.jacobian().elements
        let diagAt = { (d: [Double]) -> [Double] in Matrix(diagonal: d).elements }
        log.compare("with the previous step's oᵗ", notes: diagAt(hadamard(oPrev, c.map(thP))), computed: jhc,
                    agree: false)
        log.compare("with oᵗ⁺¹", notes: diagAt(hadamard(o.g, c.map(thP))), computed: jhc, agree: true,
                    tolerance: 1e-15)
    }

    func compareGate(_ log: LessonLog, _ e: LessonExpression, notes: [Double], right: [Double]) throws {
        let j = try e.jacobian().elements
        log.compare("the printed term is not the Jacobian", notes: notes, computed: j, agree: false)
        log.compare("the corrected term is", notes: right, computed: j, agree: true, tolerance: 1e-12)
        try log.verify("against finite differences", e)
    }
}
