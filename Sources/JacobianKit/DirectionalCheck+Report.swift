/// What a directional check did and found, as `check --directions --json` prints it.
extension DirectionalCheck {
    /// The three kinds of probe (u, v): u in Rⁿ along the inputs, v in Rᵐ weighing the outputs.
    public enum ProbeKind: String, Codable, Sendable {
        /// u and v Gaussian over all n inputs and m outputs, unit length; one vᵀJu per probe (the user's K).
        case dense
        /// u Gaussian on a few random inputs; v = ±1, judged on each output group.
        case sparse
        /// u = ±1 on one group of a random partition of the inputs; v = ±1, judged on each output group.
        case block
    }

    /// The result for one probe: its worst output group (for a dense probe, all m outputs).
    public struct Probe: Codable, Sendable {
        /// dense, sparse or block.
        public var kind: ProbeKind
        /// The round of a block probe (fresh random signs each round), nil otherwise.
        public var round: Int?
        /// How many inputs u moves (n for a dense probe).
        public var inputs: Int
        /// How many output groups were judged (1 for a dense probe).
        public var outputGroups: Int
        /// The step t along u (x ± t·u).
        public var step: Double
        /// vᵀ(J·u) from the analytic Jacobian–vector product, on the worst group.
        public var analytic: Double
        /// vᵀ·d, d the reference derivative of f along u (by the check's method), on the worst group.
        public var reference: Double
        /// |analytic − reference| on the worst group.
        public var absoluteError: Double
        /// The largest |analytic − reference| the rule allows on that group.
        public var allowed: Double
        /// How many output groups fail.
        public var failingGroups: Int
        /// Central differences only: the probe failed and was measured again by Richardson extrapolation at its own
        /// step (see `DirectionalCheck`); the figures are then Richardson's.
        public var remeasured: Bool
        /// Whether every group passes.
        public var passed: Bool
    }

    /// A wrong entry J[i][j] named by group testing, as the entry-by-entry check would name it.
    public struct Entry: Codable, Equatable, Sendable {
        /// Row in the check's layout (i in numerator layout, j in denominator).
        public var row: Int
        /// Column in the check's layout.
        public var column: Int
        /// The output index i of ∂y_i/∂x_j.
        public var output: Int
        /// The input index j of ∂y_i/∂x_j (row-major for a matrix input).
        public var input: Int
        /// The map's name of output i ("y_3", "Y[1,2]").
        public var outputName: String
        /// The map's name of input j ("x_7", "W[1,2]").
        public var inputName: String
        /// Component i of the analytic J·e_j.
        public var analytic: Double
        /// Component i of the reference derivative along e_j (the entry-by-entry check's value).
        public var reference: Double
        /// |analytic − reference|.
        public var absoluteError: Double
        /// The largest |analytic − reference| the rule allows for this entry: atol + rtol·|reference| + its error.
        public var allowed: Double
    }

    /// The probe schedule: how many of each kind, and the block partition that the guarantee speaks of.
    public struct Schedule: Codable, Equatable, Sendable {
        /// Dense pairs (--directions K).
        public var dense: Int
        /// Sparse probes.
        public var sparse: Int
        /// Inputs each sparse probe moves.
        public var sparseInputs: Int
        /// Input groups per round (one block probe each).
        public var inputGroups: Int
        /// The largest input group, g.
        public var inputsPerGroup: Int
        /// Rounds of block probes, each with fresh random signs over the same partition.
        public var rounds: Int
        /// Output groups each sparse or block probe is judged on.
        public var outputGroups: Int
        /// The largest output group, h.
        public var outputsPerGroup: Int
    }

    /// The step along a direction: the rule, and the smallest and largest t used.
    public struct Step: Codable, Equatable, Sendable {
        /// The rule in words.
        public var rule: String
        /// The smallest t.
        public var min: Double
        /// The largest t.
        public var max: Double
    }

