/// A map f: Rⁿ → Rᵐ (matrices vectorized row-major) that gives its value and its full Jacobian at a point.
///
/// `Sendable` because finite differences evaluate columns on several threads at once: keep constants in `let`
/// arrays or structs. A mutable model object goes behind a lock in an `@unchecked Sendable` wrapper, or the map
/// conforms to `BatchEvaluable` and gets every probe point of a chunk in one call (article "Check your own map").
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
    /// y = f(x) and the Jacobian written in `layout`: J (m×n) or Jᵀ (n×m). A composition multiplies its
    /// factors as written in that layout; a single map transposes its own Jacobian.
    func evaluate(at x: [Double], layout: Layout) throws -> (value: [Double], jacobian: Jacobian)
    /// The named inputs x is made of, in order, for a map of several variables (nil for a map of one x).
    var inputBlocks: [InputBlock]? { get }
    /// The readable name of input coordinate k: "x_3", "X[1,2]", or "W[1,2]" for a named input.
    func inputCoordinateName(_ k: Int) -> String
    /// The readable name of output coordinate k: "y_3", "Y[1,2]".
    func outputCoordinateName(_ k: Int) -> String
    /// The maps this one applies in order: [self] unless it is a composition.
    var stages: [any VectorMap] { get }
    /// For a composition, the stages' values and Jacobians at x and their product in `layout`; nil for one map.
    func composition(at x: [Double], layout: Layout) throws -> ChainProduct?
    /// How the Jacobian at x is assembled, one line each, in `layout` (nil when the formula says it all).
    func explanation(at x: [Double], layout: Layout) throws -> [String]?
    /// J·u at x (u has n numbers, the result m) without forming J densely.
    func jacobianVectorProduct(at x: [Double], _ u: [Double]) throws -> [Double]
}

extension VectorMap {
    public var constants: [NamedConstant] { [] }
    public var hasKinks: Bool { false }
    public func value(at x: [Double]) throws -> [Double] { try evaluate(at: x).value }
    public func samplePoint(using rng: inout SplitMix64) -> [Double] {
        rng.uniform(count: inputShape.count, -1, 1)
    }
    public func evaluate(at x: [Double], layout: Layout) throws -> (value: [Double], jacobian: Jacobian) {
        let r = try evaluate(at: x)
        return (r.value, r.jacobian.oriented(layout))
    }
    public var inputBlocks: [InputBlock]? { nil }
    public func inputCoordinateName(_ k: Int) -> String { inputShape.coordinateName(k, symbol: "x") }
    public func outputCoordinateName(_ k: Int) -> String { outputShape.coordinateName(k, symbol: "y") }
}

/// One named input of a map of several variables: its name, shape, and where its row-major vec starts in x.
public struct InputBlock: Codable, Equatable, Sendable {
    /// The variable's name ("W").
    public var name: String
    /// [n] or [r, c].
    public var shape: [Int]
    /// The index in x of its first number.
    public var offset: Int

    /// The block `name` of the given shape at `offset`.
    public init(name: String, shape: [Int], offset: Int) {
        self.name = name
        self.shape = shape
        self.offset = offset
    }

    /// How many numbers the block has.
    public var count: Int { shape.reduce(1, *) }

    /// "W[1,2]" for a matrix, "b_2" for a vector, "x1" for a scalar; k counts from the block's start.
    public func coordinateName(_ k: Int) -> String {
        switch shape.count {
        case 2 where !(shape[1] == 1): return "\(name)[\(k / shape[1]),\(k % shape[1])]"
        default: return count == 1 ? name : "\(name)_\(k)"
        }
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
    /// The pipeline stage (1-based) whose constants are being taken; "2.W" then names stage 2's W.
    public var stage: Int?
    /// For each unprefixed given name, the stages that took it (more than one is ambiguous).
    public private(set) var stagesUsing: [String: Set<Int>] = [:]

    /// Constants from `given`, the rest drawn from `seed`.
    public init(given: [String: [Double]] = [:], seed: UInt64) {
        self.given = given
        self.rng = SplitMix64(seed: seed ^ 0xC0FF_EE00_D15E_A5E5)
    }

    /// The constant `name` with `count` numbers: the given one ("k.name" for stage k first, then "name";
    /// checked), else `draw`.
    public mutating func take(_ name: String, count: Int, draw: (inout SplitMix64) -> [Double]) throws -> [Double] {
        let staged = stage.map { "\($0).\(name)" }
        let key = staged.flatMap { given[$0] != nil ? $0 : nil } ?? name
        used.insert(key)
        // Sizes come from the user: refuse a constant that cannot fit before drawing it.
        try WorkBudget.machine().ensureMemory(doubles: count, what: "The constant \(name)")
        if let v = given[key] {
            if key == name, let s = stage { stagesUsing[name, default: []].insert(s) }
            guard v.count == count else {
                throw JacobianError.parameterCount(name: key, given: v.count, needed: count)
            }
            return v
        }
        if let staged { used.insert(staged) }
        return draw(&rng)
    }

    /// The constant `name`, uniform in [lo, hi) unless given.
    public mutating func uniform(_ name: String, count: Int, _ lo: Double, _ hi: Double) throws -> [Double] {
        try take(name, count: count) { $0.uniform(count: count, lo, hi) }
    }
}
