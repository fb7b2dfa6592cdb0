/// Compares a map's analytic Jacobian with finite differences, every entry, in the chosen layout. Each
/// reference value carries an error bound, so each entry gets a verdict: pass, fail or inconclusive (see
/// `EntryJudge`). Entries that central differences cannot decide are re-judged by the complex step where the
/// map is analytic, else by Richardson extrapolation (escalation), unless the method was forced.
public struct GradientCheck: Sendable {
    /// The step rule (default `.auto`).
    public var step: StepRule = .auto
    /// The pass/fail rule (default `Tolerance.entrywise`).
    public var tolerance: Tolerance = .entrywise
    /// The layout the Jacobians are written and compared in.
    public var layout: Layout = .numerator
    /// How the reference Jacobian is approximated.
    public var method: CheckMethod = .central
    /// Whether entries central differences cannot decide are re-judged by a more accurate method.
    public var escalates = true

    /// A checker with the given settings; `escalates: false` keeps every entry on `method`.
    public init(layout: Layout = .numerator, step: StepRule = .auto, tolerance: Tolerance = .entrywise,
                method: CheckMethod = .central, escalates: Bool = true) {
        self.layout = layout
        self.step = step
        self.tolerance = tolerance
        self.method = method
        self.escalates = escalates
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
        var fd = try FiniteDifference.transposedJacobian(of: map, at: x, step: step, method: method)
        var judge = EntryJudge(tolerance: tolerance, value: value, steps: fd.steps, method: method,
                               richardsonError: fd.errorEstimate)
        judge.measureScales(fd.transposed)
        var escalation: Escalation?
        let provisional = method == .central && escalates
        var report = compare(analytic, MatrixView(fd.transposed, transposed: layout == .numerator), map: map,
                             extras: fd, judge: judge, provisional: provisional)
        if provisional && !report.undecidedColumns.isEmpty {
            let complex = (map as? ComplexEvaluable)?.supportsComplexStep ?? false
            let via: CheckMethod = complex ? .complexStep : .richardson
            // The escalation's own step rule: a --step chosen for central differences is not the complex step's.
            let r = FiniteDifference.referenceColumns(of: map, at: x, columns: report.undecidedColumns, method: via,
                                                      step: .auto)
            let m = fd.transposed.columns
            fd.transposed.elements.withUnsafeMutableBufferPointer { f in
                for (j, c) in r.columns { for i in 0..<m { f[j * m + i] = c.values[i] } }
            }
            judge.escalated = r.columns
            judge.escalationMethod = via
            judge.measureScales(fd.transposed)
            let entries = report.undecidedEntries
            report = compare(analytic, MatrixView(fd.transposed, transposed: layout == .numerator), map: map,
                             extras: fd, judge: judge)
            var evaluations = r.evaluations
            if via == .complexStep && !report.failedEscalatedColumns.isEmpty {
                // A second opinion before a failure is reported: Richardson on the columns the complex step failed.
                let second = FiniteDifference.referenceColumns(of: map, at: x, columns: report.failedEscalatedColumns,
                                                               method: .richardson, step: .auto)
                judge.confirmation = second.columns
                evaluations += second.evaluations
                report = compare(analytic, MatrixView(fd.transposed, transposed: layout == .numerator), map: map,
                                 extras: fd, judge: judge)
            }
            escalation = Escalation(method: via, columns: r.columns.count, entries: entries,
                                    decided: max(0, entries - report.undecidedInEscalatedColumns),
                                    evaluations: evaluations)
            report.escalation = escalation
        }
        let fdView = report.finiteDifferences
        report.stepAdjustments = fd.adjustments
        report.method = method
        report.input = x
        report.inputs = map.inputBlocks
        report.value = value
        report.structure = analytic.structureName
        report.chainOrder = order
        report.step = StepSummary(rule: step.description(for: method), min: fd.steps.min() ?? 0,
                                  max: fd.steps.max() ?? 0, values: fd.steps)
        report.evaluations = fd.evaluations + (escalation?.evaluations ?? 0)
        if report.verdict == .fail, analytic.rows == analytic.columns, analytic.rows > 1 {
            let flipped = compare(analytic.transposed(), fdView, map: map, extras: fd, judge: judge)
            if flipped.verdicts.fail == 0 && flipped.verdicts.pass > report.verdicts.pass {
                let other: Layout = layout == .numerator ? .denominator : .numerator
                report.transposeHint = "did you return Jᵀ? The transpose of the analytic Jacobian passes every entry: "
                    + "it is the \(other.rawValue)-layout Jacobian, given where \(layout.rawValue) layout was expected."
            }
        }
        if report.verdict == .fail, let c = pipelineChain {
            for (k, stage) in map.stages.enumerated() {
                let own = try GradientCheck(layout: layout, step: step, tolerance: tolerance, method: method,
                                            escalates: escalates).run(stage, at: c.stageInputs[k])
                if own.verdict == .fail, let w = own.worst {
                    report.blame = Blame(stage: k + 1, map: stage.name, worst: w,
                                         inputShape: stage.inputShape.dimensions,
                                         outputShape: stage.outputShape.dimensions)
                    break
                }
            }
        }
        return report
    }
}
