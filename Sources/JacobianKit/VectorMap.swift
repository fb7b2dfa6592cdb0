/// A map f: Rⁿ → Rᵐ (matrices vectorized row-major) that gives its value and its full Jacobian at a point.
public protocol VectorMap: Sendable {
    /// The catalog name ("softmax", "linear", …).
    var name: String { get }
    /// The shape of the input x.
    var inputShape: Shape { get }
    /// The shape of the output y.
    var outputShape: Shape { get }
    /// The Jacobian formula in numerator layout, as the doc comment states it ("diag(p) − p·pᵀ").
    var formula: String { get }
    /// The fixed constants the map was built with (targets, W, b, A, …), by name, row-major.
    var constants: [NamedConstant] { get }
    /// y = f(x); throws when x is outside the domain.
    func value(at x: [Double]) throws -> [Double]
    /// y = f(x) and the m×n numerator Jacobian J[i][j] = ∂yᵢ/∂xⱼ, structured.
    func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian)
    /// A reproducible random point inside the domain (uniform in [−1, 1) unless the map needs otherwise).
    func samplePoint(using rng: inout SplitMix64) -> [Double]
    /// Whether the map has branches (relu's kink at 0): the checker then keeps one-sided difference quotients
    /// and accepts an analytic value between them where x ± h straddles a kink.
    var hasKinks: Bool { get }
}

extension VectorMap {
    public var constants: [NamedConstant] { [] }
    public var hasKinks: Bool { false }
    public func value(at x: [Double]) throws -> [Double] { try evaluate(at: x).value }
    public func samplePoint(using rng: inout SplitMix64) -> [Double] {
        rng.uniform(count: inputShape.count, -1, 1)
    }
}

/// A constant a map was built with, with its shape, row-major (for JSON and for printing).
public struct NamedConstant: Codable, Equatable, Sendable {
    /// "W", "b", "t", "A", ….
    public var name: String
    /// [n] or [r, c].
    public var shape: [Int]
    /// The numbers, row-major.
    public var values: [Double]

    /// A constant named `name` of the given shape.
    public init(_ name: String, _ shape: Shape, _ values: [Double]) {
        self.name = name
        self.shape = shape.dimensions
        self.values = values
    }

    /// A constant with explicit dimensions.
    public init(name: String, shape: [Int], values: [Double]) {
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// Where a map's constants come from: values the user gave (`--param name=…`), otherwise seeded random draws.
public struct ConstantSource: Sendable {
    /// Values given by name.
    public var given: [String: [Double]]
    /// The generator for everything not given.
    public var rng: SplitMix64
    /// Names that were used, so unknown `--param` names can be reported.
    public private(set) var used: Set<String> = []

    /// Constants from `given`, the rest drawn from `seed`.
    public init(given: [String: [Double]] = [:], seed: UInt64) {
        self.given = given
        self.rng = SplitMix64(seed: seed ^ 0xC0FF_EE00_D15E_A5E5)
    }

    /// The constant `name` with `count` numbers: the given one (checked), else `draw`.
    public mutating func take(_ name: String, count: Int, draw: (inout SplitMix64) -> [Double]) throws -> [Double] {
        used.insert(name)
        // Sizes come from the user: refuse a constant that cannot fit before drawing it.
        try WorkBudget.machine().ensureMemory(doubles: count, what: "The constant \(name)")
        if let v = given[name] {
            guard v.count == count else {
                throw JacobianError.invalidArgument(
                    "--param \(name) has \(v.count) numbers but this map needs \(count).")
            }
            return v
        }
        return draw(&rng)
    }

    /// The constant `name`, uniform in [lo, hi) unless given.
    public mutating func uniform(_ name: String, count: Int, _ lo: Double, _ hi: Double) throws -> [Double] {
        try take(name, count: count) { $0.uniform(count: count, lo, hi) }
    }
}
