/// The chain rule over a graph: the Jacobian of the output with respect to chosen input nodes, accumulated
/// by multiplying local Jacobians along paths and adding where paths meet, in reverse or forward order.
extension ComputationGraph {
    /// One product or sum of the accumulation, for `--explain`.
    struct Step: Sendable {
        /// "A(#2) += A(#4)·J(#4 wrt #2)" and the like, nodes named by their number in the graph listing.
        let text: String
        /// The shapes multiplied, "1×3 · 3×12".
        let shapes: String
        /// Multiply-adds the structured product took.
        let structuredCost: Int
        /// Multiply-adds the same product would take with both factors dense.
        let denseCost: Int
    }

    /// The result: the Jacobian in the layout asked for, and how it was computed.
    struct Accumulation: Sendable {
        /// Every node's value.
        let values: [[Double]]
        /// The block row [J_u₁ | J_u₂ | …] (numerator) or the block column of the Jᵀ's (denominator).
        let product: Jacobian
        /// Reverse (output side first) or forward.
        let order: ChainOrder
        /// The products and sums, in the order they were done.
        let steps: [Step]
        /// The local Jacobians that were used, numerator layout, by (node, argument position).
        let local: [EdgeKey: Jacobian]

        /// Multiply-adds of all structured products.
        var structuredCost: Int { steps.reduce(0) { $0 + $1.structuredCost } }
        /// Multiply-adds if every factor had been dense.
        var denseCost: Int { steps.reduce(0) { $0 + $1.denseCost } }
    }

    /// An edge of the graph: a node and the position of one of its arguments.
    struct EdgeKey: Hashable, Sendable {
        let node: Int
        let argument: Int
    }

    /// Evaluates the graph at `variables` and accumulates ∂output/∂inputs in `layout` and `order`
    /// (by default the one with fewer dense multiply-adds).
    /// With `dense`, every local Jacobian is materialized first: the reference the structured products must equal.
    func accumulate(_ variables: [String: [Double]], inputs: [Int], layout: Layout,
                    order: ChainOrder? = nil, dense: Bool = false) throws -> Accumulation {
        let values = try self.values(variables)
        let depends = dependence(on: inputs)
        var local: [EdgeKey: Jacobian] = [:]
        for k in nodes.indices where depends[k] {
            for (p, a) in nodes[k].arguments.enumerated() where depends[a] {
                let j = try localJacobian(k, argument: p, values: values)
                local[EdgeKey(node: k, argument: p)] = dense ? .dense(j.matrix) : j
            }
        }
        let chosen = order ?? cheaperOrder(local, inputs: inputs)
        var steps: [Step] = []
        let blocks: [Jacobian]
        switch chosen {
        case .reverse: blocks = reverse(local, inputs: inputs, layout: layout, steps: &steps)
        case .forward: blocks = inputs.map { forward(local, input: $0, layout: layout, steps: &steps) }
        }
        let product = blocks.count == 1 ? blocks[0] : Self.joined(blocks, layout: layout)
        return Accumulation(values: values, product: product, order: chosen, steps: steps, local: local)
    }

    /// Dense multiply-adds of each order: reverse carries m rows back, forward carries each input's columns.
    func cost(_ local: [EdgeKey: Jacobian], inputs: [Int], _ order: ChainOrder) -> Int {
        let m = nodes[output].shape.count
        switch order {
        case .reverse:
            return local.reduce(0) { sum, e in
                e.key.node == output ? sum : sum &+ m &* e.value.rows &* e.value.columns
            }
        case .forward:
            return inputs.reduce(0) { total, u in
                let depends = dependence(on: [u])
                return local.reduce(total) { sum, e in
                    let a = nodes[e.key.node].arguments[e.key.argument]
                    guard depends[a], a != u else { return sum }
                    return sum &+ e.value.rows &* e.value.columns &* nodes[u].shape.count
                }
            }
        }
    }

    private func cheaperOrder(_ local: [EdgeKey: Jacobian], inputs: [Int]) -> ChainOrder {
        cost(local, inputs: inputs, .forward) < cost(local, inputs: inputs, .reverse) ? .forward : .reverse
    }

