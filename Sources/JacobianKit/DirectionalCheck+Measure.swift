import Foundation

/// One directional check in progress: the map, the point, the partitions, and what has been spent and found.
struct DirectionalRun: Sendable {
    let check: DirectionalCheck
    let map: any VectorMap
    let x: [Double]
    let n: Int, m: Int
    let partitions: DirectionalCheck.Partitions
    /// The map's complex form, for the complex step.
    let complex: ComplexEvaluable?
    /// Evaluations of f (complex ones included) and Jacobian–vector products so far.
    var evaluations = 0, products = 0
    /// f(x), evaluated once when a kink has to be judged.
    var center: [Double]?
    /// Group testing's findings and spending.
    var located: [DirectionalCheck.Entry] = []
    var visited = Set<Int>()
    var kinks = 0, unlocalized = 0, measurements = 0
    var truncated = false

    /// Round-off of one evaluation is taken as c·ε·‖f‖, c = 8.
    static let roundOff = 8 * Double.ulpOfOne

    init(_ check: DirectionalCheck, map: any VectorMap, at x: [Double]) throws {
        self.check = check
        self.map = map
        self.x = x
        n = x.count
        m = map.outputShape.count
        partitions = DirectionalCheck.Partitions(n: n, m: m, inputGroupCount: check.inputGroups,
                                                 outputGroupSize: check.outputGroupSize, seed: check.seed)
        complex = check.method == .complexStep ? try ComplexStep.evaluable(map) : nil
    }

    /// What one probe measured along u: the analytic J·u_eff, the reference d ≈ J·u_eff, its error estimate per
    /// output e (Richardson's truncation) and as a whole (`noise`: the round-off of f, which a reduction such as
    /// softmax's sum spreads over every output, so it is taken normwise), the step t, and along e_j f(x ± h·e_j).
    struct Measurement {
        var analytic: [Double]
        var reference: [Double]
        var error: [Double]?
        var noise: Double
        var step: Double
        var sides: (up: [Double], down: [Double], hUp: Double, hDown: Double)?
    }

    /// The step t along u: the coordinate rule of `StepRule` at the largest |x_j| that u moves, divided by ‖u‖∞, so no
    /// coordinate moves further than the entry-by-entry check would move the largest of them (e_j: exactly its step).
    func step(along u: DirectionalCheck.Direction, method: CheckMethod) -> Double {
        var largest = 0.0
        for k in 0..<u.count { largest = max(largest, abs(x[u.input(k)])) }
        return check.step.step(at: largest, method: method) / max(u.maxAbs, .leastNormalMagnitude)
    }

    /// Measures u by `method` (the check's, unless a failing central probe is confirmed by Richardson).
    mutating func measure(_ u: DirectionalCheck.Direction, method: CheckMethod? = nil) throws -> Measurement {
        let method = method ?? check.method
        let t = step(along: u, method: method)
        switch method {
        case .central:
            // Round-off: 8ε·‖f‖ per evaluation, over 2t.
            let p = try central(u, t)
            return Measurement(analytic: try product(p.direction), reference: p.quotient, error: nil,
                               noise: Self.roundOff * p.norm / t, step: t, sides: p.sides)
        case .richardson:
            let p = try [1.0, 2, 4].map { try central(u, t / $0) }
            let t3 = FiniteDifference.tableau(p[0].quotient, p[1].quotient, p[2].quotient, up: p[2].up,
                                              down: p[2].down, h: t)
            // R2 = (64·d(t/4) − 20·d(t/2) + d(t))/45, so the analytic side takes the same combination of u_eff.
            let u0 = p[0].direction, u1 = p[1].direction, u2 = p[2].direction
            var direction = [Double](repeating: 0, count: n)
            for j in 0..<n {
                let sum: Double = 64 * u2[j] - 20 * u1[j] + u0[j]
                direction[j] = sum / 45
            }
            // The tableau's own round-off term is 16ε·|f_i|/t per output; normwise likewise.
            return Measurement(analytic: try product(direction), reference: t3.best, error: t3.error,
                               noise: 2 * Self.roundOff * p[2].norm / t, step: t, sides: nil)
        case .complexStep:
            return try complexStep(u, t)
        }
    }

    /// One central quotient along u at step t.
    struct Central {
        var quotient: [Double]
        var direction: [Double]
        var up: [Double], down: [Double]
        /// max(‖f(x₊)‖, ‖f(x₋)‖).
        var norm: Double
        var sides: (up: [Double], down: [Double], hUp: Double, hDown: Double)?
    }

