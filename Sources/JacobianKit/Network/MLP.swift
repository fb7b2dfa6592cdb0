import Foundation

/// The hidden activation of a network.
public enum Activation: String, CaseIterable, Codable, Sendable {
    case relu, sigmoid, tanh
    case leakyRelu = "leaky-relu"

    /// The library's elementwise function.
    public var function: Elementwise.Function {
        switch self {
        case .relu: return .relu
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .leakyRelu: return .leakyRelu(slope: 0.01)
        }
    }
}

/// A fully connected network x ↦ softmax(W_L·σ(…σ(W_1·x + b_1)…) + b_L), column-vector convention:
/// layer l maps a ∈ R^n to z = W·a + b ∈ R^m with W m×n row-major. `sizes` = [784, hidden…, 10].
public struct MLP: Equatable, Sendable {
    /// Layer sizes, input first.
    public let sizes: [Int]
    /// The hidden activation.
    public let activation: Activation
    /// W_l, sizes[l+1]×sizes[l].
    public var weights: [Matrix]
    /// b_l, sizes[l+1] numbers.
    public var biases: [[Double]]

    /// A network with He (relu-like) or Xavier (sigmoid, tanh) normal weights from `seed` and zero biases.
    public init(sizes: [Int], activation: Activation, seed: UInt64) {
        self.sizes = sizes
        self.activation = activation
        var rng = SplitMix64(seed: seed)
        weights = []
        biases = []
        for l in 0..<(sizes.count - 1) {
            let n = sizes[l], m = sizes[l + 1]
            let gain = (activation == .relu || activation == .leakyRelu) && l < sizes.count - 2 ? 2.0 : 1.0
            let scale = (gain / Double(n)).squareRoot()
            weights.append(Matrix(unchecked: m, n, (0..<(m * n)).map { _ in rng.normal() * scale }))
            biases.append([Double](repeating: 0, count: m))
        }
    }

    /// A network from explicit weights and biases (shapes must chain).
    public init(sizes: [Int], activation: Activation, weights: [Matrix], biases: [[Double]]) throws {
        guard sizes.count >= 2, weights.count == sizes.count - 1, biases.count == weights.count else {
            throw JacobianError.shapeMismatch("a network with \(sizes.count) sizes needs \(sizes.count - 1) weight "
                                              + "matrices and bias vectors")
        }
        for l in weights.indices where weights[l].rows != sizes[l + 1] || weights[l].columns != sizes[l]
            || biases[l].count != sizes[l + 1] {
            throw JacobianError.shapeMismatch("layer \(l + 1) must have W \(sizes[l + 1])×\(sizes[l]) "
                                              + "and b of \(sizes[l + 1])")
        }
        self.sizes = sizes
        self.activation = activation
        self.weights = weights
        self.biases = biases
    }

    /// Number of weights and biases.
    public var parameterCount: Int { zip(weights, biases).reduce(0) { $0 + $1.0.elements.count + $1.1.count } }

    /// The forward pass over a batch X (B×784, rows are samples): every layer's input, σ′ and the
    /// output probabilities P (B×10).
    public func forward(_ x: Matrix) -> ForwardPass {
        // Pixels that are zero in every image of the batch are zero columns of X, and of I ⊗ Xᵀ: drop them
        // from the first layer's products (a third of MNIST's 784 in a batch of 100).
        let active = Self.nonzeroColumns(x)
        let x0 = active.map { x.selectingColumns($0) } ?? x
        var inputs: [Matrix] = [x0]
        var derivatives: [Matrix] = []
        var a = x0
        for l in weights.indices {
            // Z = A·Wᵀ + 1·bᵀ: row b is W·a_b + b.
            let w = l == 0 ? active.map { weights[0].selectingColumns($0) } ?? weights[0] : weights[l]
            var z = BLAS.gemm(a, w, transposeB: true)
            let m = z.columns
            let bias = biases[l]
            if l == weights.count - 1 {
                z.elements.withUnsafeMutableBufferPointer { zp in
                    for r in 0..<z.rows { for j in 0..<m { zp[r * m + j] += bias[j] } }
                }
                return ForwardPass(inputs: inputs, derivatives: derivatives, probabilities: Self.softmaxRows(z),
                                   inputColumns: active, inputWidth: x.columns)
            }
            // Bias, activation and its derivative in one pass over Z.
            var dElements = [Double](unsafeUninitializedCapacity: z.elements.count) { _, count in
                count = z.elements.count
            }
            z.elements.withUnsafeMutableBufferPointer { zp in
                dElements.withUnsafeMutableBufferPointer { dp in
                    bias.withUnsafeBufferPointer { bp in
                        // One loop per activation, so the function is not re-dispatched for every entry.
                        Self.activate(activation, zp.baseAddress!, dp.baseAddress!, bp.baseAddress!,
                                      rows: zp.count / m, columns: m)
                    }
                }
            }
            let d = Matrix(unchecked: z.rows, m, dElements)
            derivatives.append(d)
            inputs.append(z)
            a = z
        }
        preconditionFailure("a network has at least one layer")
    }

