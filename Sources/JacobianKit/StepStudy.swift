/// Error of central differences against the analytic value of one entry, for h from 1e-1 down to 1e-12:
/// truncation error falls as h² while round-off rises as ε/h, so the error has a minimum in between.
public struct StepStudy: Codable, Sendable {
    /// One row of the table.
    public struct Row: Codable, Sendable {
        /// The step.
        public var h: Double
        /// (f(x + h) − f(x − h))/2h for the entry.
        public var centralDifference: Double
        /// |central difference − analytic|.
        public var error: Double
    }

    /// The entry studied: ∂y_output/∂x_input.
    public var output: Int
    /// The input index j of ∂y_i/∂x_j.
    public var input: Int
    /// Its analytic value.
    public var analytic: Double
    /// One row per step.
    public var rows: [Row]
    /// The step with the smallest error.
    public var best: Row
    /// The steps left out because x ± h leaves the map's domain.
    public var skipped: [Double] = []

    /// The table for entry (output, input) of `map` at `x`, with h_j = h·max(1, |x_j|) as `auto` scales it.
    public static func run(_ map: any VectorMap, at x: [Double], output: Int, input: Int) throws -> StepStudy {
        let analytic = try map.checkedEvaluate(at: x).jacobian.entry(output, input)
        var probe = x
        var rows: [Row] = [], skipped: [Double] = []
        for e in 1...12 {
            let h = pow10(-e) * max(1, abs(x[input]))
            do {
                let c = try FiniteDifference.centralColumn(map, x, &probe, input, h)
                rows.append(Row(h: c.h, centralDifference: c.column[output], error: abs(c.column[output] - analytic)))
            } catch where FiniteDifference.leftDomain(error) {
                probe[input] = x[input]
                skipped.append(h)
            }
        }
        guard let best = rows.min(by: { $0.error < $1.error }) else {
            throw JacobianError.outsideDomain("every step of the table, 1e-1 down to 1e-12, takes "
                + "\(map.inputCoordinateName(input)) = \(x[input]) outside \(map.name)'s domain")
        }
        var study = StepStudy(output: output, input: input, analytic: analytic, rows: rows, best: best)
        study.skipped = skipped
        return study
    }

    private static func pow10(_ e: Int) -> Double {
        var v = 1.0
        for _ in 0..<(-e) { v /= 10 }
        return v
    }
}
