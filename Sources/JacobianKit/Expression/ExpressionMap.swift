import ComplexModule

/// An expression bound to shapes and constants: a map from its inputs (their row-major vecs, concatenated in
/// order) to its value, whose Jacobian is accumulated over the expression's graph of structured Jacobians.
public struct ExpressionMap: VectorMap, ComplexEvaluable {
    /// The expression as written.
    public let name: String
    /// The inputs, in order, with their shapes and offsets in x.
    public let inputs: [InputBlock]
    /// The held-fixed variables and their values.
    public let constants: [NamedConstant]
    public let inputShape: Shape
    public let outputShape: Shape
    let graph: ComputationGraph
    private let syntax: ExpressionSyntax
    private let inputNodes: [Int]
    private let constantValues: [String: [Double]]
    private let roles: [String: ValueRole]

    init(_ expression: Expression, _ b: ExpressionBindings) throws {
        let text = expression.text
        let variables = expression.variables
        guard !variables.isEmpty else {
            throw JacobianError.invalidArgument(
                "'\(text)' has no variables, so there is nothing to differentiate; write it in terms of x, W, ….")
        }
        let known = Set(variables)
        for name in b.shapes.keys.sorted() + b.constants.keys.sorted() + b.inputValues.keys.sorted()
            where !known.contains(name) {
            throw JacobianError.invalidArgument(Self.unknownVariable(name, variables))
        }
        let inputNames: [String]
        if let wrt = b.wrt {
            for name in wrt where !known.contains(name) {
                throw JacobianError.invalidArgument(Self.unknownVariable(name, variables))
            }
            if let fixed = wrt.first(where: { b.constants[$0] != nil }) {
                throw JacobianError.invalidArgument(
                    "\(fixed) is both an input (--wrt) and held fixed (--param); "
                    + "give its value with --at \(fixed)=… instead.")
            }
            if let twice = wrt.first(where: { n in wrt.filter { $0 == n }.count > 1 }) {
                throw JacobianError.invalidArgument("\(twice) is named twice in --wrt.")
            }
            inputNames = wrt
        } else {
            inputNames = variables.filter { b.constants[$0] == nil }
        }
        guard !inputNames.isEmpty else {
            throw JacobianError.invalidArgument(
                "Every variable of '\(text)' is held fixed by --param, so there is no input to differentiate "
                + "with respect to.")
        }
        if let name = b.inputValues.keys.sorted().first(where: { !inputNames.contains($0) }) {
            throw JacobianError.invalidArgument(
                "\(name) is not an input here (the inputs are \(inputNames.joined(separator: ", "))); "
                + "hold it fixed with --param \(name)=… or add it to --wrt.")
        }
        var counts: [String: Int] = [:]
        for (k, v) in b.constants { counts[k] = v.count }
        for (k, v) in b.inputValues { counts[k] = v.count }
        let shapes = b.shapes.mapValues { s -> NodeShape in
            switch s {
            case let .vector(n): return NodeShape(rows: n, columns: 1)
            case let .matrix(r, c): return NodeShape(rows: r, columns: c)
            }
        }
        let inference = try ShapeInference(expression.syntax, text: text, known: shapes, counts: counts,
                                           inputs: inputNames, barePointCount: b.pointCount)
        let solved = inference.variableShapes
        var total = 0
        for name in variables {
            let s = solved[name]!
            let (count, overflow) = s.rows.multipliedReportingOverflow(by: s.columns)
            let (sum, overflow2) = total.addingReportingOverflow(count)
            guard !overflow, !overflow2, sum <= Self.maximumNumbers else {
                throw JacobianError.tooLarge(
                    "The variables of '\(text)' need more than \(Self.maximumNumbers) numbers "
                    + "(\(name) is \(s.rows)x\(s.columns)); use smaller shapes.")
            }
            total = sum
        }
        graph = try Self.buildGraph(inference, text: text)
        syntax = expression.syntax
        name = text
        let variableNodes = graph.variables
        var offset = 0
        var blocks: [InputBlock] = []
        for n in inputNames {
            let s = solved[n]!
            blocks.append(InputBlock(name: n, shape: s.shape.dimensions, offset: offset))
            offset += s.count
        }
        inputs = blocks
        inputNodes = inputNames.map { variableNodes[$0]! }
        inputShape = blocks.count == 1 ? solved[inputNames[0]]!.shape : .vector(offset)
        outputShape = graph.nodes[graph.output].shape.shape
        roles = ValueRole.roles(in: graph)
        var source = ConstantSource(given: b.constants, seed: b.seed)
        var values: [String: [Double]] = [:]
        var named: [NamedConstant] = []
        for n in variables where !inputNames.contains(n) {
            let s = solved[n]!
            let role = roles[n] ?? .plain
            values[n] = try source.take(n, count: s.count) { role.draw(count: s.count, using: &$0) }
            named.append(NamedConstant(n, s.shape, values[n]!))
        }
        constantValues = values
        constants = named
    }

