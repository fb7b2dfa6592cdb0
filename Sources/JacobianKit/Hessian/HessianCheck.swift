/// The Hessian of a scalar map, H[i][j] = ∂²y/∂xᵢ∂xⱼ (n×n, symmetric, so the same in both layouts), from second
/// derivatives over the graph, checked against central differences of the analytic gradient.
public enum HessianCheck {
    /// Computes and checks the Hessian of `map` at `x`; throws for maps that are not scalar or have no curvature.
    public static func run(_ map: any VectorMap, at x: [Double], step: StepRule = .auto,
                           tolerance: Tolerance = .default) throws -> HessianReport {
        guard map.outputShape.count == 1 else {
            throw JacobianError.invalidArgument(
                "A Hessian needs a scalar map, but \(map.name) gives \(map.outputShape.count) numbers; "
                + "take a loss of it, for example mse(…, t) or sum(…).")
        }
        guard x.count == map.inputShape.count else {
            throw JacobianError.shapeMismatch("\(map.name) takes \(map.inputShape.count) numbers, "
                                              + "the point has \(x.count)")
        }
        let result: ComputationGraph.HessianResult
        let graph: ComputationGraph
        var structure = "dense", formula = ""
        if let e = map as? ExpressionMap {
            graph = e.graph
            result = try e.hessian(at: x)
        } else {
            let stages = map.stages
            graph = ComputationGraph.chain(stages)
            result = try graph.hessian(["x": x], inputs: [0])
            if stages.count == 1, let c = map as? CurvatureMap {
                let h = try c.curvature(at: x, adjoint: [1])
                (structure, formula) = (h.structureName, c.curvatureFormula)
            }
        }
        let reference = try FiniteDifference.jacobian(of: GradientMap(map), at: x, step: step)
        let h = result.hessian, fd = reference.jacobian
        var worst = (row: 0, column: 0, error: -1.0), mismatches = 0, asymmetry = 0.0
        for i in 0..<h.rows {
            for j in 0..<h.columns {
                let d = abs(h[i, j] - fd[i, j])
                if d > worst.error { worst = (i, j, d) }
                if d > tolerance.absolute + tolerance.relative * abs(fd[i, j]) { mismatches += 1 }
                asymmetry = max(asymmetry, abs(h[i, j] - h[j, i]))
            }
        }
        let terms = result.terms.map { node, term in
            HessianTerm(node: node, label: graph.nodes[node].label, kind: Self.kind(graph, node), matrix: term)
        }
        return HessianReport(
            map: map.name, input: x, value: result.value, gradient: result.gradient, hessian: h,
            finiteDifference: fd, structure: structure, formula: formula, terms: terms,
            evaluations: reference.evaluations, maxAbsoluteError: max(0, worst.error),
            worst: HessianEntry(row: worst.row, column: worst.column,
                                analytic: h.rows > 0 ? h[worst.row, worst.column] : 0,
                                finiteDifference: h.rows > 0 ? fd[worst.row, worst.column] : 0),
            asymmetry: asymmetry, mismatches: mismatches, total: h.rows * h.columns, tolerance: tolerance,
            passed: mismatches == 0)
    }

    /// A loss (a scalar node of a vector) gives the Gauss–Newton term; every other node a curvature term.
    static func kind(_ g: ComputationGraph, _ k: Int) -> String {
        let n = g.nodes[k]
        let loss = n.shape.isScalar && n.arguments.contains { !g.nodes[$0].shape.isScalar }
        return loss ? "Gauss–Newton Jᵀ·∇²f·J" : "curvature Σₖ gₖ·∇²fₖ"
    }
}

/// A map's analytic gradient as a map of its own, so finite differences of it give the reference Hessian.
struct GradientMap: VectorMap {
    let map: any VectorMap
    init(_ map: any VectorMap) { self.map = map }
    var name: String { "∇" + map.name }
    var inputShape: Shape { map.inputShape }
    var outputShape: Shape { .vector(map.inputShape.count) }
    var formula: String { "" }
    func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let g = try map.evaluate(at: x).jacobian.matrix.elements
        return (g, .zero(rows: g.count, columns: x.count))
    }
}

