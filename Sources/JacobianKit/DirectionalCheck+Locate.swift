/// Group testing after a failure: the failing probe's inputs are halved, each half is measured (one Jacobian–vector
/// product and the reference derivative: 2 evaluations for central differences) and judged on every output group,
/// and the halves that fail are halved again, down to single inputs j. There one measurement along e_j gives the
/// whole column: every output i is judged by the entry rule |a − d| ≤ atol + rtol·|d| + e, as the entry-by-entry
/// check judges J[i][j]. k wrong entries in k columns cost at most 2k·⌈log₂ s⌉ measurements for a probe moving s
/// inputs; the output side costs nothing, since every measurement returns all m outputs.
extension DirectionalRun {
    /// Measurements group testing may spend: 2·(⌈log₂ n⌉ + 1) for each of `locateLimit` + 2 entries.
    var locateBudget: Int {
        var depth = 1
        while (1 << depth) < n { depth += 1 }
        return 2 * (depth + 1) * (check.locateLimit + 2)
    }

    /// Descends from a failing probe; returns whether it located a wrong entry not known before.
    mutating func descend(_ plan: DirectionalCheck.Plan) throws -> Bool {
        let before = located.count
        var stack = [plan.direction]
        let grouped = DirectionalCheck.Weights(v: plan.weights.v, grouped: true)
        while let node = stack.popLast() {
            if node.count == 1 {
                try leaf(node.input(0))
                continue
            }
            let (a, b) = node.halves()
            var failing: [DirectionalCheck.Direction] = []
            for child in [a, b] where child.count > 0 {
                if stopped() { return located.count > before }
                if child.count == 1 {
                    failing.append(child)
                    continue
                }
                let me = try measure(child)
                measurements += 1
                let j = judge(me, grouped, uMax: child.maxAbs)
                if !j.passed && !explained(j, by: child, grouped) { failing.append(child) }
            }
            stack.append(contentsOf: failing.reversed())
        }
        return located.count > before
    }

    /// Whether locating must stop: the entry limit or the evaluation budget is reached (then more may be wrong).
    mutating func stopped() -> Bool {
        if located.count >= check.locateLimit || measurements >= locateBudget {
            truncated = true
            return true
        }
        return false
    }

    /// Whether the located entries account for every failing group of `judgement`: each group's Δ minus
    /// Σ v_i·u_j·(analytic − reference) over the located (i, j) that u and the group reach is within the rule.
    func explained(_ judgement: Judgement, by u: DirectionalCheck.Direction, _ w: DirectionalCheck.Weights) -> Bool {
        guard !located.isEmpty else { return false }
        var correction: [Int: Double] = [:]
        for e in located {
            guard let uj = u.value(atInput: e.input) else { continue }
            let g = w.grouped ? partitions.outputGroup(e.output) : 0
            correction[g, default: 0] += w.v[e.output] * uj * (e.analytic - e.reference)
        }
        return judgement.failing.allSatisfy { abs($0.delta - (correction[$0.group] ?? 0)) <= $0.allowed }
    }

    /// Column j along e_j: every output judged by the entry rule; wrong entries are located, kinks counted.
    mutating func leaf(_ j: Int) throws {
        guard !visited.contains(j), !stopped() else { return }
        visited.insert(j)
        let me = try measure(.coordinate(j))
        measurements += 1
        var f0: [Double]?
        if map.hasKinks, me.sides != nil {
            if center == nil {
                center = try map.checkedValue(at: x)
                evaluations += 1
            }
            f0 = center
        }
        let tolerance = check.tolerance
        for i in 0..<m {
            let a = me.analytic[i], d = me.reference[i]
            let allowed = tolerance.absolute + tolerance.relative * abs(d) + (me.error?[i] ?? 0) + me.noise
            if abs(a - d) <= allowed { continue }
            if let f0, let s = me.sides {
                // As the entry-by-entry check does: where the one-sided quotients differ, x ± h straddles a kink,
                // and an analytic value between them is a one-sided derivative.
                let l = (f0[i] - s.down[i]) / s.hDown, r = (s.up[i] - f0[i]) / s.hUp
                if abs(l - r) > 1e-4 + 1e-3 * max(abs(l), abs(r)),
                   a >= min(l, r) - tolerance.absolute, a <= max(l, r) + tolerance.absolute {
                    kinks += 1
                    continue
                }
            }
            guard located.count < check.locateLimit else {
                truncated = true
                return
            }
            let (row, column) = check.layout == .numerator ? (i, j) : (j, i)
            located.append(DirectionalCheck.Entry(
                row: row, column: column, output: i, input: j, outputName: map.outputCoordinateName(i),
                inputName: map.inputCoordinateName(j), analytic: a, reference: d, absoluteError: abs(a - d),
                allowed: allowed))
        }
    }
}
