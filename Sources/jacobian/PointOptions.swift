import ArgumentParser
import JacobianKit

/// The options `eval` and `check` share: which map, its shape and constants, the point, the layout, the output form.
struct PointOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A built-in map or a pipeline \"a | b | c\" (applied left to right); see 'jacobian list'.",
                                 valueName: "map"))
    var map: String

    @Option(help: "Input size n for vector maps (default 4).")
    var dim: Int?

    @Option(help: ArgumentHelp("Input shape RxC for matrix maps (default 3x3 square, 2x3 otherwise).", valueName: "RxC"))
    var shape: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("The point: comma-separated numbers, row-major for a matrix (default: random from --seed).",
                               valueName: "v1,v2,…"))
    var at: String?

    @Option(help: "Write the Jacobian in this layout.")
    var layout: Layout = .numerator

    @Option(help: "Seed for the random point and for constants not given by --param.")
    var seed: UInt64 = 0

    @Option(help: "Output size m of linear / linear-row with --wrt x or b (default: the input size).")
    var out: Int?

    // The map-specific options are optional so that one given to a map that does not use it is an error
    // (PointOptions+Unused.swift); their defaults live in MapOptions.
    @Option(help: "The variable linear / linear-row differentiate with respect to (default x).")
    var wrt: LinearVariable?

    @Option(help: "Negative-side slope of leaky-relu (default 0.01).")
    var slope: Double?

    @Option(help: "Hidden size of rnn, rnn-step and lstm-cell (default 4).")
    var hidden: Int?

    @Option(name: .customLong("time-steps"), help: "Sequence length T of rnn (default 5).")
    var timeSteps: Int?

    @Option(help: "Output classes of rnn (default 3).")
    var classes: Int?

    @Option(parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Set a constant: NAME=v1,v2,… (repeatable; names in 'jacobian list').", valueName: "name=values"))
    var param: [String] = []

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Also write the Jacobian, in the chosen layout, as a NumPy .npy file (float64, C order).",
                               valueName: "file"))
    var npy: String?

    mutating func validate() throws {
        if let d = dim, d <= 0 { throw ValidationError("--dim must be a positive whole number, but got \(d).") }
        if let o = out, o <= 0 { throw ValidationError("--out must be a positive whole number, but got \(o).") }
        if dim != nil && shape != nil { throw ValidationError("Give either --dim or --shape, not both.") }
        if let s = shape { _ = try Arguments.shape(s) }
        if let a = at { _ = try Arguments.numbers(a, option: "--at") }
        for p in param { _ = try Arguments.parameter(p) }
        if let s = slope, !s.isFinite { throw ValidationError("--slope must be a finite number.") }
        if let h = hidden, h <= 0 { throw ValidationError("--hidden must be a positive whole number, but got \(h).") }
        if let t = timeSteps, t <= 0 {
            throw ValidationError("--time-steps must be a positive whole number, but got \(t).")
        }
        if let k = classes, k < 2 { throw ValidationError("--classes must be at least 2, but got \(k).") }
    }

    /// The map options these flags describe.
    func mapOptions() throws -> MapOptions {
        var o = MapOptions()
        o.out = out
        o.variable = wrt ?? o.variable
        o.slope = slope ?? o.slope
        o.seed = seed
        o.hidden = hidden ?? o.hidden
        o.timeSteps = timeSteps ?? o.timeSteps
        o.classes = classes ?? o.classes
        for p in param {
            let (k, v) = try Arguments.parameter(p)
            o.parameters[k] = v
        }
        return o
    }

    /// The input shape from --dim/--shape, nil for the map's default.
    func inputShape() throws -> Shape? {
        if let d = dim { return .vector(d) }
        if let s = shape { return try Arguments.shape(s) }
        return nil
    }

    /// Builds the map and picks the point (--at, or a seeded random point in the map's domain); `work` is refused
    /// up front, before and after building, when it cannot fit in memory or finish (see `WorkBudget`).
    func resolve(_ work: Workload) throws -> (map: any VectorMap, point: [Double]) {
        let budget = WorkBudget.machine()
        if let s = try inputShape() {
            try budget.ensure(work, inputs: try s.checkedCount(), outputs: out ?? 1, label: self.map)
        }
        let map = try Catalog.build(self.map, shape: inputShape(), options: mapOptions())
        let n = map.inputShape.count
        try ensureOptionsUsed(by: map)
        try budget.ensure(work, on: map, label: self.map)
        if let a = at {
            let x = try Arguments.numbers(a, option: "--at")
            guard x.count == n else {
                throw ValidationError("--at has \(x.count) numbers but \(self.map) with input \(map.inputShape.space) needs \(n).")
            }
            return (map, x)
        }
        var rng = SplitMix64(seed: seed)
        return (map, map.samplePoint(using: &rng))
    }
}