    /// What group testing did after a failure.
    public struct Locate: Codable, Equatable, Sendable {
        /// At most this many entries are located.
        public var limit: Int
        /// Whether it stopped at `limit` entries or at its evaluation budget: more entries may be wrong.
        public var truncated: Bool
        /// Failing probes whose descent did not reach a wrong entry (the mismatch is spread over many entries,
        /// or for a map with kinks, was a kink).
        public var unlocalized: Int
        /// Entries where x ± h straddles a kink and the analytic value lies between the one-sided quotients.
        public var kinks: Int
        /// Evaluations of f spent locating (included in the report's `evaluations`).
        public var evaluations: Int
        /// Jacobian–vector products spent locating.
        public var jacobianVectorProducts: Int
    }

    /// The probability statement of the block probes, for one wrong entry δ at (i, j).
    ///
    /// Let B be the h×g block of J holding (i, j) (output group of i × input group of j), σ_B the RMS of J over B,
    /// u = ±1 on the g inputs, v = ±1 on the h outputs. Then vᵀ(J_analytic − J)u = ±δ exactly, while the rule allows
    /// rtol·√h·‖(Ju)_B‖ plus the reference's error e and atol. Since E‖J_B u‖² = ‖J_B‖²_F = g·h·σ_B² (Rademacher u),
    /// Markov gives P(‖J_B u‖ ≥ 2‖J_B‖_F) ≤ 1/4: the entry is caught in a round with probability ≥ 3/4 when
    /// |δ| ≥ 2·rtol·h·√g·σ_B + 2e + atol, and in at least one of R rounds (fresh signs) with probability ≥ 1 − 4^−R.
    /// Always ‖J_B u‖ ≤ √g·‖J_B‖_F, so |δ| ≥ rtol·g·h·σ_B + 2e + atol is caught with certainty.
    public struct Guarantee: Codable, Equatable, Sendable {
        /// 1 − 4^−rounds.
        public var probability: Double
        /// 2·rtol·h·√g: caught with `probability` when |δ| is at least this many σ_B.
        public var relativeSize: Double
        /// rtol·g·h: caught with certainty when |δ| is at least this many σ_B.
        public var certainRelativeSize: Double
        /// The sentence the text report prints.
        public var statement: String
    }

    /// The report: the probes, the entries located after a failure, the cost and the guarantee.
    public struct Report: Codable, Sendable {
        /// The map checked.
        public var map: String
        /// The layout rows and columns of located entries refer to.
        public var layout: Layout
        /// [n] or [r, c].
        public var inputShape: [Int]
        /// [m] or [r, c].
        public var outputShape: [Int]
        /// How the reference derivative along u is computed.
        public var method: CheckMethod
        /// The step along each direction.
        public var step: Step
        /// How many probes of each kind.
        public var schedule: Schedule
        /// One result per probe: dense first, then sparse, then block.
        public var probes: [Probe]
        /// The wrong entries group testing named (at most `locate.limit`).
        public var located: [Entry]
        /// What group testing did.
        public var locate: Locate
        /// Evaluations of f spent, complex ones included (all probes and group testing).
        public var evaluations: Int
        /// Jacobian–vector products spent.
        public var jacobianVectorProducts: Int
        /// The largest |analytic − reference| of any probe's worst group.
        public var maxAbsoluteError: Double
        /// The largest |analytic − reference| / (‖v‖·‖d‖) of any probe's worst group.
        public var maxRelativeError: Double
        /// The largest |analytic − reference| / allowed of any probe (at most 1 when every probe passes).
        public var worstRatio: Double
        /// The pass rule's rtol and atol.
        public var tolerance: Tolerance
        /// The rule each vᵀJu is judged by, in words.
        public var rule: String
        /// What a single wrong entry has to be for the probes to catch it.
        public var guarantee: Guarantee
        /// Whether the check passed.
        public var passed: Bool
    }
}
