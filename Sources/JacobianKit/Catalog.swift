/// Options that shape a catalog map beyond its input shape (the CLI's `--out`, `--wrt`, `--slope`, `--param`).
public struct MapOptions: Sendable {
    /// Output size of `linear`/`linear-row` (default: the input size).
    public var out: Int?
    /// The variable `linear`/`linear-row` differentiate with respect to.
    public var variable: LinearVariable = .x
    /// The negative-side slope of `leaky-relu`.
    public var slope: Double = 0.01
    /// Constants given by name (`--param W=…`); the rest are drawn from `seed`.
    public var parameters: [String: [Double]] = [:]
    /// The seed for constants and for the random point.
    public var seed: UInt64 = 0
    /// Hidden size of `rnn`.
    public var hidden = 4
    /// Time steps of `rnn`.
    public var timeSteps = 5
    /// Output classes of `rnn`.
    public var classes = 3

    /// Default options.
    public init() {}
}

/// What input a catalog map accepts.
public enum InputKind: String, Sendable {
    /// Any vector (a matrix is treated as its row-major vec).
    case vector
    /// A matrix, any shape.
    case matrix
    /// A square matrix.
    case squareMatrix
    /// A matrix for `--wrt W`, a vector otherwise.
    case layer
}

/// One built-in map: its name, what it takes, its constants and its Jacobian formula.
public struct CatalogEntry: Sendable {
    /// The name used on the command line.
    public let name: String
    /// The input kind, which decides the default shape and the shape flag to use.
    public let input: InputKind
    /// "R^n → R^n" and the like.
    public let signature: String
    /// The constants and options, "" when none.
    public let parameters: String
    /// y in terms of x.
    public let definition: String
    let make: @Sendable (Shape, MapOptions, inout ConstantSource) throws -> any VectorMap

    /// The shape used when neither --dim nor --shape is given.
    public func defaultShape(_ options: MapOptions) -> Shape {
        switch input {
        case .vector: return .vector(4)
        case .matrix: return .matrix(rows: 2, columns: 3)
        case .squareMatrix: return .matrix(rows: 3, columns: 3)
        case .layer: return options.variable == .W ? .matrix(rows: options.out ?? 3, columns: 4) : .vector(4)
        }
    }
}