    /// The most numbers all variables together may hold (2 GiB of Doubles).
    static let maximumNumbers = 1 << 28

    private static func unknownVariable(_ name: String, _ variables: [String]) -> String {
        "'\(name)' is not a variable of the expression; its variables are \(variables.joined(separator: ", "))."
    }

    public var formula: String {
        inputs.count == 1 ? "∂y/∂\(inputs[0].name)"
            : "[" + inputs.map { "∂y/∂\($0.name)" }.joined(separator: " | ") + "]"
    }

    public var hasKinks: Bool {
        graph.nodes.contains { n in
            switch n.operation {
            case let .stage(k): return graph.maps[k].hasKinks
            case let .function(f): return f.hasKink
            default: return false
            }
        }
    }

    public var supportsComplexStep: Bool {
        !graph.nodes.contains { n in
            switch n.operation {
            case let .stage(k): return !((graph.maps[k] as? ComplexEvaluable)?.supportsComplexStep ?? false)
            case let .function(f): return f.hasKink
            default: return false
            }
        }
    }

    public var inputBlocks: [InputBlock]? { inputs }

    public func inputCoordinateName(_ k: Int) -> String {
        guard let b = inputs.last(where: { $0.offset <= k }) else { return "x_\(k)" }
        return b.coordinateName(k - b.offset)
    }

    /// The value of every variable: the inputs sliced from x, the constants as bound.
    func variables<T: GraphScalar>(_ x: [T], constant: (Double) -> T) throws -> [String: [T]] {
        let n = inputs.last.map { $0.offset + $0.count } ?? 0
        guard x.count == n else {
            throw JacobianError.shapeMismatch("\(name) takes \(n) numbers, the point has \(x.count)")
        }
        var out: [String: [T]] = [:]
        for b in inputs { out[b.name] = Array(x[b.offset..<(b.offset + b.count)]) }
        for (k, v) in constantValues { out[k] = v.map(constant) }
        return out
    }

