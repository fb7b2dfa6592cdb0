/// The entry-by-entry passes of a check, over the finite differences in their stored order (Jᵀ, n×m) and the
/// analytic Jacobian one row at a time, so that neither is copied.
extension GradientCheck {
    /// Whether stored entry (j, i) straddles a kink: its one-sided quotients differ beyond noise.
    static func isKink(_ l: Double, _ r: Double) -> Bool { abs(l - r) > 1e-4 + 1e-3 * max(abs(l), abs(r)) }

    /// Visits every stored entry: input j, output i, the analytic value and the reference.
    private func forEachEntry(_ a: Jacobian, _ fd: Matrix, transposedView: Bool,
                              _ body: (_ j: Int, _ i: Int, _ analytic: Double, _ reference: Double) -> Void) {
        let n = fd.rows, m = fd.columns
        let analyticStored = transposedView ? a.transposed() : a
        var buffer = [Double](repeating: 0, count: m)
        buffer.withUnsafeMutableBufferPointer { row in
            fd.elements.withUnsafeBufferPointer { f in
                for j in 0..<n {
                    analyticStored.fillRow(j, into: row)
                    for i in 0..<m { body(j, i, row[i], f[j * m + i]) }
                }
            }
        }
    }

    /// The input columns holding an entry that central differences do not decide (kinks excluded: they are
    /// judged by their one-sided quotients), and how many such entries there are.
    func undecidedColumns(_ a: Jacobian, _ fd: FiniteDifferenceResult, _ judge: EntryJudge)
        -> (columns: [Int], entries: Int) {
        var columns: [Int] = [], entries = 0
        let left = fd.left, right = fd.right
        forEachEntry(a, fd.transposed, transposedView: layout == .numerator) { j, i, x, y in
            if let left, let right, Self.isKink(left[j, i], right[j, i]) { return }
            let bound = judge.bound(input: j, output: i, reference: y)
            let allowed = judge.allowed(input: j, output: i, reference: y)
            if EntryJudge.verdict(x, y, allowed: allowed, bound: bound) != .pass {
                entries += 1
                if columns.last != j { columns.append(j) }
            }
        }
        return (columns, entries)
    }

