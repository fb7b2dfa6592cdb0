/// `gradient-descent`: §3.1 of the 2021 notes, f(x1, x2) = (x1·x2 − 3)² + 1 from (1, 1) with α = 0.01.
public struct GradientDescentLesson: Lesson {
    public let name = "gradient-descent"
    public let summary = "§3.1: f(x1,x2) = (x1x2 − 3)² + 1 from (1,1), α = 0.01, step by step"

    /// The lesson with its default maps.
    public init() {}

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
        let f = Objective(), alpha = 0.01
        var x = [1.0, 1.0]
        log.say("Minimize f(x1, x2) = (x1·x2 − 3)² + 1 by x ← x − α·J(f), α = 0.01, from x = (1, 1).")
        log.verify("J(f) = [2x2(x1x2 − 3), 2x1(x1x2 − 3)] (eq. 3.2)", try GradientCheck().run(f, at: [1.3, 0.4]))
        log.step("the steps")
        log.say("   k   x1           x2           f(x)            J(f)")
        var values: [Double] = []
        for k in 1...6 {
            let (v, j) = try f.evaluate(at: x)
            values.append(v[0])
            let g = j.matrix.elements
            log.say(String(format: "  %2d   %-11.8f  %-11.8f  %-14.10f  [%.6f, %.6f]", k, x[0], x[1], v[0], g[0], g[1]))
            x = [x[0] - alpha * g[0], x[1] - alpha * g[1]]
        }
        log.verify("f decreases at every step", zip(values, values.dropFirst()).allSatisfy { $0 > $1 },
                   detail: "\(TextFormat.number(values.first!, digits: 8)) → \(TextFormat.number(values.last!, digits: 8))")
        log.step("what the notes printed")
        let j2 = try f.evaluate(at: [1.04, 1.04]).jacobian.matrix.elements
        log.say("At x⁽²⁾ = (1.04, 1.04) the notes print J = [−1.995136, −1.995136]; it is 2·1.04·(1.0816 − 3) =")
        log.say("\(TextFormat.number(j2[0], digits: 7)) (the factor 2 was dropped), so the notes' x⁽³⁾ = 1.05995136 and")
        log.say("f(x⁽³⁾) = 4.5212639385 follow from the slip; the correct x⁽³⁾ is 1.04 + 0.01·3.990272 = 1.07990272.")
        log.verify("J(f) at (1.04, 1.04) is −3.990272, not the printed −1.995136", abs(j2[0] + 3.990272) < 1e-12,
                   detail: "computed \(j2[0])")
        log.verify("f(x⁽²⁾) = 4.68025856 as printed (eq. 3.6)", abs(values[1] - 4.68025856) < 1e-12,
                   detail: "computed \(TextFormat.number(values[1], digits: 9))")
    }
}
