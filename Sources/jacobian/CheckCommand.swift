import ArgumentParser
import JacobianKit

/// `jacobian check`: the analytic Jacobian against central finite differences, every entry.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare a map's analytic Jacobian with central finite differences, entry by entry.",
        discussion: """
        Every entry is compared: column j of the finite-difference Jacobian is
        (f(x + h_j e_j) − f(x − h_j e_j)) / (2 h_j), which costs 2n evaluations and has error O(h²).
        --step auto uses h_j = ∛ε·max(1,|x_j|) ≈ 6.1e-6·max(1,|x_j|). An entry passes when
        |analytic − fd| ≤ 1e-6 + 1e-5·|fd| (change with --atol/--rtol). The defaults assume Double and
        a point where the map is differentiable (relu at exactly 0 is a kink).
        Exit status: 0 pass, 1 a mismatch, 64 bad input.

        MAP 'all' checks every built-in map at two sizes in both layouts.

        Examples:
          jacobian check softmax --dim 10
          jacobian check inverse --shape 3x3 --layout denominator
          jacobian check "linear | sigmoid | mse" --wrt W --shape 3x4 --json
          jacobian check all
        """)

    @OptionGroup var point: PointOptions

    @Option(help: ArgumentHelp("Finite-difference step: auto or a number.", valueName: "auto|h"))
    var step: String = "auto"

    @Option(help: "Absolute tolerance.")
    var atol: Double = Tolerance.default.absolute

    @Option(help: "Relative tolerance.")
    var rtol: Double = Tolerance.default.relative

    mutating func validate() throws {
        _ = try Arguments.step(step)
        guard atol >= 0, rtol >= 0, atol.isFinite, rtol.isFinite else {
            throw ValidationError("--atol and --rtol must be non-negative numbers.")
        }
    }

    func run() throws {
        // Checking does small products; one BLAS thread leaves both cores to the finite differences.
        BLAS.stopWorkerThreads()
        Memory.retainFreedBlocks()
        let checker = GradientCheck(layout: point.layout, step: try Arguments.step(step),
                                    tolerance: Tolerance(absolute: atol, relative: rtol))
        var passed = true
        try Output.reportingErrors {
            if point.map == "all" {
                passed = try CheckAll.run(checker: checker, seed: point.seed, json: point.json)
                return
            }
            let (map, x) = try point.resolve()
            let report = try checker.run(map, at: x)
            passed = report.passed
            if point.json { try Output.json(report) } else { CheckText.print(report, map: map, random: point.at == nil, seed: point.seed) }
        }
        if !passed { throw ExitCode(1) }
    }
}
