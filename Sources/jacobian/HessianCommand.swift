import ArgumentParser
import JacobianKit

/// `jacobian hessian`: the Hessian of a scalar map or expression, checked against differences of its gradient.
struct HessianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hessian",
        abstract: "Print a scalar map's Hessian and check it against central differences of its gradient.",
        discussion: """
        H[i][j] = ∂²y/∂x_i∂x_j is symmetric, so numerator and denominator layout write the same matrix. It is
        computed over the graph as Σ_v T_vᵀ·C_v·T_v: each node's own second derivatives C_v, weighted by
        ∂y/∂(node), between the Jacobians T_v of its arguments. For a composition that is the Gauss–Newton split
        H = Jᵀ·∇²(loss)·J + Σₖ gₖ·∇²fₖ, and each term is printed. A single built-in map keeps its structure
        (softmax-cross-entropy: diag(p) − p·pᵀ; mse: I).

        Examples:
          jacobian hessian softmax-cross-entropy --dim 4
          jacobian hessian mse --dim 3
          jacobian hessian "(x1*x2 - 3)^2 + 1" --at 1.04,1.04
          jacobian hessian "softmax_ce(W*x + b, y)" --wrt b --shape W=3x4
          jacobian hessian "tanh | softmax-cross-entropy" --dim 3
        """)

    @OptionGroup var point: PointOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Finite-difference step of the gradient: auto or a number.", valueName: "auto|h"))
    var step: String = "auto"

    @Option(parsing: .unconditional, help: "Absolute tolerance.")
    var atol: Double = Tolerance.default.absolute

    @Option(parsing: .unconditional, help: "Relative tolerance.")
    var rtol: Double = Tolerance.default.relative

    mutating func validate() throws {
        _ = try Arguments.step(step)
        guard atol >= 0, rtol >= 0, atol.isFinite, rtol.isFinite else {
            throw ValidationError("--atol and --rtol must be non-negative numbers.")
        }
    }

    func run() throws {
        var passed = true
        try Output.reportingErrors {
            let (map, x) = try point.resolve()
            try FiniteDifference.ensureFits(rows: map.inputShape.count, columns: map.inputShape.count)
            let r = try HessianCheck.run(map, at: x, step: Arguments.step(step),
                                         tolerance: Tolerance(absolute: atol, relative: rtol))
            passed = r.passed
            if let path = point.npy { try r.hessian.writeNPY(to: path) }
            if point.json { return try Output.json(r) }
            Output.line("hessian \(map.name): \(map.inputShape.space) → R; H[i][j] = ∂²y/∂x_i∂x_j is symmetric, "
                        + "so both layouts write the same matrix")
            Output.inputs(map, x, random: point.at.isEmpty, seed: point.seed)
            for c in map.constants { Output.line("\(c.name) = \(Output.vector(c.values))") }
            Output.line("y = \(Output.number(r.value, digits: 10))")
            Output.line("gradient = \(Output.vector(r.gradient))")
            Output.line()
            let formula = r.formula.isEmpty ? "" : "; H = \(r.formula)"
            Output.line("H (\(r.hessian.rows)×\(r.hessian.columns), \(r.structure)\(formula)):")
            Output.line(Output.matrix(r.hessian))
            Output.line("central differences of the gradient (\(r.evaluations) gradient evaluations):")
            Output.line(Output.matrix(r.finiteDifference))
            if r.terms.count > 1 {
                Output.line("Gauss–Newton split: H is the sum of \(r.terms.count) terms, one per node with curvature:")
                for t in r.terms {
                    Output.line("  #\(t.node) \(t.label): \(t.kind), max |entry| \(Output.sci(t.matrix.maxAbs))")
                }
            }
            let name = { (k: Int) in map.inputCoordinateName(k) }
            Output.line("max |Δ| = \(Output.sci(r.maxAbsoluteError)) at ∂²y/∂\(name(r.worst.row))∂\(name(r.worst.column)) "
                        + "(row \(r.worst.row), column \(r.worst.column)): analytic \(Output.number(r.worst.analytic, digits: 10)), "
                        + "finite difference \(Output.number(r.worst.finiteDifference, digits: 10))")
            Output.line("max |H − Hᵀ| = \(Output.sci(r.asymmetry))")
            Output.line("mismatched entries: \(r.mismatches) / \(r.total) (an entry passes when \(r.tolerance.rule))")
            Output.line(r.passed ? "PASS" : "FAIL")
        }
        if !passed { throw ExitCode(1) }
    }
}