    /// f(x ± t·u) and d = (f(x₊) − f(x₋))/2t along the direction actually moved, u_eff = (x₊ − x₋)/2t: rounding moves
    /// a coordinate a little more or less than t·u_j, and the analytic side follows u_eff, so that never counts as an
    /// error. Along one coordinate (u = ±e_j) d divides by the width actually taken, as the entry-by-entry check does.
    mutating func central(_ u: DirectionalCheck.Direction, _ t: Double) throws -> Central {
        var up = x, down = x
        var direction = [Double](repeating: 0, count: n)
        for k in 0..<u.count {
            let j = u.input(k), s = t * u.values[k]
            up[j] = x[j] + s
            down[j] = x[j] - s
            direction[j] = (up[j] - down[j]) / (2 * t)
        }
        var divisor = 2 * t
        let single = u.count == 1 && abs(u.values[0]) == 1
        if single {
            let j = u.input(0)
            divisor = (up[j] - down[j]) * u.values[0]
            direction[j] = u.values[0]
        }
        let fUp = try map.checkedValue(at: up), fDown = try map.checkedValue(at: down)
        evaluations += 2
        var quotient = [Double](repeating: 0, count: m), upSquares = 0.0, downSquares = 0.0
        for i in 0..<m {
            quotient[i] = (fUp[i] - fDown[i]) / divisor
            upSquares += fUp[i] * fUp[i]
            downSquares += fDown[i] * fDown[i]
        }
        var sides: (up: [Double], down: [Double], hUp: Double, hDown: Double)?
        if single && u.values[0] == 1 {
            let j = u.input(0)
            sides = (fUp, fDown, up[j] - x[j], x[j] - down[j])
        }
        return Central(quotient: quotient, direction: direction, up: fUp, down: fDown,
                       norm: max(upSquares, downSquares).squareRoot(), sides: sides)
    }

    /// Im f(x + i·t·u)/t, accurate to rounding (no subtraction); error estimate 8ε·‖d‖.
    mutating func complexStep(_ u: DirectionalCheck.Direction, _ t: Double) throws -> Measurement {
        guard let complex else { throw JacobianError.invalidArgument("The complex step needs a ComplexEvaluable map.") }
        var z = x.map { ComplexDouble($0, 0) }
        var direction = [Double](repeating: 0, count: n)
        for k in 0..<u.count {
            let j = u.input(k), s = t * u.values[k]
            z[j] = ComplexDouble(x[j], s)
            direction[j] = s / t
        }
        let y = try complex.complexValue(at: z)
        try map.checkValueCount(y.count)
        evaluations += 1
        let reference = y.map { $0.imaginary / t }
        return Measurement(analytic: try product(direction), reference: reference, error: nil,
                           noise: Self.roundOff * reference.dot(reference).squareRoot(), step: t, sides: nil)
    }

    /// The analytic J·u from the map's Jacobian–vector product, its length checked.
    mutating func product(_ u: [Double]) throws -> [Double] {
        let ju = try map.jacobianVectorProduct(at: x, u)
        products += 1
        guard ju.count == m else {
            throw JacobianError.mapContract("The map '\(map.name)' returned \(ju.count) numbers as J·u, but its output "
                                            + "\(map.outputShape.space) has \(m).")
        }
        return ju
    }

    /// One output group's verdict: vᵀ(J·u) and vᵀd over the group, their difference and what the rule allows.
    struct Group {
        var group: Int
        var analytic: Double, reference: Double, delta: Double, allowed: Double
        /// ‖v‖·‖d‖ over the group, for the relative error.
        var scale: Double
        var passed: Bool { abs(delta) <= allowed }
        /// |Δ| / allowed (∞ when nothing is allowed, NaN propagates as ∞).
        var ratio: Double {
            if delta == 0 { return 0 }
            let r = abs(delta) / allowed
            return r.isNaN ? .infinity : r
        }
    }

    /// A probe's verdict: its worst group, the failing groups, and how many groups were judged.
    struct Judgement {
        var worst: Group
        var failing: [Group]
        var groups: Int
        var passed: Bool { failing.isEmpty }
    }

    /// Judges each output group H (all outputs when v is not grouped) by
    /// |vᵀ(J·u) − vᵀd| ≤ rtol·‖v_H‖·‖d_H‖ + ‖v_H‖·(‖e_H‖ + noise) + atol·‖u‖∞·‖v_H‖∞.
    func judge(_ me: Measurement, _ w: DirectionalCheck.Weights, uMax: Double) -> Judgement {
        let groups = w.grouped ? partitions.outputGroupCount : 1
        let tolerance = check.tolerance
        var worst: Group?, failing: [Group] = []
        for g in 0..<groups {
            var av = 0.0, dv = 0.0, delta = 0.0, vv = 0.0, dd = 0.0, ee = 0.0, vmax = 0.0
            for i in w.grouped ? partitions.outputRange(g) : 0..<m {
                let v = w.v[i], a = me.analytic[i], d = me.reference[i]
                av += v * a
                dv += v * d
                delta += v * (a - d)
                vv += v * v
                dd += d * d
                vmax = max(vmax, abs(v))
                if let e = me.error?[i] { ee += e * e }
            }
            let norm = vv.squareRoot()
            let allowed = tolerance.relative * norm * dd.squareRoot() + norm * (ee.squareRoot() + me.noise)
                + tolerance.absolute * uMax * vmax
            let r = Group(group: g, analytic: av, reference: dv, delta: delta, allowed: allowed,
                          scale: norm * dd.squareRoot())
            if !r.passed { failing.append(r) }
            if worst == nil || r.ratio > worst!.ratio { worst = r }
        }
        return Judgement(worst: worst!, failing: failing, groups: groups)
    }
}
