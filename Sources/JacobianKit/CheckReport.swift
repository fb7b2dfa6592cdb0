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
    /// The finite-difference value's own error estimate (Richardson), when there is one.
    public var errorEstimate: Double?
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

/// The check's tolerance rule: an entry passes when |a − fd| ≤ absolute + relative·|fd|.
public struct Tolerance: Codable, Equatable, Sendable {
    /// The absolute part (default 1e-6).
    public var absolute: Double
    /// The relative part (default 1e-5).
    public var relative: Double

    /// The documented defaults: central differences at the auto step are accurate to about 1e-9 relative
    /// on these maps, so 1e-6 + 1e-5·|fd| fails any real error and no rounding noise.
    public static let `default` = Tolerance(absolute: 1e-6, relative: 1e-5)

    /// A tolerance rule.
    public init(absolute: Double, relative: Double) {
        self.absolute = absolute
        self.relative = relative
    }

    /// Whether an analytic value a is within tolerance of fd.
    public func accepts(_ a: Double, _ fd: Double) -> Bool {
        abs(a - fd) <= absolute + relative * abs(fd)
    }

    /// "|Δ| ≤ 1e-06 + 1e-05·|fd|".
    public var rule: String { "|Δ| ≤ \(absolute) + \(relative)·|fd|" }
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
    /// Entries outside tolerance.
    public var mismatches: Int
    /// Entries compared.
    public var total: Int
    /// Whether every entry passed.
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

    /// Set this `userInfo` key to true to encode everything but the two matrices (which a caller then writes itself).
    public static let omitMatrices = CodingUserInfoKey(rawValue: "omitMatrices")!

    enum CodingKeys: String, CodingKey {
        case map, layout, method, kinks, maxErrorEstimate, stepStudy, transposeHint, inputShape, outputShape, input,
             inputs, value, constants, jacobian, finiteDifference, structure,
             formula, chainOrder, step, tolerance, evaluations, maxAbsoluteError, maxRelativeError, worst,
             mismatches, total, passed, blame
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(map, forKey: .map)
        try c.encode(layout, forKey: .layout)
        try c.encode(method, forKey: .method)
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
