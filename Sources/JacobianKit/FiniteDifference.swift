import Foundation

/// How a check approximates the Jacobian.
public enum CheckMethod: String, CaseIterable, Codable, Sendable {
    /// (f(x+h) − f(x−h)) / 2h per coordinate: 2n evaluations, error O(h²) + O(ε/h).
    case central
    /// Central differences at h, h/2, h/4 extrapolated (Richardson): 6n evaluations, error O(h⁶) + O(ε/h),
    /// with an error estimate per entry (the last extrapolation's change).
    case richardson
    /// Im f(x + i·h·e_j) / h with h = 1e-20·max(1,|x_j|): n complex evaluations, no subtraction, so accurate to
    /// rounding; only for maps that are real-analytic and can be evaluated on complex numbers.
    case complexStep = "complex-step"

    /// One line for help and reports: cost in evaluations and error order.
    public var summary: String {
        switch self {
        case .central: return "central differences: 2n evaluations, error O(h²)"
        case .richardson:
            return "Richardson extrapolation of central differences at h, h/2, h/4: 6n evaluations, error O(h⁶), "
                + "per-entry error estimate"
        case .complexStep:
            return "complex step Im f(x + ih·e_j)/h, h = 1e-20·max(1,|x_j|): n complex evaluations, "
                + "accurate to rounding"
        }
    }
}

/// How the finite-difference step h is chosen for each coordinate.
public enum StepRule: Equatable, Sendable, CustomStringConvertible {
    /// Per coordinate, balancing truncation against round-off for the method: central h_j = ∛ε·max(1, |x_j|)
    /// ≈ 6.06e-6·max(1, |x_j|); Richardson h_j = 0.01·max(1, |x_j|); complex step h_j = 1e-20·max(1, |x_j|)
    /// (so that h·∂f/∂x_j stays a normal number where x_j is huge).
    case auto
    /// The same h for every coordinate.
    case fixed(Double)

    /// ∛ε for Double.
    public static let cubeRootEpsilon = 6.055454452393343e-06

    /// The central-difference step for a coordinate whose value is x.
    public func step(at x: Double) -> Double { step(at: x, method: .central) }

    /// The step `method` uses for a coordinate whose value is x.
    public func step(at x: Double, method: CheckMethod) -> Double {
        if case let .fixed(h) = self { return h }
        switch method {
        case .central: return Self.cubeRootEpsilon * max(1, abs(x))
        case .richardson: return 0.01 * max(1, abs(x))
        case .complexStep: return 1e-20 * max(1, abs(x))
        }
    }

    public var description: String { description(for: .central) }

    /// The rule as a report states it for `method`.
    public func description(for method: CheckMethod) -> String {
        switch (self, method) {
        case let (.fixed(h), _): return "fixed: h = \(h)"
        case (.auto, .central): return "auto: h_j = ∛ε·max(1,|x_j|)"
        case (.auto, .richardson): return "auto: h_j = 0.01·max(1,|x_j|), then h/2 and h/4"
        case (.auto, .complexStep): return "auto: h_j = 1e-20·max(1,|x_j|) (imaginary)"
        }
    }
}

/// A finite-difference Jacobian, stored as its n×m transpose (row j is column j of J, written contiguously).
public struct FiniteDifferenceResult: Sendable {
    /// Jᵀ, n×m.
    public var transposed: Matrix
    /// The step used for each coordinate.
    public var steps: [Double]
    /// Function evaluations spent.
    public var evaluations: Int
    /// Richardson: |best − second best| per entry, as Jᵀ (n×m).
    public var errorEstimate: Matrix?
    /// Maps with kinks: the one-sided quotients (f(x) − f(x−h))/h and (f(x+h) − f(x))/h, as Jᵀ (n×m each).
    public var left: Matrix?
    /// Maps with kinks: (f(x + h) − f(x))/h, as Jᵀ (n×m).
    public var right: Matrix?
    /// Coordinates whose stencil was changed to stay inside the domain.
    public var adjustments: [StepAdjustment] = []
}

