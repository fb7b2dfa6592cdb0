/// The 2-4-1 XOR network of the 2021 notes (§3.2), as a composition of library maps:
///
///     f1: (θ1 ∈ M[4,3], x ∈ R²) ↦ x2 = θ1·[1; x]          bias, then linear
///     f2: x2 ↦ x3 = [1; σ(x2)] ∈ R⁵                        sigmoid, then bias
///     f3: (θ2 ∈ M[1,5], x3) ↦ x4 = σ(θ2·x3)                linear, then sigmoid
///     f4: x4 ↦ ½(x4 − t)²                                   mse
///
/// θ1 and θ2 are vectorized row-major; column 0 of each multiplies the bias node 1.
public struct XORNetwork: Equatable, Sendable {
    /// θ1, 4×3.
    public var theta1: Matrix
    /// θ2, 1×5.
    public var theta2: Matrix

    /// The four samples in the notes' order: (0,0), (0,1), (1,0), (1,1).
    public static let inputs: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
    /// Their targets: 0, 1, 1, 0.
    public static let targets: [Double] = [0, 1, 1, 0]

    /// A network with the given weights; throws unless θ1 is 4×3 and θ2 is 1×5.
    public init(theta1: Matrix, theta2: Matrix) throws {
        guard theta1.rows == 4, theta1.columns == 3, theta2.rows == 1, theta2.columns == 5 else {
            throw JacobianError.shapeMismatch(
                "the XOR net needs theta1 4×3 and theta2 1×5, got \(theta1.rows)×\(theta1.columns) "
                + "and \(theta2.rows)×\(theta2.columns)")
        }
        self.theta1 = theta1
        self.theta2 = theta2
    }

    /// θ drawn uniform in [0, 1) from `seed`, as the notes' np.random.rand: θ1 row-major, then θ2.
    public init(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        theta1 = Matrix(unchecked: 4, 3, rng.uniform(count: 12, 0, 1))
        theta2 = Matrix(unchecked: 1, 5, rng.uniform(count: 5, 0, 1))
    }

    /// f1 as a map of θ1 (x fixed): J = I₄ ⊗ [1; x]ᵀ, 4×12 block diagonal (eq. 3.19).
    public func f1Theta(x: [Double]) -> LinearMap {
        LinearMap(variable: .W, layer: Linear(weights: theta1, bias: [0, 0, 0, 0]), x: [1] + x)
    }
    /// f1 as a map of x (θ1 fixed): bias then linear, J = θ1·[0ᵀ; I₂] = θ1 without column 0, 4×2 (eq. 3.18).
    public var f1X: Pipeline {
        Pipeline([PrependOne(shape: .vector(2)),
                  LinearMap(variable: .x, layer: Linear(weights: theta1, bias: [0, 0, 0, 0]), x: [])])
    }
    /// f2: sigmoid then bias, J = [0ᵀ; diag(σ′)], 5×4 (eq. 3.22).
    public var f2: Pipeline {
        Pipeline([Elementwise(.sigmoid, name: "sigmoid", shape: .vector(4)), PrependOne(shape: .vector(4))])
    }
    /// f3 as a map of x3: linear then sigmoid, J = σ′·θ2, 1×5 (eq. 3.24).
    public var f3X: Pipeline {
        Pipeline([LinearMap(variable: .x, layer: Linear(weights: theta2, bias: [0]), x: []),
                  Elementwise(.sigmoid, name: "sigmoid", shape: .vector(1))])
    }
    /// f3 as a map of θ2 (x3 fixed): J = σ′·x3ᵀ, 1×5 (eq. 3.25).
    public func f3Theta(x3: [Double]) -> Pipeline {
        Pipeline([LinearMap(variable: .W, layer: Linear(weights: theta2, bias: [0]), x: x3),
                  Elementwise(.sigmoid, name: "sigmoid", shape: .vector(1))])
    }
    /// f4: ½(x4 − t)², J = x4 − t, 1×1 (eq. 3.27).
    public func f4(target: Double) -> MeanSquaredError { MeanSquaredError(shape: .scalar, target: [target]) }