    /// The columns of x with a nonzero entry, or nil when dropping the rest would save less than a tenth.
    static func nonzeroColumns(_ x: Matrix) -> [Int]? {
        var columns: [Int] = []
        columns.reserveCapacity(x.columns)
        x.elements.withUnsafeBufferPointer { p in
            // A used column is usually found in its first few rows; only unused ones are scanned to the end.
            for j in 0..<x.columns {
                var r = 0
                while r < x.rows && p[r * x.columns + j] == 0 { r += 1 }
                if r < x.rows { columns.append(j) }
            }
        }
        return columns.count * 10 < x.columns * 9 ? columns : nil
    }

    /// z ← f(z + b) and d ← f′(z + b) for every row of z, with the formulas of `Elementwise.apply`
    /// written out per activation so each loop is a tight branch-light pass the compiler can vectorize.
    static func activate(_ activation: Activation, _ z: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>,
                         _ b: UnsafePointer<Double>, rows: Int, columns m: Int) {
        switch activation {
        case .relu:
            for r in 0..<rows {
                for j in 0..<m {
                    let v = z[r * m + j] + b[j]
                    z[r * m + j] = v > 0 ? v : 0
                    d[r * m + j] = v > 0 ? 1 : 0
                }
            }
        case .leakyRelu:
            for r in 0..<rows {
                for j in 0..<m {
                    let v = z[r * m + j] + b[j]
                    z[r * m + j] = v > 0 ? v : 0.01 * v
                    d[r * m + j] = v > 0 ? 1 : 0.01
                }
            }
        case .sigmoid, .tanh:
            let f = activation.function
            for r in 0..<rows {
                for j in 0..<m { (z[r * m + j], d[r * m + j]) = Elementwise.apply(f, z[r * m + j] + b[j]) }
            }
        }
    }

    /// Softmax of each row, with the row maximum subtracted.
    static func softmaxRows(_ z: Matrix) -> Matrix {
        var p = z
        let n = z.columns
        p.elements.withUnsafeMutableBufferPointer { pp in
            for r in 0..<z.rows {
                var m = -Double.infinity
                for j in 0..<n { m = max(m, pp[r * n + j]) }
                var s = 0.0
                for j in 0..<n {
                    let e = Foundation.exp(pp[r * n + j] - m)
                    pp[r * n + j] = e
                    s += e
                }
                for j in 0..<n { pp[r * n + j] /= s }
            }
        }
        return p
    }

    /// Predicted classes for a batch.
    public func predict(_ x: Matrix) -> [Int] { Self.predictedClasses(forward(x).probabilities) }

    /// The class of each row of P: the index of its largest entry (the first, on ties).
    public static func predictedClasses(_ p: Matrix) -> [Int] {
        (0..<p.rows).map { r in
            var best = 0
            for j in 1..<p.columns where p[r, j] > p[r, best] { best = j }
            return best
        }
    }

    /// How many predictions equal their labels.
    public static func correctCount(_ predictions: [Int], _ labels: [UInt8]) -> Int {
        zip(predictions, labels).filter { $0 == Int($1) }.count
    }
}

/// What the forward pass keeps for the chain rule.
public struct ForwardPass: Sendable {
    /// The input of each layer: X, then σ(Z_1), …; each B×n.
    public let inputs: [Matrix]
    /// σ′(Z_l) of each hidden layer, B×m: the rows of its per-sample diagonal Jacobians.
    public let derivatives: [Matrix]
    /// softmax of the last layer, B×10.
    public let probabilities: Matrix
    /// When set, `inputs[0]` holds only these columns of X (the others are zero for the whole batch).
    public let inputColumns: [Int]?
    /// The number of columns of X.
    public let inputWidth: Int

    /// The first layer's ∂z/∂W_1 = I ⊗ xᵀ over the batch, with the zero columns left out when there are any.
    public func firstLayerJacobian(m: Int) -> BatchJacobian {
        inputColumns.map { .selectedIdentityKronecker(m: m, inputs: inputs[0], columns: $0, width: inputWidth) }
            ?? .identityKronecker(m: m, inputs: inputs[0])
    }
}