/// The built-in maps, by name.
public enum Catalog {
    /// Every built-in map, in the order `jacobian list` prints them.
    public static let entries: [CatalogEntry] = [
        elementwise("sigmoid", .sigmoid, "1/(1+exp(−x)) elementwise"),
        elementwise("tanh", .tanh, "tanh x elementwise"),
        elementwise("relu", .relu, "max(0, x) elementwise"),
        CatalogEntry(name: "leaky-relu", input: .vector, signature: "R^n → R^n", parameters: "--slope (0.01)",
                     definition: "x if x > 0 else slope·x") { s, o, _ in
            Elementwise(.leakyRelu(slope: o.slope), name: "leaky-relu", shape: s)
        },
        elementwise("exp", .exp, "exp x elementwise"),
        elementwise("log", .log, "log x elementwise, x > 0"),
        elementwise("sin", .sin, "sin x elementwise"),
        CatalogEntry(name: "softmax", input: .vector, signature: "R^n → R^n", parameters: "",
                     definition: "exp(x)/Σexp(x)") { s, _, _ in Softmax(shape: s) },
        CatalogEntry(name: "log-softmax", input: .vector, signature: "R^n → R^n", parameters: "",
                     definition: "x − log Σexp(x)") { s, _, _ in LogSoftmax(shape: s) },
        CatalogEntry(name: "mse", input: .vector, signature: "R^n → R", parameters: "t (n)",
                     definition: "½‖x − t‖²") { s, _, c in
            MeanSquaredError(shape: s, target: try c.uniform("t", count: s.count, -1, 1))
        },
        CatalogEntry(name: "cross-entropy", input: .vector, signature: "R^n → R", parameters: "y (n, a distribution)",
                     definition: "−Σ y log p, p > 0") { s, _, c in
            CrossEntropy(shape: s, target: try c.take("y", count: s.count) {
                Softmax.probabilities($0.uniform(count: s.count, -2, 2))
            })
        },
        CatalogEntry(name: "binary-cross-entropy", input: .vector, signature: "R^n → R", parameters: "t (n, in [0,1])",
                     definition: "−Σ t log p + (1−t) log(1−p)") { s, _, c in
            BinaryCrossEntropy(shape: s, target: try c.uniform("t", count: s.count, 0, 1))
        },
        CatalogEntry(name: "softmax-cross-entropy", input: .vector, signature: "R^n → R", parameters: "y (n, one-hot)",
                     definition: "−Σ y log softmax(z)") { s, _, c in
            SoftmaxCrossEntropy(shape: s, target: try c.take("y", count: s.count) { rng in
                var y = [Double](repeating: 0, count: s.count)
                y[Int(rng.next() % UInt64(max(s.count, 1)))] = 1
                return y
            })
        },
        CatalogEntry(name: "linear", input: .layer, signature: "R^n → R^m",
                     parameters: "W (m×n), b (m), x (n); --out m, --wrt x|W|b",
                     definition: "W·x + b") { s, o, c in try makeLinear(s, o, &c, row: false) },
        CatalogEntry(name: "linear-row", input: .layer, signature: "R^p → R^q",
                     parameters: "W (p×q), b (q), x (p); --out q, --wrt x|W|b",
                     definition: "x·W + b (row vectors)") { s, o, c in try makeLinear(s, o, &c, row: true) },
        CatalogEntry(name: "bias", input: .vector, signature: "R^n → R^(n+1)", parameters: "",
                     definition: "[1; x]") { s, _, _ in PrependOne(shape: s) },
        CatalogEntry(name: "rnn-step", input: .vector, signature: "R^P → R^H",
                     parameters: "--dim D, --hidden-size H; input [x, h, W_xh, W_hh, b]",
                     definition: "tanh(xₜ·W_xh + hₜ₋₁·W_hh + b), rows") { s, o, _ in
            try RNNStep(inputSize: s.count, hidden: o.hidden)
        },
        CatalogEntry(name: "rnn", input: .vector, signature: "R^P → R",
                     parameters: "x (T×D), y (T), h0 (H); --dim D, --hidden-size H, --sequence-length T, --classes K",
                     definition: "Σₜ CE(softmax(hₜV + c), yₜ), hₜ = tanh(xₜW_xh + hₜ₋₁W_hh + b), "
                         + "rows (x·W)") { s, o, c in
            try UnrolledRNN(inputSize: s.count, hidden: o.hidden, classes: o.classes, steps: o.timeSteps, constants: &c)
        },
        CatalogEntry(name: "lstm-cell", input: .vector, signature: "R^P → R^(2H)",
                     parameters: "--dim D, --hidden-size H; input [x, h, C, W_f, b_f, W_i, b_i, W_a, b_a, W_o, b_o]",
                     definition: "[hₜ, Cₜ]: Cₜ = Cₜ₋₁⊙f + i⊙a, hₜ = o⊙tanh Cₜ, gates σ/tanh(u·W + b), "
                         + "rows") { s, o, _ in
            try LSTMCell(inputSize: s.count, hidden: o.hidden)
        },
        CatalogEntry(name: "transpose", input: .matrix, signature: "R^(r×c) → R^(c×r)", parameters: "",
                     definition: "Xᵀ") { s, _, _ in try Transpose(shape: s) },
        CatalogEntry(name: "trace", input: .squareMatrix, signature: "R^(n×n) → R", parameters: "",
                     definition: "tr X") { s, _, _ in try Trace(shape: s) },
        CatalogEntry(name: "inverse", input: .squareMatrix, signature: "R^(n×n) → R^(n×n)", parameters: "",
                     definition: "X⁻¹") { s, _, _ in try Inverse(shape: s) },
        CatalogEntry(name: "det", input: .squareMatrix, signature: "R^(n×n) → R", parameters: "",
                     definition: "det X") { s, _, _ in try Determinant(shape: s) },
        CatalogEntry(name: "logdet", input: .squareMatrix, signature: "R^(n×n) → R", parameters: "",
                     definition: "log det X, det X > 0") { s, _, _ in try LogDeterminant(shape: s) },
        CatalogEntry(name: "matmul", input: .matrix, signature: "R^(r×c) → R^(r×c)", parameters: "A (r×r), B (c×c)",
                     definition: "A·X·B") { s, _, c in try MatrixProduct(shape: s, constants: &c) },
        CatalogEntry(name: "hadamard", input: .matrix, signature: "R^(r×c) → R^(r×c)", parameters: "A (r×c)",
                     definition: "A ⊙ X") { s, _, c in try Hadamard(shape: s, constants: &c) },
        CatalogEntry(name: "bilinear", input: .matrix, signature: "R^(p×q) → R", parameters: "a (p), b (q)",
                     definition: "aᵀ·X·b") { s, _, c in try Bilinear(shape: s, exponential: false, constants: &c) },
        CatalogEntry(name: "bilinear-exp", input: .matrix, signature: "R^(p×q) → R", parameters: "a (p), b (q)",
                     definition: "aᵀ·exp(X·b)") { s, _, c in try Bilinear(shape: s, exponential: true, constants: &c) },
    ]

    /// Every built-in name.
    public static var names: [String] { entries.map(\.name) }