    /// Every Jacobian of the chain for one sample, structured, in numerator layout.
    public func jacobians(x: [Double], target: Double) throws -> XORJacobians {
        let (x2, jf1x) = try f1X.evaluate(at: x)
        let (_, jf1theta) = try f1Theta(x: x).evaluate(at: theta1.elements)
        let (x3, jf2) = try f2.evaluate(at: x2)
        let (x4, jf3x) = try f3X.evaluate(at: x3)
        let (_, jf3theta) = try f3Theta(x3: x3).evaluate(at: theta2.elements)
        let (loss, jf4) = try f4(target: target).evaluate(at: x4)
        return XORJacobians(x2: x2, x3: x3, output: x4[0], loss: loss[0], f1X: jf1x, f1Theta1: jf1theta, f2: jf2,
                            f3X: jf3x, f3Theta2: jf3theta, f4: jf4)
    }

    /// The loss gradients for one sample by the Jacobian chain in `layout`: numerator rows
    /// J(f4)·J(f3)·J(f2)·J_θ1(f1) (1×12) and J(f4)·J_θ2(f3) (1×5), or the transposed products in reverse
    /// order (12×1 and 5×1), multiplied from the loss end (reverse mode). Returned row-major as θ's shape.
    public func gradients(x: [Double], target: Double, layout: Layout) throws -> (theta1: [Double], theta2: [Double]) {
        let j = try jacobians(x: x, target: target)
        return (j.chainTheta1(layout).matrix.elements, j.chainTheta2(layout).matrix.elements)
    }

    /// Output σ(θ2·[1; σ(θ1·[1; x])]) for one input.
    public func output(_ x: [Double]) throws -> Double { try jacobians(x: x, target: 0).output }
}

/// The Jacobians of the XOR chain at one sample (numerator layout), with the forward values.
public struct XORJacobians: Sendable {
    /// x2 = θ1·[1; x], the hidden pre-activations (4).
    public let x2: [Double]
    /// x3 = [1; σ(x2)], the hidden layer with its bias node (5).
    public let x3: [Double]
    /// x4, the network's output.
    public let output: Double
    /// ½(x4 − t)².
    public let loss: Double
    /// J_x(f1), 4×2.
    public let f1X: Jacobian
    /// J_θ1(f1), 4×12 = I₄ ⊗ [1; x]ᵀ.
    public let f1Theta1: Jacobian
    /// J(f2), 5×4.
    public let f2: Jacobian
    /// J_x3(f3), 1×5.
    public let f3X: Jacobian
    /// J_θ2(f3), 1×5.
    public let f3Theta2: Jacobian
    /// J(f4), 1×1.
    public let f4: Jacobian

    /// The factors of the θ1 gradient as written in `layout`, left to right.
    public func factorsTheta1(_ layout: Layout) -> [Jacobian] {
        let f = [f4, f3X, f2, f1Theta1]
        return layout == .numerator ? f : f.reversed().map { $0.transposed() }
    }

    /// The factors of the θ2 gradient as written in `layout`, left to right.
    public func factorsTheta2(_ layout: Layout) -> [Jacobian] {
        layout == .numerator ? [f4, f3Theta2] : [f3Theta2.transposed(), f4.transposed()]
    }

    /// The θ1 gradient, 1×12 (numerator) or 12×1 (denominator), multiplied from the loss end.
    public func chainTheta1(_ layout: Layout) -> Jacobian { Self.fromLossEnd(factorsTheta1(layout), layout) }
    /// The θ2 gradient, 1×5 or 5×1, multiplied from the loss end.
    public func chainTheta2(_ layout: Layout) -> Jacobian { Self.fromLossEnd(factorsTheta2(layout), layout) }

    private static func fromLossEnd(_ f: [Jacobian], _ layout: Layout) -> Jacobian {
        if layout == .numerator { return f.dropFirst().reduce(f[0]) { $0.multiplied(by: $1) } }
        return f.dropLast().reversed().reduce(f[f.count - 1]) { $1.multiplied(by: $0) }
    }
}
