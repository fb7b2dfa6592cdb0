import JacobianKit

/// The text rendering of a `CheckReport`: both Jacobians, the figures, the worst entry named, PASS/FAIL.
enum CheckText {
    static func print(_ r: CheckReport, map: any VectorMap, random: Bool, seed: UInt64) {
        let name = r.layout == .numerator ? "J" : "Jᵀ"
        Output.line("check \(r.map): \(map.inputShape.space) → \(map.outputShape.space), \(r.layout.convention)")
        Output.line("x = \(Output.vector(r.input))" + (random ? "  (random, --seed \(seed))" : ""))
        for c in r.constants { Output.line("\(c.name) = \(Output.vector(c.values))") }
        if let o = r.chainOrder { Output.line("chain: J = \(r.formula), multiplied \(o.explanation(in: r.layout))") }
        Output.line()
        Output.line("analytic \(name) (\(r.analytic.rows)×\(r.analytic.columns), \(r.structure); J = \(r.formula)):")
        Output.line(Output.matrix(r.analytic))
        Output.line("finite-difference \(name) (central, \(r.step.rule), \(r.evaluations) evaluations):")
        Output.line(Output.matrix(r.finiteDifferences))
        Output.line()
        Output.line("step h: \(Output.sci(r.step.min))" + (r.step.max != r.step.min ? " … \(Output.sci(r.step.max))" : ""))
        if let w = r.worst {
            let entry = entryName(w, map: map)
            Output.line("max |Δ| = \(Output.sci(r.maxAbsoluteError)) at \(entry) (row \(w.row), column \(w.column)): analytic \(Output.number(w.analytic, digits: 10)), finite difference \(Output.number(w.finiteDifference, digits: 10))")
        }
        Output.line("max relative error = \(Output.sci(r.maxRelativeError))")
        Output.line("mismatched entries: \(r.mismatches) / \(r.total) (an entry passes when \(r.tolerance.rule))")
        if let b = r.blame {
            Output.line("blame: stage \(b.stage) (\(b.map)) fails its own check at its input; worst entry row \(b.worst.row), column \(b.worst.column): analytic \(Output.number(b.worst.analytic)), finite difference \(Output.number(b.worst.finiteDifference))")
        }
        Output.line(r.passed ? "PASS" : "FAIL")
    }

    /// "∂y_3/∂x_7", or "∂y_0/∂X[1,2]" for a matrix input.
    static func entryName(_ w: CheckEntry, map: any VectorMap) -> String {
        "∂" + map.outputShape.coordinateName(w.output, symbol: "y") + "/∂" + map.inputShape.coordinateName(w.input, symbol: "x")
    }
}
