import Foundation

extension CheckReport {
    /// The readable report `jacobian check` prints: both Jacobians, the figures, the worst entry named in the
    /// map's own coordinates, the error map, kinks, blame, then PASS or FAIL. `pointNote` follows the point
    /// ("random, --seed 0" in the CLI). `print(report.text())` prints exactly what the CLI prints without colour.
    /// With `width`, matrices show only the columns that fit in that many characters.
    public func text(pointNote: String? = nil, width: Int? = nil) -> String {
        textLines(pointNote: pointNote, width: width).joined(separator: "\n")
    }

    /// `text()` as lines (a matrix is one multi-line element), for a caller that styles each line.
    public func textLines(pointNote: String? = nil, width: Int? = nil) -> [String] {
        var lines: [String] = []
        func out(_ s: String = "") { lines.append(s) }
        let r = self
        let input = Shape(dimensions: r.inputShape), output = Shape(dimensions: r.outputShape)
        let name = r.layout == .numerator ? "J" : "Jᵀ"
        out("check \(r.map): \(input.space) → \(output.space), \(r.layout.convention)")
        let note = pointNote.map { "  (\($0))" } ?? ""
        if let blocks = r.inputs {
            // An expression's named inputs: which columns each one is, then each one's value.
            out("inputs: " + blocks.map { b in
                "\(b.name) (\(b.count == 1 ? "scalar" : b.shape.map(String.init).joined(separator: "x")))"
                    + (b.count == 1 ? " column \(b.offset)" : " columns \(b.offset)–\(b.offset + b.count - 1)")
            }.joined(separator: ", ") + note)
            for b in blocks {
                let v = Array(r.input[b.offset..<(b.offset + b.count)])
                out("\(b.name) = " + (v.count == 1 ? TextFormat.number(v[0], digits: 10) : TextFormat.vector(v)))
            }
        } else {
            // When a constant is itself called x (rnn's sequence, linear --wrt W), the point is not.
            let label = r.constants.contains { $0.name == "x" } ? "point" : "x"
            out("\(label) = \(TextFormat.vector(r.input))" + note)
        }
        for c in r.constants { out("\(c.name) = \(TextFormat.vector(c.values))") }
        if let o = r.chainOrder { out("chain: J = \(r.formula), multiplied \(o.explanation(in: r.layout))") }
        out()
        out("analytic \(name) (\(r.analytic.rows)×\(r.analytic.columns), \(r.structure); J = \(r.formula)):")
        out(TextFormat.matrix(r.analytic, width: width))
        out("finite-difference \(name) (\(r.method.rawValue), \(r.step.rule), \(r.evaluations) evaluations):")
        out(TextFormat.matrix(r.finiteDifferences, width: width))
        out()
        if let grid = errorMap() { out(grid) }
        out("step (\(r.step.rule)): h = " + (r.step.max == r.step.min
            ? "\(TextFormat.sci(r.step.min)) for every coordinate"
            : TextFormat.vector(r.step.values, format: TextFormat.sci) + " per coordinate"))
        if let w = r.worst {
            let entry = Self.entryName(output: w.output, input: w.input, outputShape: output, inputShape: input,
                                       inputs: r.inputs)
            out("max |Δ| = \(TextFormat.sci(r.maxAbsoluteError)) at \(entry) (row \(w.row), column \(w.column)): "
                + "analytic \(TextFormat.number(w.analytic, digits: 10)), "
                + "finite difference \(TextFormat.number(w.finiteDifference, digits: 10))")
        }
        if let e = r.worst?.errorEstimate, let w = r.worst {
            let verdict = w.absoluteError > e ? "larger than" : "within"
            out("the finite difference's own error estimate there is \(TextFormat.sci(e)): the mismatch is \(verdict) "
                + "the checker's uncertainty (largest estimate \(TextFormat.sci(r.maxErrorEstimate ?? 0)))")
        }
        out("max relative error = \(TextFormat.sci(r.maxRelativeError))")
        out("mismatched entries: \(r.mismatches) / \(r.total) (an entry passes when \(r.tolerance.rule))")
        if !r.kinks.isEmpty {
            let inside = r.kinks.filter(\.inside).count
            out("kinks: \(r.kinks.count) entr\(r.kinks.count == 1 ? "y" : "ies") where x ± h straddles a branch; "
                + "\(inside) with the analytic value between the one-sided quotients (passed as one-sided "
                    + "derivatives):")
            for k in r.kinks.prefix(8) {
                let entry = Self.entryName(output: k.output, input: k.input, outputShape: output, inputShape: input,
                                           inputs: r.inputs)
                let at = Self.inputName(k.input, inputShape: input, inputs: r.inputs)
                out("  \(entry) at \(at) = \(TextFormat.number(r.input[k.input], digits: 6)): "
                    + "left \(TextFormat.number(k.left)), right \(TextFormat.number(k.right)), "
                    + "analytic \(TextFormat.number(k.analytic)) \(k.inside ? "✓ inside" : "✗ outside")")
            }
            if r.kinks.count > 8 { out("  … \(r.kinks.count - 8) more") }
        }
        if let s = r.stepStudy { lines += s.textLines(outputShape: output, inputShape: input, inputs: r.inputs) }
        if let b = r.blame {
            var entry = "row \(b.worst.row), column \(b.worst.column)"
            if let i = b.inputShape, let o = b.outputShape {
                entry = Self.entryName(output: b.worst.output, input: b.worst.input, outputShape: Shape(dimensions: o),
                                       inputShape: Shape(dimensions: i)) + " (" + entry + " of its own Jacobian)"
            }
            out("blame: stage \(b.stage) (\(b.map)) fails its own check at its input; its worst entry is \(entry): "
                + "analytic \(TextFormat.number(b.worst.analytic)), "
                + "finite difference \(TextFormat.number(b.worst.finiteDifference))")
        }
        if let t = r.transposeHint { out(t) }
        out(r.passed ? "PASS" : "FAIL")
        return lines
    }

