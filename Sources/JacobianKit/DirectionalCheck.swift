/// JAX-style directional checks for Jacobians too large to compare entry by entry: for K seeded random unit
/// vectors u (inputs) and v (outputs), vᵀ·J·u from the analytic Jacobian–vector product against
/// vᵀ·(f(x + hu) − f(x − hu))/2h. Cost: 2K evaluations and one Ju per direction; J is never formed.
public struct DirectionalCheck: Sendable {
    /// The result for one direction pair.
    public struct Direction: Codable, Sendable {
        /// vᵀ·(J·u) from the structured Jacobian–vector product.
        public var analytic: Double
        /// vᵀ·(f(x + hu) − f(x − hu))/2h.
        public var finiteDifference: Double
        /// |analytic − finite difference|.
        public var absoluteError: Double
        /// Whether the pair is within tolerance.
        public var passed: Bool
    }

    /// The report: every direction, the worst, the cost.
    public struct Report: Codable, Sendable {
        /// The map checked.
        public var map: String
        /// One result per direction pair.
        public var directions: [Direction]
        /// Evaluations of f spent (2 per pair).
        public var evaluations: Int
        /// The step h along u.
        public var step: Double
        /// The largest |analytic − finite difference|.
        public var maxAbsoluteError: Double
        /// The largest relative difference.
        public var maxRelativeError: Double
        /// The pass rule.
        public var tolerance: Tolerance
        /// Whether the pair is within tolerance.
        public var passed: Bool
    }

    /// How many direction pairs.
    public var count: Int
    /// The seed of the directions.
    public var seed: UInt64
    /// The pass rule, applied to each vᵀJu.
    public var tolerance: Tolerance = .default

    /// A check with `count` direction pairs drawn from `seed`.
    public init(count: Int, seed: UInt64, tolerance: Tolerance = .default) {
        self.count = count
        self.seed = seed
        self.tolerance = tolerance
    }

    /// Checks `map` at `x` along the directions.
    public func run(_ map: any VectorMap, at x: [Double]) throws -> Report {
        var rng = SplitMix64(seed: seed ^ 0xD1EC_7105)
        let n = x.count, m = map.outputShape.count
        let h = StepRule.cubeRootEpsilon * max(1, x.reduce(0) { max($0, abs($1)) })
        var directions: [Direction] = []
        var maxAbs = 0.0, maxRel = 0.0
        for _ in 0..<count {
            let u = Self.unit(n, &rng), v = Self.unit(m, &rng)
            let ju = try map.jacobianVectorProduct(at: x, u)
            let analytic = v.dot(ju)
            let up = try map.checkedValue(at: zip(x, u).map { $0 + h * $1 })
            let down = try map.checkedValue(at: zip(x, u).map { $0 - h * $1 })
            let fd = v.dot(zip(up, down).map { ($0 - $1) / (2 * h) })
            let d = abs(analytic - fd)
            maxAbs = max(maxAbs, d)
            maxRel = max(maxRel, d / max(abs(analytic), abs(fd), 1e-300))
            directions.append(Direction(analytic: analytic, finiteDifference: fd, absoluteError: d,
                                        passed: tolerance.accepts(analytic, fd)))
        }
        return Report(map: map.name, directions: directions, evaluations: 2 * count, step: h, maxAbsoluteError: maxAbs,
                      maxRelativeError: maxRel, tolerance: tolerance, passed: directions.allSatisfy(\.passed))
    }

    /// A seeded random unit vector.
    static func unit(_ n: Int, _ rng: inout SplitMix64) -> [Double] {
        let g = (0..<n).map { _ in rng.normal() }
        let norm = g.dot(g).squareRoot()
        return norm > 0 ? g.map { $0 / norm } : g
    }
}
