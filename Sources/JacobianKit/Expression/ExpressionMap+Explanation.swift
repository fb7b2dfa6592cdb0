import Foundation

/// `--explain` for an expression: its graph, node by node with each argument's Jacobian, then the accumulation.
extension ExpressionMap {
    /// The lines of the explanation at x in `layout`.
    public func explanation(at x: [Double], layout: Layout) throws -> [String]? {
        let a = try accumulation(at: x, layout: layout)
        let inputNames = Set(inputs.map(\.name))
        var lines = ["graph of \(name): \(graph.nodes.count) nodes, inputs "
                     + "\(inputs.map(\.name).joined(separator: ", "))"]
        let width = min(24, graph.nodes.indices.map { graph.label($0).count }.max() ?? 0)
        for (k, n) in graph.nodes.enumerated() {
            let label = graph.label(k).padding(toLength: width, withPad: " ", startingAt: 0)
            let shape = n.shape.description.replacingOccurrences(of: "a vector of ", with: "")
                .replacingOccurrences(of: "a scalar", with: "1")
            let head = "  #\(k)".padding(toLength: 6, withPad: " ", startingAt: 0)
                + "\(label)  \(operationName(n).padding(toLength: 14, withPad: " ", startingAt: 0)) "
                + "\(shape.padding(toLength: 6, withPad: " ", startingAt: 0))"
            if case let .variable(v) = n.operation {
                lines.append(head + (inputNames.contains(v) ? " input" : " constant"))
                continue
            }
            let edges = n.arguments.indices.compactMap { p -> String? in
                guard let j = a.local[ComputationGraph.EdgeKey(node: k, argument: p)] else { return nil }
                return "∂/∂#\(n.arguments[p]): \(formula(k, p)) (\(j.rows)×\(j.columns), \(j.structureName))"
            }
            lines.append(head + (edges.isEmpty ? " (constant)" : " " + edges.joined(separator: "; ")))
        }
        let mode = a.order == .reverse ? "reverse mode: from the output back" : "forward mode: from each input on"
        lines.append("accumulation (\(mode)), \(layout.rawValue) layout:")
        for s in a.steps {
            lines.append("  \(s.text)  \(s.shapes): \(s.structuredCost) multiply-adds (dense \(s.denseCost))")
        }
        lines.append("total: \(a.structuredCost) multiply-adds with structure, "
                     + "\(a.denseCost) if every factor were dense")
        return lines
    }

    func operationName(_ n: ComputationGraph.Node) -> String {
        switch n.operation {
        case .variable: return "variable"
        case .number: return "number"
        case .negate: return "negate"
        case .transpose: return "transpose"
        case let .elementwise(op):
            switch op {
            case .add: return "+"
            case .subtract: return "−"
            case .multiply, .hadamard: return n.shape.isScalar ? "×" : "⊙"
            case .divide, .elementwiseDivide: return n.shape.isScalar ? "/" : "⊘"
            case .power: return "^"
            }
        case .matmul: return "matrix product"
        case let .power(k): return "^\(ComputationGraph.text(k))"
        case .concat: return "stack"
        case let .function(f): return f.rawValue
        case let .stage(m): return graph.maps[m].name
        }
    }

    /// The local Jacobian's formula, in the argument's own names.
    func formula(_ k: Int, _ p: Int) -> String {
        let n = graph.nodes[k]
        let arg = { (i: Int) in "#\(n.arguments[i])" }
        let broadcast = graph.nodes[n.arguments[p]].shape.isScalar && !n.shape.isScalar
        switch n.operation {
        case .variable, .number: return ""
        case .negate: return "−I"
        case .transpose: return graph.nodes[n.arguments[0]].shape.columns == 1 ? "I" : "permutation"
        case let .elementwise(op):
            let other = arg(1 - p)
            switch (op, p) {
            case (.add, _), (.subtract, 0): return broadcast ? "1 (a column of ones)" : "I"
            case (.subtract, _): return broadcast ? "−1 (a column)" : "−I"
            case (.multiply, _), (.hadamard, _): return broadcast ? "vec(\(other))" : "diag(\(other))"
            case (.divide, 0), (.elementwiseDivide, 0): return broadcast ? "vec(1/\(arg(1)))" : "diag(1 ⊘ \(arg(1)))"
            default: return broadcast ? "−vec(\(arg(0)) ⊘ \(arg(1))²)" : "diag(−\(arg(0)) ⊘ \(arg(1))²)"
            }
        case .matmul:
            if p == 0 { return graph.nodes[n.arguments[0]].shape.rows == 1 ? "\(arg(1))ᵀ" : "I⊗\(arg(1))ᵀ" }
            return graph.nodes[n.arguments[1]].shape.columns == 1 ? arg(0) : "\(arg(0))⊗I"
        case let .power(e): return "diag(\(ComputationGraph.text(e))·\(arg(0))^\(ComputationGraph.text(e - 1)))"
        case .concat: return "selection"
        case let .function(f):
            switch (f, p) {
            case (.sum, _): return "1ᵀ"
            case (.mean, _): return "1ᵀ/n"
            case (.mse, 0): return "(p − t)ᵀ"
            case (.mse, _): return "(t − p)ᵀ"
            case (.cross_entropy, 0): return "(−y ⊘ p)ᵀ"
            case (.cross_entropy, _): return "(−log p)ᵀ"
            case (.binary_cross_entropy, 0): return "(−t ⊘ p + (1−t) ⊘ (1−p))ᵀ"
            case (.binary_cross_entropy, _): return "(log(1−p) − log p)ᵀ"
            case (.softmax_ce, 0): return "(softmax(z)·Σy − y)ᵀ"
            case (.softmax_ce, _): return "(−log_softmax(z))ᵀ"
            case (.hinge, 0): return "(margin indicators)ᵀ"
            default: return "0"
            }
        case let .stage(m): return graph.maps[m].formula
        }
    }
}
