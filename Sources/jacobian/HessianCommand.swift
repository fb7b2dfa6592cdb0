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

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Finite-difference step of the gradient: auto or a number.", valueName: "auto|h"))
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
            passed = try Self.report(map, at: x, point: point, step: Arguments.step(step),
                                     tolerance: Tolerance(absolute: atol, relative: rtol))
        }
        if !passed { throw ExitCode(1) }
    }

    /// Checks the Hessian of `map` at x and prints the report as --json or text (and H to --npy); returns whether it
    /// passed. `jacobian check --order 2` calls this too, so that both commands print the same.
    static func report(_ map: any VectorMap, at x: [Double], point: PointOptions, step: StepRule,
                       tolerance: Tolerance) throws -> Bool {
        try FiniteDifference.ensureFits(rows: map.inputShape.count, columns: map.inputShape.count)
        let r = try HessianCheck.run(map, at: x, step: step, tolerance: tolerance)
        if let path = point.npy { try r.hessian.writeNPY(to: path) }
        if point.json {
            try Output.json(r)
        } else {
            let note = point.at.isEmpty ? "random, --seed \(point.seed)" : nil
            r.textLines(for: map, pointNote: note, width: Terminal.width).forEach { Output.line($0) }
        }
        return r.passed
    }
}
