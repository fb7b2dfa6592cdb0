import Foundation

/// Directional checks for Jacobians too large to compare entry by entry; J is never formed.
///
/// Each probe is a pair (u ∈ Rⁿ, v ∈ Rᵐ): vᵀ(J·u) from the map's analytic Jacobian–vector product against vᵀd,
/// where d ≈ J·u is the derivative of f along u by the check's method: central differences
/// (f(x + tu) − f(x − tu))/2t (2 evaluations), Richardson at t, t/2, t/4 (6), or the complex step
/// Im f(x + i·t·u)/t (1 complex evaluation). The step along u is t = h(max |x_j| over the inputs u moves)/‖u‖∞ with
/// h the `StepRule` of the method (auto: ∛ε·max(1, |x|), 0.01·max(1, |x|), 1e-20; fixed: h), so that no coordinate
/// moves further than the entry-by-entry check would move the largest of them, and along e_j t is exactly its step.
///
/// The rule, for each output group H a probe is judged on (all m outputs for a dense probe):
/// |vᵀ(J·u) − vᵀd| ≤ rtol·‖v_H‖·‖d_H‖ + ‖v_H‖·(‖e_H‖ + r) + atol·‖u‖∞·‖v_H‖∞, where e and r are the reference's own
/// error estimate, per output e (Richardson: its tableau's) and normwise round-off r (central: 8ε·‖f‖/t, Richardson
/// 16ε·‖f‖/t, complex step 8ε·‖d‖; normwise, because a reduction such as softmax's sum spreads its rounding over every
/// output). It is invariant under scaling f, u or v; atol is an optional additive term (a single wrong entry at u's
/// and v's largest coordinates moves vᵀJu by δ·‖u‖∞·‖v‖∞). A central probe that fails is measured again by Richardson
/// extrapolation at its own step (6 evaluations) and fails only if that fails too: at the auto step 0.01 its
/// round-off is 1600 times smaller, and its truncation error is estimated, so neither can fail a correct map.
///
/// Probes: `count` dense Gaussian pairs (the user's K), then `sparseProbes` with u Gaussian on `sparseInputs` random
/// inputs, then `rounds` rounds of block probes, one per group of a seeded random partition of the inputs into
/// `inputGroups` groups, u = ±1 on the group; sparse and block probes take v = ±1 and are judged on each of the
/// output groups (a seeded partition into groups of `outputGroupSize`), which costs no evaluation. `Guarantee`
/// states and derives what a single wrong entry must be for the block probes to catch it. After a failure,
/// group testing (see `DirectionalRun.descend`) names up to `locateLimit` wrong entries.
///
/// For a map with kinks (relu), x ± t·u straddles a branch somewhere once n is large, so there a failing probe fails
/// the check only when group testing locates an entry that fails its entry rule, kinks judged by their one-sided
/// quotients as the entry-by-entry check does.
public struct DirectionalCheck: Sendable {
    /// Dense Gaussian pairs (u, v), K of `check --directions K`.
    public var count: Int
    /// The seed of every probe and partition.
    public var seed: UInt64
    /// rtol and atol of the rule.
    public var tolerance: Tolerance
    /// The step rule along each direction.
    public var step: StepRule
    /// How the reference derivative along u is computed.
    public var method: CheckMethod
    /// The layout the located entries' rows and columns refer to.
    public var layout: Layout
    /// Sparse probes (default 8).
    public var sparseProbes = 8
    /// Inputs each sparse probe moves (default 16).
    public var sparseInputs = 16
    /// Input groups of the block probes, one probe per group per round (default 32, at most n).
    public var inputGroups = 32
    /// Rounds of block probes, each with fresh random signs (default 2).
    public var rounds = 2
    /// Outputs per output group (default 8).
    public var outputGroupSize = 8
    /// At most this many wrong entries are located (default 10).
    public var locateLimit = 10

    /// A check with `count` dense pairs and the default structured probes, all drawn from `seed`.
    public init(count: Int, seed: UInt64, tolerance: Tolerance = .default, step: StepRule = .auto,
                method: CheckMethod = .central, layout: Layout = .numerator) {
        self.count = count
        self.seed = seed
        self.tolerance = tolerance
        self.step = step
        self.method = method
        self.layout = layout
    }

