import ComplexModule
import Foundation
import JacobianKit
import Testing

/// The expression language: random expressions against finite differences and the complex step, the structured
/// accumulation against the dense one, symbolic entries against the numbers, and the notes' material typed in.
@Suite("Expressions")
struct ExpressionTests {
    /// The declared shape of a generated variable.
    static func shape(_ d: ExpressionGenerator.Dims) -> Shape {
        d.columns == 1 ? .vector(d.rows) : .matrix(rows: d.rows, columns: d.columns)
    }

    /// Im f(x + i·h·e_j)/h for every column j: the complex-step Jacobian (m×n).
    static func complexStep(_ map: ExpressionMap, at x: [Double]) throws -> Matrix {
        let n = x.count, m = map.outputShape.count, h = 1e-20
        var j = Matrix(rows: m, columns: n)
        for k in 0..<n {
            var z = x.map { Complex<Double>($0, 0) }
            z[k] = Complex(x[k], h)
            let column = try map.complexValue(at: z)
            for i in 0..<m { j[i, k] = column[i].imaginary / h }
        }
        return j
    }

    @Test("random expressions: analytic = central differences = complex step, in both layouts and both orders",
          arguments: 0..<400)
    func randomExpression(seed: Int) throws {
        var g = ExpressionGenerator(seed: UInt64(seed))
        let outputs: [ExpressionGenerator.Dims] = [.scalar, .init(rows: 3, columns: 1), .init(rows: 2, columns: 3)]
        let text = g.root(outputs[seed % 3], depth: 1 + seed % 5)
        let names = g.variables.map(\.name)
        var shapes: [String: Shape] = [:]
        for v in g.variables { shapes[v.name] = Self.shape(v.dims) }
        let wrt = Array(names.prefix(min(names.count, 1 + seed % 3)))
        let map = try Expression(text).map(ExpressionBindings(shapes: shapes, wrt: wrt, constants: g.targets,
                                                               seed: UInt64(seed)))
        var rng = SplitMix64(seed: UInt64(seed))
        let x = map.samplePoint(using: &rng)
        let numerator = try map.jacobian(at: x, layout: .numerator).matrix
        let scale = max(1, numerator.maxAbs)
        // Denominator layout is computed as written (Jᵀ products), not transposed at the end.
        let denominator = try map.jacobian(at: x, layout: .denominator).matrix
        #expect(close(denominator, numerator.transposed(), tolerance: 1e-12), "\(text)")
        // Both orders and the dense accumulation give the same entries.
        for order in ChainOrder.allCases {
            let other = try map.jacobian(at: x, layout: .numerator, order: order).matrix
            #expect(close(other, numerator, tolerance: 1e-11), "\(text) in \(order) order")
        }
        let dense = try map.jacobian(at: x, layout: .numerator, denseFactors: true).matrix
        #expect(close(dense, numerator, tolerance: 1e-12),
                "\(text): structured vs dense \(maxDifference(dense, numerator))")
        let fd = try FiniteDifference.jacobian(of: map, at: x, step: .auto).jacobian
        let worst = zip(numerator.elements, fd.elements).map { abs($0 - $1) - 1e-5 * abs($1) }.max() ?? 0
        #expect(worst <= 1e-6 * scale, "\(text) at \(x): analytic vs central differences off by \(worst)")
        #expect(map.supportsComplexStep == !g.hasKinks, "\(text)")
        if map.supportsComplexStep {
            let cs = try Self.complexStep(map, at: x)
            #expect(maxDifference(cs, numerator) <= 1e-9 * scale,
                    "\(text): complex step off by \(maxDifference(cs, numerator))")
        }
    }

    @Test("the generator covers every operator and function of the language")
    func generatorCoverage() {
        var all = ""
        for seed in 0..<400 {
            var g = ExpressionGenerator(seed: UInt64(seed))
            let outputs: [ExpressionGenerator.Dims] = [.scalar, .init(rows: 3, columns: 1), .init(rows: 2, columns: 3)]
            all += g.root(outputs[seed % 3], depth: 1 + seed % 5)
        }
        for token in ["+", " - ", ".*", "./", "^", "'", "[1;", "/ (", "-", "]", ", ", "2, 0; 0, 2"] {
            #expect(all.contains(token), "\(token) never generated")
        }
        for f in Expression.functionNames { #expect(all.contains(f + "("), "\(f) never generated") }
    }

    @Test("symbolic entries equal the numbers", arguments: [
        "(x1*x2 - 3)^2 + 1", "[x1*x2, sin(x1), x2^2]", "exp(x1)/(1 + x2^2) - log(x1^2 + 1)*cos(x2)",
        "sigmoid(x1*x2) + tanh(x1 - x2)^3 + sqrt(2 + x1^2)", "x1/x2 - 2*x1*x2^-2 + abs(x1 - 7)",
    ])
    func symbolicMatchesNumbers(text: String) throws {
        let map = try Expression(text).map()
        var rng = SplitMix64(seed: 7)
        let x = map.samplePoint(using: &rng)
        let s = try #require(map.symbolicJacobian())
        let j = try map.jacobian(at: x, layout: .numerator).matrix
        #expect(close(s.values(at: x).flatMap { $0 }, j.elements, tolerance: 1e-12), "\(s.entries)")
    }

    @Test("the notes' f(x1, x2) = (x1·x2 − 3)² + 1 at (1.04, 1.04): J = [−3.990272, −3.990272], symbolically 2·x2·(x1·x2 − 3)")
    func notesGradientDescentExample() throws {
        let map = try Expression("(x1*x2 - 3)^2 + 1").map(ExpressionBindings(pointCount: 2))
        let j = try map.jacobian(at: [1.04, 1.04], layout: .numerator).matrix
        #expect(close(j.elements, [-3.990272, -3.990272], tolerance: 1e-12))
        #expect(map.symbolicJacobian()?.entries == [["2·x2·(x1·x2 − 3)", "2·x1·(x1·x2 − 3)"]])
        #expect(map.inputs.map(\.name) == ["x1", "x2"])
    }

    @Test("001's rules with two variable matrices: d(X*Y), d(X.*Y), d(X+Y) with respect to each")
    func twoMatrixRules() throws {
        let shapes: [String: Shape] = ["X": .matrix(rows: 2, columns: 3), "Y": .matrix(rows: 3, columns: 2)]
        let xy = try Expression("X*Y").map(ExpressionBindings(shapes: shapes, wrt: ["X", "Y"]))
        var rng = SplitMix64(seed: 1)
        let p = xy.samplePoint(using: &rng)
        let y = p
        let xm = try Matrix(rows: 2, columns: 3, elements: Array(y[0..<6]))
        let ym = try Matrix(rows: 3, columns: 2, elements: Array(y[6..<12]))
        let j = try xy.jacobian(at: p, layout: .numerator)
        // ∂(XY)/∂X = I ⊗ Yᵀ and ∂(XY)/∂Y = X ⊗ I, side by side.
        let expected = Jacobian.kronecker(.identity(2), .matrix(ym.transposed())).matrix
        let expectedY = Jacobian.kronecker(.matrix(xm), .identity(2)).matrix
        for i in 0..<4 {
            #expect(close(Array(j.matrix.row(i)[0..<6]), expected.row(i)))
            #expect(close(Array(j.matrix.row(i)[6..<12]), expectedY.row(i)))
        }
        let same = ["X": Shape.matrix(rows: 2, columns: 3), "Y": .matrix(rows: 2, columns: 3)]
        for (text, dx, dy) in [("X.*Y", "Y", "X"), ("X+Y", "I", "I")] {
            let m = try Expression(text).map(ExpressionBindings(shapes: same, wrt: ["X", "Y"]))
            var r = SplitMix64(seed: 2)
            let q = m.samplePoint(using: &r)
            let jm = try m.jacobian(at: q, layout: .numerator).matrix
            for i in 0..<6 {
                let wantX = dx == "I" ? 1 : q[6 + i], wantY = dy == "I" ? 1 : q[i]
                #expect(jm[i, i] == wantX && jm[i, 6 + i] == wantY, "\(text)")
            }
            let fd = try FiniteDifference.jacobian(of: m, at: q, step: .auto).jacobian
            #expect(close(fd, jm, tolerance: 1e-8))
        }
    }

    @Test("a'*X*b and a'*exp(X*b) equal the catalog's bilinear and bilinear-exp")
    func bilinearMatchesCatalog() throws {
        for (text, name) in [("a'*X*b", "bilinear"), ("a'*exp(X*b)", "bilinear-exp")] {
            var options = MapOptions()
            options.seed = 5
            let catalog = try Catalog.build(name, shape: .matrix(rows: 3, columns: 2), options: options)
            let constants = Dictionary(uniqueKeysWithValues: catalog.constants.map { ($0.name, $0.values) })
            let map = try Expression(text).map(ExpressionBindings(shapes: ["X": .matrix(rows: 3, columns: 2)],
                                                                  wrt: ["X"], constants: constants))
            var rng = SplitMix64(seed: 9)
            let x = catalog.samplePoint(using: &rng)
            let (v1, j1) = try catalog.evaluate(at: x)
            let (v2, j2) = try map.evaluate(at: x)
            #expect(close(v1, v2) && close(j1.matrix, j2.matrix), "\(text)")
        }
    }

    @Test("000's one-hidden-layer net with respect to any of W1, b1, W2, b2 or all of them, against finite differences",
          arguments: [["W1"], ["b1"], ["W2"], ["b2"], ["W1", "b1", "W2", "b2"]])
    func notesNetwork(wrt: [String]) throws {
        let map = try Expression("softmax_ce(W2*sigmoid(W1*x + b1) + b2, y)").map(ExpressionBindings(
            shapes: ["x": .vector(4), "b1": .vector(3), "y": .vector(2)], wrt: wrt, seed: 3))
        #expect(map.inputs.map(\.name) == wrt)
        var rng = SplitMix64(seed: 4)
        let x = map.samplePoint(using: &rng)
        let j = try map.jacobian(at: x, layout: .numerator).matrix
        let fd = try FiniteDifference.jacobian(of: map, at: x, step: .auto).jacobian
        #expect(close(fd, j, tolerance: 1e-8), "\(maxDifference(fd, j))")
        // W1 is inferred 3×4 from x (4) and b1 (3), whether it is an input or a constant.
        let w1 = map.inputs.first { $0.name == "W1" }?.shape ?? map.constants.first { $0.name == "W1" }?.shape
        #expect(w1 == [3, 4])
    }

    @Test("004's f1…f4 with the bias node, and 002's softmax regression with L2, against finite differences")
    func notesChains() throws {
        let cases: [(String, ExpressionBindings)] = [
            ("mse(sigmoid(T2*[1; sigmoid(T1*[1; x])]), t)",
             ExpressionBindings(shapes: ["x": .vector(2), "T1": .matrix(rows: 4, columns: 3), "t": .vector(1)],
                                wrt: ["T1", "T2"], seed: 1)),
            ("softmax_ce(W*x + b, y) + lambda/2*sum(W.*W)",
             ExpressionBindings(shapes: ["W": .matrix(rows: 3, columns: 5)], wrt: ["W", "b"],
                                constants: ["lambda": [0.1], "y": [0, 1, 0]], seed: 2)),
        ]
        for (text, b) in cases {
            let map = try Expression(text).map(b)
            var rng = SplitMix64(seed: 6)
            let x = map.samplePoint(using: &rng)
            let j = try map.jacobian(at: x, layout: .numerator).matrix
            let fd = try FiniteDifference.jacobian(of: map, at: x, step: .auto).jacobian
            #expect(close(fd, j, tolerance: 1e-8), "\(text): \(maxDifference(fd, j))")
        }
    }

    @Test("the README's Swift example runs as printed")
    func readmeExample() throws {
        let net = try Expression("softmax_ce(W2*sigmoid(W1*x + b1) + b2, y)")
            .map(ExpressionBindings(shapes: ["x": .vector(4), "b1": .vector(3), "y": .vector(2)], wrt: ["W1", "b1"]))
        var rng = SplitMix64(seed: 0)
        let report = try GradientCheck().run(net, at: net.samplePoint(using: &rng))
        #expect(report.passed && net.inputs.map(\.name) == ["W1", "b1"])
    }

    @Test("MNIST-size: the gradient of a 784-300-10 net wrt W1 is one 1×235200 row, never a 10×235200 product")
    func mnistSizeGradient() throws {
        let map = try Expression("softmax_ce(W2*relu(W1*x + b1) + b2, y)").map(ExpressionBindings(
            shapes: ["W1": .matrix(rows: 300, columns: 784), "W2": .matrix(rows: 10, columns: 300)], wrt: ["W1"],
            seed: 1))
        var rng = SplitMix64(seed: 1)
        let x = map.samplePoint(using: &rng)
        let j = try map.jacobian(at: x, layout: .numerator)
        #expect(j.rows == 1 && j.columns == 235_200)
        let explanation = try #require(try map.explanation(at: x, layout: .numerator)).joined(separator: "\n")
        #expect(!explanation.contains("10×235200"), "\(explanation)")
        #expect(explanation.contains("reverse mode"))
    }

    @Test("bad expressions throw one sentence naming what is wrong", arguments: [
        ("softmax(W*x", "expected ')'"), ("x1 ** 2", "expected a number"), ("softmx(x)", "did you mean 'softmax'"),
        ("mse(x)", "mse takes 2 arguments"), ("x^y", "exponent of ^ must be a constant"), ("2 + 3", "no variables"),
        ("log", "'log' is a function"), ("x # 2", "'#' is not part of"),
    ])
    func badExpression(text: String, message: String) throws {
        do {
            _ = try Expression(text).map()
            Issue.record("\(text) was accepted")
        } catch let e as JacobianError {
            #expect(e.description.contains(message), "\(e.description)")
        }
    }

    @Test("bad bindings throw one sentence", arguments: [
        ("W*x + b", ["W": Shape.matrix(rows: 3, columns: 4), "b": .vector(5)], "needs two operands of one shape"),
        ("X*Y", ["X": .matrix(rows: 2, columns: 3), "Y": .matrix(rows: 2, columns: 3)], "columns of X"),
        ("W*x", ["x": .vector(4)], "give it with --shape W=Rx4"),
        ("inv(X)", ["X": .matrix(rows: 2, columns: 3)], "needs a square matrix"),
        ("softmax(X)", ["X": .matrix(rows: 2, columns: 3)], "softmax takes a vector"),
        ("z + 1", ["q": .vector(2)], "'q' is not a variable"),
    ])
    func badBindings(text: String, shapes: [String: Shape], message: String) throws {
        do {
            _ = try Expression(text).map(ExpressionBindings(shapes: shapes))
            Issue.record("\(text) was accepted")
        } catch let e as JacobianError {
            #expect(e.description.contains(message), "\(e.description)")
        }
    }

    @Test("a point outside a function's domain names the sub-expression")
    func domainError() throws {
        let map = try Expression("log(x - 2)").map(ExpressionBindings(shapes: ["x": .vector(2)]))
        #expect(throws: JacobianError.self) { try map.value(at: [1, 3]) }
        do { _ = try map.value(at: [1, 3]) } catch let e as JacobianError {
            #expect(e.description.contains("in 'log(x - 2)'"), "\(e.description)")
        }
    }
}

/// Inputs the expression fuzzer found: each must finish quickly with a value or one sentence.
@Suite("Expression fuzz findings")
struct ExpressionFuzzFindings {
    @Test("a stacked row whose height is known only from its use is solved, not left inconsistent (it trapped)",
          arguments: ["i+[x']", "+i+[x9'.*xx06t]"])
    func stackedHeights(text: String) throws {
        let e = try Expression(text)
        let shapes = ["i": Shape.vector(4), "z": .vector(5)].filter { e.variables.contains($0.key) }
        let map = try e.map(ExpressionBindings(shapes: shapes))
        var rng = SplitMix64(seed: 1)
        let x = map.samplePoint(using: &rng)
        let j = try map.jacobian(at: x, layout: .numerator).matrix
        let fd = try FiniteDifference.jacobian(of: map, at: x, step: .auto).jacobian
        #expect(close(fd, j, tolerance: 1e-8), "\(text)")
    }
}