    /// Judges every entry of the analytic Jacobian `a` (in `layout`) against the references `fd` (a view in
    /// `layout` of Jᵀ as stored). Where one-sided quotients are known (maps with kinks) and differ, the entry
    /// passes when the analytic value lies between them: x ± h straddled a kink.
    func compare(_ a: Jacobian, _ fd: MatrixView, map: any VectorMap, extras: FiniteDifferenceResult? = nil,
                 judge: EntryJudge) -> CheckReport {
        var counts = VerdictCounts()
        var maxAbs = 0.0, maxRel = 0.0
        var worstFail: (j: Int, i: Int, ratio: Double)?, worstPass: (j: Int, i: Int, rel: Double, size: Double)?
        var worstOpen: (j: Int, i: Int, d: Double)?
        var failing: [(j: Int, i: Int, ratio: Double)] = [], undecided: [(j: Int, i: Int, d: Double)] = []
        var kinks: [(Int, Int, Double, Double, Double, Bool)] = []
        var undecidedEscalated = 0
        let storedRows = fd.storage.rows, storedColumns = fd.storage.columns
        let keepGrid = storedRows * storedColumns <= 2400
        var grid = [Verdict](repeating: .pass, count: keepGrid ? storedRows * storedColumns : 0)
        let left = extras?.left, right = extras?.right
        forEachEntry(a, fd.storage, transposedView: fd.isTransposed) { j, i, x, y in
            let bound = judge.bound(input: j, output: i, reference: y)
            let allowed = judge.allowed(input: j, output: i, reference: y)
            var verdict: Verdict
            if let left, let right, Self.isKink(left[j, i], right[j, i]) {
                let l = left[j, i], r = right[j, i], margin = allowed + bound
                let inside = x >= min(l, r) - margin && x <= max(l, r) + margin
                kinks.append((j, i, l, r, x, inside))
                verdict = inside ? .pass : .fail
                counts.pass += inside ? 1 : 0
                counts.fail += inside ? 0 : 1
                if keepGrid { grid[j * storedColumns + i] = verdict }
                if !inside {
                    let ratio = abs(x - y) / max(margin, 1e-300)
                    if worstFail == nil || ratio > worstFail!.ratio { worstFail = (j, i, ratio) }
                    Self.keep(&failing, (j, i, ratio)) { $0.ratio > $1.ratio }
                }
                return
            }
            verdict = EntryJudge.verdict(x, y, allowed: allowed, bound: bound)
            if keepGrid { grid[j * storedColumns + i] = verdict }
            let d = abs(x - y)
            let rel = d / max(abs(x), abs(y), 1e-300)
            switch verdict {
            case .pass:
                counts.pass += 1
                // Ties (exact agreement) go to the largest entry, not to the first structural zero.
                if let w = worstPass, rel < w.rel || (rel == w.rel && abs(y) <= w.size) {} else {
                    worstPass = (j, i, rel, abs(y))
                }
            case .fail:
                counts.fail += 1
                let ratio = d.isNaN ? .infinity : d / max(allowed + bound, 1e-300)
                if worstFail == nil || ratio > worstFail!.ratio { worstFail = (j, i, ratio) }
                Self.keep(&failing, (j, i, ratio)) { $0.ratio > $1.ratio }
            case .inconclusive:
                counts.inconclusive += 1
                if judge.escalated[j] != nil { undecidedEscalated += 1 }
                let open = d / max(bound, 1e-300)
                if worstOpen == nil || d > worstOpen!.d { worstOpen = (j, i, d) }
                Self.keep(&undecided, (j, i, open)) { $0.d > $1.d }
                return
            }
            if d > maxAbs || d.isNaN { maxAbs = d }
            if rel > maxRel || rel.isNaN { maxRel = rel }
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
        if let w = worstFail { worst = entry(w.j, w.i, verdict: .fail) }
        else if let w = worstPass { worst = entry(w.j, w.i, verdict: .pass) }
        else if let w = worstOpen { worst = entry(w.j, w.i, verdict: .inconclusive) }
        else { worst = nil }
        var report = CheckReport(
            map: map.name, layout: layout, inputShape: map.inputShape.dimensions,
            outputShape: map.outputShape.dimensions, input: [], value: [], constants: map.constants,
            analytic: a, finiteDifferences: fd, structure: "", formula: map.formula, chainOrder: nil,
            step: StepSummary(rule: step.description(for: method), min: 0, max: 0), tolerance: tolerance,
            evaluations: 0,
            maxAbsoluteError: maxAbs, maxRelativeError: maxRel, worst: worst, mismatches: counts.fail,
            total: storedRows * storedColumns, passed: counts.overall == .pass, blame: nil)
        report.verdict = counts.overall
        report.verdicts = counts
        report.failing = failing.map { entry($0.j, $0.i, verdict: .fail) }
        report.undecided = undecided.map { entry($0.j, $0.i, verdict: .inconclusive) }
        report.verdictGrid = keepGrid ? grid : nil
        report.undecidedInEscalatedColumns = undecidedEscalated
        report.kinks = kinks.map { k in
            let (row, column) = fd.isTransposed ? (k.1, k.0) : (k.0, k.1)
            return KinkEntry(row: row, column: column, output: k.1, input: k.0, left: k.2, right: k.3,
                             analytic: k.4, inside: k.5)
        }
        report.maxErrorEstimate = extras?.errorEstimate.map { $0.maxAbs }
        return report
    }

    /// Keeps the 8 largest items by `larger`, largest first.
    private static func keep<T>(_ list: inout [T], _ item: T, by larger: (T, T) -> Bool) {
        if list.count == 8, let last = list.last, !larger(item, last) { return }
        let at = list.firstIndex { larger(item, $0) } ?? list.count
        list.insert(item, at: at)
        if list.count > 8 { list.removeLast() }
    }
}
