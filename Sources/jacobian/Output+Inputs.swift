import JacobianKit

extension Output {
    /// "x = […]" for a map of one input; for an expression, one line per named input with its columns.
    static func inputs(_ map: any VectorMap, _ x: [Double], random: Bool, seed: UInt64) {
        let note = random ? "  (random, --seed \(seed))" : ""
        TextFormat.inputLines(x, blocks: map.inputBlocks, note: note).forEach { line($0) }
    }
}

extension Output {
    /// Each symbolic entry with its value at x, checked against the structured numbers (numerator J).
    static func symbolic(_ s: SymbolicJacobian, map: ExpressionMap, at x: [Double], numerator: Matrix) {
        line("symbolic J, each entry evaluated at x and compared with the numbers above:")
        let values = s.values(at: x)
        let rows = s.entries.count
        for (i, row) in s.entries.enumerated() {
            for (j, formula) in row.enumerated() {
                let v = values[i][j], n = numerator[i, j]
                let agree = abs(v - n) <= 1e-12 + 1e-9 * abs(n)
                let y = rows == 1 ? "y" : "y_\(i)"
                line("  ∂\(y)/∂\(map.inputs[j].name) = \(formula) = \(number(v, digits: 10)) "
                     + "\(agree ? "✓" : "✗ (numbers: \(number(n, digits: 10)))")")
            }
        }
    }
}
