/// A computation as a graph of nodes, each holding its value's shape and, once evaluated, the structured
/// Jacobian of its output with respect to each argument. A repeated sub-expression is one node.
///
/// Nodes are stored in topological order: every argument comes before the node that uses it.
struct ComputationGraph: Sendable {
    /// What a node computes from its arguments.
    enum Operation: Hashable, Sendable {
        /// A named variable: an input or a constant, supplied at evaluation.
        case variable(String)
        /// A number in the text.
        case number(Double)
        /// −a.
        case negate
        /// aᵀ.
        case transpose
        /// a ∘ b entry by entry (+ − ⊙ ⊘); a scalar operand is used for every entry.
        case elementwise(BinaryOperator)
        /// The matrix product a·b.
        case matmul
        /// a^k entry by entry.
        case power(Double)
        /// [a, b; c, d]: the arguments laid out in rows of the given lengths.
        case concat(rowLengths: [Int])
        /// An expression function (losses, sum, mean).
        case function(ExpressionFunction)
        /// A built-in map applied to the one argument (pipeline stages, elementwise and matrix functions).
        case stage(Int)
    }

    /// One node.
    struct Node: Sendable {
        let operation: Operation
        let arguments: [Int]
        let shape: NodeShape
        /// The expression text the node came from ("W*x + b"), or the stage's name.
        let label: String
    }

    private(set) var nodes: [Node] = []
    /// The built-in maps used by `.stage` nodes.
    private(set) var maps: [any VectorMap] = []
    /// The node whose value is the result.
    var output = 0
    private var index: [NodeKey: Int] = [:]

    private struct NodeKey: Hashable {
        let operation: Operation
        let arguments: [Int]
    }

    /// The node computing `operation` of `arguments`, reusing an equal one (common sub-expressions).
    mutating func node(_ operation: Operation, _ arguments: [Int], shape: NodeShape, label: String) -> Int {
        let key = NodeKey(operation: operation, arguments: arguments)
        if let k = index[key] { return k }
        nodes.append(Node(operation: operation, arguments: arguments, shape: shape, label: label))
        index[key] = nodes.count - 1
        return nodes.count - 1
    }

    /// A node applying `map` to `argument`; equal maps on equal arguments share a node when `key` is given.
    mutating func stage(_ map: any VectorMap, _ argument: Int, shape: NodeShape, key: String?, label: String) -> Int {
        if let key, let k = stageKeys[StageKey(key: key, argument: argument)] { return k }
        maps.append(map)
        nodes.append(Node(operation: .stage(maps.count - 1), arguments: [argument], shape: shape, label: label))
        if let key { stageKeys[StageKey(key: key, argument: argument)] = nodes.count - 1 }
        return nodes.count - 1
    }

    private struct StageKey: Hashable {
        let key: String
        let argument: Int
    }

    private var stageKeys: [StageKey: Int] = [:]

    static func nodeShape(_ s: Shape) -> NodeShape {
        switch s {
        case let .vector(n): return NodeShape(rows: n, columns: 1)
        case let .matrix(r, c): return NodeShape(rows: r, columns: c)
        }
    }

    /// The node of each variable, by name.
    var variables: [String: Int] {
        var out: [String: Int] = [:]
        for (k, n) in nodes.enumerated() { if case let .variable(name) = n.operation { out[name] = k } }
        return out
    }

    /// The chain x → f₁ → … → f_k of a pipeline.
    static func chain(_ stages: [any VectorMap]) -> ComputationGraph {
        var g = ComputationGraph()
        var at = g.node(.variable("x"), [], shape: nodeShape(stages[0].inputShape), label: "x")
        for s in stages { at = g.stage(s, at, shape: nodeShape(s.outputShape), key: nil, label: s.name) }
        g.output = at
        return g
    }

    /// Whether each node's value depends on any of `inputs` (node indices).
    func dependence(on inputs: [Int]) -> [Bool] {
        var depends = [Bool](repeating: false, count: nodes.count)
        for k in inputs { depends[k] = true }
        for (k, n) in nodes.enumerated() where !depends[k] { depends[k] = n.arguments.contains { depends[$0] } }
        return depends
    }
}
