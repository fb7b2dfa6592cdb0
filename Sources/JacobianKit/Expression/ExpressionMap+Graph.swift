import Foundation

/// A drawing of an expression's computation graph (`--graph`): each node with its text, operation and shape,
/// each edge labelled with the local Jacobian's shape (in the chosen layout) and structure, and the first node
/// whose Jacobian disagrees with finite differences highlighted.
public struct GraphDrawing: Sendable {
    /// What a node is.
    public enum Role: String, Sendable { case input, constant, operation, output }

    /// One node: its index in the graph, text, operation, shape "3" or "3x4", role and layer (0 for variables).
    public struct Node: Sendable {
        public let id: Int, label: String, operation: String, shape: String, role: Role, depth: Int
    }

    /// One edge, argument → node: the local Jacobian "3×12 kronecker" and its formula.
    public struct Edge: Sendable {
        public let from: Int, to: Int, jacobian: String, formula: String
    }

    /// The expression and the layout.
    public let title: String
    /// Nodes in topological order.
    public let nodes: [Node]
    /// Edges, for every argument that carries a Jacobian (constants' edges carry none).
    public let edges: [Edge]
    /// The node highlighted as failing its check, if any.
    public let failing: Int?

    /// The drawing as one terminal tree, from the output back to the variables.
    public func text() -> [String] {
        var lines = [title]
        let byId = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0) })
        var shown = Set<Int>()
        func describe(_ n: Node) -> String {
            let mark = n.id == failing ? "  ✗ fails its check" : ""
            return "#\(n.id) \(n.label)  [\(n.operation), "
                + "\(n.shape)\(n.role == .operation ? "" : ", " + n.role.rawValue)]"
                + mark
        }
        func walk(_ id: Int, _ prefix: String) {
            let incoming = edges.filter { $0.to == id && !$0.jacobian.isEmpty }
            for (k, e) in incoming.enumerated() {
                let last = k == incoming.count - 1
                guard let arg = byId[e.from] else { continue }
                let repeated = shown.contains(e.from)
                lines.append(prefix + (last ? "└─" : "├─") + " J \(e.jacobian) = \(e.formula) ─ " + describe(arg)
                             + (repeated && edges.contains(where: { $0.to == e.from && !$0.jacobian.isEmpty })
                                ? "  (drawn above)" : ""))
                if !repeated {
                    shown.insert(e.from)
                    walk(e.from, prefix + (last ? "   " : "│  "))
                }
            }
        }
        if let out = nodes.last {
            lines.append(describe(out))
            walk(out.id, "")
        }
        return lines
    }

    /// The drawing as a standalone SVG document: layers left to right, edge labels at the edges' middles.
    public func svg() -> String {
        let boxW = 230.0, boxH = 58.0, gapX = 190.0, gapY = 34.0, margin = 24.0, top = 56.0
        let depths = Dictionary(grouping: nodes, by: \.depth)
        let layers = (depths.keys.max() ?? 0) + 1
        let tallest = depths.values.map(\.count).max() ?? 1
        var position: [Int: (x: Double, y: Double)] = [:]
        for (d, group) in depths {
            let offset = Double(tallest - group.count) * (boxH + gapY) / 2
            for (r, n) in group.enumerated() {
                position[n.id] = (margin + Double(d) * (boxW + gapX), top + offset + Double(r) * (boxH + gapY))
            }
        }
        let width = margin * 2 + Double(layers) * boxW + Double(layers - 1) * gapX
        let height = top + Double(tallest) * (boxH + gapY) + margin
        var s = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="\(margin)" y="30" font-size="16" font-weight="bold">\(Self.escape(title))</text>

        """
        for e in edges {
            guard let a = position[e.from], let b = position[e.to] else { continue }
            let (x1, y1, x2, y2) = (a.x + boxW, a.y + boxH / 2, b.x, b.y + boxH / 2)
            let mx = (x1 + x2) / 2, my = (y1 + y2) / 2
            let dash = e.jacobian.isEmpty ? " stroke-dasharray=\"4 4\"" : ""
            s += "<path d=\"M\(f(x1)),\(f(y1)) C\(f(mx)),\(f(y1)) \(f(mx)),\(f(y2)) \(f(x2)),\(f(y2))\" fill=\"none\" "
                + "stroke=\"#64748b\" stroke-width=\"1.5\"\(dash)/>\n"
            s += "<polygon points=\"\(f(x2)),\(f(y2)) \(f(x2 - 8)),\(f(y2 - 4)) \(f(x2 - 8)),\(f(y2 + 4))\" "
                + "fill=\"#64748b\"/>\n"
            if e.jacobian.isEmpty { continue }
            let label = Self.escape(e.jacobian)
            let w = Double(e.jacobian.count) * 6.4 + 8
            s += "<rect x=\"\(f(mx - w / 2))\" y=\"\(f(my - 9))\" width=\"\(f(w))\" height=\"16\" rx=\"3\" "
                + "fill=\"#ffffff\" stroke=\"#cbd5e1\"/>\n"
            s += "<text x=\"\(f(mx))\" y=\"\(f(my + 3))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#334155\">"
                + "\(label)<title>\(Self.escape(e.formula))</title></text>\n"
        }
        for n in nodes {
            guard let p = position[n.id] else { continue }
            let failed = n.id == failing
            let fill = failed ? "#fecaca" : ["input": "#dbeafe", "constant": "#e5e7eb", "operation": "#fef3c7",
                                             "output": "#dcfce7"][n.role.rawValue]!
            let stroke = failed ? "#dc2626" : (n.role == .output ? "#15803d" : "#475569")
            let strokeWidth = failed || n.role == .output ? 3 : 1.2
            s += "<g><rect x=\"\(f(p.x))\" y=\"\(f(p.y))\" width=\"\(f(boxW))\" height=\"\(f(boxH))\" rx=\"8\" "
                + "fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(strokeWidth)\"/>\n"
            let label = n.label.count <= 25 ? n.label : String(n.label.prefix(24)) + "…"
            s += "<text x=\"\(f(p.x + 10))\" y=\"\(f(p.y + 22))\" font-size=\"14\" "
                + "font-family=\"DejaVu Sans Mono, monospace\">"
                + "\(Self.escape(label))</text>\n"
            let detail = "#\(n.id) \(n.operation) · \(n.shape)" + (n.role == .operation ? "" : " · \(n.role.rawValue)")
                + (failed ? " · ✗ fails" : "")
            s += "<text x=\"\(f(p.x + 10))\" y=\"\(f(p.y + 44))\" font-size=\"11\" "
                + "fill=\"\(failed ? "#b91c1c" : "#475569")\">"
                + "\(Self.escape(detail))</text></g>\n"
        }
        return s + "</svg>\n"
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Text made safe for XML.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension ExpressionMap {
    /// The drawing of this expression's graph at x in `layout`; with a `checker`, the first node (in topological
    /// order) whose own sub-expression fails that checker's finite-difference check is highlighted.
    public func graphDrawing(at x: [Double], layout: Layout, checker: GradientCheck? = nil) throws -> GraphDrawing {
        let a = try accumulation(at: x, layout: layout)
        let inputNames = Set(inputs.map(\.name))
        var depth = [Int](repeating: 0, count: graph.nodes.count)
        var nodes: [GraphDrawing.Node] = [], edges: [GraphDrawing.Edge] = []
        for (k, n) in graph.nodes.enumerated() {
            depth[k] = n.arguments.map { depth[$0] + 1 }.max() ?? 0
            let role: GraphDrawing.Role
            if case let .variable(v) = n.operation { role = inputNames.contains(v) ? .input : .constant }
            else if k == graph.output { role = .output } else { role = .operation }
            let shape = n.shape.columns == 1 ? "\(n.shape.rows)" : "\(n.shape.rows)x\(n.shape.columns)"
            nodes.append(.init(id: k, label: n.label, operation: operationName(n), shape: shape, role: role,
                               depth: depth[k]))
            for p in n.arguments.indices {
                guard let j = a.local[ComputationGraph.EdgeKey(node: k, argument: p)] else {
                    edges.append(.init(from: n.arguments[p], to: k, jacobian: "", formula: "constant: no Jacobian"))
                    continue
                }
                let (r, c) = layout == .numerator ? (j.rows, j.columns) : (j.columns, j.rows)
                edges.append(.init(from: n.arguments[p], to: k, jacobian: "\(r)×\(c) \(j.structureName)",
                                   formula: named(formula(k, p))))
            }
        }
        // Variables and numbers sit one layer before their first consumer, so no edge crosses a layer's boxes.
        for k in graph.nodes.indices.reversed() where graph.nodes[k].arguments.isEmpty {
            let uses = graph.nodes.indices.filter { graph.nodes[$0].arguments.contains(k) }.map { depth[$0] }
            if let first = uses.min(), first > 1 { depth[k] = first - 1 }
        }
        nodes = nodes.map { .init(id: $0.id, label: $0.label, operation: $0.operation, shape: $0.shape, role: $0.role,
                                  depth: depth[$0.id]) }
        let failing = try checker.flatMap { try failingNode(at: x, checker: $0) }
        return GraphDrawing(title: "\(name) — \(layout.rawValue) layout", nodes: nodes, edges: edges, failing: failing)
    }

    /// A formula with each "#k" written as node k's text when that is short (a name or a number).
    private func named(_ formula: String) -> String {
        var out = "", digits = "", inReference = false
        func flush() {
            if inReference, let k = Int(digits), graph.nodes.indices.contains(k), graph.nodes[k].label.count <= 12 {
                out += graph.nodes[k].label
            } else if inReference {
                out += "#" + digits
            }
            (digits, inReference) = ("", false)
        }
        for ch in formula {
            if inReference, ch.isNumber { digits.append(ch); continue }
            flush()
            if ch == "#" { inReference = true } else { out.append(ch) }
        }
        flush()
        return out
    }

    /// The first node whose sub-expression, as a map of the inputs it uses, fails `checker` at x.
    public func failingNode(at x: [Double], checker: GradientCheck) throws -> Int? {
        var values: [String: [Double]] = [:], shapes: [String: Shape] = [:]
        for b in inputs { values[b.name] = Array(x[b.offset..<(b.offset + b.count)]) }
        for c in constants { values[c.name] = c.values }
        for n in graph.nodes { if case let .variable(v) = n.operation { shapes[v] = n.shape.shape } }
        let inputNames = Set(inputs.map(\.name))
        for (k, n) in graph.nodes.enumerated() {
            if case .variable = n.operation { continue }
            guard let e = try? Expression(n.label) else { continue }
            let names = e.variables, wrt = names.filter { inputNames.contains($0) }
            guard !wrt.isEmpty else { continue }
            let fixed = Dictionary(uniqueKeysWithValues: names.filter { !inputNames.contains($0) }
                .map { ($0, values[$0] ?? []) })
            let given = Dictionary(uniqueKeysWithValues: wrt.map { ($0, values[$0] ?? []) })
            guard let sub = try? e.map(ExpressionBindings(shapes: shapes.filter { names.contains($0.key) }, wrt: wrt,
                                                          constants: fixed, inputValues: given)),
                  let point = try? sub.point(given: given, seed: 0) else { continue }
            if let r = try? checker.run(sub, at: point), !r.passed { return k }
        }
        return nil
    }
}
