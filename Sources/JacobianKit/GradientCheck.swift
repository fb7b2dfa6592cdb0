/// Compares a map's analytic Jacobian with central finite differences, every entry, in the chosen layout.
public struct GradientCheck: Sendable {
    /// The step rule (default `.auto`).
    public var step: StepRule = .auto
    /// The pass/fail rule (default `Tolerance.default`).
    public var tolerance: Tolerance = .default
    /// The layout the Jacobians are written and compared in.
    public var layout: Layout = .numerator
    /// How the reference Jacobian is approximated.
    public var method: CheckMethod = .central

    /// A checker with the given settings.
    public init(layout: Layout = .numerator, step: StepRule = .auto, tolerance: Tolerance = .default,
                method: CheckMethod = .central) {
        self.layout = layout
        self.step = step
        self.tolerance = tolerance
        self.method = method
    }

    /// Checks `map` at `x`. A pipeline's Jacobian is the chain product in `layout`; when it fails, every
    /// factor is checked at its own input and the first failing one is named in `blame`.
    public func run(_ map: any VectorMap, at x: [Double]) throws -> CheckReport {
        let n = map.inputShape.count
        guard x.count == n else {
            throw JacobianError.shapeMismatch("\(map.name) takes \(n) numbers, the point has \(x.count)")
        }
        try WorkBudget.machine().ensure(.check(method: method, json: false, npy: false), on: map, label: map.name)
        let (value, analytic, pipelineChain) = try map.evaluateComposed(at: x, layout: layout)
        let order = pipelineChain?.order
        let fd = try FiniteDifference.transposedJacobian(of: map, at: x, step: step, method: method)
        let fdView = MatrixView(fd.transposed, transposed: layout == .numerator)
        var report = compare(analytic, fdView, map: map, extras: fd)
        report.method = method
        report.input = x
        report.inputs = map.inputBlocks
        report.value = value
        report.structure = analytic.structureName
        report.chainOrder = order
        report.step = StepSummary(rule: step.description(for: method), min: fd.steps.min() ?? 0, max: fd.steps.max() ?? 0,
                                  values: fd.steps)
        report.evaluations = fd.evaluations
        if !report.passed, analytic.rows == analytic.columns, analytic.rows > 1 {
            let flipped = compare(analytic.transposed(), fdView, map: map, extras: fd)
            if flipped.passed {
                let other: Layout = layout == .numerator ? .denominator : .numerator
                report.transposeHint = "did you return Jᵀ? The transpose of the analytic Jacobian passes every entry: "
                    + "it is the \(other.rawValue)-layout Jacobian, given where \(layout.rawValue) layout was expected."
            }
        }
        if !report.passed, let c = pipelineChain {
            for (k, stage) in map.stages.enumerated() {
                let own = try GradientCheck(layout: layout, step: step, tolerance: tolerance, method: method)
                    .run(stage, at: c.stageInputs[k])
                if !own.passed, let w = own.worst {
                    report.blame = Blame(stage: k + 1, map: stage.name, worst: w,
                                         inputShape: stage.inputShape.dimensions,
                                         outputShape: stage.outputShape.dimensions)
                    break
                }
            }
        }
        return report
    }

    /// Entry-by-entry comparison of the analytic Jacobian with the finite differences, both in `layout`.
    /// Walks the finite differences in their stored order (Jᵀ) and the analytic Jacobian one row at a time,
    /// so neither is copied. Where one-sided quotients are known (maps with kinks) and differ, an entry
    /// outside tolerance passes when the analytic value lies between them: x ± h straddled a kink.
    func compare(_ a: Jacobian, _ fd: MatrixView, map: any VectorMap,
                 extras: FiniteDifferenceResult? = nil) -> CheckReport {
        var maxAbs = 0.0, maxRel = 0.0, mismatches = 0
        var worst: (row: Int, column: Int)?
        var kinks: [(Int, Int, Double, Double, Double, Bool)] = []
        let storedRows = fd.storage.rows, storedColumns = fd.storage.columns
        let analyticStored = fd.isTransposed ? a.transposed() : a
        let left = extras?.left, right = extras?.right
        var buffer = [Double](repeating: 0, count: storedColumns)
        buffer.withUnsafeMutableBufferPointer { row in
            fd.storage.elements.withUnsafeBufferPointer { f in
                for r in 0..<storedRows {
                    analyticStored.fillRow(r, into: row)
                    for c in 0..<storedColumns {
                        let x = row[c], y = f[r * storedColumns + c]
                        let d = abs(x - y)
                        let rel = d / max(abs(x), abs(y), 1e-300)
                        if let left, let right {
                            // Stored like the finite differences, as Jᵀ: (r, c) is (input, output).
                            let l = left[r, c], rr = right[r, c]
                            if abs(l - rr) > 1e-4 + 1e-3 * max(abs(l), abs(rr)) {
                                let inside = x >= min(l, rr) - tolerance.absolute && x <= max(l, rr) + tolerance.absolute
                                kinks.append((r, c, l, rr, x, inside))
                                if inside { continue }
                            }
                        }
                        if worst == nil || d > maxAbs || d.isNaN {
                            if !maxAbs.isNaN { maxAbs = d; worst = (r, c) }
                        }
                        if rel > maxRel || rel.isNaN { maxRel = rel }
                        if !tolerance.accepts(x, y) { mismatches += 1 }
                    }
                }
            }
        }
        func located(_ stored: (Int, Int)) -> (row: Int, column: Int, output: Int, input: Int) {
            let (row, column) = fd.isTransposed ? (stored.1, stored.0) : (stored.0, stored.1)
            let (output, input) = layout == .numerator ? (row, column) : (column, row)
            return (row, column, output, input)
        }
        let estimate = extras?.errorEstimate
        let entry = worst.map { stored -> CheckEntry in
            let p = located(stored)
            var matrixIndex: [Int]?
            if case let .matrix(_, c) = map.inputShape { matrixIndex = [p.input / c, p.input % c] }
            let av = a.entry(p.row, p.column), fv = fd[p.row, p.column]
            return CheckEntry(row: p.row, column: p.column, output: p.output, input: p.input, inputMatrixIndex: matrixIndex,
                              analytic: av, finiteDifference: fv, absoluteError: abs(av - fv),
                              errorEstimate: estimate.map { $0[p.input, p.output] })
        }
        var report = CheckReport(
            map: map.name, layout: layout, inputShape: map.inputShape.dimensions,
            outputShape: map.outputShape.dimensions, input: [], value: [], constants: map.constants,
            analytic: a, finiteDifferences: fd, structure: "", formula: map.formula, chainOrder: nil,
            step: StepSummary(rule: step.description(for: method), min: 0, max: 0), tolerance: tolerance, evaluations: 0,
            maxAbsoluteError: maxAbs, maxRelativeError: maxRel, worst: entry, mismatches: mismatches,
            total: storedRows * storedColumns, passed: mismatches == 0, blame: nil)
        report.kinks = kinks.map { k in
            let p = located((k.0, k.1))
            return KinkEntry(row: p.row, column: p.column, output: p.output, input: p.input, left: k.2, right: k.3,
                             analytic: k.4, inside: k.5)
        }
        report.maxErrorEstimate = estimate.map { $0.maxAbs }
        return report
    }
}
