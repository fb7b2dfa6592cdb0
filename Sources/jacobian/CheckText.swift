import JacobianKit

/// The text rendering of a `CheckReport`: both Jacobians, the figures, the worst entry named, PASS/FAIL.
enum CheckText {
    static func print(_ r: CheckReport, map: any VectorMap, random: Bool, seed: UInt64) {
        let name = r.layout == .numerator ? "J" : "Jᵀ"
        Output.line("check \(r.map): \(map.inputShape.space) → \(map.outputShape.space), \(r.layout.convention)")
        Output.inputs(map, r.input, random: random, seed: seed)
        for c in r.constants { Output.line("\(c.name) = \(Output.vector(c.values))") }
        if let o = r.chainOrder { Output.line("chain: J = \(r.formula), multiplied \(o.explanation(in: r.layout))") }
        Output.line()
        Output.line("analytic \(name) (\(r.analytic.rows)×\(r.analytic.columns), \(r.structure); J = \(r.formula)):")
        Output.line(Output.matrix(r.analytic))
        Output.line("finite-difference \(name) (\(r.method.rawValue), \(r.step.rule), \(r.evaluations) evaluations):")
        Output.line(Output.matrix(r.finiteDifferences))
        Output.line()
        if let grid = errorMap(r) { Output.line(grid) }
        Output.line("step (\(r.step.rule)): h = " + (r.step.max == r.step.min
            ? "\(Output.sci(r.step.min)) for every coordinate"
            : Output.vector(r.step.values, format: Output.sci) + " per coordinate"))
        if let w = r.worst {
            let entry = entryName(w, map: map)
            Output.line("max |Δ| = \(Output.sci(r.maxAbsoluteError)) at \(entry) (row \(w.row), column \(w.column)): analytic \(Output.number(w.analytic, digits: 10)), finite difference \(Output.number(w.finiteDifference, digits: 10))")
        }
        if let e = r.worst?.errorEstimate, let w = r.worst {
            let verdict = w.absoluteError > e ? "larger than" : "within"
            Output.line("the finite difference's own error estimate there is \(Output.sci(e)): the mismatch is \(verdict) the checker's uncertainty (largest estimate \(Output.sci(r.maxErrorEstimate ?? 0)))")
        }
        Output.line("max relative error = \(Output.sci(r.maxRelativeError))")
        Output.line("mismatched entries: \(r.mismatches) / \(r.total) (an entry passes when \(r.tolerance.rule))")
        if !r.kinks.isEmpty {
            let inside = r.kinks.filter(\.inside).count
            Output.line("kinks: \(r.kinks.count) entr\(r.kinks.count == 1 ? "y" : "ies") where x ± h straddles a branch; "
                        + "\(inside) with the analytic value between the one-sided quotients (passed as one-sided derivatives):")
            for k in r.kinks.prefix(8) {
                let entry = entryName(output: k.output, input: k.input, map: map)
                Output.line("  \(entry) at \(map.inputCoordinateName(k.input)) = \(Output.number(r.input[k.input], digits: 6)): left \(Output.number(k.left)), right \(Output.number(k.right)), analytic \(Output.number(k.analytic)) \(k.inside ? "✓ inside" : "✗ outside")")
            }
            if r.kinks.count > 8 { Output.line("  … \(r.kinks.count - 8) more") }
        }
        if let s = r.stepStudy { printStepStudy(s, map: map) }
        if let b = r.blame {
            var entry = "row \(b.worst.row), column \(b.worst.column)"
            if let p = map as? Pipeline, b.stage - 1 < p.stages.count {
                let stage = p.stages[b.stage - 1]
                entry = "∂" + stage.outputShape.coordinateName(b.worst.output, symbol: "y") + "/∂"
                    + stage.inputShape.coordinateName(b.worst.input, symbol: "x") + " (" + entry + " of its own Jacobian)"
            }
            Output.line("blame: stage \(b.stage) (\(b.map)) fails its own check at its input; its worst entry is \(entry): "
                        + "analytic \(Output.number(b.worst.analytic)), finite difference \(Output.number(b.worst.finiteDifference))")
        }
        Output.line(r.passed ? "PASS" : "FAIL")
    }

