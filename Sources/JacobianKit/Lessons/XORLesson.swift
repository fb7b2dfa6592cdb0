/// `xor`: the notes' XOR Jacobians (eqs. 3.18–3.27) for one sample, their products and a finite-difference
/// check of the θ gradients — also what `jacobian xor --explain` prints.
public struct XORLesson: Lesson {
    public let name = "xor"
    public let summary = "the 2-4-1 XOR net's Jacobians for one sample (eqs. 3.18–3.27) and the θ gradients"
    /// The network (default: seed 0).
    public var network = XORNetwork(seed: 0)
    /// The layout the Jacobians are written in.
    public var layout: Layout = .numerator

    /// The lesson with its default maps.
    public init() {}

    /// The lesson for `network` in `layout`.
    public init(network: XORNetwork, layout: Layout) {
        self.network = network
        self.layout = layout
    }

    public func run(_ log: LessonLog) throws {
        let x = XORNetwork.inputs[0], t = XORNetwork.targets[0]
        let j = try network.jacobians(x: x, target: t)
        let name = layout == .numerator ? "J" : "Jᵀ"
        log.say("XOR chain for sample x = (\(Int(x[0])), \(Int(x[1]))), t = \(Int(t)), \(layout.convention)")
        log.say("θ1 (4×3):")
        log.say(TextFormat.matrix(network.theta1))
        log.say("θ2 (1×5):")
        log.say(TextFormat.matrix(network.theta2))
        log.say("forward: x2 = \(TextFormat.vector(j.x2)), x3 = \(TextFormat.vector(j.x3)), "
                + "x4 = \(TextFormat.number(j.output)), loss = \(TextFormat.number(j.loss))")
        let items: [(String, String, Jacobian)] = [
            ("\(name)_x(f1)", "eq. 3.18, θ1 without its bias column", j.f1X),
            ("\(name)_θ1(f1)", "eq. 3.19, I₄ ⊗ [1; x]ᵀ", j.f1Theta1),
            ("\(name)(f2)", "eq. 3.22, [0ᵀ; diag(σ′(x2))]", j.f2),
            ("\(name)_x3(f3)", "eq. 3.24, σ′·θ2", j.f3X),
            ("\(name)_θ2(f3)", "eq. 3.25, σ′·x3ᵀ", j.f3Theta2),
            ("d f4/d x4", "eq. 3.27, x4 − t", j.f4),
        ]
        for (label, note, jac) in items {
            let m = jac.oriented(layout)
            log.step("\(label)  (\(note))")
            log.emit("\(label)  \(m.rows)×\(m.columns), \(m.structureName)")
            log.emit(TextFormat.matrix(m, maxRows: 12, maxColumns: 12))
        }
        log.step("the θ gradients, multiplied from the loss end")
        let chain1 = layout == .numerator ? "J(f4)·J_x3(f3)·J(f2)·J_θ1(f1)" : "J_θ1ᵀ(f1)·Jᵀ(f2)·J_x3ᵀ(f3)·Jᵀ(f4)"
        let chain2 = layout == .numerator ? "J(f4)·J_θ2(f3)" : "J_θ2ᵀ(f3)·Jᵀ(f4)"
        let shapes1 = j.factorsTheta1(layout).map { "\($0.rows)×\($0.columns)" }.joined(separator: " · ")
        let g1 = j.chainTheta1(layout), g2 = j.chainTheta2(layout)
        log.say("∇θ1 = \(chain1) = \(shapes1) → \(g1.rows)×\(g1.columns):")
        log.say(TextFormat.matrix(g1, maxRows: 12, maxColumns: 12))
        log.say("∇θ2 = \(chain2) → \(g2.rows)×\(g2.columns):")
        log.say(TextFormat.matrix(g2, maxRows: 12, maxColumns: 12))
        let check = try GradientCheck(layout: layout).run(XORSampleLoss(network: network, x: x, target: t),
                                                          at: network.theta1.elements + network.theta2.elements)
        log.verify("[∇θ1, ∇θ2] is the gradient of the sample's loss "
                   + "(17 weights, \(check.evaluations) evaluations)", check)
    }
}
