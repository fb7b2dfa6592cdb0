/// One entry of a Jacobian, located in the layout the report is written in.
public struct CheckEntry: Codable, Equatable, Sendable {
    /// Row in the chosen layout.
    public var row: Int
    /// Column in the chosen layout.
    public var column: Int
    /// The output index i of ∂y_i/∂x_j.
    public var output: Int
    /// The input index j of ∂y_i/∂x_j (row-major for a matrix input).
    public var input: Int
    /// (r, c) of the input when it is a matrix.
    public var inputMatrixIndex: [Int]?
    /// The analytic value.
    public var analytic: Double
    /// The finite-difference value.
    public var finiteDifference: Double
    /// |analytic − finiteDifference|.
    public var absoluteError: Double
    /// The reference value's own error bound (round-off for central differences, Richardson's estimate, a few
    /// ulps for the complex step).
    public var errorEstimate: Double?
    /// The tolerance at this entry (see `Tolerance`).
    public var allowed: Double?
    /// The verdict on this entry.
    public var verdict: Verdict?
    /// The method its reference came from (escalated entries differ from the report's method).
    public var method: CheckMethod?
}

/// An entry where x ± h straddles a kink: the one-sided quotients differ, and the analytic value is judged
/// against the interval between them instead of against their mean.
public struct KinkEntry: Codable, Equatable, Sendable {
    /// Row in the chosen layout.
    public var row: Int
    /// Column in the chosen layout.
    public var column: Int
    /// The output index i of ∂y_i/∂x_j.
    public var output: Int
    /// The input index j.
    public var input: Int
    /// (f(x) − f(x − h))/h.
    public var left: Double
    /// (f(x + h) − f(x))/h.
    public var right: Double
    /// The analytic value.
    public var analytic: Double
    /// Whether the analytic value lies between the one-sided quotients (within tolerance).
    public var inside: Bool
}

/// The check's tolerance rule. Entry by entry (`GradientCheck`), an entry is allowed
/// absolute + relative·|ref| + line·min(largest |entry| of its row, of its column of J), plus the reference's own
/// error bound; the line term makes the rule scale-free, so entries of 1e-13 are judged as strictly as entries of 1.
/// Elsewhere (Hessians, `accepts`) the rule is |a − fd| ≤ absolute + relative·|fd|.
public struct Tolerance: Codable, Equatable, Sendable {
    /// The absolute part (default 1e-6; 0 for entry-by-entry checks).
    public var absolute: Double
    /// The relative part (default 1e-5).
    public var relative: Double
    /// The part relative to the smaller of the largest |entry| in the entry's row and in its column (entry-by-entry
    /// checks; default 1e-8).
    public var line: Double

    /// The rule for Hessians and legacy comparisons: central differences at the auto step are accurate to
    /// about 1e-9 relative on these maps, so 1e-6 + 1e-5·|fd| fails any real error and no rounding noise.
    public static let `default` = Tolerance(absolute: 1e-6, relative: 1e-5, line: 1e-8)

    /// The entry-by-entry rule of `GradientCheck`: 1e-5·|ref| + 1e-8·min(|row|∞, |column|∞), nothing absolute.
    public static let entrywise = Tolerance(absolute: 0, relative: 1e-5, line: 1e-8)

    /// A tolerance rule.
    public init(absolute: Double, relative: Double, line: Double = 1e-8) {
        self.absolute = absolute
        self.relative = relative
        self.line = line
    }

    /// Whether an analytic value a is within tolerance of fd (absolute + relative only).
    public func accepts(_ a: Double, _ fd: Double) -> Bool {
        abs(a - fd) <= absolute + relative * abs(fd)
    }

    /// "|Δ| ≤ 1e-06 + 1e-05·|fd|".
    public var rule: String { "|Δ| ≤ \(absolute) + \(relative)·|fd|" }

