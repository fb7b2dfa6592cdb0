/// An expression fixed at one point, for lessons: the map, the point (given values, the rest drawn from `seed`
/// exactly as `jacobian check --seed` draws them), its value and its Jacobian (numerator layout unless asked).
struct LessonExpression {
    /// The expression's map.
    let map: ExpressionMap
    /// The point, in the order of `map.inputs`.
    let x: [Double]
    /// The command line that reproduces this check (`jacobian check "…" …`).
    let command: String

    /// Parses and binds `text`; `at` gives input values by name, `constants` the fixed variables.
    init(_ text: String, shapes: [String: Shape] = [:], wrt: [String]? = nil, constants: [String: [Double]] = [:],
         at given: [String: [Double]] = [:], seed: UInt64 = 0) throws {
        let expression = try Expression(text), names = Set(expression.variables)
        let shapes = shapes.filter { names.contains($0.key) }
        var given = given.filter { names.contains($0.key) }, constants = constants.filter { names.contains($0.key) }
        if let wrt {   // values given for variables that are not differentiated are constants
            for (name, v) in given where !wrt.contains(name) { constants[name] = v; given[name] = nil }
        }
        map = try expression.map(ExpressionBindings(shapes: shapes, wrt: wrt, constants: constants,
                                                         inputValues: given, seed: seed))
        x = try map.point(given: given, seed: seed)
        var words = ["jacobian check \"\(text)\""]
        for (name, s) in shapes.sorted(by: { $0.key < $1.key }) {
            if case let .matrix(r, c) = s {
                words.append("--shape \(name)=\(r)x\(c)")
            } else {
                words.append("--dim \(name)=\(s.count)")
            }
        }
        if let wrt { words.append("--wrt " + wrt.joined(separator: ",")) }
        for (name, v) in constants.sorted(by: { $0.key < $1.key }) {
            words.append("--param \(name)=" + v.map { TextFormat.number($0, digits: 8) }.joined(separator: ","))
        }
        for (name, v) in given.sorted(by: { $0.key < $1.key }) {
            words.append("--at \(name)=" + v.map { TextFormat.number($0, digits: 10) }.joined(separator: ","))
        }
        if seed != 0 { words.append("--seed \(seed)") }
        command = words.joined(separator: " ")
    }

    /// The value at the point.
    func value() throws -> [Double] { try map.value(at: x) }

    /// The Jacobian at the point, dense, in `layout`.
    func jacobian(_ layout: Layout = .numerator) throws -> Matrix { try map.jacobian(at: x, layout: layout).matrix }

    /// The check against central differences at the point.
    func check(_ layout: Layout = .numerator, method: CheckMethod = .central) throws -> CheckReport {
        try GradientCheck(layout: layout, method: method).run(map, at: x)
    }

    /// The values of the input or constant called `name` at this point.
    func values(_ name: String) -> [Double] {
        if let b = map.inputs.first(where: { $0.name == name }) { return Array(x[b.offset..<(b.offset + b.count)]) }
        return map.constants.first(where: { $0.name == name })?.values ?? []
    }
}

extension LessonLog {
    /// Names a slip of the notes: its id, where it is, what the notes print and what is right.
    func slip(_ id: String, _ location: String, printed: String, right: String) {
        say("")
        say("slip \(id) — \(location)")
        say("  notes: \(printed)")
        say("  right: \(right)")
    }

    /// A worked example of the notes, introduced by its place.
    func example(_ location: String, _ text: String) {
        say("")
        say("example — \(location): \(text)")
    }

    /// Checks `e` against finite differences, naming the command that reproduces it.
    func verify(_ claim: String, _ e: LessonExpression, layout: Layout = .numerator,
                method: CheckMethod = .central) throws {
        say("  $ " + e.command + (layout == .numerator ? "" : " --layout denominator")
            + (method == .central ? "" : " --method \(method.rawValue)"))
        verify(claim, try e.check(layout, method: method))
    }

    /// Prints the notes' numbers (or the claimed formula's) next to the tool's and verifies they (dis)agree as claimed.
    func compare(_ claim: String, notes: [Double], computed: [Double], agree: Bool, tolerance: Double = 1e-6) {
        // Disagreeing: the notes' printed value; agreeing: the formula the claim names.
        say((agree ? "  formula: " : "  notes:   ")
            + TextFormat.vector(notes, format: { TextFormat.number($0, digits: 7) }))
        say("  tool:    " + TextFormat.vector(computed, format: { TextFormat.number($0, digits: 7) }))
        let gap = notes.count == computed.count ? zip(notes, computed).map { abs($0 - $1) }.max() ?? 0 : .infinity
        let same = gap <= tolerance
        verify(claim, same == agree, detail: "largest gap \(TextFormat.sci(gap))" + (agree ? "" : " (they differ)"))
    }
}
