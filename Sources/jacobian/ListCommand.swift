import ArgumentParser
import JacobianKit

/// `jacobian list`: every built-in map with its shapes, constants and Jacobian formula.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List every built-in map: name, shapes, constants, Jacobian.")

    @OptionGroup var colorOption: ColorOption

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    struct Row: Encodable {
        var name, signature, definition, jacobian, parameters, shapeFlag: String
        var complexStep: Bool
    }

    func run() throws {
        let rows = Catalog.entries.map { e -> Row in
            let map = try? Catalog.build(e.name, shape: nil, options: MapOptions())
            let flag = e.input == .vector ? "--dim N"
                : e.input == .layer ? "--dim N (--shape RxC with --wrt W)" : "--shape RxC"
            let complex = (map as? ComplexEvaluable)?.supportsComplexStep ?? false
            return Row(name: e.name, signature: e.signature, definition: e.definition,
                       jacobian: map?.formula ?? "", parameters: e.parameters, shapeFlag: flag, complexStep: complex)
        }
        if json { return try Output.json(rows) }
        // Columns are dropped, least needed first, until the table fits the terminal; long definitions and
        // formulas (the sequence models) are cut to 34 characters. --json has everything.
        func cut(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }
        var columns: [(title: String, cells: [String])] = [
            ("map", rows.map(\.name)), ("shapes", rows.map(\.signature)), ("y =", rows.map { cut($0.definition, 34) }),
            ("Jacobian (numerator)", rows.map { cut($0.jacobian, 34) }),
            ("cs", rows.map { $0.complexStep ? "✓" : "–" }),
            ("constants", rows.map(\.parameters)),
        ]
        func width(_ c: (title: String, cells: [String])) -> Int { ([c.title] + c.cells).map(\.count).max() ?? 0 }
        func total() -> Int { columns.map(width).reduce(0, +) + 2 * (columns.count - 1) }
        var hidden: [String] = []
        for drop in ["constants", "y =", "cs", "shapes"] where total() > Terminal.width {
            columns.removeAll { $0.title == drop }
            hidden.append(drop)
        }
        if total() > Terminal.width, let k = columns.firstIndex(where: { $0.title == "Jacobian (numerator)" }) {
            let room = max(8, Terminal.width - (total() - width(columns[k])))
            columns[k].cells = columns[k].cells.map { cut($0, room) }
        }
        let widths = columns.map(width)
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        func render(_ cells: [String]) -> String {
            var line = zip(cells, widths).map { pad($0, $1) }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
        Output.line(render(columns.map(\.title)))
        for i in rows.indices { Output.line(render(columns.map { $0.cells[i] })) }
        if !hidden.isEmpty {
            Output.line("(not shown at this width: \(hidden.joined(separator: ", ")); "
                        + "widen the terminal or use --json)")
        }
        Output.line()
        Output.line("Pipelines: \"sigmoid | softmax\" is softmax(sigmoid(x)). Matrices are vectorized row-major.")
        Output.line("Constants are drawn from --seed unless set with --param NAME=v1,v2,… (row-major).")
        Output.line("linear-row, rnn, rnn-step and lstm-cell use the row convention of notes 002/003: "
                    + "a row vector times W (x·W).")
        Output.line("cs: ✓ the map is real-analytic and supports 'jacobian check MAP --method complex-step'.")
    }
}