    /// The entry called `name`, or an error suggesting the closest name.
    public static func entry(named name: String) throws -> CatalogEntry {
        if let e = entries.first(where: { $0.name == name }) { return e }
        throw JacobianError.unknownMap(name, suggestion: closest(to: name))
    }

    /// The known name within edit distance 3 of `name`, if any.
    static func closest(to name: String) -> String? {
        let scored = names.map { ($0, editDistance($0, name.lowercased())) }.min { $0.1 < $1.1 }
        guard let (best, d) = scored, d <= max(2, min(3, name.count / 3)) else { return nil }
        return best
    }

    /// Builds one map or a pipeline ("a | b | c", applied left to right) for an input of `shape`.
    public static func build(_ text: String, shape: Shape?, options: MapOptions) throws -> any VectorMap {
        let names = try Pipeline.stageNames(text)
        _ = try shape?.checkedCount()
        var constants = ConstantSource(given: options.parameters, seed: options.seed)
        var stages: [any VectorMap] = []
        var current = try shape ?? entry(named: names[0]).defaultShape(options)
        for (k, name) in names.enumerated() {
            let e = try entry(named: name)
            constants.stage = names.count > 1 ? k + 1 : nil
            // --wrt W|b picks the first stage's variable; a later stage always takes the previous output as x
            // (otherwise "linear | sigmoid | linear --wrt b" would feed the hidden vector in as a bias).
            var stageOptions = options
            if k > 0 { stageOptions.variable = .x }
            let map = try e.make(current, stageOptions, &constants)
            // A later stage must take exactly what the stage before gives (rnn, rnn-step and lstm-cell take their
            // own parameter vector, so they can only start a pipeline).
            if !stages.isEmpty && map.inputShape.count != current.count {
                throw JacobianError.shapeMismatch(
                    "stage '\(name)' takes \(map.inputShape.space) but '\(stages[stages.count - 1].name)' gives "
                    + "\(current.space); \(name) can only start a pipeline")
            }
            stages.append(map)
            current = map.outputShape
        }
        if let (name, stages) = constants.stagesUsing.sorted(by: { $0.key < $1.key })
            .first(where: { $0.value.count > 1 }) {
            let each = stages.sorted().map { "--param \($0).\(name)=…" }.joined(separator: " or ")
            throw JacobianError.invalidArgument(
                "--param \(name) would set the \(name) of stages "
                + "\(stages.sorted().map(String.init).joined(separator: " and ")); "
                + "name one stage: \(each).")
        }
        if let unused = options.parameters.keys.sorted().first(where: { !constants.used.contains($0) }) {
            throw JacobianError.invalidArgument(
                "--param \(unused) is not a constant of '\(text)'; its constants are: "
                + "\(constants.used.sorted().joined(separator: ", ")).")
        }
        return stages.count == 1 ? stages[0] : Pipeline(stages)
    }

    private static func elementwise(_ name: String, _ f: Elementwise.Function, _ def: String) -> CatalogEntry {
        CatalogEntry(name: name, input: .vector, signature: "R^n → R^n", parameters: "", definition: def) { s, _, _ in
            Elementwise(f, name: name, shape: s)
        }
    }

    private static func makeLinear(_ s: Shape, _ o: MapOptions, _ c: inout ConstantSource,
                                   row: Bool) throws -> any VectorMap {
        let label = row ? "linear-row" : "linear"
        let n: Int, m: Int
        switch (o.variable, s) {
        case (.W, .matrix(let r, let cols)):
            (m, n) = row ? (cols, r) : (r, cols)
        case (.W, .vector):
            throw JacobianError.invalidArgument("\(label) --wrt W takes W itself as input; give its shape "
                                                + "with --shape RxC.")
        case (.x, .vector(let k)):
            (n, m) = (k, o.out ?? k)
        case (.b, .vector(let k)):
            (m, n) = (k, o.out ?? k)
        case (_, .matrix):
            throw JacobianError.invalidArgument("\(label) --wrt \(o.variable.rawValue) takes a vector; use --dim N.")
        }
        let scale = 1 / Double(max(n, 1)).squareRoot()
        if row {
            let w = try c.uniform("W", count: try CheckedSize.product(n, m, "\(label)'s W"), -scale, scale)
            let b = try c.uniform("b", count: m, -1, 1)
            let x = try c.uniform("x", count: n, -1, 1)
            return LinearRowMap(variable: o.variable, weights: Matrix(unchecked: n, m, w), bias: b, x: x)
        }
        let w = try c.uniform("W", count: try CheckedSize.product(m, n, "\(label)'s W"), -scale, scale)
        let b = try c.uniform("b", count: m, -1, 1)
        let x = try c.uniform("x", count: n, -1, 1)
        return LinearMap(variable: o.variable, layer: Linear(weights: Matrix(unchecked: m, n, w), bias: b), x: x)
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
