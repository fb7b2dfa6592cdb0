import Foundation
import JacobianKit
import Testing

/// The shapes every catalog map is checked at: two sizes (and, for layers, each variable).
func catalogCases() -> [(name: String, shape: Shape, options: MapOptions)] {
    var cases: [(String, Shape, MapOptions)] = []
    for e in Catalog.entries {
        var o = MapOptions()
        switch e.input {
        case .vector:
            cases += [(e.name, .vector(1), o), (e.name, .vector(3), o), (e.name, .vector(9), o)]
        case .squareMatrix:
            cases += [(e.name, .matrix(rows: 1, columns: 1), o), (e.name, .matrix(rows: 3, columns: 3), o),
                      (e.name, .matrix(rows: 5, columns: 5), o)]
        case .matrix:
            cases += [(e.name, .matrix(rows: 2, columns: 3), o), (e.name, .matrix(rows: 4, columns: 2), o)]
        case .layer:
            o.out = 3
            cases.append((e.name, .vector(4), o))
            o.variable = .W
            cases.append((e.name, .matrix(rows: 3, columns: 4), o))
            o.variable = .b
            cases.append((e.name, .vector(3), o))
        }
    }
    return cases
}

@Suite("Every map's Jacobian")
struct MapJacobianTests {
    @Test("analytic == central finite differences in both layouts", arguments: Catalog.names, testSeeds)
    func matchesFiniteDifferences(name: String, seed: UInt64) throws {
        for c in catalogCases() where c.name == name {
            var options = c.options
            options.seed = seed
            let map = try Catalog.build(name, shape: c.shape, options: options)
            var rng = SplitMix64(seed: seed)
            let x = map.samplePoint(using: &rng)
            for layout in Layout.allCases {
                let report = try GradientCheck(layout: layout).run(map, at: x)
                #expect(report.passed, "\(name) \(c.shape) \(layout): max |Δ| \(report.maxAbsoluteError) at \(String(describing: report.worst))")
                #expect(report.maxAbsoluteError < 1e-7 * max(1, report.analytic.matrix.maxAbs),
                        "\(name) \(c.shape) \(layout)")
            }
        }
    }

    @Test("denominator Jacobian is exactly the numerator transposed", arguments: Catalog.names)
    func denominatorIsNumeratorTransposed(name: String) throws {
        for c in catalogCases() where c.name == name {
            let map = try Catalog.build(name, shape: c.shape, options: c.options)
            var rng = SplitMix64(seed: 11)
            let x = map.samplePoint(using: &rng)
            let numerator = try GradientCheck(layout: .numerator).run(map, at: x)
            let denominator = try GradientCheck(layout: .denominator).run(map, at: x)
            #expect(denominator.analytic.matrix == numerator.analytic.matrix.transposed(), "\(name) \(c.shape)")
            #expect(denominator.analytic.rows == map.inputShape.count)
        }
    }

    @Test("the notes' worked examples: ∂(aᵀXb)/∂X = a·bᵀ and ∂(aᵀexp(Xb))/∂X = (a ⊙ exp(Xb))·bᵀ")
    func workedExamples() throws {
        var o = MapOptions()
        o.parameters = ["a": [1, 2], "b": [3, -1, 0.5]]
        let x: [Double] = [0.1, 0.2, 0.3, -0.4, 0.5, -0.6]
        let bilinear = try Catalog.build("bilinear", shape: .matrix(rows: 2, columns: 3), options: o)
        #expect(try bilinear.evaluate(at: x).jacobian.matrix.elements == [3, -1, 0.5, 6, -2, 1])
        let bexp = try Catalog.build("bilinear-exp", shape: .matrix(rows: 2, columns: 3), options: o)
        let xb = [0.1 * 3 - 0.2 + 0.3 * 0.5, -0.4 * 3 - 0.5 - 0.6 * 0.5]
        let expected = [1 * exp(xb[0]) * 3, 1 * exp(xb[0]) * -1, 1 * exp(xb[0]) * 0.5,
                        2 * exp(xb[1]) * 3, 2 * exp(xb[1]) * -1, 2 * exp(xb[1]) * 0.5]
        #expect(close(try bexp.evaluate(at: x).jacobian.matrix.elements, expected, tolerance: 1e-15))
    }

    @Test("inverse's Jacobian is −X⁻¹ ⊗ X⁻ᵀ: J·vec(dX) = vec(−X⁻¹·dX·X⁻¹)")
    func inverseKroneckerForm() throws {
        let map = try Catalog.build("inverse", shape: .matrix(rows: 3, columns: 3), options: MapOptions())
        var rng = SplitMix64(seed: 3)
        let x = map.samplePoint(using: &rng)
        let dx = randomMatrix(3, 3, &rng)
        let inv = try Matrix(rows: 3, columns: 3, elements: x).inverse()
        let expected = naiveProduct(naiveProduct(inv, dx), inv).scaled(by: -1)
        #expect(close(try map.evaluate(at: x).jacobian.jvp(dx.elements), expected.elements))
    }

    @Test("domain errors are typed, not traps")
    func domainErrors() throws {
        let log = try Catalog.build("log", shape: .vector(2), options: MapOptions())
        #expect(throws: JacobianError.self) { try log.evaluate(at: [1, -1]) }
        let inverse = try Catalog.build("inverse", shape: .matrix(rows: 2, columns: 2), options: MapOptions())
        #expect(throws: JacobianError.singular(pivot: 2)) { try inverse.evaluate(at: [1, 2, 2, 4]) }
        let logdet = try Catalog.build("logdet", shape: .matrix(rows: 2, columns: 2), options: MapOptions())
        #expect(throws: JacobianError.self) { try logdet.evaluate(at: [0, 1, 1, 0]) }
        #expect(throws: JacobianError.self) {
            try Catalog.build("det", shape: .matrix(rows: 2, columns: 3), options: MapOptions())
        }
        #expect(throws: JacobianError.self) { try Catalog.build("trace", shape: .vector(4), options: MapOptions()) }
    }

    @Test("an unknown map name suggests the closest one")
    func unknownMapSuggests() {
        #expect(throws: JacobianError.unknownMap("softmx", suggestion: "softmax")) {
            try Catalog.build("softmx", shape: nil, options: MapOptions())
        }
        #expect(throws: JacobianError.unknownMap("qqqqqqqq", suggestion: nil)) {
            try Catalog.build("qqqqqqqq", shape: nil, options: MapOptions())
        }
    }
}
