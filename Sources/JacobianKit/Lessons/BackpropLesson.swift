/// `backprop`: the δ recursion of notes 003, δˡ = [δˡ⁺¹(Wˡ⁺¹)ᵀ] ⊙ σ′(zˡ), as products with a dense and a
/// diagonal Jacobian, on a small sigmoid net; each δ verified as the gradient of the loss with respect to zˡ.
public struct BackpropLesson: Lesson {
    public let name = "backprop"
    public let summary = "the δ recursion δˡ = [δˡ⁺¹·W] ⊙ σ′(zˡ) as Jacobian products, verified layer by layer"

    /// The lesson with its default maps.
    public init() {}

    public func run(_ log: LessonLog) throws {
        let sizes = [4, 3, 3, 2]
        let net = MLP(sizes: sizes, activation: .sigmoid, seed: 7)
        let x = [0.5, -1.0, 0.25, 2.0], label = 1
        let y = (0..<2).map { $0 == label ? 1.0 : 0.0 }
        log.say("A 4-3-3-2 sigmoid net, z^l = W^l·a^(l−1) + b^l, a^l = σ(z^l), softmax + cross-entropy, "
                + "label \(label).")
        log.say("(The notes write rows, z = a·W; in our columns J(z^(l+1) wrt a^l) = W^(l+1), "
                + "so their δ·Wᵀ is our δ·W.)")
        // Forward, keeping every z.
        var a = x
        var zs: [[Double]] = []
        for l in 0..<net.weights.count {
            let z = zip(net.weights[l].multiplied(by: a), net.biases[l]).map(+)
            zs.append(z)
            a = l < net.weights.count - 1 ? z.map { Elementwise.apply(.sigmoid, $0).0 } : z
        }
        let loss = SoftmaxCrossEntropy(shape: .vector(2), target: y)
        log.step("the last layer: δ³ = J(loss wrt z³) = p − y")
        var delta = try loss.evaluate(at: zs[2]).jacobian.matrix.elements
        log.say("δ³ = \(TextFormat.vector(delta))")
        log.verify("δ³ is ∂L/∂z³", try GradientCheck().run(loss, at: zs[2]))
        for l in stride(from: 1, through: 0, by: -1) {
            log.step("layer \(l + 1): δ^\(l + 1) = [δ^\(l + 2)·W^\(l + 2)] ⊙ σ′(z^\(l + 1)) "
                     + "= δ^\(l + 2)·W^\(l + 2)·diag(σ′(z^\(l + 1)))")
            let w = Jacobian.dense(net.weights[l + 1])
            let sigma = Elementwise(.sigmoid, name: "sigmoid", shape: .vector(sizes[l + 1]))
            let (_, diag) = try sigma.evaluate(at: zs[l])
            log.show("W^\(l + 2) = J(z^\(l + 2) wrt a^\(l + 1))", w)
            log.show("diag(σ′(z^\(l + 1))) = J(a^\(l + 1) wrt z^\(l + 1))", diag)
            delta = diag.vjp(w.vjp(delta))
            log.say("δ^\(l + 1) = \(TextFormat.vector(delta))")
            // The loss as a map of z^(l+1): σ, then the remaining layers, then softmax + cross-entropy.
            var stages: [any VectorMap] = [sigma]
            for k in (l + 1)..<net.weights.count {
                stages.append(LinearMap(variable: .x, layer: Linear(weights: net.weights[k], bias: net.biases[k]),
                                        x: []))
                if k < net.weights.count - 1 {
                    stages.append(Elementwise(.sigmoid, name: "sigmoid", shape: .vector(sizes[k + 1])))
                }
            }
            stages.append(loss)
            let fromZ = Pipeline(stages)
            let check = try GradientCheck().run(fromZ, at: zs[l])
            let same = zip(check.analytic.matrix.elements, delta).allSatisfy { abs($0 - $1) <= 1e-15 * max(1, abs($1)) }
            log.verify("the recursion's δ^\(l + 1) is the chain's ∂L/∂z^\(l + 1)", same,
                       detail: "entry for entry to 1e-15")
            log.verify("and ∂L/∂z^\(l + 1) matches finite differences", check)
        }
    }
}
