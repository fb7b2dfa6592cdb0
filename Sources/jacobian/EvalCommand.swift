import ArgumentParser
import JacobianKit

/// `jacobian eval`: the value and the full Jacobian of a map at a point, in the chosen layout.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Print a map's value and full Jacobian at a point.",
        discussion: """
        Examples:
          jacobian eval softmax --dim 3 --at 1,2,3
          jacobian eval inverse --shape 2x2 --at 4,7,2,6 --layout denominator
          jacobian eval "sigmoid | softmax" --dim 4 --json
        """)

    @OptionGroup var point: PointOptions

    struct Result: Encodable {
        var map: String
        var layout: Layout
        var inputShape: [Int]
        var outputShape: [Int]
        var input: [Double]
        var value: [Double]
        var jacobian: [[Double]]
        var structure: String
        var formula: String
        var constants: [NamedConstant]
        var chainOrder: ChainOrder?
        var factors: [String]?
    }

    func run() throws {
        try Output.reportingErrors {
            if let path = point.npy { try OutputPath.ensureWritable(path) }
            let (map, x) = try point.resolve(.evaluation(json: point.json, npy: point.npy != nil))
            let layout = point.layout
            var value: [Double], jacobian: Jacobian, order: ChainOrder?, factors: [String]?
            if let p = map as? Pipeline {
                let c = try p.chain(at: x, layout: layout)
                (value, jacobian, order) = (c.value, c.product, c.order)
                factors = zip(p.stages, c.factors).map { s, f in
                    let g = f.oriented(layout)
                    return "\(s.name): \(g.rows)×\(g.columns) \(g.structureName)"
                }
            } else {
                let r = try map.evaluate(at: x)
                (value, jacobian) = (r.value, r.jacobian.oriented(layout))
            }
            let dense = jacobian.matrix
            if let path = point.npy { try dense.writeNPY(to: path) }
            if point.json {
                try Output.json(Result(
                    map: map.name, layout: layout, inputShape: map.inputShape.dimensions,
                    outputShape: map.outputShape.dimensions, input: x, value: value, jacobian: dense.rowArrays,
                    structure: jacobian.structureName, formula: map.formula, constants: map.constants,
                    chainOrder: order, factors: factors))
                return try NonFinite.ensureFinite(value: value, jacobian: dense.elements, map: map.name)
            }
            Output.line("\(map.name): \(map.inputShape.space) → \(map.outputShape.space), \(layout.convention)")
            Output.line("x = \(Output.vector(x))" + (point.at == nil ? "  (random, --seed \(point.seed))" : ""))
            for c in map.constants { Output.line("\(c.name) = \(Output.vector(c.values))  (shape \(c.shape.map(String.init).joined(separator: "x")))") }
            Output.line("y = \(Output.vector(value))")
            if let f = factors, let o = order {
                Output.line("factors (\(layout.rawValue) layout, multiplied \(o.explanation(in: layout))):")
                for s in f { Output.line("  \(s)") }
            }
            let name = layout == .numerator ? "J" : "Jᵀ"
            Output.line("\(name) (\(dense.rows)×\(dense.columns), \(jacobian.structureName); J = \(map.formula)):")
            Output.line(Output.matrix(dense))
            try NonFinite.ensureFinite(value: value, jacobian: dense.elements, map: map.name)
        }
    }
}