/// Finite-difference Jacobians, column by column (memory: one Jacobian), split over the machine's cores.
public enum FiniteDifference {
    /// The Jacobian of `map` at `x` by `method` (see `CheckMethod`), with h made exactly representable
    /// (h = (x + h) − x). Columns are independent; the result does not depend on how they are split.
    public static func transposedJacobian(of map: any VectorMap, at x: [Double], step: StepRule,
                                          method: CheckMethod = .central) throws -> FiniteDifferenceResult {
        try step.ensureUsable(at: x, method: method)
        switch method {
        case .central: return try central(map, x, step)
        case .richardson: return try richardson(map, x, step)
        case .complexStep: return try ComplexStep.transposedJacobian(of: map, at: x, step: step)
        }
    }

    /// The numerator m×n Jacobian by central differences.
    public static func jacobian(of map: any VectorMap, at x: [Double], step: StepRule) throws
        -> (jacobian: Matrix, steps: [Double], evaluations: Int)
    {
        let r = try central(map, x, step)
        return (r.transposed.transposed(), r.steps, r.evaluations)
    }

    /// Central differences of column k: (f(x + h e_k) − f(x − h e_k)) / 2h, h made representable.
    static func centralColumn(_ map: any VectorMap, _ x: [Double], _ probe: inout [Double], _ k: Int,
                              _ h0: Double) throws
        -> (column: [Double], up: [Double], down: [Double], h: Double, hUp: Double, hDown: Double)
    {
        let up = x[k] + h0, down = x[k] - h0
        probe[k] = up
        let fUp = try map.checkedValue(at: probe)
        probe[k] = down
        let fDown = try map.checkedValue(at: probe)
        probe[k] = x[k]
        let width = up - down
        return (zip(fUp, fDown).map { ($0 - $1) / width }, fUp, fDown, width / 2, up - x[k], x[k] - down)
    }

    /// x ± h₀·e_k with h₀ made representable: the two probes and the steps actually taken.
    static func probes(_ x: [Double], _ k: Int, _ h0: Double)
        -> (up: [Double], down: [Double], width: Double, hUp: Double, hDown: Double)
    {
        var up = x, down = x
        up[k] = x[k] + h0
        down[k] = x[k] - h0
        return (up, down, up[k] - down[k], up[k] - x[k], x[k] - down[k])
    }

    /// Central differences (and one-sided quotients for kinks) with every probe of a chunk in one batched call.
    static func centralBatched(_ map: any BatchEvaluable, _ x: [Double], _ step: StepRule) throws
        -> FiniteDifferenceResult
    {
        let n = x.count, m = map.outputShape.count
        let kinks = map.hasKinks
        let f0 = kinks ? try map.checkedValue(at: x) : []
        let r = try BatchedColumns.run(map, n: n, m: m, perColumn: 2, extras: kinks ? 2 : 0, probes: { k in
            let p = probes(x, k, step.step(at: x[k], method: .central))
            return [p.up, p.down]
        }, combine: { k, v, write in
            let p = probes(x, k, step.step(at: x[k], method: .central))
            let up = v[v.startIndex], down = v[v.startIndex + 1], width = p.width
            write(0, (0..<m).map { (up[$0] - down[$0]) / width })
            if kinks {
                write(1, (0..<m).map { (f0[$0] - down[$0]) / p.hDown })
                write(2, (0..<m).map { (up[$0] - f0[$0]) / p.hUp })
            }
            return width / 2
        })
        return FiniteDifferenceResult(transposed: r.main, steps: r.steps, evaluations: 2 * n + (kinks ? 1 : 0),
                                      errorEstimate: nil, left: kinks ? r.extras[0] : nil,
                                      right: kinks ? r.extras[1] : nil)
    }