    public func value(at x: [Double]) throws -> [Double] {
        try graph.values(variables(x) { $0 })[graph.output]
    }

    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        try graph.values(variables(z) { ComplexDouble($0, 0) })[graph.output]
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        try evaluate(at: x, layout: .numerator)
    }

    public func evaluate(at x: [Double], layout: Layout) throws -> (value: [Double], jacobian: Jacobian) {
        let a = try accumulation(at: x, layout: layout)
        return (a.values[graph.output], a.product)
    }

    /// The Jacobian in `layout`, accumulated in `order` (nil: the cheaper); with `denseFactors`, every node's
    /// Jacobian is materialized first, which gives the reference the structured products must equal.
    public func jacobian(at x: [Double], layout: Layout, order: ChainOrder? = nil,
                         denseFactors: Bool = false) throws -> Jacobian {
        try accumulation(at: x, layout: layout, order: order, dense: denseFactors).product
    }

    /// The Hessian over the graph (a scalar expression), with each node's term.
    func hessian(at x: [Double]) throws -> ComputationGraph.HessianResult {
        try graph.hessian(variables(x) { $0 }, inputs: inputNodes)
    }

    /// The whole accumulation (values, local Jacobians, products in order), for explanations.
    func accumulation(at x: [Double], layout: Layout, order: ChainOrder? = nil,
                      dense: Bool = false) throws -> ComputationGraph.Accumulation {
        try graph.accumulate(variables(x) { $0 }, inputs: inputNodes, layout: layout, order: order, dense: dense)
    }

    /// A point inside the domain where one can be found: each input drawn for its role (positive for log, …).
    public func samplePoint(using rng: inout SplitMix64) -> [Double] {
        var x: [Double] = []
        for attempt in 0..<8 {
            x = inputs.flatMap { b in (roles[b.name] ?? .plain).draw(count: b.count, using: &rng, attempt: attempt) }
            if (try? value(at: x)).map({ $0.allSatisfy(\.isFinite) }) == true { return x }
        }
        return x
    }

    /// The point made of the given inputs' values, the others drawn from `seed` as `samplePoint` draws them.
    public func point(given: [String: [Double]], seed: UInt64) throws -> [Double] {
        var rng = SplitMix64(seed: seed)
        let drawn = samplePoint(using: &rng)
        var x: [Double] = []
        for b in inputs {
            if let v = given[b.name] {
                guard v.count == b.count else {
                    let shape = b.shape.map(String.init).joined(separator: "x")
                    throw JacobianError.shapeMismatch(
                        "\(b.name) is \(shape) (\(b.count) numbers) but its value has \(v.count)")
                }
                x += v
            } else {
                x += drawn[b.offset..<(b.offset + b.count)]
            }
        }
        return x
    }

    /// The Jacobian as formulas, when every variable is a scalar: entry [i][j] is ∂yᵢ/∂(input j).
    public func symbolicJacobian() -> SymbolicJacobian? {
        guard inputs.allSatisfy({ $0.count == 1 }), constants.allSatisfy({ $0.values.count == 1 }) else { return nil }
        let outputs: [ExpressionSyntax]
        if case let .bracket(rows, _) = syntax, rows.count == 1, rows[0].count > 1 {
            outputs = rows[0]
        } else if outputShape.count == 1 {
            outputs = [syntax]
        } else {
            return nil
        }
        var formulas: [[SymbolicExpression]] = []
        for y in outputs {
            guard let f = SymbolicExpression(y) else { return nil }
            formulas.append(inputs.map { f.derivative($0.name) })
        }
        var fixed: [String: Double] = [:]
        for c in constants { fixed[c.name] = c.values[0] }
        return SymbolicJacobian(formulas: formulas, inputs: inputs.map(\.name), constants: fixed)
    }

    // MARK: Building the graph

    private static func buildGraph(_ inference: ShapeInference, text: String) throws -> ComputationGraph {
        var g = ComputationGraph()
        var node: [Int] = []
        for (k, slot) in inference.slots.enumerated() {
            let shape = inference.shape(k)
            let label = slot.syntax.range.text(in: text)
            let args = slot.args.map { node[$0] }
            let id: Int
            switch slot.rule {
            case let .number(v): id = g.node(.number(v), [], shape: shape, label: label)
            case let .variable(n): id = g.node(.variable(n), [], shape: shape, label: n)
            case .negate: id = g.node(.negate, args, shape: shape, label: label)
            case .transpose:
                let a = inference.shape(slot.args[0])
                id = a.isScalar ? args[0] : g.node(.transpose, args, shape: shape, label: label)
            case let .elementwise(op): id = g.node(.elementwise(op), args, shape: shape, label: label)
            case .multiply:
                let a = inference.shape(slot.args[0]), b = inference.shape(slot.args[1])
                let op: ComputationGraph.Operation = a.isScalar || b.isScalar ? .elementwise(.multiply) : .matmul
                id = g.node(op, args, shape: shape, label: label)
            case .divide: id = g.node(.elementwise(.divide), args, shape: shape, label: label)
            case let .power(e): id = g.node(.power(e), args, shape: shape, label: label)
            case let .bracket(lengths): id = g.node(.concat(rowLengths: lengths), args, shape: shape, label: label)
            case let .call(f, constants):
                if let map = try stageMap(f, constants, argument: inference.shape(slot.args[0])) {
                    id = g.stage(map, args[0], shape: shape, key: "\(f.rawValue)\(constants)", label: label)
                } else {
                    id = g.node(.function(f), args, shape: shape, label: label)
                }
            }
            node.append(id)
        }
        g.output = node[node.count - 1]
        return g
    }

    /// The built-in map behind an elementwise, vector or matrix function; nil for sum, mean and the losses.
    private static func stageMap(_ f: ExpressionFunction, _ constants: [Double], argument: NodeShape) throws
        -> (any VectorMap)? {
        let s = argument.shape
        switch f {
        case .sigmoid: return Elementwise(.sigmoid, name: "sigmoid", shape: s)
        case .tanh: return Elementwise(.tanh, name: "tanh", shape: s)
        case .relu: return Elementwise(.relu, name: "relu", shape: s)
        case .leaky_relu: return Elementwise(.leakyRelu(slope: constants.first ?? 0.01), name: "leaky_relu", shape: s)
        case .exp: return Elementwise(.exp, name: "exp", shape: s)
        case .log: return Elementwise(.log, name: "log", shape: s)
        case .sin: return Elementwise(.sin, name: "sin", shape: s)
        case .cos: return Elementwise(.cos, name: "cos", shape: s)
        case .sqrt: return Elementwise(.sqrt, name: "sqrt", shape: s)
        case .abs: return Elementwise(.abs, name: "abs", shape: s)
        case .softmax: return Softmax(shape: .vector(argument.count))
        case .log_softmax: return LogSoftmax(shape: .vector(argument.count))
        case .inv: return try Inverse(shape: s)
        case .det: return try Determinant(shape: s)
        case .logdet: return try LogDeterminant(shape: s)
        case .tr: return try Trace(shape: s)
        case .sum, .mean, .mse, .cross_entropy, .binary_cross_entropy, .softmax_ce, .hinge: return nil
        }
    }
}