    /// The entry-by-entry rule as a report states it.
    public var entryRule: String {
        (absolute > 0 ? "\(absolute) + " : "") + "\(relative)·|ref| + \(line)·min(max |row|, max |column|)"
    }
}

/// The step as the report states it: the rule and the range of h over the coordinates.
public struct StepSummary: Codable, Equatable, Sendable {
    /// "auto: h_j = ∛ε·max(1,|x_j|)" or "fixed: h = …".
    public var rule: String
    /// The smallest h used.
    public var min: Double
    /// The largest h used.
    public var max: Double
    /// The h used for each coordinate.
    public var values: [Double] = []
}

/// A factor of a failing pipeline that fails its own check.
public struct Blame: Codable, Equatable, Sendable {
    /// 1-based stage number.
    public var stage: Int
    /// The stage's map name.
    public var map: String
    /// The factor's own worst entry, in its own coordinates.
    public var worst: CheckEntry
    /// The factor's input shape, [n] or [r, c], so the entry can be named in its coordinates.
    public var inputShape: [Int]?
    /// The factor's output shape.
    public var outputShape: [Int]?
}

/// The result of comparing an analytic Jacobian with central finite differences, in the JSON shape of `check --json`.
public struct CheckReport: Encodable, Sendable {
    /// The map checked (a pipeline as "a | b").
    public var map: String
    /// The layout the Jacobians are written in.
    public var layout: Layout
    /// How the Jacobian was approximated.
    public var method: CheckMethod = .central
    /// [n] or [r, c] of the input.
    public var inputShape: [Int]
    /// [m] or [r, c] of the output.
    public var outputShape: [Int]
    /// The point x (row-major for a matrix).
    public var input: [Double]
    /// The named inputs x is made of (expressions of several variables); nil for a map of one x.
    public var inputs: [InputBlock]?
    /// f(x).
    public var value: [Double]
    /// The map's constants (W, b, targets, …).
    public var constants: [NamedConstant]
    /// The analytic Jacobian in `layout` (m×n numerator, n×m denominator), still structured.
    public var analytic: Jacobian
    /// The finite-difference Jacobian in `layout`.
    public var finiteDifferences: MatrixView
    /// The structure the analytic Jacobian had ("diagonal + outer product", …).
    public var structure: String
    /// The numerator formula.
    public var formula: String
    /// The chain order, for pipelines.
    public var chainOrder: ChainOrder?
    /// The step rule and the h used.
    public var step: StepSummary
    /// The pass rule.
    public var tolerance: Tolerance
    /// Evaluations of f spent by the finite differences.
    public var evaluations: Int
    /// max |analytic − finite difference| over the entries.
    public var maxAbsoluteError: Double
    /// max |a − fd| / max(|a|, |fd|, 1e-300).
    public var maxRelativeError: Double
    /// The entry with the largest |a − fd| (nil for an empty Jacobian).
    public var worst: CheckEntry?
    /// Entries that failed (`verdicts.fail`).
    public var mismatches: Int
    /// Entries compared.
    public var total: Int
    /// Whether every entry passed (the verdict is pass; an inconclusive check has not passed).
    public var passed: Bool
    /// For a failing pipeline: the first factor that fails its own check.
    public var blame: Blame?
    /// Entries where x ± h straddles a kink (maps with branches only).
    public var kinks: [KinkEntry] = []
    /// The largest per-entry error estimate of the finite differences (Richardson only).
    public var maxErrorEstimate: Double?
    /// Error against h for the worst entry (`--steps`).
    public var stepStudy: StepStudy?
    /// Set when the check fails but the transpose of the analytic Jacobian passes: the line asking
    /// "did you return Jᵀ?".
    public var transposeHint: String?
    /// The whole check's verdict: fail if any entry failed, else inconclusive if any was, else pass.
    public var verdict: Verdict { verdicts.overall }
    /// How many entries passed, failed, and could not be decided.
    public var verdicts = VerdictCounts()
    /// The entries that central differences could not decide, re-judged by a more accurate method.
    public var escalation: Escalation?
    /// Coordinates whose stencil was changed so that the probes stay inside the domain.
    public var stepAdjustments: [StepAdjustment] = []
    /// The worst failing entries (up to 8), worst first.
    public var failing: [CheckEntry] = []
    /// Some entries no method could decide (up to 8), with their bounds.
    public var undecided: [CheckEntry] = []
    /// Each entry's verdict, stored like the report's matrices (row-major in `layout`), for Jacobians of at
    /// most 2400 entries (the error map); nil above.
    public var verdictGrid: [Verdict]?
    /// Entries left inconclusive in the columns an escalation re-evaluated (for its count of decided entries).
    var undecidedInEscalatedColumns = 0
    /// A provisional comparison's columns holding an entry central differences did not decide.
    var undecidedColumns: [Int] = []
    /// How many entries those are.
    var undecidedEntries = 0
    /// Escalated columns holding a failed entry.
    var failedEscalatedColumns: [Int] = []
    /// Entries the complex step failed but Richardson did not: left inconclusive.
    public var disagreements = 0

