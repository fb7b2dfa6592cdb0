import JacobianKit
import Testing

/// Second derivatives: every scalar built-in map and random scalar expressions against central differences of
/// the gradient, structure where the notes name it, and the Gauss–Newton terms adding up to the Hessian.
@Suite("Hessians")
struct HessianTests {
    static let scalarMaps: [(String, Shape)] = [
        ("mse", .vector(4)), ("cross-entropy", .vector(4)), ("binary-cross-entropy", .vector(4)),
        ("softmax-cross-entropy", .vector(5)), ("det", .matrix(rows: 3, columns: 3)),
        ("logdet", .matrix(rows: 3, columns: 3)), ("trace", .matrix(rows: 3, columns: 3)),
        ("bilinear", .matrix(rows: 2, columns: 3)), ("bilinear-exp", .matrix(rows: 2, columns: 3)),
        ("sigmoid | mse", .vector(3)), ("softmax | cross-entropy", .vector(4)), ("tanh | softmax | mse", .vector(3)),
        ("inverse | logdet", .matrix(rows: 2, columns: 2)), ("log-softmax | mse", .vector(3)),
        ("linear | sin | softmax-cross-entropy", .vector(3)),
    ]

    @Test("every scalar built-in map and pipeline: H equals central differences of the gradient, symmetric",
          arguments: scalarMaps)
    func catalog(name: String, shape: Shape) throws {
        for seed in testSeeds {
            var options = MapOptions()
            options.seed = seed
            let map = try Catalog.build(name, shape: shape, options: options)
            var rng = SplitMix64(seed: seed)
            let x = map.samplePoint(using: &rng)
            let r = try HessianCheck.run(map, at: x)
            #expect(r.passed, "\(name) seed \(seed): max |Δ| \(r.maxAbsoluteError)")
            #expect(r.asymmetry <= 1e-12 * max(1, r.hessian.maxAbs))
            #expect(close(Self.sum(r.terms, x.count), r.hessian.elements), "\(name): the terms add up to H")
        }
    }

    @Test("structure as the notes write it: softmax-cross-entropy wrt z is diag(p) − p·pᵀ, mse is I")
    func structure() throws {
        let ce = try Catalog.build("softmax-cross-entropy", shape: .vector(4), options: MapOptions())
        var rng = SplitMix64(seed: 1)
        let z = ce.samplePoint(using: &rng)
        let r = try HessianCheck.run(ce, at: z)
        #expect(r.structure == "diagonal + outer product")
        let p = Softmax.probabilities(z)
        let softmaxJacobian = try Softmax(shape: .vector(4)).evaluate(at: z).jacobian.matrix
        #expect(close(r.hessian, softmaxJacobian, tolerance: 1e-14), "one-hot y: H = J(softmax) = diag(p) − ppᵀ \(p)")
        let mse = try Catalog.build("mse", shape: .vector(3), options: MapOptions())
        let m = try HessianCheck.run(mse, at: [0.1, 0.2, 0.3])
        #expect(m.structure == "identity" && m.hessian == Matrix.identity(3))
    }

    @Test("random scalar expressions: H equals central differences of the gradient; the terms add up",
          arguments: 0..<120)
    func randomExpression(seed: Int) throws {
        var g = ExpressionGenerator(seed: UInt64(1000 + seed))
        let text = g.root(.scalar, depth: 1 + seed % 4)
        var shapes: [String: Shape] = [:]
        for v in g.variables { shapes[v.name] = ExpressionTests.shape(v.dims) }
        let names = g.variables.map(\.name)
        let map = try #require(try? Expression(text).map(ExpressionBindings(
            shapes: shapes, wrt: Array(names.prefix(1 + seed % 2)), constants: g.targets,
            seed: UInt64(seed))), "\(text)")
        var rng = SplitMix64(seed: UInt64(seed))
        let x = map.samplePoint(using: &rng)
        let r = try HessianCheck.run(map, at: x)
        let scale = max(1, r.hessian.maxAbs)
        #expect(r.maxAbsoluteError <= 1e-5 * scale || g.hasKinks, "\(text): max |Δ| \(r.maxAbsoluteError)")
        #expect(r.asymmetry <= 1e-10 * scale, "\(text)")
        #expect(close(Self.sum(r.terms, x.count), r.hessian.elements), "\(text): terms")
    }

    /// The entries of Σ terms, n×n row-major.
    static func sum(_ terms: [HessianTerm], _ n: Int) -> [Double] {
        var s = [Double](repeating: 0, count: n * n)
        for t in terms { for k in s.indices { s[k] += t.matrix.elements[k] } }
        return s
    }

    @Test("a vector-valued map has no Hessian here: one sentence")
    func vectorMapRefused() throws {
        let map = try Catalog.build("softmax", shape: .vector(3), options: MapOptions())
        #expect(throws: JacobianError.self) { try HessianCheck.run(map, at: [1, 2, 3]) }
    }
}
