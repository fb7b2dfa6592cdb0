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
        let fd = try FiniteDifference.jacobian(of: map, at: x, step: step)
        let fdMatrix = layout == .numerator ? fd.jacobian : fd.jacobian.transposed()
        var report = compare(analytic.matrix, fdMatrix, map: map)
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

    /// Entry-by-entry comparison of two matrices already in `layout`.
    func compare(_ a: Matrix, _ fd: Matrix, map: any VectorMap) -> CheckReport {
        var maxAbs = 0.0, maxRel = 0.0, mismatches = 0
        var worstIndex: Int?
        for k in a.elements.indices {
            let x = a.elements[k], y = fd.elements[k]
            let d = abs(x - y)
            if !(d <= maxAbs) || worstIndex == nil { if d > maxAbs || worstIndex == nil || d.isNaN { maxAbs = d; worstIndex = k } }
            let rel = d / max(abs(x), abs(y), 1e-300)
            if rel > maxRel || rel.isNaN { maxRel = rel }
            if !tolerance.accepts(x, y) { mismatches += 1 }
        }
        let worst = worstIndex.map { k -> CheckEntry in
            let row = k / a.columns, column = k % a.columns
            let (output, input) = layout == .numerator ? (row, column) : (column, row)
            var matrixIndex: [Int]?
            if case let .matrix(_, c) = map.inputShape { matrixIndex = [input / c, input % c] }
            return CheckEntry(row: row, column: column, output: output, input: input, inputMatrixIndex: matrixIndex,
                              analytic: a.elements[k], finiteDifference: fd.elements[k],
                              absoluteError: abs(a.elements[k] - fd.elements[k]))
        }
        return CheckReport(
            map: map.name, layout: layout, inputShape: map.inputShape.dimensions,
            outputShape: map.outputShape.dimensions, input: [], value: [], constants: map.constants,
            analytic: a, finiteDifferences: fd, structure: "", formula: map.formula, chainOrder: nil,
            step: StepSummary(rule: step.description, min: 0, max: 0), tolerance: tolerance, evaluations: 0,
            maxAbsoluteError: maxAbs, maxRelativeError: maxRel, worst: worst, mismatches: mismatches,
            total: a.elements.count, passed: mismatches == 0, blame: nil)
    }
}
