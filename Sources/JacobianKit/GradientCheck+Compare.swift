import Foundation

/// The entry-by-entry passes of a check, over the finite differences in their stored order (Jᵀ, n×m) and the
/// analytic Jacobian one row at a time, so that neither is copied.
extension GradientCheck {
    /// Whether stored entry (j, i) straddles a kink: its one-sided quotients differ beyond noise.
    static func isKink(_ l: Double, _ r: Double) -> Bool { abs(l - r) > 1e-4 + 1e-3 * max(abs(l), abs(r)) }

    /// Judges every entry of the analytic Jacobian `a` (in `layout`) against the references `fd` (a view in
    /// `layout` of Jᵀ as stored). Where one-sided quotients are known (maps with kinks) and differ, the entry
    /// passes when the analytic value lies between them: x ± h straddled a kink.
    func compare(_ a: Jacobian, _ fd: MatrixView, map: any VectorMap, extras: FiniteDifferenceResult? = nil,
                 judge: EntryJudge, provisional: Bool = false) -> CheckReport {
        let n = fd.storage.rows, m = fd.storage.columns
        let keepGrid = n * m <= 2400
        var grid = [Verdict](repeating: .pass, count: keepGrid ? n * m : 0)
        let analyticStored = fd.isTransposed ? a.transposed() : a
        let t: ComparisonTally
        let workers = n * m >= 1_000_000 ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        if workers == 1 {
            t = Self.tally(rows: 0..<n, analyticStored, fd.storage, extras, judge, provisional) { j, i, v in
                if keepGrid { grid[j * m + i] = v }
            }
        } else {
            let slots = IndexedResults<ComparisonTally>(count: workers), chunk = (n + workers - 1) / workers
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let rows = min(n, w * chunk)..<min(n, (w + 1) * chunk)
                slots.set(w, Self.tally(rows: rows, analyticStored, fd.storage, extras, judge,
                                        provisional) { _, _, _ in })
            }
            t = slots.all.reduce(into: ComparisonTally()) { $0.merge($1 ?? ComparisonTally()) }
        }
        // Stored (j, i) is (input, output); the view puts it at (row, column) in `layout`.
        func entry(_ j: Int, _ i: Int, verdict: Verdict) -> CheckEntry {
            let (row, column) = fd.isTransposed ? (i, j) : (j, i)
            var matrixIndex: [Int]?
            if case let .matrix(_, c) = map.inputShape { matrixIndex = [j / c, j % c] }
            let av = a.entry(row, column), fv = fd[row, column]
            return CheckEntry(row: row, column: column, output: i, input: j, inputMatrixIndex: matrixIndex,
                              analytic: av, finiteDifference: fv, absoluteError: abs(av - fv),
                              errorEstimate: judge.bound(input: j, output: i, reference: fv),
                              allowed: judge.allowed(input: j, output: i, reference: fv), verdict: verdict,
                              method: judge.method(ofInput: j))
        }
        let worst: CheckEntry?
        if let w = t.worstFail { worst = entry(w.j, w.i, verdict: .fail) }
        else if let w = t.worstPass { worst = entry(w.j, w.i, verdict: .pass) }
        else if let w = t.worstOpen { worst = entry(w.j, w.i, verdict: .inconclusive) }
        else { worst = nil }
        var report = CheckReport(
            map: map.name, layout: layout, inputShape: map.inputShape.dimensions,
            outputShape: map.outputShape.dimensions, input: [], value: [], constants: map.constants,
            analytic: a, finiteDifferences: fd, structure: "", formula: map.formula, chainOrder: nil,
            step: StepSummary(rule: step.description(for: method), min: 0, max: 0), tolerance: tolerance,
            evaluations: 0,
            maxAbsoluteError: t.maxAbs, maxRelativeError: t.maxRel, worst: worst, mismatches: t.counts.fail,
            total: n * m, passed: t.counts.overall == .pass, blame: nil)
        report.verdicts = t.counts
        report.failing = t.failing.map { entry($0.j, $0.i, verdict: .fail) }
        report.undecided = t.undecided.map { entry($0.j, $0.i, verdict: .inconclusive) }
        report.verdictGrid = keepGrid ? grid : nil
        report.undecidedInEscalatedColumns = t.undecidedEscalated
        report.undecidedColumns = t.undecidedColumns
        report.undecidedEntries = t.undecidedEntries
        report.failedEscalatedColumns = t.failedEscalatedColumns
        report.disagreements = t.disagreements
        report.kinks = t.kinks.map { k in
            let (row, column) = fd.isTransposed ? (k.i, k.j) : (k.j, k.i)
            return KinkEntry(row: row, column: column, output: k.i, input: k.j, left: k.left, right: k.right,
                             analytic: k.analytic, inside: k.inside)
        }
        report.maxErrorEstimate = extras?.errorEstimate.map { $0.maxAbs }
        return report
    }

    /// One pass over stored rows `rows` of Jᵀ (inputs j), judging each entry; `mark` sees every verdict.
    private static func tally(rows: Range<Int>, _ analyticStored: Jacobian, _ stored: Matrix,
                              _ extras: FiniteDifferenceResult?, _ judge: EntryJudge, _ provisional: Bool,
                              mark: (Int, Int, Verdict) -> Void) -> ComparisonTally {
        var t = ComparisonTally()
        let m = stored.columns
        let left = extras?.left, right = extras?.right
        var buffer = [Double](repeating: 0, count: m)
        buffer.withUnsafeMutableBufferPointer { row in
            stored.elements.withUnsafeBufferPointer { f in
                for j in rows {
                    analyticStored.fillRow(j, into: row)
                    let column = judge.column(j)
                    let escalated = judge.escalated[j] != nil
                    let second = judge.confirmation[j]
                    var columnUndecided = false, columnFailed = false
                    for i in 0..<m {
                        let x = row[i], y = f[j * m + i]
                        let bound = judge.bound(column, output: i, reference: y)
                        let allowed = judge.allowed(column, output: i, reference: y)
                        if let left, let right, isKink(left[j, i], right[j, i]) {
                            let l = left[j, i], r = right[j, i], margin = allowed + bound
                            let inside = x >= min(l, r) - margin && x <= max(l, r) + margin
                            t.kinks.append((j, i, l, r, x, inside))
                            mark(j, i, inside ? .pass : .fail)
                            if inside {
                                t.counts.pass += 1
                            } else {
                                t.fail(j, i, ratio: abs(x - y) / max(margin, 1e-300))
                            }
                            continue
                        }
                        var verdict = EntryJudge.verdict(x, y, allowed: allowed, bound: bound)
                        if verdict == .fail, let second {
                            let y2 = second.values[i], b2 = second.bounds[i]
                            let a2 = judge.allowed(column, output: i, reference: y2)
                            if EntryJudge.verdict(x, y2, allowed: a2, bound: b2) != .fail {
                                verdict = .inconclusive
                                t.disagreements += 1
                            }
                        }
                        if verdict == .fail && escalated { columnFailed = true }
                        mark(j, i, verdict)
                        let d = abs(x - y)
                        let rel = d / max(abs(x), abs(y), 1e-300)
                        switch verdict {
                        case .pass:
                            t.pass(j, i, rel: rel, size: abs(y))
                        case .fail where !provisional:
                            t.fail(j, i, ratio: d.isNaN ? .infinity : d / max(allowed + bound, 1e-300))
                        case .fail, .inconclusive:
                            if provisional {
                                t.undecidedEntries += 1
                                columnUndecided = true
                            }
                            if escalated { t.undecidedEscalated += 1 }
                            t.open(j, i, d: d)
                            continue
                        }
                        if d > t.maxAbs || d.isNaN { t.maxAbs = d }
                        if rel > t.maxRel || rel.isNaN { t.maxRel = rel }
                    }
                    if columnUndecided { t.undecidedColumns.append(j) }
                    if columnFailed { t.failedEscalatedColumns.append(j) }
                }
            }
        }
        return t
    }
}
