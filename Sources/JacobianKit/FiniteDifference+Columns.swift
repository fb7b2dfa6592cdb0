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
        let results = ColumnResults(count: columns.count)
        let complex = method == .complexStep ? map as? ComplexEvaluable : nil
        let workers = columns.count * max(map.outputShape.count, 1) >= 20_000
            ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        let chunk = (columns.count + workers - 1) / max(workers, 1)
        let work: @Sendable (Int) -> Void = { w in
            var probe = x
            for p in (w * chunk)..<min(columns.count, (w + 1) * chunk) {
                let k = columns[p]
                do {
                    if let complex {
                        var z = x.map { ComplexDouble($0, 0) }
                        let h = step.step(at: x[k], method: .complexStep)
                        z[k] = ComplexDouble(x[k], h)
                        let y = try complex.complexValue(at: z)
                        try map.checkValueCount(y.count)
                        let values = y.map { $0.imaginary / h }
                        // No subtraction: a few ulps of each value, which the judge computes from the value itself.
                        results.set(p, ReferenceColumn(values: values, bounds: [], h: h))
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
        for (p, k) in columns.enumerated() { if let c = results.get(p) { out[k] = c } }
        return (out, columns.count * (complex != nil ? 1 : 6))
    }
}

/// Results of the re-evaluated columns, written by several workers.
private final class ColumnResults: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [FiniteDifference.ReferenceColumn?]

    init(count: Int) { items = Array(repeating: nil, count: count) }

    func set(_ p: Int, _ c: FiniteDifference.ReferenceColumn) {
        lock.lock()
        items[p] = c
        lock.unlock()
    }

    func get(_ p: Int) -> FiniteDifference.ReferenceColumn? {
        lock.lock()
        defer { lock.unlock() }
        return items[p]
    }
}
