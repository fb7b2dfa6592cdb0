/// Compares a map's analytic Jacobian with central finite differences, every entry, in the chosen layout.
public struct GradientCheck: Sendable {
    /// The step rule (default `.auto`).
    public var step: StepRule = .auto
    /// The pass/fail rule (default `Tolerance.default`).
    public var tolerance: Tolerance = .default
    /// The layout the Jacobians are written and compared in.
    public var layout: Layout = .numerator

    /// A checker with the given settings.
    public init(layout: Layout = .numerator, step: StepRule = .auto, tolerance: Tolerance = .default) {
        self.layout = layout
        self.step = step
        self.tolerance = tolerance
    }

    /// Checks `map` at `x`. A pipeline's Jacobian is the chain product in `layout`; when it fails, every
    /// factor is checked at its own input and the first failing one is named in `blame`.
    public func run(_ map: any VectorMap, at x: [Double]) throws -> CheckReport {
        let m = map.outputShape.count, n = map.inputShape.count
        guard x.count == n else {
            throw JacobianError.shapeMismatch("\(map.name) takes \(n) numbers, the point has \(x.count)")
        }
        try FiniteDifference.ensureFits(rows: m, columns: n)
        let value: [Double]
        let analytic: Jacobian
        var order: ChainOrder?
        var pipelineChain: ChainProduct?
        if let p = map as? Pipeline {
            let c = try p.chain(at: x, layout: layout)
            (value, analytic, order, pipelineChain) = (c.value, c.product, c.order, c)
        } else {
            let (v, j) = try map.evaluate(at: x)
            (value, analytic) = (v, j.oriented(layout))
        }
        let fd = try FiniteDifference.transposedJacobian(of: map, at: x, step: step)
        let fdView = MatrixView(fd.transposed, transposed: layout == .numerator)
        var report = compare(analytic, fdView, map: map)
        report.input = x
        report.value = value
        report.structure = analytic.structureName
        report.chainOrder = order
        report.step = StepSummary(rule: step.description, min: fd.steps.min() ?? 0, max: fd.steps.max() ?? 0)
        report.evaluations = fd.evaluations
        if !report.passed, let p = map as? Pipeline, let c = pipelineChain {
            for (k, stage) in p.stages.enumerated() {
                let own = try GradientCheck(layout: layout, step: step, tolerance: tolerance).run(stage, at: c.stageInputs[k])
                if !own.passed, let w = own.worst {
                    report.blame = Blame(stage: k + 1, map: stage.name, worst: w)
                    break
                }
            }
        }
        return report
    }

    /// Entry-by-entry comparison of the analytic Jacobian with the finite differences, both in `layout`.
    /// Walks the finite differences in their stored order and the analytic Jacobian one row at a time,
    /// so neither is copied.
    func compare(_ a: Jacobian, _ fd: MatrixView, map: any VectorMap) -> CheckReport {
        var maxAbs = 0.0, maxRel = 0.0, mismatches = 0
        var worst: (row: Int, column: Int)?
        // Rows of the stored finite-difference matrix; in the view they are rows or columns.
        let storedRows = fd.storage.rows, storedColumns = fd.storage.columns
        let analyticStored = fd.isTransposed ? a.transposed() : a
        var buffer = [Double](repeating: 0, count: storedColumns)
        buffer.withUnsafeMutableBufferPointer { row in
            fd.storage.elements.withUnsafeBufferPointer { f in
                for r in 0..<storedRows {
                    analyticStored.fillRow(r, into: row)
                    for c in 0..<storedColumns {
                        let x = row[c], y = f[r * storedColumns + c]
                        let d = abs(x - y)
                        if worst == nil || d > maxAbs || d.isNaN {
                            if !maxAbs.isNaN { maxAbs = d; worst = (r, c) }
                        }
                        let rel = d / max(abs(x), abs(y), 1e-300)
                        if rel > maxRel || rel.isNaN { maxRel = rel }
                        if !tolerance.accepts(x, y) { mismatches += 1 }
                    }
                }
            }
        }
        let entry = worst.map { stored -> CheckEntry in
            let (row, column) = fd.isTransposed ? (stored.column, stored.row) : (stored.row, stored.column)
            let (output, input) = layout == .numerator ? (row, column) : (column, row)
            var matrixIndex: [Int]?
            if case let .matrix(_, c) = map.inputShape { matrixIndex = [input / c, input % c] }
            let av = a.entry(row, column), fv = fd[row, column]
            return CheckEntry(row: row, column: column, output: output, input: input, inputMatrixIndex: matrixIndex,
                              analytic: av, finiteDifference: fv, absoluteError: abs(av - fv))
        }
        return CheckReport(
            map: map.name, layout: layout, inputShape: map.inputShape.dimensions,
            outputShape: map.outputShape.dimensions, input: [], value: [], constants: map.constants,
            analytic: a, finiteDifferences: fd, structure: "", formula: map.formula, chainOrder: nil,
            step: StepSummary(rule: step.description, min: 0, max: 0), tolerance: tolerance, evaluations: 0,
            maxAbsoluteError: maxAbs, maxRelativeError: maxRel, worst: entry, mismatches: mismatches,
            total: storedRows * storedColumns, passed: mismatches == 0, blame: nil)
    }
}