    /// Reverse mode: A(output) = I; A(a) += A(v)·J(v wrt a) over the nodes from the output back.
    private func reverse(_ local: [EdgeKey: Jacobian], inputs: [Int], layout: Layout,
                         steps: inout [Step]) -> [Jacobian] {
        let m = nodes[output].shape.count
        var adjoint: [Int: Jacobian] = [output: .identity(m)]
        for v in stride(from: output, through: 0, by: -1) {
            guard let a = adjoint[v] else { continue }
            for (p, arg) in nodes[v].arguments.enumerated() {
                guard let j = local[EdgeKey(node: v, argument: p)] else { continue }
                let term: Jacobian
                if layout == .numerator {
                    term = a.multiplied(by: j)
                    steps.append(step("A(#\(arg)) += A(#\(v))·J(#\(v) wrt #\(arg))", a, j))
                } else {
                    let jt = j.transposed()
                    term = jt.multiplied(by: a)
                    steps.append(step("Aᵀ(#\(arg)) += Jᵀ(#\(v) wrt #\(arg))·Aᵀ(#\(v))", jt, a))
                }
                adjoint[arg] = adjoint[arg].map { $0.adding(term) } ?? term
            }
        }
        return inputs.map { u in
            adjoint[u] ?? (layout == .numerator ? .zero(rows: m, columns: nodes[u].shape.count)
                                                 : .zero(rows: nodes[u].shape.count, columns: m))
        }
    }

    /// Forward mode for one input u: T(u) = I; T(v) = Σ J(v wrt a)·T(a) over the nodes from u on.
    private func forward(_ local: [EdgeKey: Jacobian], input u: Int, layout: Layout, steps: inout [Step]) -> Jacobian {
        let n = nodes[u].shape.count
        var tangent: [Int: Jacobian] = [u: .identity(n)]
        for v in (u + 1)..<max(u + 1, output + 1) {
            var sum: Jacobian?
            for (p, arg) in nodes[v].arguments.enumerated() {
                guard let t = tangent[arg], let j = local[EdgeKey(node: v, argument: p)] else { continue }
                let term: Jacobian
                if layout == .numerator {
                    term = j.multiplied(by: t)
                    steps.append(step("T(#\(v)) += J(#\(v) wrt #\(arg))·T(#\(arg))", j, t))
                } else {
                    let jt = j.transposed()
                    term = t.multiplied(by: jt)
                    steps.append(step("Tᵀ(#\(v)) += Tᵀ(#\(arg))·Jᵀ(#\(v) wrt #\(arg))", t, jt))
                }
                sum = sum.map { $0.adding(term) } ?? term
            }
            if let sum { tangent[v] = sum }
        }
        let m = nodes[output].shape.count
        return tangent[output] ?? (layout == .numerator ? .zero(rows: m, columns: n) : .zero(rows: n, columns: m))
    }

    private func step(_ text: String, _ a: Jacobian, _ b: Jacobian) -> Step {
        Step(text: text, shapes: "\(a.rows)×\(a.columns) · \(b.rows)×\(b.columns)",
             structuredCost: a.multiplyCost(by: b), denseCost: a.denseMultiplyCost(by: b))
    }

    /// A short name for a node in explanations: its text, cut to 24 characters.
    func label(_ k: Int) -> String {
        let l = nodes[k].label
        return l.count <= 24 ? l : String(l.prefix(23)) + "…"
    }

    /// Blocks side by side (numerator: [J₁ | J₂]) or stacked (denominator: [J₁ᵀ; J₂ᵀ]).
    static func joined(_ blocks: [Jacobian], layout: Layout) -> Jacobian {
        if layout == .numerator {
            let rows = blocks[0].rows, columns = blocks.reduce(0) { $0 + $1.columns }
            var m = Matrix(rows: rows, columns: columns)
            var offset = 0
            for b in blocks {
                let d = b.matrix
                for i in 0..<rows { for j in 0..<d.columns { m.elements[i * columns + offset + j] = d[i, j] } }
                offset += d.columns
            }
            return .dense(m)
        }
        let columns = blocks[0].columns
        return .dense(Matrix(unchecked: blocks.reduce(0) { $0 + $1.rows }, columns,
                             blocks.flatMap { $0.matrix.elements }))
    }
}
