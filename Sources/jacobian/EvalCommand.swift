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
          jacobian eval "(x1*x2 - 3)^2 + 1" --at 1.04,1.04
          jacobian eval "softmax(W*x + b)" --wrt W,b --shape W=2x3 --explain

        Expressions: numbers, names, ( ), unary -, + - * /, ^ with a constant exponent, ' (transpose), .* and ./
        (entry by entry). * is the matrix product between non-scalars (vectors are columns) and scaling with a
        scalar. [a, b, c] is a column of scalars; [1; x] stacks. Functions: \(Expression.functionNames.joined(separator: " ")).
        Any other name is a variable. Shapes: --dim NAME=N, --shape NAME=RxC, the count of a given value, or
        inference through the operators; a variable nothing constrains is a scalar. Inputs: --wrt NAME,… (the
        Jacobian is the block row [J_W | J_b] over their row-major vecs); without --wrt, every variable that
        --param does not fix, in order of appearance. Values: --at NAME=… or a bare --at filling the inputs in
        order; --param NAME=… for constants; the rest drawn from --seed.
        """)

    @OptionGroup var point: PointOptions

    @OptionGroup var graph: GraphOption

    @Flag(help: "Print the whole Jacobian, every row and column, however wide.")
    var full = false

    @Flag(help: "For an expression: print its graph, each node's Jacobians, and the accumulation with its costs.")
    var explain = false

    struct Result: Encodable {
        var map: String
        var layout: Layout
        var inputShape: [Int]
        var outputShape: [Int]
        var input: [Double]
        var inputs: [InputBlock]?
        var value: [Double]
        var jacobian: [[Double]]
        var structure: String
        var formula: String
        var constants: [NamedConstant]
        var chainOrder: ChainOrder?
        var factors: [String]?
        var symbolic: [[String]]?
    }

    func validate() throws {
        if point.map.isEmpty { throw ValidationError("Give a MAP to evaluate (see 'jacobian list').") }
    }

    func run() throws {
        try Output.reportingErrors {
            if let path = point.npy { try OutputPath.ensureWritable(path) }
            try graph.prepare(json: point.json)
            let (map, x) = try point.resolve(.evaluation(json: point.json, npy: point.npy != nil))
            let layout = point.layout
            try graph.draw(map, at: x, layout: layout, first: true)
            var value: [Double], jacobian: Jacobian, order: ChainOrder?, factors: [String]?
            let composed = try map.evaluateComposed(at: x, layout: layout)
            (value, jacobian, order) = (composed.value, composed.jacobian, composed.chain?.order)
            if let c = composed.chain {
                factors = zip(map.stages, c.factors).map { s, f in
                    let g = f.oriented(layout)
                    return "\(s.name): \(g.rows)×\(g.columns) \(g.structureName)"
                }
            }
            let dense = jacobian.matrix
            if let path = point.npy { try dense.writeNPY(to: path) }
            if point.json {
                try Output.json(Result(
                    map: map.name, layout: layout, inputShape: map.inputShape.dimensions,
                    outputShape: map.outputShape.dimensions, input: x, inputs: map.inputBlocks,
                    value: value, jacobian: dense.rowArrays,
                    structure: jacobian.structureName, formula: map.formula, constants: map.constants,
                    chainOrder: order, factors: factors,
                    symbolic: (map as? ExpressionMap)?.symbolicJacobian()?.entries))
                return try NonFinite.ensureFinite(value: value, jacobian: dense.elements, map: map.name)
            }
            Output.line("\(map.name): \(map.inputShape.space) → \(map.outputShape.space), \(layout.convention)")
            Output.inputs(map, x, random: point.at.isEmpty, seed: point.seed)
            for c in map.constants {
                Output.line("\(c.name) = \(Output.vector(c.values))  "
                            + "(shape \(c.shape.map(String.init).joined(separator: "x")))")
            }
            Output.line("y = \(Output.vector(value))")
            if let f = factors, let o = order {
                Output.line("factors (\(layout.rawValue) layout, multiplied \(o.explanation(in: layout))):")
                for s in f { Output.line("  \(s)") }
            }
            let name = layout == .numerator ? "J" : "Jᵀ"
            Output.line("\(name) (\(dense.rows)×\(dense.columns), \(jacobian.structureName); J = \(map.formula)):")
            // The whole matrix with --full; otherwise up to 24 rows and the columns that fit the terminal.
            if full {
                Output.line(TextFormat.matrix(dense, maxRows: dense.rows, maxColumns: dense.columns), wrap: false)
            } else {
                Output.line(Output.matrix(dense, maxRows: 24, maxColumns: dense.columns))
            }
            try NonFinite.ensureFinite(value: value, jacobian: dense.elements, map: map.name)
            guard let e = map as? ExpressionMap else { return }
            if let s = e.symbolicJacobian() { Output.symbolic(s, map: e, at: x, numerator: jacobian.dense(in: layout)) }
            if explain {
                Output.line()
                try e.explanation(at: x, layout: layout)?.forEach { Output.line($0) }
            }
        }
    }
}
