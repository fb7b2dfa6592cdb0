/// `gradient-descent`: §3.1 of the 2021 notes, f(x1, x2) = (x1·x2 − 3)² + 1 from (1, 1) with α = 0.01.
public struct GradientDescentLesson: Lesson {
    public let name = "gradient-descent"
    public let summary = "§3.1: f(x1,x2) = (x1x2 − 3)² + 1 from (1,1), α = 0.01, step by step"

    /// The step size α, the start x⁽¹⁾ and the number of iterates shown (the notes: 0.01, (1, 1), and 6).
    public let rate: Double, start: [Double], steps: Int

    /// The lesson from `start` with step size `rate`, showing `steps` iterates; the defaults are the notes' run.
    public init(rate: Double = 0.01, start: [Double] = [1, 1], steps: Int = 6) throws {
        guard rate.isFinite, rate > 0 else { throw JacobianError.invalidArgument("--lr must be a positive number.") }
        guard start.count == 2, start.allSatisfy(\.isFinite) else {
            throw JacobianError.invalidArgument("--at needs two finite numbers x1,x2 (the notes start at 1,1).")
        }
        guard (1...1000).contains(steps) else { throw JacobianError.invalidArgument("--steps must be 1…1000.") }
        self.rate = rate
        self.start = start
        self.steps = steps
    }

    /// The notes' run: α = 0.01 from (1, 1), six iterates.
    public init() { rate = 0.01; start = [1, 1]; steps = 6 }

    /// f and its 1×2 Jacobian [2x2(x1x2 − 3), 2x1(x1x2 − 3)] (eq. 3.2).
    struct Objective: VectorMap {
        let name = "(x1·x2 − 3)² + 1"
        let inputShape = Shape.vector(2)
        let outputShape = Shape.scalar
        var formula: String { "[2x2(x1x2 − 3), 2x1(x1x2 − 3)]" }
        func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
            let r = x[0] * x[1] - 3
            return ([r * r + 1], .dense(try Matrix(rows: 1, columns: 2, elements: [2 * x[1] * r, 2 * x[0] * r])))
        }
    }

    public func run(_ log: LessonLog) throws {
        let f = Objective(), alpha = rate
        var x = start
        let from = "(\(TextFormat.number(x[0], digits: 8)), \(TextFormat.number(x[1], digits: 8)))"
        log.say("Minimize f(x1, x2) = (x1·x2 − 3)² + 1 by x ← x − α·J(f), α = \(TextFormat.number(alpha)), "
                + "from x = \(from).")
        log.verify("J(f) = [2x2(x1x2 − 3), 2x1(x1x2 − 3)] (eq. 3.2)", try GradientCheck().run(f, at: [1.3, 0.4]))
        log.step("the steps")
        log.say("   k   x1           x2           f(x)            J(f)")
        var values: [Double] = []
        for k in 1...steps {
            let (v, j) = try f.evaluate(at: x)
            values.append(v[0])
            let g = j.matrix.elements
            log.say(String(format: "  %2d   %-11.8f  %-11.8f  %-14.10f  [%.6f, %.6f]", k, x[0], x[1], v[0], g[0], g[1]))
            x = [x[0] - alpha * g[0], x[1] - alpha * g[1]]
        }
        let span = "\(TextFormat.number(values.first!, digits: 8)) → \(TextFormat.number(values.last!, digits: 8))"
        if let rise = values.indices.dropLast().first(where: { values[$0] <= values[$0 + 1] }) {
            log.say("f does not decrease at step \(rise + 2) (\(span)): α = \(TextFormat.number(alpha)) "
                    + "is too large here.")
        } else if steps > 1 {
            log.verify("f decreases at every step", true, detail: span)
        }
        log.verify("J(f) at the last iterate", try GradientCheck().run(f, at: x))
        log.step("what the notes printed")
        let j2 = try f.evaluate(at: [1.04, 1.04]).jacobian.matrix.elements
        let f2 = try f.evaluate(at: [1.04, 1.04]).value[0], f3 = try f.evaluate(at: [1.07990272, 1.07990272]).value[0]
        log.say("(the notes' run: α = 0.01 from (1, 1); slips N004-GD-STEP2-GRAD, -X3 and -F3 of docs/notes-errata.md)")
        log.say("At x⁽²⁾ = (1.04, 1.04) the notes print J = [−1.995136, −1.995136]; it is 2·1.04·(1.0816 − 3) =")
        log.say("\(TextFormat.number(j2[0], digits: 7)) (the factor 2 was dropped), "
                + "so the notes' x⁽³⁾ = 1.05995136 and")
        log.say("f(x⁽³⁾) = 4.5212639385 follow from the slip; the correct x⁽³⁾ is 1.04 + 0.01·3.990272 = 1.07990272.")
        log.verify("J(f) at (1.04, 1.04) is −3.990272, not the printed −1.995136", abs(j2[0] + 3.990272) < 1e-12,
                   detail: "computed \(j2[0])")
        log.verify("f(x⁽²⁾) = 4.68025856 as printed (eq. 3.6)", abs(f2 - 4.68025856) < 1e-12,
                   detail: "computed \(TextFormat.number(f2, digits: 9))")
        log.verify("f(x⁽³⁾) = 4.3628595391, not the printed 4.5212639385 (eq. 3.8)", abs(f3 - 4.3628595391) < 1e-9,
                   detail: "computed \(TextFormat.number(f3, digits: 11))")
    }
}