/// What a variable's value must look like, judged from where it is used: drawn accordingly when not given.
enum ValueRole: Sendable {
    /// Uniform in [−1, 1).
    case plain
    /// Positive (an argument of log or sqrt, the p of cross-entropy).
    case positive
    /// In (0, 1) (the p of binary cross-entropy, and its target).
    case probability
    /// A distribution (the y of cross-entropy).
    case distribution
    /// One-hot (the y of softmax_ce and hinge).
    case oneHot
    /// Whatever the built-in map it feeds draws (log: positive; logdet, inv: a well-conditioned matrix).
    case sampleOf(any VectorMap)

    /// The roles of the variables that feed a function directly.
    static func roles(in g: ComputationGraph) -> [String: ValueRole] {
        var out: [String: ValueRole] = [:]
        func variable(_ k: Int) -> String? {
            if case let .variable(n) = g.nodes[k].operation { return n } else { return nil }
        }
        for n in g.nodes {
            switch n.operation {
            case let .function(f):
                guard n.arguments.count == 2 else { continue }
                let (p, y) = (variable(n.arguments[0]), variable(n.arguments[1]))
                switch f {
                case .cross_entropy:
                    if let p { out[p] = .positive }
                    if let y { out[y] = .distribution }
                case .binary_cross_entropy:
                    if let p { out[p] = .probability }
                    if let y { out[y] = .probability }
                case .softmax_ce, .hinge:
                    if let y { out[y] = .oneHot }
                default: break
                }
            case let .stage(k):
                if let v = variable(n.arguments[0]), out[v] == nil { out[v] = .sampleOf(g.maps[k]) }
            default: break
            }
        }
        return out
    }

    /// `count` numbers for this role; later attempts move away from the boundaries a failed draw hit.
    func draw(count: Int, using rng: inout SplitMix64, attempt: Int = 0) -> [Double] {
        switch self {
        case .plain: return attempt < 4 ? rng.uniform(count: count, -1, 1) : rng.uniform(count: count, 0.2, 1.5)
        case .positive: return rng.uniform(count: count, 0.2, 2)
        case .probability: return rng.uniform(count: count, 0.05, 0.95)
        case .distribution: return Softmax.probabilities(rng.uniform(count: count, -2, 2))
        case let .sampleOf(map):
            return attempt < 4 ? map.samplePoint(using: &rng) : rng.uniform(count: count, 0.2, 1.5)
        case .oneHot:
            var y = [Double](repeating: 0, count: count)
            y[Int(rng.next() % UInt64(max(count, 1)))] = 1
            return y
        }
    }
}
