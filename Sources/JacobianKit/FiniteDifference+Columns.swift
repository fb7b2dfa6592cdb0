import Foundation

/// Reference columns for a few input coordinates, by a more accurate method than central differences: what a
/// check escalates to when central differences cannot decide some entries.
extension FiniteDifference {
    /// One re-evaluated column j of J: the reference values ∂f_i/∂x_j (m numbers), each one's error bound
    /// (Richardson; empty for the complex step, whose bound follows from the value), and the step.
    struct ReferenceColumn: Sendable {
        var values: [Double]
        var bounds: [Double]
        var h: Double
    }

    /// Columns `columns` of J by `method` (complex step or Richardson), with per-entry error bounds; a column
    /// whose probes cannot be evaluated (they leave the domain) is left out of the result.
    static func referenceColumns(of map: any VectorMap, at x: [Double], columns: [Int], method: CheckMethod,
                                 step: StepRule) -> (columns: [Int: ReferenceColumn], evaluations: Int) {
        let results = IndexedResults<ReferenceColumn>(count: columns.count)
        let complex = method == .complexStep ? map as? ComplexEvaluable : nil
        let base = x.map { ComplexDouble($0, 0) }
        let workers = columns.count * max(map.outputShape.count, 1) >= 20_000
            ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        let chunk = (columns.count + workers - 1) / max(workers, 1)
        let work: @Sendable (Int) -> Void = { w in
            var probe = x
            for p in (w * chunk)..<min(columns.count, (w + 1) * chunk) {
                let k = columns[p]
                do {
                    if let complex {
                        let c = try ComplexStep.column(complex, of: map, at: base, k, step: step)
                        // No subtraction: a few ulps of each value, which the judge computes from the value itself.
                        results.set(p, ReferenceColumn(values: c.values, bounds: [], h: c.h))
                    } else {
                        let t = try richardsonColumn(map, x, &probe, k, step: step)
                        // The tableau's estimate, doubled: it is the last extrapolation's change, not a bound.
                        results.set(p, ReferenceColumn(values: t.best, bounds: t.error.map { 2 * $0 }, h: t.h))
                    }
                } catch {
                    probe = x
                }
            }
        }
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        var out: [Int: ReferenceColumn] = [:]
        for (p, c) in results.all.enumerated() { if let c { out[columns[p]] = c } }
        return (out, columns.count * (complex != nil ? 1 : 6))
    }
}
