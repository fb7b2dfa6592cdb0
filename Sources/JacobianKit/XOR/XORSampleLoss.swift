/// The loss of one XOR sample as a map of all 17 weights [vec θ1; vec θ2] → R, so the checker can compare
/// the chain's gradient with finite differences. Jacobian 1×17 = [J(f4)·J(f3)·J(f2)·J_θ1(f1), J(f4)·J_θ2(f3)].
public struct XORSampleLoss: VectorMap {
    public let name = "xor-loss"
    /// The network whose shapes (not weights) are used; the weights are the input.
    public let network: XORNetwork
    /// The sample.
    public let x: [Double]
    /// Its target.
    public let target: Double
    public var inputShape: Shape { .vector(17) }
    public var outputShape: Shape { .scalar }
    public var formula: String { "[J(f4)·J(f3)·J(f2)·J_θ1(f1), J(f4)·J_θ2(f3)]" }

    /// The loss of sample `x` with target `target`.
    public init(network: XORNetwork, x: [Double], target: Double) {
        self.network = network
        self.x = x
        self.target = target
    }

    public func evaluate(at w: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let net = try XORNetwork(theta1: Matrix(rows: 4, columns: 3, elements: Array(w[0..<12])),
                                 theta2: Matrix(rows: 1, columns: 5, elements: Array(w[12..<17])))
        let j = try net.jacobians(x: x, target: target)
        let g = j.chainTheta1(.numerator).matrix.elements + j.chainTheta2(.numerator).matrix.elements
        return ([j.loss], .dense(Matrix(unchecked: 1, 17, g)))
    }
}
