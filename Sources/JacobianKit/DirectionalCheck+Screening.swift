import Foundation

/// The probes' first pass, spread over the machine's cores (probe k on worker k mod w): every probe is independent,
/// and the result does not depend on how they are split.
extension DirectionalRun {
    /// One probe after its first pass: the report's line and, when it fails, its verdict for group testing.
    struct Screened: Sendable {
        var probe: DirectionalCheck.Probe
        var judgement: Judgement
    }

    /// Measures and judges probe `plan`; a failing central probe is confirmed by Richardson at its own step.
    mutating func screen(_ plan: DirectionalCheck.Plan) throws -> Screened {
        let uMax = plan.direction.maxAbs
        var me = try measure(plan.direction)
        let step = me.step
        var j = judge(me, plan.weights, uMax: uMax)
        var remeasured = false
        // Richardson's larger step can leave the map's domain (log near 0): then the central verdict stands.
        if !j.passed, check.method == .central, let confirmed = try? measure(plan.direction, method: .richardson) {
            me = confirmed
            j = judge(me, plan.weights, uMax: uMax)
            remeasured = true
        }
        let w = j.worst
        let probe = DirectionalCheck.Probe(
            kind: plan.kind, round: plan.round, inputs: plan.direction.count, outputGroups: j.groups, step: step,
            analytic: w.analytic, reference: w.reference, absoluteError: abs(w.delta), allowed: w.allowed,
            failingGroups: j.failing.count, remeasured: remeasured, passed: j.passed)
        return Screened(probe: probe, judgement: j)
    }

    /// Every probe of `plans`, in order; the evaluations and products spent are added to this run's.
    mutating func screenAll(_ plans: DirectionalCheck.Plans) throws -> [Screened] {
        let count = plans.count
        // A batch-evaluable map (a program behind --exec) is spoken to one request at a time.
        let parallel = !(map is any BatchEvaluable) && n * max(m, 1) >= 20_000
        let workers = parallel ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, count)) : 1
        let results = ScreenedResults(count: count)
        let start = self
        let work: @Sendable (Int) -> Void = { w in
            var local = start
            local.evaluations = 0
            local.products = 0
            for k in stride(from: w, to: count, by: workers) {
                if results.hasFailed { return }
                do {
                    results.store(k, try local.screen(plans.plan(k)))
                } catch {
                    results.record(error)
                    return
                }
            }
            results.add(evaluations: local.evaluations, products: local.products)
        }
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        if let e = results.error { throw e }
        evaluations += results.evaluations
        products += results.products
        return results.all
    }
}

/// The screened probes and the counts of several workers, each slot written by one of them.
private final class ScreenedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [DirectionalRun.Screened?]
    private(set) var evaluations = 0, products = 0
    private var failure: Error?

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ k: Int, _ s: DirectionalRun.Screened) {
        lock.lock()
        slots[k] = s
        lock.unlock()
    }

    func add(evaluations e: Int, products p: Int) {
        lock.lock()
        evaluations += e
        products += p
        lock.unlock()
    }

    func record(_ e: Error) {
        lock.lock()
        if failure == nil { failure = e }
        lock.unlock()
    }

    var hasFailed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return failure != nil
    }

    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }

    /// Every slot, in order (all stored when no worker failed).
    var all: [DirectionalRun.Screened] { slots.compactMap { $0 } }
}