    /// "∂y_3/∂x_7", "∂y_0/∂X[1,2]" for a matrix input, "∂y_0/∂W[1,2]" for an expression's named input.
    public static func entryName(output: Int, input: Int, outputShape: Shape, inputShape: Shape,
                                 inputs: [InputBlock]? = nil) -> String {
        "∂" + outputShape.coordinateName(output, symbol: "y") + "/∂"
            + inputName(input, inputShape: inputShape, inputs: inputs)
    }

    /// Input coordinate k: "x_7", "X[1,2]", or the named input's "W[1,2]".
    public static func inputName(_ k: Int, inputShape: Shape, inputs: [InputBlock]?) -> String {
        if let b = inputs?.last(where: { $0.offset <= k }) { return b.coordinateName(k - b.offset) }
        return inputShape.coordinateName(k, symbol: "x")
    }

    /// A shaded grid of each entry's relative error |a − fd|/max(|a|,|fd|), worst entry ◆, for Jacobians up to
    /// 60 columns and 40 rows (nil otherwise).
    public func errorMap() -> String? {
        let r = self
        let rows = r.analytic.rows, columns = r.analytic.columns
        guard rows <= 40, columns <= 60, rows * columns > 1 else { return nil }
        let axes = r.layout == .numerator ? "rows: outputs, columns: inputs" : "rows: inputs, columns: outputs"
        var lines = ["relative error per entry (\(axes)):"]
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

extension StepStudy {
    /// The error-against-h table, the optimum marked.
    public func textLines(outputShape: Shape, inputShape: Shape, inputs: [InputBlock]? = nil) -> [String] {
        let entry = CheckReport.entryName(output: output, input: input, outputShape: outputShape,
                                          inputShape: inputShape, inputs: inputs)
        var lines = ["error of central differences against h for \(entry) "
                     + "(analytic \(TextFormat.number(analytic, digits: 12))):",
                     "         h   central difference       |error|"]
        for row in rows {
            let mark = row.h == best.h ? "  ← smallest" : ""
            lines.append(String(format: "  %8.1e   %18.12f   %11.2e", row.h, row.centralDifference, row.error) + mark)
        }
        lines.append("larger h: truncation error, falling as h²; smaller h: round-off, rising as ε/h.")
        return lines
    }
}
