import Foundation

/// A composition f_k ∘ … ∘ f_1 of maps ("f1 | f2 | … | fk", applied left to right) whose Jacobian is the
/// product of the stages' Jacobians: numerator J = J_k ⋯ J_1, denominator Jᵀ = J_1ᵀ ⋯ J_kᵀ.
public struct Pipeline: VectorMap {
    /// The stages, in the order they are applied.
    public let stages: [any VectorMap]

    /// The composition of `stages` (each stage's input shape must be the previous one's output shape).
    public init(_ stages: [any VectorMap]) {
        precondition(!stages.isEmpty, "a pipeline needs at least one stage")
        self.stages = stages
    }

    /// The composition of `stages`, checked: throws unless there is a stage and each stage's input count is the
    /// previous stage's output count (the unchecked initializer traps on an empty list).
    public init(checking stages: [any VectorMap]) throws {
        guard !stages.isEmpty else { throw JacobianError.malformedPipeline("a pipeline needs at least one stage") }
        for (a, b) in zip(stages, stages.dropFirst()) where b.inputShape.count != a.outputShape.count {
            throw JacobianError.shapeMismatch(
                "\(b.name) takes \(b.inputShape.space) but \(a.name) before it gives \(a.outputShape.space)")
        }
        self.init(stages)
    }

    public var name: String { stages.map(\.name).joined(separator: " | ") }
    public var inputShape: Shape { stages[0].inputShape }
    public var hasKinks: Bool { stages.contains { $0.hasKinks } }
    public var outputShape: Shape { stages[stages.count - 1].outputShape }
    public var formula: String {
        (1...stages.count).reversed().map { "J(f\($0))" }.joined(separator: "·")
    }
    public var constants: [NamedConstant] {
        stages.enumerated().flatMap { i, s in
            s.constants.map { NamedConstant(name: "\(i + 1).\($0.name)", shape: $0.shape, values: $0.values) }
        }
    }

    /// The stage names of "a | b | c"; throws on empty stages.
    public static func stageNames(_ text: String) throws -> [String] {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.contains(where: \.isEmpty) {
            throw JacobianError.malformedPipeline(
                "'\(text)' has an empty stage; write maps joined by '|', for example \"sigmoid | softmax\"")
        }
        if let stage = parts.first(where: { $0.contains(where: \.isWhitespace) }) {
            throw JacobianError.malformedPipeline(
                "stage '\(stage)' is not a map name; options such as --wrt go after the map string, "
                + "for example jacobian check \"linear | sigmoid\" --wrt W --shape 3x4")
        }
        return parts
    }

    public func value(at x: [Double]) throws -> [Double] {
        var v = x
        for s in stages {
            try Self.checkInput(v, of: s)
            v = try s.checkedValue(at: v)
        }
        return v
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let c = try chain(at: x, layout: .numerator)
        return (c.value, c.product)
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] { stages[0].samplePoint(using: &rng) }

    /// Evaluates every stage and multiplies the Jacobians as written in `layout`, in `order`
    /// (by default the cheaper one for these shapes): the chain case of the expression graph.
    public func chain(at x: [Double], layout: Layout, order: ChainOrder? = nil) throws -> ChainProduct {
        guard x.count == inputShape.count else {
            throw JacobianError.shapeMismatch("\(name) takes \(inputShape.count) numbers, the point has \(x.count)")
        }
        let graph = ComputationGraph.chain(stages)
        let a = try graph.accumulate(["x": x], inputs: [0], layout: layout, order: order)
        return ChainProduct(
            value: a.values[stages.count], stageInputs: Array(a.values[0..<stages.count]),
            factors: (1...stages.count).map { a.local[ComputationGraph.EdgeKey(node: $0, argument: 0)]! },
            layout: layout, order: a.order, product: a.product, structuredCost: a.structuredCost)
    }

    public func evaluate(at x: [Double], layout: Layout) throws -> (value: [Double], jacobian: Jacobian) {
        let c = try chain(at: x, layout: layout)
        return (c.value, c.product)
    }

    /// A stage is never handed a vector of the wrong length (a user's map might index past its end).
    static func checkInput(_ v: [Double], of stage: any VectorMap) throws {
        guard v.count == stage.inputShape.count else {
            throw JacobianError.shapeMismatch(
                "\(stage.name) takes \(stage.inputShape.count) numbers, but the stage before it gave \(v.count)")
        }
    }

    /// Reverse (output side first) unless forward needs fewer dense multiply-adds for these shapes.
    public static func cheaperOrder(_ factors: [Jacobian]) -> ChainOrder {
        cost(factors, .forward) < cost(factors, .reverse) ? .forward : .reverse
    }

    /// Dense multiply-adds of the numerator chain J_k⋯J_1 in `order`.
    public static func cost(_ factors: [Jacobian], _ order: ChainOrder) -> Int {
        guard factors.count > 1 else { return 0 }
        let outRows = factors[factors.count - 1].rows, inColumns = factors[0].columns
        switch order {
        case .reverse: return factors.dropLast().reduce(0) { $0 + outRows * $1.rows * $1.columns }
        case .forward: return factors.dropFirst().reduce(0) { $0 + $1.rows * $1.columns * inColumns }
        }
    }
}

/// The result of a chain: the value, each stage's Jacobian, and their product in the chosen layout and order.
public struct ChainProduct: Sendable {
    /// f(x).
    public let value: [Double]
    /// The input each stage saw.
    public let stageInputs: [[Double]]
    /// Numerator Jacobians J_1 … J_k of the stages.
    public let factors: [Jacobian]
    /// The layout the product is written in.
    public let layout: Layout
    /// The multiplication order used.
    public let order: ChainOrder
    /// The product in `layout`: J_k⋯J_1 (numerator) or J_1ᵀ⋯J_kᵀ (denominator).
    public let product: Jacobian
    /// Multiply-adds the structured products took.
    public let structuredCost: Int

    init(value: [Double], stageInputs: [[Double]], factors: [Jacobian], layout: Layout, order: ChainOrder,
         product: Jacobian, structuredCost: Int) {
        self.value = value
        self.stageInputs = stageInputs
        self.factors = factors
        self.layout = layout
        self.order = order
        self.product = product
        self.structuredCost = structuredCost
    }
}
