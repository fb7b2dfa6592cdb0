import Foundation

/// How the finite-difference step h is chosen for each coordinate.
public enum StepRule: Equatable, Sendable, CustomStringConvertible {
    /// h_j = ∛ε·max(1, |x_j|) ≈ 6.06e-6·max(1, |x_j|): balances the O(h²) truncation error of central
    /// differences against the O(ε/h) round-off error.
    case auto
    /// The same h for every coordinate.
    case fixed(Double)

    /// ∛ε for Double.
    public static let cubeRootEpsilon = 6.055454452393343e-06

    /// The step for a coordinate whose value is x.
    public func step(at x: Double) -> Double {
        switch self {
        case .auto: return Self.cubeRootEpsilon * max(1, abs(x))
        case let .fixed(h): return h
        }
    }

    public var description: String {
        switch self {
        case .auto: return "auto: h_j = ∛ε·max(1,|x_j|)"
        case let .fixed(h): return "fixed: h = \(h)"
        }
    }
}

/// Central finite differences: column j of J is (f(x + h_j e_j) − f(x − h_j e_j)) / (2h_j), error O(h²).
public enum FiniteDifference {
    /// The Jacobian by central differences, built column by column (memory: one Jacobian), returned as its
    /// n×m transpose Jᵀ (column k of J is row k, written contiguously), with the steps actually used
    /// (h made exactly representable: h = (x + h) − x) and the evaluation count. Columns are independent, so
    /// large Jacobians are split over the machine's cores; the result does not depend on the split.
    public static func transposedJacobian(of map: any VectorMap, at x: [Double], step: StepRule) throws
        -> (transposed: Matrix, steps: [Double], evaluations: Int)
    {
        let n = x.count, m = map.outputShape.count
        var j = Matrix(rows: n, columns: m)
        var steps = [Double](repeating: 0, count: n)
        let workers = n * max(m, 1) >= 20_000 ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        let chunk = (n + workers - 1) / max(workers, 1)
        let failures = FailureBox()
        j.elements.withUnsafeMutableBufferPointer { jBuffer in
            steps.withUnsafeMutableBufferPointer { stepBuffer in
                let out = SharedBuffers(jacobian: jBuffer, steps: stepBuffer)
                let work: @Sendable (Int) -> Void = { w in
                    var probe = x
                    for k in (w * chunk)..<min(n, (w + 1) * chunk) {
                        let h0 = step.step(at: x[k])
                        let up = x[k] + h0, down = x[k] - h0
                        do {
                            probe[k] = up
                            let fUp = try map.value(at: probe)
                            probe[k] = down
                            let fDown = try map.value(at: probe)
                            probe[k] = x[k]
                            let width = up - down
                            out.steps[k] = width / 2
                            for i in 0..<m { out.jacobian[k * m + i] = (fUp[i] - fDown[i]) / width }
                        } catch {
                            failures.record(error)
                            return
                        }
                    }
                }
                if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
            }
        }
        if let e = failures.first { throw e }
        return (j, steps, 2 * n)
    }

    /// The numerator m×n Jacobian by central differences (see `transposedJacobian`).
    public static func jacobian(of map: any VectorMap, at x: [Double], step: StepRule) throws
        -> (jacobian: Matrix, steps: [Double], evaluations: Int)
    {
        let r = try transposedJacobian(of: map, at: x, step: step)
        return (r.transposed.transposed(), r.steps, r.evaluations)
    }

    /// Refuses up front a Jacobian whose dense copies (analytic and finite-difference) would not fit in memory.
    public static func ensureFits(rows: Int, columns: Int, copies: Int = 3,
                                  limitBytes: Int = 8 << 30) throws {
        let entries = rows.multipliedReportingOverflow(by: columns)
        let bytes = entries.partialValue.multipliedReportingOverflow(by: 8 * copies)
        if entries.overflow || bytes.overflow || bytes.partialValue > limitBytes {
            let gib = Double(rows) * Double(columns) * 8 * Double(copies) / Double(1 << 30)
            throw JacobianError.tooLarge(
                "A \(rows)×\(columns) Jacobian needs about \(formatGiB(gib)) GiB as dense matrices, more than the \(limitBytes >> 30) GiB allowed; use a smaller --dim or --shape.")
        }
    }

    private static func formatGiB(_ g: Double) -> String {
        g >= 100 ? String(Int(g.rounded())) : String((g * 10).rounded() / 10)
    }
}

/// Disjoint columns of one buffer, written by several workers at once.
private struct SharedBuffers: @unchecked Sendable {
    let jacobian: UnsafeMutableBufferPointer<Double>
    let steps: UnsafeMutableBufferPointer<Double>
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
