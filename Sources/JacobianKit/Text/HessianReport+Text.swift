extension HessianReport {
    /// The readable report `jacobian hessian` and `jacobian check --order 2` print for `map` (the map the report
    /// checked, n inputs): the point, y and ∇y, H (n×n) and the differences of the gradient (n×n), the Gauss–Newton
    /// terms of a chain or graph, max |Δ| named in the map's coordinates, then PASS or FAIL. `pointNote` follows the
    /// point ("random, --seed 0" in the CLI); with `width`, matrices show only the columns that fit.
    public func text(for map: any VectorMap, pointNote: String? = nil, width: Int? = nil) -> String {
        textLines(for: map, pointNote: pointNote, width: width).joined(separator: "\n")
    }

    /// `text(for:)` as lines (a matrix is one multi-line element), for a caller that styles or wraps each line.
    public func textLines(for map: any VectorMap, pointNote: String? = nil, width: Int? = nil) -> [String] {
        var lines: [String] = []
        func out(_ s: String = "") { lines.append(s) }
        out("hessian \(map.name): \(map.inputShape.space) → R; H[i][j] = ∂²y/∂x_i∂x_j is symmetric, "
            + "so both layouts write the same matrix")
        let note = pointNote.map { "  (\($0))" } ?? ""
        lines += TextFormat.inputLines(input, blocks: map.inputBlocks, note: note)
        for c in map.constants { out("\(c.name) = \(TextFormat.vector(c.values))") }
        out("y = \(TextFormat.number(value, digits: 10))")
        out("gradient = \(TextFormat.vector(gradient))")
        out()
        out("H (\(hessian.rows)×\(hessian.columns), \(structure)\(formula.isEmpty ? "" : "; H = \(formula)")):")
        out(TextFormat.matrix(hessian, width: width))
        out("central differences of the gradient (\(evaluations) gradient evaluations):")
        out(TextFormat.matrix(finiteDifference, width: width))
        if terms.count > 1 {
            out("Gauss–Newton split: H is the sum of \(terms.count) terms, one per node with curvature:")
            for t in terms { out("  #\(t.node) \(t.label): \(t.kind), max |entry| \(TextFormat.sci(t.matrix.maxAbs))") }
        }
        let name = { (k: Int) in map.inputCoordinateName(k) }
        out("max |Δ| = \(TextFormat.sci(maxAbsoluteError)) at ∂²y/∂\(name(worst.row))∂\(name(worst.column)) "
            + "(row \(worst.row), column \(worst.column)): analytic \(TextFormat.number(worst.analytic, digits: 10)), "
            + "finite difference \(TextFormat.number(worst.finiteDifference, digits: 10))")
        out("max |H − Hᵀ| = \(TextFormat.sci(asymmetry))")
        out("mismatched entries: \(mismatches) / \(total) (an entry passes when \(tolerance.rule))")
        out(passed ? "PASS" : "FAIL")
        return lines
    }
}
