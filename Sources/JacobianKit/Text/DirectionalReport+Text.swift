import Foundation

extension DirectionalCheck.Report {
    /// The directional check's readable report, as `jacobian check --directions` prints it, every line at most 80
    /// columns: the schedule, the step and the rule, a table of the first probes and every failing one (up to 12),
    /// the located entries, the guarantee, the cost, then PASS or FAIL.
    public func textLines(inputShape: Shape, outputShape: Shape) -> [String] {
        let r = self, s = r.schedule
        var lines: [String] = []
        func out(_ text: String) { lines += TextFormat.wrap(text, width: 80) }
        out("directional check of \(r.map): \(inputShape.space) → \(outputShape.space), \(r.methodName)")
        var kinds = ["\(s.dense) dense (Gaussian u, v)"]
        if s.sparse > 0 { kinds.append("\(s.sparse) sparse (u on \(s.sparseInputs) inputs)") }
        if s.rounds > 0 {
            kinds.append("\(s.rounds * s.inputGroups) block (\(s.rounds) rounds × \(s.inputGroups) input groups of "
                         + "≤ \(s.inputsPerGroup), u = ±1)")
        }
        out("probes: " + kinds.joined(separator: ", ") + "; sparse and block probes take v = ±1, judged on "
            + "\(s.outputGroups) output group\(s.outputGroups == 1 ? "" : "s") of ≤ \(s.outputsPerGroup)")
        let range = r.step.min == r.step.max ? TextFormat.sci(r.step.min)
            : "\(TextFormat.sci(r.step.min)) … \(TextFormat.sci(r.step.max))"
        out("step: \(r.step.rule); t = \(range)")
        let rtol = TextFormat.sci(r.tolerance.relative), atol = TextFormat.sci(r.tolerance.absolute)
        out("rule: \(r.rule) (rtol \(rtol), atol \(atol); "
            + "d: the reference along u, e: its error estimate)")
        lines += probeTable()
        if !r.located.isEmpty || r.locate.evaluations > 0 {
            let count = r.located.count
            let products = r.locate.jacobianVectorProducts
            out("located \(count) wrong entr\(count == 1 ? "y" : "ies") by group testing (\(r.locate.evaluations) "
                + "evaluations, \(products) Jacobian–vector product\(products == 1 ? "" : "s"))"
                + (r.locate.truncated ? "; stopped at \(r.locate.limit) entries or its budget, more may be wrong" : ""))
            for e in r.located {
                out("  ∂\(e.outputName)/∂\(e.inputName) (row \(e.row), column \(e.column)): analytic "
                    + "\(TextFormat.number(e.analytic, digits: 10)), "
                    + "reference \(TextFormat.number(e.reference, digits: 10))"
                    + ", |Δ| \(TextFormat.sci(e.absoluteError)) > \(TextFormat.sci(e.allowed)) allowed")
            }
            if r.locate.unlocalized > 0 {
                out("  \(r.locate.unlocalized) failing probe\(r.locate.unlocalized == 1 ? "" : "s") did not lead to a "
                    + "single wrong entry (the mismatch is spread over many entries, or was a kink)")
            }
            if r.locate.kinks > 0 {
                out("  \(r.locate.kinks) entr\(r.locate.kinks == 1 ? "y" : "ies") straddling a kink passed as "
                    + "one-sided derivatives")
            }
        }
        out("caught: " + r.guarantee.statement)
        out("cost: \(r.evaluations) evaluations of f and \(r.jacobianVectorProducts) Jacobian–vector products "
            + "(J is never formed)")
        out("max |Δ| = \(TextFormat.sci(r.maxAbsoluteError)), "
            + "max relative error = \(TextFormat.sci(r.maxRelativeError)), "
            + "largest |Δ|/allowed = \(TextFormat.sci(r.worstRatio))")
        lines.append(r.passed ? "PASS" : "FAIL")
        return lines
    }

    /// "central differences", "Richardson extrapolation", "complex step".
    var methodName: String {
        switch method {
        case .central: return "central differences"
        case .richardson: return "Richardson extrapolation"
        case .complexStep: return "complex step"
        }
    }

    /// The first three probes and every failing one, up to 12 rows, then a count of the rest.
    func probeTable() -> [String] {
        let shown = probes.indices.filter { $0 < 3 || !probes[$0].passed }.prefix(12)
        func pad(_ s: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - s.count)) + s
        }
        var lines = [pad("#", 6) + " kind  " + pad("inputs", 8) + pad("groups", 7) + pad("vᵀJu", 13) + pad("vᵀd", 13)
                     + pad("|Δ|", 9) + pad("allowed", 9)]
        for k in shown {
            let p = probes[k]
            let row = pad("\(k + 1)", 6) + " " + p.kind.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
                + pad("\(p.inputs)", 8) + pad("\(p.outputGroups)", 7)
                + pad(TextFormat.number(p.analytic, digits: 6), 13) + pad(TextFormat.number(p.reference, digits: 6), 13)
                + pad(TextFormat.sci(p.absoluteError), 9) + pad(TextFormat.sci(p.allowed), 9)
                + (p.passed ? " ✓" : " ✗") + (p.remeasured ? " R" : "")
            lines.append(row)
        }
        let rest = probes.count - shown.count
        if rest > 0 {
            let failing = probes.indices.filter { !probes[$0].passed }.count - shown.filter { !probes[$0].passed }.count
            lines.append("  … \(rest) more probe\(rest == 1 ? "" : "s"), "
                         + (failing == 0 ? "all passed" : "\(failing) of them failing"))
        }
        return lines
    }
}