    static func central(_ map: any VectorMap, _ x: [Double], _ step: StepRule) throws -> FiniteDifferenceResult {
        if let batched = map as? any BatchEvaluable {
            do { return try centralBatched(batched, x, step) } catch where leftDomain(error) {
                // A probe left the domain somewhere in a batch: redo the columns one by one, each stencil fitted.
            }
        }
        let n = x.count, m = map.outputShape.count
        let kinks = map.hasKinks
        let center = CenterValue(), log = AdjustmentLog()
        if kinks { _ = try center.value(map, x) }
        let r = try ColumnDriver.run(n: n, m: m, x: x, extras: kinks ? 2 : 0) { k, probe, write in
            let c = try domainColumn(map, x, &probe, k, step: step, center: center, log: log)
            write(0, c.column)
            if kinks {
                let f0 = try center.value(map, x)
                write(1, c.oneSided ? c.column : f0.indices.map { (f0[$0] - c.down[$0]) / c.hDown })
                write(2, c.oneSided ? c.column : f0.indices.map { (c.up[$0] - f0[$0]) / c.hUp })
            }
            return c.h
        }
        let adjustments = log.all
        let oneSided = adjustments.filter { $0.kind != .relative }.count
        var result = FiniteDifferenceResult(transposed: r.main, steps: r.steps,
                                            evaluations: 2 * n + center.evaluations + 2 * oneSided,
                                            errorEstimate: nil, left: kinks ? r.extras[0] : nil,
                                            right: kinks ? r.extras[1] : nil)
        result.adjustments = adjustments
        return result
    }

    /// Richardson's tableau on D(h), D(h/2), D(h/4): R1 = (4D(h/2) − D(h))/3, R1′ likewise from h/2,
    /// R2 = (16R1′ − R1)/15; the estimate is |R2 − R1′| (truncation) plus the round-off 16ε·|f|/h.
    static func richardson(_ map: any VectorMap, _ x: [Double], _ step: StepRule) throws -> FiniteDifferenceResult {
        let n = x.count, m = map.outputShape.count
        if let batched = map as? any BatchEvaluable {
            do { return try richardsonBatched(batched, x, step) } catch where leftDomain(error) {}
        }
        let r = try ColumnDriver.run(n: n, m: m, x: x, extras: 1) { k, probe, write in
            let t = try richardsonColumn(map, x, &probe, k, step: step)
            write(0, t.best)
            write(1, t.error)
            return t.h
        }
        return FiniteDifferenceResult(transposed: r.main, steps: r.steps, evaluations: 6 * n,
                                      errorEstimate: r.extras[0], left: nil, right: nil)
    }

    /// Column k by Richardson at the rule's h; when x ± h leaves the domain, at h = 0.01·|x_k| (auto only).
    static func richardsonColumn(_ map: any VectorMap, _ x: [Double], _ probe: inout [Double], _ k: Int,
                                 step: StepRule) throws -> (best: [Double], error: [Double], h: Double) {
        let h0 = step.step(at: x[k], method: .richardson)
        var steps = [h0]
        if case .auto = step, abs(x[k]) > 0, 0.01 * abs(x[k]) < h0 { steps.append(0.01 * abs(x[k])) }
        for h in steps {
            do {
                let d0 = try centralColumn(map, x, &probe, k, h), d1 = try centralColumn(map, x, &probe, k, h / 2)
                let d2 = try centralColumn(map, x, &probe, k, h / 4)
                let t = tableau(d0.column, d1.column, d2.column, up: d2.up, down: d2.down, h: h)
                return (t.best, t.error, d0.h)
            } catch where leftDomain(error) {
                probe[k] = x[k]
            }
        }
        throw JacobianError.outsideDomain("\(map.inputCoordinateName(k)) = \(x[k]) is too close to the edge of "
            + "\(map.name)'s domain for Richardson's steps (h, h/2, h/4 on both sides); use central differences")
    }

    /// R2 and its error estimate from the central differences at h, h/2, h/4 (see `richardson`).
    static func tableau(_ d0: [Double], _ d1: [Double], _ d2: [Double], up: [Double], down: [Double], h: Double)
        -> (best: [Double], error: [Double])
    {
        let m = d0.count
        var best = [Double](repeating: 0, count: m), error = [Double](repeating: 0, count: m)
        for i in 0..<m {
            let r1 = (4 * d1[i] - d0[i]) / 3, r1b = (4 * d2[i] - d1[i]) / 3
            best[i] = (16 * r1b - r1) / 15
            // Truncation: the last extrapolation's change. Round-off: ε·|f| per evaluation, divided by the
            // smallest width h/2 and grown ~16/15·4 by the tableau.
            let roundOff = 16 * Double.ulpOfOne * max(abs(up[i]), abs(down[i]), 1e-300) / h
            error[i] = abs(best[i] - r1b) + roundOff
        }
        return (best, error)
    }

