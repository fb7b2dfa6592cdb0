import JacobianKit

/// `jacobian check all`: every built-in map at two sizes in both layouts, as a table.
enum CheckAll {
    struct Row: Encodable {
        var map: String
        var shape: String
        var layout: Layout
        var maxAbsoluteError: Double
        var maxRelativeError: Double
        var passed: Bool
    }

    static func shapes(for e: CatalogEntry) -> [(Shape?, MapOptions)] {
        var o = MapOptions()
        switch e.input {
        case .vector: return [(.vector(3), o), (.vector(8), o)]
        case .squareMatrix: return [(.matrix(rows: 2, columns: 2), o), (.matrix(rows: 4, columns: 4), o)]
        case .matrix: return [(.matrix(rows: 2, columns: 3), o), (.matrix(rows: 4, columns: 3), o)]
        case .layer:
            var w = o
            w.variable = .W
            var b = o
            b.variable = .b
            o.out = 2
            return [(.vector(3), o), (.matrix(rows: 3, columns: 4), w), (.vector(5), b)]
        }
    }

    static func run(checker: GradientCheck, seed: UInt64, json: Bool) throws -> Bool {
        var rows: [Row] = []
        for e in Catalog.entries {
            for (shape, base) in shapes(for: e) {
                var options = base
                options.seed = seed
                let map = try Catalog.build(e.name, shape: shape, options: options)
                var rng = SplitMix64(seed: seed)
                let x = map.samplePoint(using: &rng)
                for layout in Layout.allCases {
                    var c = checker
                    c.layout = layout
                    let r = try c.run(map, at: x)
                    let label = map.inputShape.description
                        + (e.input == .layer ? " (wrt \(options.variable.rawValue))" : "")
                    rows.append(Row(map: e.name, shape: label, layout: layout, maxAbsoluteError: r.maxAbsoluteError,
                                    maxRelativeError: r.maxRelativeError, passed: r.passed))
                }
            }
        }
        let passed = rows.allSatisfy(\.passed)
        if json {
            try Output.json(rows)
            return passed
        }
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        let w0 = rows.map(\.map.count).max()!, w1 = rows.map(\.shape.count).max()!
        Output.line(pad("map", w0) + "  " + pad("input", w1) + "  layout       max |Δ|   max rel   result")
        for r in rows {
            Output.line(pad(r.map, w0) + "  " + pad(r.shape, w1) + "  " + pad(r.layout.rawValue, 11) + "  "
                        + pad(Output.sci(r.maxAbsoluteError), 8) + "  " + pad(Output.sci(r.maxRelativeError), 8) + "  "
                        + (r.passed ? "PASS" : "FAIL"))
        }
        Output.line("\(rows.filter(\.passed).count) of \(rows.count) checks passed")
        return passed
    }
}