    /// "∂y_3/∂x_7", or "∂y_0/∂X[1,2]" for a matrix input.
    static func entryName(_ w: CheckEntry, map: any VectorMap) -> String {
        entryName(output: w.output, input: w.input, map: map)
    }

    /// "∂y_3/∂x_7", "∂y/∂W[1,2]" for an expression's named input.
    static func entryName(output: Int, input: Int, map: any VectorMap) -> String {
        "∂" + map.outputCoordinateName(output) + "/∂" + map.inputCoordinateName(input)
    }

    /// The error-against-h table, the optimum marked.
    static func printStepStudy(_ s: StepStudy, map: any VectorMap) {
        let entry = entryName(output: s.output, input: s.input, map: map)
        Output.line("error of central differences against h for \(entry) (analytic \(Output.number(s.analytic, digits: 12))):")
        Output.line("         h   central difference       |error|")
        for row in s.rows {
            let mark = row.h == s.best.h ? "  ← smallest" : ""
            Output.line(String(format: "  %8.1e   %18.12f   %11.2e", row.h, row.centralDifference, row.error) + mark)
        }
        Output.line("larger h: truncation error, falling as h²; smaller h: round-off, rising as ε/h.")
    }

    /// A directional check's text form.
    static func print(_ r: DirectionalCheck.Report, map: any VectorMap) {
        Output.line("directional check of \(r.map): \(map.inputShape.space) → \(map.outputShape.space), vᵀJu for \(r.directions.count) seeded random unit pairs (u, v)")
        Output.line("cost: \(r.evaluations) evaluations of f and \(r.directions.count) Jacobian–vector products (J is never formed); h = \(Output.sci(r.step))")
        for (k, d) in r.directions.enumerated() {
            Output.line("  \(k + 1): analytic \(Output.number(d.analytic, digits: 12)), finite difference \(Output.number(d.finiteDifference, digits: 12)), |Δ| \(Output.sci(d.absoluteError)) \(d.passed ? "✓" : "✗")")
        }
        Output.line("max |Δ| = \(Output.sci(r.maxAbsoluteError)), max relative error = \(Output.sci(r.maxRelativeError)) (an entry passes when \(r.tolerance.rule))")
        Output.line(r.passed ? "PASS" : "FAIL")
    }

    /// A shaded grid of each entry's relative error |a − fd|/max(|a|,|fd|), worst entry ◆, for Jacobians up to
    /// 60 columns and 40 rows (nil otherwise).
    static func errorMap(_ r: CheckReport) -> String? {
        let rows = r.analytic.rows, columns = r.analytic.columns
        guard rows <= 40, columns <= 60, rows * columns > 1 else { return nil }
        var lines = ["relative error per entry (\(r.layout == .numerator ? "rows: outputs, columns: inputs" : "rows: inputs, columns: outputs")):"]
        for i in 0..<rows {
            var line = "  "
            for j in 0..<columns {
                if let w = r.worst, w.row == i, w.column == j, w.absoluteError > 0 { line += "◆"; continue }
                let a = r.analytic.entry(i, j), f = r.finiteDifferences[i, j]
                let rel = a == f ? 0 : abs(a - f) / max(abs(a), abs(f), 1e-300)
                line += rel == 0 ? "·" : rel < 1e-12 ? "░" : rel < 1e-9 ? "▒" : rel < 1e-6 ? "▓" : "█"
            }
            lines.append(line)
        }
        lines.append("  · exact   ░ < 1e-12   ▒ < 1e-9   ▓ < 1e-6   █ ≥ 1e-6   ◆ largest |Δ|")
        return lines.joined(separator: "\n")
    }
}