    /// Checks `map` at `x`: every probe, then group testing if one fails.
    public func run(_ map: any VectorMap, at x: [Double]) throws -> Report {
        let n = map.inputShape.count
        guard x.count == n else {
            throw JacobianError.shapeMismatch("\(map.name) takes \(n) numbers, the point has \(x.count)")
        }
        guard count >= 0, sparseProbes >= 0, sparseInputs >= 1, inputGroups >= 1, rounds >= 0, outputGroupSize >= 1,
              locateLimit >= 0 else {
            throw JacobianError.invalidArgument("A directional check needs non-negative probe counts and positive "
                                                + "group sizes.")
        }
        try WorkBudget.machine().ensure(.directions(count), on: map, label: map.name)
        try step.ensureUsable(at: x, method: method)
        var run = try DirectionalRun(self, map: map, at: x)
        let plans = Plans(self, n: n, m: run.m, partitions: run.partitions)
        let screened = try run.screenAll(plans)
        let probes = screened.map(\.probe)
        let failing = screened.indices.filter { !probes[$0].passed }
        let worst = screened.map(\.judgement.worst)
        let maxAbs = worst.map { abs($0.delta) }.max() ?? 0
        let maxRel = worst.filter { $0.scale > 0 }.map { abs($0.delta) / $0.scale }.max() ?? 0
        let steps = probes.map(\.step)
        let screening = (run.evaluations, run.products)
        // Smallest supports first: they reach a wrong entry in the fewest halvings.
        for k in failing.sorted(by: { (probes[$0].inputs, $0) < (probes[$1].inputs, $1) }) {
            let plan = plans.plan(k)
            if run.explained(screened[k].judgement, by: plan.direction, plan.weights) { continue }
            if run.stopped() { break }
            if try !run.descend(plan) { run.unlocalized += 1 }
        }
        let passed = map.hasKinks ? run.located.isEmpty : failing.isEmpty
        let p = run.partitions
        let schedule = Schedule(dense: count, sparse: sparseProbes, sparseInputs: min(n, sparseInputs),
                                inputGroups: p.inputGroups.count, inputsPerGroup: p.inputsPerGroup, rounds: rounds,
                                outputGroups: p.outputGroupCount, outputsPerGroup: p.outputsPerGroup)
        return Report(
            map: map.name, layout: layout, inputShape: map.inputShape.dimensions,
            outputShape: map.outputShape.dimensions, method: method,
            step: Step(rule: stepRule, min: steps.min() ?? 0, max: steps.max() ?? 0), schedule: schedule,
            probes: probes, located: run.located,
            locate: Locate(limit: locateLimit, truncated: run.truncated, unlocalized: run.unlocalized,
                           kinks: run.kinks, evaluations: run.evaluations - screening.0,
                           jacobianVectorProducts: run.products - screening.1),
            evaluations: run.evaluations, jacobianVectorProducts: run.products, maxAbsoluteError: maxAbs,
            maxRelativeError: maxRel, worstRatio: worst.map(\.ratio).max() ?? 0, tolerance: tolerance, rule: Self.rule,
            guarantee: guarantee(schedule, kinks: map.hasKinks), passed: passed)
    }

    /// The rule in words, as reports print it.
    static let rule = "|vᵀJu − vᵀd| ≤ rtol·‖v‖·‖d‖ + ‖v‖·e + atol·‖u‖∞·‖v‖∞ on each output group"

    /// The step rule along u in words.
    var stepRule: String {
        let scale = "max(1, max|x_j| moved)/‖u‖∞"
        switch (step, method) {
        case let (.fixed(h), _): return "fixed: t = \(h)/‖u‖∞"
        case (.auto, .central): return "auto: t = ∛ε·" + scale
        case (.auto, .richardson): return "auto: t = 0.01·" + scale + ", then t/2, t/4"
        case (.auto, .complexStep): return "auto: t = 1e-20/‖u‖∞ (imaginary)"
        }
    }

    /// The block probes' guarantee for this schedule (see `Guarantee`).
    func guarantee(_ s: Schedule, kinks: Bool) -> Guarantee {
        let g = Double(s.inputsPerGroup), h = Double(s.outputsPerGroup), rtol = tolerance.relative
        let p = s.rounds > 0 ? 1 - pow(0.25, Double(s.rounds)) : 0
        let r = 2 * rtol * h * g.squareRoot(), certain = rtol * g * h
        func size(_ v: Double) -> String { String(format: "%.2g", v) }
        // For g < 4 the certain bound is the smaller one, and the probability adds nothing.
        let odds = certain <= r ? "with certainty when its error is ≥ \(size(certain))·σ_B"
            : "with probability ≥ \(TextFormat.number(p, digits: 4)) when its error is ≥ \(size(r))·σ_B, and with "
            + "certainty when ≥ \(size(certain))·σ_B"
        var text = s.rounds == 0 ? "no block probes, so no entry is guaranteed to be caught"
            : "a single wrong entry is caught " + odds + ", σ_B the RMS of J over its "
            + "\(s.outputsPerGroup)×\(s.inputsPerGroup) block (output group × input group), "
            + "plus atol and twice the reference's error"
        if kinks && s.rounds > 0 { text += "; with kinks, when group testing then reaches it" }
        return Guarantee(probability: p, relativeSize: r, certainRelativeSize: certain, statement: text)
    }
}
