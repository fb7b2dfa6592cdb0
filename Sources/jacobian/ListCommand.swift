import ArgumentParser
import JacobianKit

/// `jacobian list`: every built-in map with its shapes, constants and Jacobian formula.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List every built-in map: name, shapes, constants, Jacobian.")

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    struct Row: Encodable {
        var name, signature, definition, jacobian, parameters, shapeFlag: String
        var complexStep: Bool
    }

    func run() throws {
        let rows = Catalog.entries.map { e -> Row in
            let map = try? Catalog.build(e.name, shape: nil, options: MapOptions())
            let flag = e.input == .vector ? "--dim N" : e.input == .layer ? "--dim N (--shape RxC with --wrt W)" : "--shape RxC"
            let complex = (map as? ComplexEvaluable)?.supportsComplexStep ?? false
            return Row(name: e.name, signature: e.signature, definition: e.definition,
                       jacobian: map?.formula ?? "", parameters: e.parameters, shapeFlag: flag, complexStep: complex)
        }
        if json { return try Output.json(rows) }
        // Long definitions and formulas (the sequence models) are cut to keep the table within a terminal;
        // --json has them whole.
        func cut(_ s: String) -> String { s.count <= 34 ? s : String(s.prefix(33)) + "…" }
        let shown = rows.map { r -> Row in
            var r = r
            r.definition = cut(r.definition)
            r.jacobian = cut(r.jacobian)
            return r
        }
        let w0 = shown.map(\.name.count).max()!, w1 = shown.map(\.signature.count).max()!
        let w2 = shown.map(\.definition.count).max()!, w3 = shown.map(\.jacobian.count).max()!
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        Output.line(pad("map", w0) + "  " + pad("shapes", w1) + "  " + pad("y =", w2) + "  " + pad("Jacobian (numerator)", w3) + "  cs  constants")
        for r in shown {
            Output.line(pad(r.name, w0) + "  " + pad(r.signature, w1) + "  " + pad(r.definition, w2) + "  "
                        + pad(r.jacobian, w3) + "  " + (r.complexStep ? "✓ " : "– ") + "  " + r.parameters)
        }
        Output.line()
        Output.line("Pipelines: \"sigmoid | softmax\" is softmax(sigmoid(x)). Matrices are vectorized row-major.")
        Output.line("Constants are drawn from --seed unless set with --param NAME=v1,v2,… (row-major).")
        Output.line("linear-row, rnn, rnn-step and lstm-cell use the row convention of notes 002/003: a row vector times W (x·W).")
        Output.line("cs: ✓ the map is real-analytic and supports 'jacobian check MAP --method complex-step'.")
    }
}
