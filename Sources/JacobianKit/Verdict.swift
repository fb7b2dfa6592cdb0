/// What a check concluded about one entry, or about a whole Jacobian.
public enum Verdict: String, Codable, Sendable {
    /// Within tolerance of every value the reference's error bound allows.
    case pass
    /// Outside tolerance by more than the reference's error bound.
    case fail
    /// The reference's error bound is too large to tell: the entry is neither passed nor failed.
    case inconclusive

    /// "PASS", "FAIL", "INCONCLUSIVE": the last line of a report.
    public var word: String { rawValue.uppercased() }
}

/// How many entries received each verdict.
public struct VerdictCounts: Codable, Equatable, Sendable {
    /// Entries that passed (kinks judged by their one-sided quotients included).
    public var pass = 0
    /// Entries that failed.
    public var fail = 0
    /// Entries no method could decide.
    public var inconclusive = 0

    /// Counts of each verdict.
    public init(pass: Int = 0, fail: Int = 0, inconclusive: Int = 0) {
        self.pass = pass
        self.fail = fail
        self.inconclusive = inconclusive
    }

    /// The whole check's verdict: fail if any entry failed, else inconclusive if any was, else pass.
    public var overall: Verdict { fail > 0 ? .fail : inconclusive > 0 ? .inconclusive : .pass }
}

/// Entries that central differences could not decide, re-judged with a more accurate reference.
public struct Escalation: Codable, Equatable, Sendable {
    /// The method the undecided columns were re-evaluated with (complex step where the map is analytic).
    public var method: CheckMethod
    /// Input coordinates (columns of J) re-evaluated.
    public var columns: Int
    /// Entries central differences left undecided.
    public var entries: Int
    /// Of those, how many the escalation decided (pass or fail).
    public var decided: Int
    /// Evaluations of f it spent (complex ones for the complex step).
    public var evaluations: Int
}

/// A coordinate whose finite-difference stencil differs from the rule because x ± h would leave the domain.
public struct StepAdjustment: Codable, Equatable, Sendable {
    /// How the stencil was changed.
    public enum Kind: String, Codable, Sendable {
        /// h = ∛ε·|x_j| instead of ∛ε·max(1, |x_j|): x_j ± h stays inside the domain.
        case relative
        /// (−3f(x) + 4f(x + h) − f(x + 2h))/2h: only x + h is inside.
        case forward
        /// (3f(x) − 4f(x − h) + f(x − 2h))/2h: only x − h is inside.
        case backward
    }
    /// The input coordinate j.
    public var input: Int
    /// The stencil used.
    public var kind: Kind
    /// The step used.
    public var h: Double
}
