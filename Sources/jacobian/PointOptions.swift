import ArgumentParser
import JacobianKit

/// The options `eval` and `check` share: which map, its shape and constants, the point, the layout, the output form.
struct PointOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "A built-in map, a pipeline \"a | b | c\" (applied left to right), or an expression such as "
            + "\"softmax(W*x + b)\"; see 'jacobian list'.", valueName: "map"),
              completion: .list(Catalog.names + ["all"] + Expression.functionNames.map { $0 + "(" }))
    var map: String = ""

    @Option(parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Input size n of a vector map (default 4), or NAME=N for an expression's vector.",
                               valueName: "n|name=n"))
    var dim: [String] = []

    @Option(parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Input shape RxC of a matrix map (default 3x3 square, 2x3 otherwise), or NAME=RxC.",
                               valueName: "RxC|name=RxC"))
    var shape: [String] = []

    @Option(parsing: .unconditionalSingleValue,
            help: ArgumentHelp("The point: comma-separated numbers, row-major for a matrix, filling an expression's "
                                   + "inputs in order; or NAME=v1,v2,… per input (default: random from --seed).",
                               valueName: "v1,v2,…|name=…"))
    var at: [String] = []

    @Option(help: "Write the Jacobian in this layout.")
    var layout: Layout = .numerator

    @Option(parsing: .unconditional, help: "Seed for the random point and for constants not given by --param.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional,
            help: "Output size m of linear / linear-row with --wrt x or b (default: the input size).")
    var out: Int?

    @Option(help: ArgumentHelp("The input: x, W or b for linear / linear-row; for an expression, the variables "
                                   + "to differentiate with respect to, in order (default: every variable --param "
                                   + "does not fix).", valueName: "name[,name…]"))
    var wrt: String?

    // The map-specific options are optional so that one given to a map that does not use it is an error
    // (PointOptions+Unused.swift); their defaults live in MapOptions.
    @Option(parsing: .unconditional, help: "Negative-side slope of leaky-relu (default 0.01).")
    var slope: Double?

    @Option(name: .customLong("hidden-size"), parsing: .unconditional,
            help: "State size H of rnn, rnn-step and lstm-cell (default 4). (mnist's --hidden lists layers.)")
    var hiddenSize: Int?

    @Option(name: .customLong("sequence-length"), parsing: .unconditional,
            help: "Sequence length T of rnn (default 5).")
    var sequenceLength: Int?

    // The spellings before the renames, kept for one release: --hidden and --time-steps.
    @Option(name: .customLong("hidden"), parsing: .unconditional, help: .hidden)
    var hiddenAlias: Int?
    @Option(name: .customLong("time-steps"), parsing: .unconditional, help: .hidden)
    var timeStepsAlias: Int?

    /// --hidden-size, or its old spelling --hidden.
    var hidden: Int? { hiddenSize ?? hiddenAlias }
    /// --sequence-length, or its old spelling --time-steps.
    var timeSteps: Int? { sequenceLength ?? timeStepsAlias }

    @Option(parsing: .unconditional, help: "Output classes of rnn (default 3).")
    var classes: Int?

    @Option(parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Set a constant: NAME=v1,v2,… (repeatable; names in 'jacobian list').",
                               valueName: "name=values"))
    var param: [String] = []

    @OptionGroup var colorOption: ColorOption

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Also write the Jacobian, in the chosen layout, as a NumPy .npy file "
                               + "(float64, C order).", valueName: "file"))
    var npy: String?

    mutating func validate() throws {
        if let o = out, o <= 0 { throw ValidationError("--out must be a positive whole number, but got \(o).") }
        for d in dim { _ = try Arguments.size(d) }
        for t in shape { _ = try Arguments.namedShape(t) }
        for a in at { _ = try Arguments.point(a) }
        for p in param { _ = try Arguments.parameter(p) }
        if let s = slope, !s.isFinite { throw ValidationError("--slope must be a finite number.") }
        if hiddenSize != nil && hiddenAlias != nil || sequenceLength != nil && timeStepsAlias != nil {
            throw ValidationError("Give --hidden-size and --sequence-length once each "
                                  + "(--hidden and --time-steps are their old names).")
        }
        if let h = hidden, h <= 0 {
            throw ValidationError("--hidden-size must be a positive whole number, but got \(h).")
        }
        if let t = timeSteps, t <= 0 {
            throw ValidationError("--sequence-length must be a positive whole number, but got \(t).")
        }
        if let k = classes, k < 2 { throw ValidationError("--classes must be at least 2, but got \(k).") }
    }

    /// Whether MAP names built-in maps ("softmax", "linear | sigmoid") rather than being an expression.
    var isCatalogText: Bool { MapText.isCatalog(map) }

    /// The map options these flags describe (built-in maps).
    func mapOptions() throws -> MapOptions {
        var o = MapOptions()
        o.out = out
        if let w = wrt {
            guard let v = LinearVariable(rawValue: w) else {
                throw ValidationError(
                    "--wrt takes x, W or b for built-in maps (linear, linear-row), but got '\(w)'; "
                    + "to differentiate with respect to a named variable write the map as an expression.")
            }
            o.variable = v
        }
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

    /// The input shape from --dim/--shape for a built-in map, nil for the map's default.
    func inputShape() throws -> Shape? {
        let sizes = try dim.map(Arguments.size) + shape.map(Arguments.namedShape)
        if sizes.count > 1 {
            throw ValidationError(
                "Give one --dim or --shape for a built-in map; named sizes (--dim x=4) are for expressions.")
        }
        guard let (name, s) = sizes.first else {
            // No size given: a point of n numbers makes a vector map's input n (a matrix map keeps its default).
            if let point = try at.map(Arguments.point).first, point.name == nil,
               let e = try? Catalog.entry(named: try Pipeline.stageNames(map)[0]), e.input == .vector,
               !["rnn", "rnn-step", "lstm-cell"].contains(e.name) {
                // (The sequence maps' --dim is the size of one input step, not the length of the point.)
                return .vector(point.values.count)
            }
            return nil
        }
        if let name {
            throw ValidationError(
                "--dim \(name)=… and --shape \(name)=… name a variable of an expression, but '\(map)' "
                + "is a built-in map; write --dim N or --shape RxC.")
        }
        return s
    }

    /// Builds the map and picks the point (--at, or a seeded random point in the map's domain); `work` is refused
    /// up front, before and after building, when it cannot fit in memory or finish (see `WorkBudget`).
    func resolve(_ work: Workload = .evaluation(json: false, npy: false)) throws
        -> (map: any VectorMap, point: [Double])
    {
        if !isCatalogText { return try resolveExpression(work) }
        let budget = WorkBudget.machine()
        if let s = try inputShape() {
            try budget.ensure(work, inputs: try s.checkedCount(), outputs: out ?? 1, label: self.map)
        }
        let map = try Catalog.build(self.map, shape: inputShape(), options: mapOptions())
        let n = map.inputShape.count
        try ensureOptionsUsed(by: map)
        try budget.ensure(work, on: map, label: self.map)
        let points = try at.map(Arguments.point)
        if points.count > 1 || points.first?.name != nil {
            throw ValidationError("Give the point of a built-in map as one --at v1,v2,…; "
                                  + "named values are for expressions.")
        }
        if let x = points.first?.values {
            guard x.count == n else {
                throw ValidationError("--at has \(x.count) numbers but \(self.map) with input "
                                      + "\(map.inputShape.space) needs \(n).")
            }
            return (map, x)
        }
        var rng = SplitMix64(seed: seed)
        return (map, map.samplePoint(using: &rng))
    }

    /// An expression bound to the flags: named sizes, --wrt, --param constants, and the point.
    private func resolveExpression(_ work: Workload) throws -> (map: any VectorMap, point: [Double]) {
        let expression = try Expression(map)
        for (option, given) in [("--out", out != nil), ("--slope", slope != nil), ("--hidden-size", hidden != nil),
                                ("--sequence-length", timeSteps != nil), ("--classes", classes != nil)] where given {
            throw ValidationError("\(option) is an option of built-in maps and is not used by an expression; "
                + "an expression's sizes come from its variables (--dim NAME=N, --shape NAME=RxC).")
        }
        var b = ExpressionBindings(seed: seed)
        let variables = expression.variables
        for (name, s) in try dim.map(Arguments.size) + shape.map(Arguments.namedShape) {
            let target: String
            if let name {
                target = name
            } else if variables.count == 1 {
                target = variables[0]
            } else {
                throw ValidationError(
                    "'\(map)' has several variables (\(variables.joined(separator: ", "))), so give sizes by name, "
                    + "for example --dim \(variables[0])=4 or --shape \(variables[0])=3x4.")
            }
            if b.shapes[target] != nil { throw ValidationError("The size of \(target) is given twice.") }
            b.shapes[target] = s
        }
        for p in param {
            let (k, v) = try Arguments.parameter(p)
            b.constants[k] = v
        }
        b.wrt = try wrt.map(Arguments.names)
        var bare: [Double]?
        for p in try at.map(Arguments.point) {
            if let name = p.name {
                if b.inputValues[name] != nil { throw ValidationError("--at \(name)=… is given twice.") }
                b.inputValues[name] = p.values
            } else {
                if bare != nil { throw ValidationError("Give one unnamed --at, or name each input: --at x=1,2.") }
                bare = p.values
            }
        }
        if bare != nil && !b.inputValues.isEmpty {
            throw ValidationError("Give the point either unnamed (--at 1,2,3, filling the inputs in order) "
                                  + "or by name, not both.")
        }
        b.pointCount = bare?.count
        let m = try expression.map(b)
        try WorkBudget.machine().ensure(work, on: m, label: map)
        if let x = bare {
            let n = m.inputShape.count
            guard x.count == n else {
                let list = m.inputs.map { "\($0.name) (\($0.count))" }.joined(separator: ", ")
                throw ValidationError("--at has \(x.count) numbers but the inputs \(list) need \(n).")
            }
            return (m, x)
        }
        return (m, try m.point(given: b.inputValues, seed: seed))
    }
}
