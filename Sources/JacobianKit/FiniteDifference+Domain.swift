import Foundation

/// A central-difference column that stays inside the map's domain: where x ± h leaves it (log at 1e-9 with
/// h = 6e-6), the auto rule retries with the relative step h = ∛ε·|x_k|, and then one-sided stencils.
extension FiniteDifference {
    /// Whether an error raised at a probe point means that the probe left the map's domain.
    static func leftDomain(_ error: Error) -> Bool {
        guard let e = error as? JacobianError else { return false }
        switch e {
        case .outsideDomain, .singular: return true
        default: return false
        }
    }

    /// A central column, or its domain-respecting replacement: `oneSided` when only one side could be probed.
    struct DomainColumn {
        var column: [Double]
        var up: [Double]
        var down: [Double]
        var h: Double
        var hUp: Double
        var hDown: Double
        var oneSided: Bool
    }

    /// Column k at the rule's step h₀; when x ± h₀ leaves the domain: h = ∛ε·|x_k| (auto rule only, when
    /// smaller), then (−3f(x) + 4f(x + h) − f(x + 2h))/2h forward, then its mirror backward. f(x) comes from
    /// `center` (evaluated at most once). Throws one sentence about the user's own point when nothing fits.
    static func domainColumn(_ map: any VectorMap, _ x: [Double], _ probe: inout [Double], _ k: Int, step: StepRule,
                             center: CenterValue, log: AdjustmentLog) throws -> DomainColumn {
        let h0 = step.step(at: x[k], method: .central)
        var steps = [h0]
        if case .auto = step, abs(x[k]) > 0, StepRule.cubeRootEpsilon * abs(x[k]) < h0 {
            steps.append(StepRule.cubeRootEpsilon * abs(x[k]))
        }
        for (index, h) in steps.enumerated() {
            do {
                let c = try centralColumn(map, x, &probe, k, h)
                if index > 0 { log.record(StepAdjustment(input: k, kind: .relative, h: c.h)) }
                return DomainColumn(column: c.column, up: c.up, down: c.down, h: c.h, hUp: c.hUp, hDown: c.hDown,
                                    oneSided: false)
            } catch where leftDomain(error) {
                probe[k] = x[k]
            }
        }
        let h = steps.last!
        for direction in [1.0, -1.0] {
            do {
                let f0 = try center.value(map, x)
                probe[k] = x[k] + direction * h
                let f1 = try map.checkedValue(at: probe)
                let h1 = probe[k] - x[k]
                probe[k] = x[k] + 2 * h1
                let f2 = try map.checkedValue(at: probe)
                probe[k] = x[k]
                let column = f0.indices.map { (-3 * f0[$0] + 4 * f1[$0] - f2[$0]) / (2 * h1) }
                log.record(StepAdjustment(input: k, kind: direction > 0 ? .forward : .backward, h: abs(h1)))
                return DomainColumn(column: column, up: direction > 0 ? f1 : f0, down: direction > 0 ? f0 : f1,
                                    h: abs(h1), hUp: abs(h1), hDown: abs(h1), oneSided: true)
            } catch where leftDomain(error) {
                probe[k] = x[k]
            }
        }
        throw JacobianError.outsideDomain(
            "\(map.inputCoordinateName(k)) = \(x[k]) is too close to the edge of \(map.name)'s domain for finite "
                + "differences: the map is defined at the point, but every probe \(map.inputCoordinateName(k)) ± h "
                + "with h down to \(TextFormat.sci(h)), and both one-sided stencils, leave it")
    }
}

/// f(x), evaluated once on first use by whichever worker needs it.
final class CenterValue: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: [Double]?
    /// Evaluations spent (0 or 1).
    var evaluations: Int { lock.lock(); defer { lock.unlock() }; return cached == nil ? 0 : 1 }

    /// A cache that starts empty, or holding a value already known.
    init(_ known: [Double]? = nil) { cached = known }

    /// f(x), from the cache or by one evaluation.
    func value(_ map: any VectorMap, _ x: [Double]) throws -> [Double] {
        lock.lock()
        defer { lock.unlock() }
        if let c = cached { return c }
        let v = try map.checkedValue(at: x)
        cached = v
        return v
    }
}

/// The stencil changes made while the columns ran, collected from every worker.
final class AdjustmentLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [StepAdjustment] = []

    /// Notes one coordinate's changed stencil.
    func record(_ a: StepAdjustment) {
        lock.lock()
        items.append(a)
        lock.unlock()
    }

    /// Every change, by coordinate.
    var all: [StepAdjustment] {
        lock.lock()
        defer { lock.unlock() }
        return items.sorted { $0.input < $1.input }
    }
}
