/// The loss of a network on a few samples as a map of a chosen subset of its parameters, so the checker can
/// compare the Jacobian chain's gradient with finite differences. Jacobian 1×k: the chain's gradient entries.
public struct NetworkLoss: VectorMap {
    /// A parameter: layer, and an index into W (row-major) or b.
    public struct Parameter: Sendable, Equatable {
        /// The layer (0-based).
        public var layer: Int
        /// A bias entry rather than a weight.
        public var isBias: Bool
        /// The index in W (row-major) or b.
        public var index: Int
    }

    public let name = "network-loss"
    /// The network whose parameters are perturbed.
    public let network: MLP
    /// The images, B×784.
    public let x: Matrix
    /// Their labels.
    public let labels: [UInt8]
    /// The L2 weight λ in the loss.
    public let l2: Double
    /// The layout the gradient chain is multiplied in.
    public let layout: Layout
    /// The parameters that form the input.
    public let parameters: [Parameter]
    public var inputShape: Shape { .vector(parameters.count) }
    public var outputShape: Shape { .scalar }
    public var formula: String { "J(loss)·J(z_L)·diag(σ′)·…·(I ⊗ aᵀ), restricted to the chosen weights" }

    /// The loss of `network` on (`x`, `labels`) as a function of `count` distinct seeded random parameters, spread over
    /// every layer (weights, and every fourth a bias).
    public init(network: MLP, x: Matrix, labels: [UInt8], l2: Double, layout: Layout, count: Int, seed: UInt64) {
        self.network = network
        self.x = x
        self.labels = labels
        self.l2 = l2
        self.layout = layout
        var rng = SplitMix64(seed: seed)
        var chosen: [Parameter] = []
        let layers = network.weights.count
        let available = network.parameterCount
        while chosen.count < min(count, available) {
            let k = chosen.count
            let l = k % layers
            let isBias = k % 4 == 3
            let size = isBias ? network.biases[l].count : network.weights[l].elements.count
            let p = Parameter(layer: l, isBias: isBias, index: Int(rng.next() % UInt64(size)))
            // Each parameter once: a repeat would overwrite its own perturbation.
            if !chosen.contains(p) { chosen.append(p) }
        }
        parameters = chosen
    }

    /// The current values of the chosen parameters.
    public var point: [Double] {
        parameters.map { $0.isBias ? network.biases[$0.layer][$0.index] : network.weights[$0.layer].elements[$0.index] }
    }

    func network(at v: [Double]) -> MLP {
        var n = network
        for (p, value) in zip(parameters, v) {
            if p.isBias { n.biases[p.layer][p.index] = value } else { n.weights[p.layer].elements[p.index] = value }
        }
        return n
    }

    public func evaluate(at v: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let (loss, g, _) = network(at: v).lossAndGradients(x, labels: labels[...], l2: l2, layout: layout)
        let row = parameters.map { $0.isBias ? g.biases[$0.layer][$0.index] : g.weights[$0.layer].elements[$0.index] }
        return ([loss], .dense(Matrix(unchecked: 1, row.count, row)))
    }
}
