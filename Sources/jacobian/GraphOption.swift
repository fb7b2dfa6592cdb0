import ArgumentParser
import Foundation
import JacobianKit

/// `--graph FILE.svg` / `--graph -`: draws an expression's computation graph (eval and check).
struct GraphOption: ParsableArguments {
    @Option(name: .customLong("graph"), help: ArgumentHelp(
        "For an expression: draw its graph, edges labelled with their Jacobians' shapes and structures, as SVG "
            + "to FILE (written atomically), or in the terminal with '-'.", valueName: "file"))
    var path: String?

    /// Refuses an unwritable file before any work, and '-' with --json (it would corrupt the JSON).
    func prepare(json: Bool) throws {
        guard let path else { return }
        if path == "-" {
            if json { throw JacobianError.invalidArgument("--graph - draws in the terminal; with --json give a file.") }
        } else {
            try OutputPath.ensureWritable(path)
        }
    }

    /// Draws `map`'s graph at x; a check that failed passes its `checker` so the failing node is found and
    /// highlighted; `first`: the terminal drawing comes before the command's own output.
    func draw(_ map: any VectorMap, at x: [Double], layout: Layout, failing checker: GradientCheck? = nil,
              first: Bool = false) throws {
        guard let path else { return }
        guard let e = map as? ExpressionMap else {
            throw JacobianError.invalidArgument("--graph draws expressions; '\(map.name)' is a built-in map "
                                                + "or pipeline (try --explain).")
        }
        let drawing = try e.graphDrawing(at: x, layout: layout, checker: checker)
        if path == "-" {
            if !first { Output.line() }
            drawing.text().forEach { Output.line($0) }
            if first { Output.line() }
        } else {
            do {
                try Data(drawing.svg().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw JacobianError.badFile("Cannot save the graph to '\(path)': \(error.localizedDescription)")
            }
        }
    }
}