    /// Richardson with the six probes of every column of a chunk in one batched call.
    static func richardsonBatched(_ map: any BatchEvaluable, _ x: [Double], _ step: StepRule) throws
        -> FiniteDifferenceResult
    {
        let n = x.count, m = map.outputShape.count
        let scales: [Double] = [1, 2, 4]
        let r = try BatchedColumns.run(map, n: n, m: m, perColumn: 6, extras: 1, probes: { k in
            let h = step.step(at: x[k], method: .richardson)
            return scales.flatMap { s -> [[Double]] in
                let p = probes(x, k, h / s)
                return [p.up, p.down]
            }
        }, combine: { k, v, write in
            let h = step.step(at: x[k], method: .richardson)
            let base = v.startIndex
            let widths = scales.map { probes(x, k, h / $0).width }
            let d = (0..<3).map { s in (0..<m).map { (v[base + 2 * s][$0] - v[base + 2 * s + 1][$0]) / widths[s] } }
            let t = tableau(d[0], d[1], d[2], up: v[base + 4], down: v[base + 5], h: h)
            write(0, t.best)
            write(1, t.error)
            return widths[0] / 2
        })
        return FiniteDifferenceResult(transposed: r.main, steps: r.steps, evaluations: 6 * n,
                                      errorEstimate: r.extras[0],
                                      left: nil, right: nil)
    }

    /// Refuses up front a Jacobian whose `copies` dense copies would not fit in the memory available now
    /// (see `WorkBudget`).
    public static func ensureFits(rows: Int, columns: Int, copies: Int = 2) throws {
        let bytes = Double(rows) * Double(columns) * 8 * Double(copies)
        let budget = WorkBudget.machine()
        if bytes > budget.memoryBytes {
            throw JacobianError.tooLarge(
                "A \(rows)×\(columns) Jacobian needs about \(WorkBudget.bytes(bytes)) as \(copies) dense matrices, "
                + "but only \(WorkBudget.bytes(budget.memoryBytes)) of memory is available; use a smaller input.")
        }
    }
}

/// Runs a per-column computation over n columns on the machine's cores. Column k writes row k of the n×m
/// main output and of `extras` further n×m outputs (each contiguous), and returns its step.
enum ColumnDriver {
    typealias Body = @Sendable (_ k: Int, _ probe: inout [Double], _ write: (Int, [Double]) -> Void) throws -> Double

    static func run(n: Int, m: Int, x: [Double], extras: Int, body: @escaping Body) throws
        -> (main: Matrix, extras: [Matrix], steps: [Double])
    {
        let workers = n * max(m, 1) >= 20_000 ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        let chunk = (n + workers - 1) / max(workers, 1)
        let failures = FailureBox()
        let extraBuffers = (0..<extras).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: max(n * m, 1)) }
        defer { extraBuffers.forEach { $0.deallocate() } }
        let steps = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
        defer { steps.deallocate() }
        // Every entry of the main output is written unless a column throws, and then the result is dropped.
        let main = [Double](unsafeUninitializedCapacity: n * m) { buffer, count in
            let shared = SharedBuffers(targets: [buffer.baseAddress] + extraBuffers, steps: steps)
            let work: @Sendable (Int) -> Void = { w in
                var probe = x
                for k in (w * chunk)..<min(n, (w + 1) * chunk) {
                    do {
                        shared.steps[k] = try body(k, &probe) { output, values in
                            guard let target = shared.targets[output] else { return }
                            for i in 0..<m { target[k * m + i] = values[i] }
                        }
                    } catch {
                        failures.record(error)
                        return
                    }
                }
            }
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
            if failures.first != nil { buffer.initialize(repeating: 0) }
            count = n * m
        }
        if let e = failures.first { throw e }
        return (Matrix(unchecked: n, m, main),
                extraBuffers.map { Matrix(unchecked: n, m, Array(UnsafeBufferPointer(start: $0, count: n * m))) },
                Array(UnsafeBufferPointer(start: steps, count: n)))
    }
}

/// Disjoint rows of several buffers, written by several workers at once.
private struct SharedBuffers: @unchecked Sendable {
    let targets: [UnsafeMutablePointer<Double>?]
    let steps: UnsafeMutablePointer<Double>
}

/// The first error any worker hit.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?

    func record(_ e: Error) {
        lock.lock()
        if error == nil { error = e }
        lock.unlock()
    }

    var first: Error? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }
}
