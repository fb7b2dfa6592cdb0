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
        // When a constant is itself called x (rnn's sequence, linear --wrt W), the point is not.
        let label = r.constants.contains { $0.name == "x" } ? "point" : "x"
        lines += TextFormat.inputLines(r.input, blocks: r.inputs, note: note, label: label)
        for c in r.constants { out("\(c.name) = \(TextFormat.vector(c.values))") }
        if let o = r.chainOrder { out("chain: J = \(r.formula), multiplied \(o.explanation(in: r.layout))") }
        out()
        out("analytic \(name) (\(r.analytic.rows)×\(r.analytic.columns), \(r.structure); J = \(r.formula)):")
        out(TextFormat.matrix(r.analytic, width: width))
        out("\(r.referenceTitle) \(name) (\(r.method.rawValue), \(r.step.rule), \(r.evaluations) evaluations"
            + (r.escalation.map {
                "; \($0.columns) column\($0.columns == 1 ? "" : "s") by \(r.referenceNoun($0.method))"
            } ?? "")
            + "):")
        out(TextFormat.matrix(r.finiteDifferences, width: width))
        out()
        if let grid = errorMap() { out(grid) }
        out("step (\(r.step.rule)): h = " + (r.step.max == r.step.min
            ? "\(TextFormat.sci(r.step.min)) for every coordinate"
            : TextFormat.vector(r.step.values, format: TextFormat.sci) + " per coordinate"))
        for a in r.stepAdjustments.prefix(4) {
            let at = Self.inputName(a.input, inputShape: input, inputs: r.inputs)
            let how: String
            switch a.kind {
            case .relative: how = "the relative step h = ∛ε·|\(at)|"
            case .forward: how = "a one-sided forward stencil"
            case .backward: how = "a one-sided backward stencil"
            }
            out("domain: \(at) ± h would leave the map's domain, so \(at) uses \(how), h = \(TextFormat.sci(a.h))")
        }
        if r.stepAdjustments.count > 4 { out("domain: … \(r.stepAdjustments.count - 4) more coordinates adjusted") }
        if let w = r.worst {
            let entry = Self.entryName(output: w.output, input: w.input, outputShape: output, inputShape: input,
                                       inputs: r.inputs)
            let label: String
            switch w.verdict ?? .pass {
            case .fail: label = "worst failing entry"
            case .pass: label = "max |Δ|"
            case .inconclusive: label = "no entry decided; largest |Δ|"
            }
            let value = w.verdict == .fail ? "|Δ| = \(TextFormat.sci(w.absoluteError))" : ""
            out((w.verdict == .fail ? "\(label): \(value)" : "\(label) = \(TextFormat.sci(r.maxAbsoluteError))")
                + " at \(entry) (row \(w.row), column \(w.column)): "
                + "analytic \(TextFormat.number(w.analytic, digits: 10)), "
                + "\(r.referenceNoun(w.method)) \(TextFormat.number(w.finiteDifference, digits: 10))"
                + " (tolerance \(TextFormat.sci(w.allowed ?? 0)), the reference's error bound "
                + "\(TextFormat.sci(w.errorEstimate ?? 0)))")
        }
        out("max relative error = \(TextFormat.sci(r.maxRelativeError))"
            + (r.verdicts.inconclusive > 0 ? " (over the decided entries)" : ""))
        out("verdicts: \(r.verdicts.pass) pass, \(r.verdicts.fail) fail, \(r.verdicts.inconclusive) inconclusive "
            + "of \(r.total) (an entry passes when |Δ| ≤ tolerance + the reference's error bound, with the bound "
            + "≤ tolerance = \(r.tolerance.entryRule))")
        if let e = r.escalation {
            out("escalation: central differences could not decide \(e.entries) entr\(e.entries == 1 ? "y" : "ies"); "
                + "\(e.decided) decided by \(e.method == .complexStep ? "complex step" : "Richardson") "
                + "(\(e.columns) column\(e.columns == 1 ? "" : "s") re-evaluated, \(e.evaluations) "
                + "\(e.method == .complexStep ? "complex " : "")evaluation\(e.evaluations == 1 ? "" : "s"))")
        }
        if r.disagreements > 0 {
            out("disagreement: the complex step fails \(r.disagreements) entr\(r.disagreements == 1 ? "y" : "ies") "
                + "that Richardson does not; \(r.disagreements == 1 ? "it is" : "they are") left inconclusive")
        }
        if r.verdicts.fail > 1 {
            let names = r.failing.prefix(5).map {
                Self.entryName(output: $0.output, input: $0.input, outputShape: output, inputShape: input,
                               inputs: r.inputs)
            }
            out("failing entries: " + names.joined(separator: ", ") + (r.verdicts.fail > 5 ? ", …" : ""))
        }
        if let u = r.undecided.first {
            let entry = Self.entryName(output: u.output, input: u.input, outputShape: output, inputShape: input,
                                       inputs: r.inputs)
            out("inconclusive: at \(entry) the reference's error bound \(TextFormat.sci(u.errorEstimate ?? 0)) exceeds "
                + "the tolerance \(TextFormat.sci(u.allowed ?? 0)); analytic \(TextFormat.number(u.analytic)), "
                + "reference \(TextFormat.number(u.finiteDifference))"
                + (r.escalation == nil && r.method == .central && r.verdicts.fail == 0
                   ? "; try --method complex-step or richardson" : ""))
        }
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
        out(r.verdict.word)
        return lines
    }

    /// "finite-difference", or "complex-step" when every reference came from the complex step.
    var referenceTitle: String {
        method == .complexStep ? "complex-step" : escalation == nil ? "finite-difference" : "reference"
    }

    /// What a reference value is called in a sentence, by the method that produced it.
    func referenceNoun(_ m: CheckMethod?) -> String {
        switch m ?? method {
        case .complexStep: return "complex step"
        case .richardson: return "Richardson"
        case .central: return "finite difference"
        }
    }

    /// The verdict on the entry at (row, column) of the report's matrices, when the grid was kept.
    public func verdictAt(row: Int, column: Int) -> Verdict? {
        guard let g = verdictGrid else { return nil }
        let (j, i) = finiteDifferences.isTransposed ? (column, row) : (row, column)
        return g[j * finiteDifferences.storage.columns + i]
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

    /// Each entry's verdict as a grid, passes shaded by relative error |a − ref|/max(|a|,|ref|), for Jacobians up
    /// to 60 columns and 40 rows (nil otherwise): ✗ failed, ? inconclusive, ◆ the worst entry.
    public func errorMap() -> String? {
        let r = self
        let rows = r.analytic.rows, columns = r.analytic.columns
        guard rows <= 40, columns <= 60, rows * columns > 1 else { return nil }
        let axes = r.layout == .numerator ? "rows: outputs, columns: inputs" : "rows: inputs, columns: outputs"
        var lines = ["verdict per entry (\(axes)):"]
        for i in 0..<rows {
            var line = "  "
            for j in 0..<columns {
                if let w = r.worst, w.row == i, w.column == j, w.absoluteError > 0 { line += "◆"; continue }
                switch r.verdictAt(row: i, column: j) ?? .pass {
                case .fail: line += "✗"; continue
                case .inconclusive: line += "?"; continue
                case .pass: break
                }
                let a = r.analytic.entry(i, j), f = r.finiteDifferences[i, j]
                let rel = a == f ? 0 : abs(a - f) / max(abs(a), abs(f), 1e-300)
                line += rel == 0 ? "·" : rel < 1e-12 ? "░" : rel < 1e-9 ? "▒" : "▓"
            }
            lines.append(line)
        }
        let worst = r.worst?.verdict == .fail ? "worst failing" : "largest |Δ|"
        lines.append("  passed: · exact ░ < 1e-12 ▒ < 1e-9 ▓ larger   ✗ failed   ? inconclusive   "
                     + "◆ \(worst)")
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
        if let first = skipped.first, let last = skipped.last {
            let range = TextFormat.sci(first) + (skipped.count > 1 ? " … \(TextFormat.sci(last))" : "")
            lines.append("skipped h = \(range): x ± h would leave the map's domain")
        }
        lines.append("larger h: truncation error, falling as h²; smaller h: round-off, rising as ε/h.")
        return lines
    }
}