    /// Set this `userInfo` key to true to encode everything but the two matrices (which a caller then writes itself).
    public static let omitMatrices = CodingUserInfoKey(rawValue: "omitMatrices")!

    enum CodingKeys: String, CodingKey {
        case map, layout, method, verdict, verdicts, escalation, stepAdjustments, failing, undecided, kinks,
             maxErrorEstimate, stepStudy, transposeHint, inputShape, outputShape, input,
             inputs, value, constants, jacobian, finiteDifference, structure,
             formula, chainOrder, step, tolerance, evaluations, maxAbsoluteError, maxRelativeError, worst,
             mismatches, total, passed, blame
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(map, forKey: .map)
        try c.encode(layout, forKey: .layout)
        try c.encode(method, forKey: .method)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(verdicts, forKey: .verdicts)
        try c.encodeIfPresent(escalation, forKey: .escalation)
        try c.encode(stepAdjustments, forKey: .stepAdjustments)
        try c.encode(failing, forKey: .failing)
        try c.encode(undecided, forKey: .undecided)
        try c.encode(kinks, forKey: .kinks)
        try c.encodeIfPresent(maxErrorEstimate, forKey: .maxErrorEstimate)
        try c.encodeIfPresent(stepStudy, forKey: .stepStudy)
        try c.encodeIfPresent(transposeHint, forKey: .transposeHint)
        try c.encode(inputShape, forKey: .inputShape)
        try c.encode(outputShape, forKey: .outputShape)
        try c.encode(input, forKey: .input)
        try c.encodeIfPresent(inputs, forKey: .inputs)
        try c.encode(value, forKey: .value)
        try c.encode(constants, forKey: .constants)
        if encoder.userInfo[CheckReport.omitMatrices] as? Bool != true {
            try c.encode(analytic.matrix.rowArrays, forKey: .jacobian)
            try c.encode(finiteDifferences.matrix.rowArrays, forKey: .finiteDifference)
        }
        try c.encode(structure, forKey: .structure)
        try c.encode(formula, forKey: .formula)
        try c.encodeIfPresent(chainOrder, forKey: .chainOrder)
        try c.encode(step, forKey: .step)
        try c.encode(tolerance, forKey: .tolerance)
        try c.encode(evaluations, forKey: .evaluations)
        try c.encode(maxAbsoluteError, forKey: .maxAbsoluteError)
        try c.encode(maxRelativeError, forKey: .maxRelativeError)
        try c.encodeIfPresent(worst, forKey: .worst)
        try c.encode(mismatches, forKey: .mismatches)
        try c.encode(total, forKey: .total)
        try c.encode(passed, forKey: .passed)
        try c.encodeIfPresent(blame, forKey: .blame)
    }
}