extension CurvatureMap {
    /// The Hessian's formula for a scalar map ("I", "(Σy)·(diag(p) − p·pᵀ)"); "" where none is written.
    public var curvatureFormula: String {
        switch self {
        case is MeanSquaredError: return "I"
        case is SoftmaxCrossEntropy: return "(Σy)·(diag(p) − p·pᵀ), p = softmax(z)"
        case is CrossEntropy: return "diag(y ⊘ p²)"
        case is BinaryCrossEntropy: return "diag(t ⊘ p² + (1−t) ⊘ (1−p)²)"
        case is LogDeterminant: return "−(X⁻¹)ᵀ-permuted X⁻¹ ⊗ X⁻ᵀ: ∂²/∂X_ab∂X_cd = −V_bc·V_da"
        case is Determinant: return "det(X)·(V_ba·V_dc − V_bc·V_da), V = X⁻¹"
        case is Trace: return "0 (tr is linear)"
        default: return ""
        }
    }
}

/// One entry of a Hessian comparison.
public struct HessianEntry: Encodable, Sendable {
    /// Row i (∂xᵢ).
    public var row: Int
    /// Column j (∂xⱼ).
    public var column: Int
    /// The analytic ∂²y/∂xᵢ∂xⱼ.
    public var analytic: Double
    /// Central differences of the gradient there.
    public var finiteDifference: Double
}

/// One node's contribution T_vᵀ·C_v·T_v to the Hessian (n×n over the inputs).
public struct HessianTerm: Encodable, Sendable {
    /// The node's index in the graph listing of `--explain`.
    public var node: Int
    /// The node's expression text or stage name.
    public var label: String
    /// "Gauss–Newton Jᵀ·∇²f·J" for a loss node, "curvature Σₖ gₖ·∇²fₖ" otherwise.
    public var kind: String
    /// The term, n×n.
    public var matrix: Matrix

    enum CodingKeys: String, CodingKey { case node, label, kind, matrix }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(node, forKey: .node)
        try c.encode(label, forKey: .label)
        try c.encode(kind, forKey: .kind)
        try c.encode(matrix.rowArrays, forKey: .matrix)
    }
}

/// The Hessian of a scalar map at a point against finite differences of its gradient (JSON of `hessian --json`).
public struct HessianReport: Encodable, Sendable {
    /// The map or expression.
    public var map: String
    /// x.
    public var input: [Double]
    /// y = f(x).
    public var value: Double
    /// ∇f(x), n numbers.
    public var gradient: [Double]
    /// H, n×n.
    public var hessian: Matrix
    /// Central differences of the gradient, n×n.
    public var finiteDifference: Matrix
    /// The structure of H for a single built-in map ("diagonal + outer product", "identity", …), else "dense".
    public var structure: String
    /// H's formula where the map states one.
    public var formula: String
    /// The terms that add up to H (one per node with curvature): the Gauss–Newton split.
    public var terms: [HessianTerm]
    /// Gradient evaluations the reference took.
    public var evaluations: Int
    /// max |H − fd|.
    public var maxAbsoluteError: Double
    /// Where that is.
    public var worst: HessianEntry
    /// max |H − Hᵀ| (0 up to rounding).
    public var asymmetry: Double
    /// Entries outside tolerance.
    public var mismatches: Int
    /// n².
    public var total: Int
    /// The pass rule.
    public var tolerance: Tolerance
    /// Whether every entry passed.
    public var passed: Bool

    enum CodingKeys: String, CodingKey {
        case map, input, value, gradient, hessian, finiteDifference, structure, formula, terms, evaluations,
             maxAbsoluteError, worst, asymmetry, mismatches, total, tolerance, passed
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(map, forKey: .map)
        try c.encode(input, forKey: .input)
        try c.encode(value, forKey: .value)
        try c.encode(gradient, forKey: .gradient)
        try c.encode(hessian.rowArrays, forKey: .hessian)
        try c.encode(finiteDifference.rowArrays, forKey: .finiteDifference)
        try c.encode(structure, forKey: .structure)
        try c.encode(formula, forKey: .formula)
        try c.encode(terms, forKey: .terms)
        try c.encode(evaluations, forKey: .evaluations)
        try c.encode(maxAbsoluteError, forKey: .maxAbsoluteError)
        try c.encode(worst, forKey: .worst)
        try c.encode(asymmetry, forKey: .asymmetry)
        try c.encode(mismatches, forKey: .mismatches)
        try c.encode(total, forKey: .total)
        try c.encode(tolerance, forKey: .tolerance)
        try c.encode(passed, forKey: .passed)
    }
}
