import ArgumentParser
import JacobianKit

/// `jacobian check`: the analytic Jacobian against central finite differences, every entry.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare a map's analytic Jacobian with central finite differences, entry by entry.",
        discussion: """
        Methods (--method), for a map f: Rⁿ → Rᵐ:
          central       (f(x + h e_j) − f(x − h e_j)) / 2h per column: 2n evaluations, error O(h²) + O(ε/h);
                        --step auto uses h_j = ∛ε·max(1,|x_j|) ≈ 6.1e-6·max(1,|x_j|).
          richardson    central differences at h, h/2, h/4 extrapolated: 6n evaluations, error O(h⁶) + O(ε/h),
                        with each entry's own error estimate; auto h_j = 0.01·max(1,|x_j|).
          complex-step  Im f(x + i·h·e_j)/h, h_j = 1e-20·max(1,|x_j|): n complex evaluations, no cancellation;
                        only for maps that are real-analytic (not relu).
        Verdicts: every reference value carries its own error bound (round-off for central differences,
        Richardson's estimate, a few ulps for the complex step). An entry passes when |analytic − ref| ≤ tolerance
        + bound and the bound is within the tolerance; it fails when |Δ| > tolerance + 2·bound; otherwise it is
        inconclusive. The tolerance is 1e-5·|ref| (--rtol) + 1e-8·(the largest |entry| in its row or column)
        + --atol (default 0), so tiny entries are judged as strictly as large ones. Entries central differences
        cannot decide are re-judged by the complex step where the map is analytic, else by Richardson, and the
        report says how many; --method forces one method throughout. Exit status 1 for FAIL or INCONCLUSIVE.
        Steps respect the domain: where x ± h would leave it (log near 0), h = ∛ε·|x_j|, then one-sided.
        Kinks: for maps with branches (relu, leaky-relu), an entry where x ± h straddles the kink is judged
        against the interval between its one-sided quotients, and reported as a kink.
        --step-table prints error against h (1e-1 … 1e-12) for the worst entry. --directions K checks vᵀJu for K
        seeded random unit pairs plus up to 72 sparse and block probes instead of every entry (J is never formed;
        --method and --step apply), and after a failure names the wrong entries by halving the failing probe's inputs.
        A failing pipeline is checked factor by factor and the first failing factor is named.
        Exit status: 0 pass, 1 a failed or undecided entry, 64 bad input. MAP 'all' checks every built-in map at two sizes
        in both layouts.

        Examples:
          jacobian check softmax --dim 10
          jacobian check inverse --shape 3x3 --layout denominator
          jacobian check "linear | sigmoid | mse" --wrt W --shape 3x4 --json
          jacobian check relu --dim 3 --at 0,1e-7,-2
          jacobian check log-softmax --dim 5 --method richardson --step-table
          jacobian check softmax --dim 100000 --directions 8
          jacobian check rnn --sequence-length 5 --hidden-size 4 --dim 3
          jacobian check lstm-cell --hidden-size 4 --dim 3
          jacobian check "[x1*x2, sin(x1), x2^2]" --at 1,2
          jacobian check "softmax(W*x + b)" --wrt W --shape W=3x4
          jacobian check "X*Y" --wrt X,Y --shape X=2x3 --shape Y=3x2
          jacobian check "mse(sigmoid(W*x + b), t)" --wrt W,b --shape W=2x3
          jacobian check all
        --order 2 checks a scalar map's Hessian instead, and prints what 'jacobian hessian' prints:
          jacobian check "tanh | softmax-cross-entropy" --dim 3 --order 2
          jacobian check "(x1*x2 - 3)^2 + 1" --at 1.04,1.04 --order 2
        MAP may be an expression; 'jacobian eval --help' describes the language, shapes, --wrt and values.

        Your own code (any language; protocol in docs/exec-protocol.md):
          jacobian check --exec "python3 examples/python/layer.py" --dim 5
          jacobian check --exec "python3 examples/python/layer.py" --timeout 30
          jacobian check softmax --dim 3 --at 0.1,0.2,0.3 --claimed fixtures/exec/J.json
        """)

    @OptionGroup var point: PointOptions

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Finite-difference step: auto or a number.", valueName: "auto|h"))
    var step: String = "auto"

    // Optional so that --order 2 can tell a given tolerance from the default (it keeps the Hessian's own).
    @Option(name: .customLong("atol"), parsing: .unconditional,
            help: ArgumentHelp("Absolute tolerance. (default: 0; --order 2: the Hessian's default, 1e-06)",
                               valueName: "atol"))
    var givenAtol: Double?
    /// --atol, or the first-order check's default.
    var atol: Double { givenAtol ?? Tolerance.entrywise.absolute }

    @Option(name: .customLong("rtol"), parsing: .unconditional,
            help: ArgumentHelp("Relative tolerance. (default: 1e-05; --order 2: the Hessian's default)",
                               valueName: "rtol"))
    var givenRtol: Double?
    /// --rtol, or the first-order check's default.
    var rtol: Double { givenRtol ?? Tolerance.entrywise.relative }

    @Option(help: "1 checks the Jacobian; 2 checks a scalar map's Hessian against differences of its gradient.")
    var order: DerivativeOrder = .first

    @Option(name: .customLong("method"),
            help: "Force one method for every entry (default: central, escalating what it cannot decide).")
    var methodOption: CheckMethod?

    /// The base method: the one forced, else central differences.
    var method: CheckMethod { methodOption ?? .central }

    /// Whether undecided entries are re-judged by the complex step or Richardson (no --method given).
    var escalates: Bool { methodOption == nil }

    @Flag(name: .customLong("step-table"), help: "Print error against h, from 1e-1 to 1e-12, for the worst entry.")
    var stepTable = false

    /// The spelling before the rename (it differed from --step by one letter), kept for one release.
    @Flag(name: .customLong("steps"), help: .hidden)
    var stepsAlias = false

    /// --step-table, or its old spelling --steps.
    var steps: Bool { stepTable || stepsAlias }

    @OptionGroup var graph: GraphOption

    @Flag(help: "Explain how the map's Jacobian is built (the BPTT recursion for rnn).")
    var explain = false

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Check vᵀJu along K seeded random direction pairs instead of every entry.",
                               valueName: "K"))
    var directions: Int?

    @Option(help: ArgumentHelp("Check a program in any language instead of MAP: started once, spoken to in JSON lines "
                               + "(docs/exec-protocol.md).", valueName: "command"))
    var exec: String?

    @Option(help: ArgumentHelp("Seconds each request to the --exec program may take before it is stopped.",
                               valueName: "seconds"))
    var timeout: Double = 10

    @Option(help: ArgumentHelp("Check this Jacobian (.npy or JSON rows), computed elsewhere at --at, against finite "
                               + "differences of MAP or --exec.", valueName: "file"))
    var claimed: String?

    @Option(name: .customLong("claimed-layout"),
            help: ArgumentHelp("The layout of the --claimed Jacobian or of the --exec program's Jacobians "
                               + "(default: declared, else numerator)."))
    var claimedLayout: Layout?

    mutating func validate() throws {
        if exec == nil && point.map.isEmpty { throw ValidationError("Give a MAP to check, or --exec COMMAND.") }
        if exec != nil && !point.map.isEmpty {
            throw ValidationError("Give either a MAP or --exec COMMAND, not both ('\(point.map)' was given as MAP).")
        }
        if let e = exec, e.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--exec needs a command.")
        }
        guard timeout > 0, timeout.isFinite else {
            throw ValidationError("--timeout must be a positive number of seconds, but got \(timeout).")
        }
        _ = try Arguments.step(step)
        guard atol >= 0, rtol >= 0, atol.isFinite, rtol.isFinite else {
            throw ValidationError("--atol and --rtol must be non-negative numbers.")
        }
        if let k = directions, k <= 0 {
            throw ValidationError("--directions must be a positive whole number, but got \(k).")
        }
        try ensureOutputsWritten()
        try ensureOrderCombines()
        if graph.path != nil, directions != nil || point.map == "all" {
            throw ValidationError("--graph draws one expression's check; it does not go with --directions or 'all'.")
        }
    }

    func run() throws {
        // Checking does small products; one BLAS thread leaves both cores to the finite differences.
        BLAS.stopWorkerThreads()
        Memory.retainFreedBlocks()
        let tolerance = Tolerance(absolute: atol, relative: rtol)
        let checker = GradientCheck(layout: point.layout, step: try Arguments.step(step), tolerance: tolerance,
                                    method: method, escalates: escalates)
        var passed = true
        try Output.reportingErrors {
            if order == .second { passed = try checkHessian(); return }
            if exec != nil || claimed != nil {
                passed = try ExecCheck.run(self)
                return
            }
            if point.map == "all" {
                passed = try CheckAll.run(checker: checker, seed: point.seed, json: point.json)
                return
            }
            if let k = directions {
                let (map, x) = try point.resolve(.directions(k))
                let report = try DirectionalCheck(count: k, seed: point.seed, tolerance: tolerance,
                                                  step: try Arguments.step(step), method: method, layout: point.layout)
                    .run(map, at: x)
                passed = report.passed
                if point.json {
                    try Output.json(report)
                } else {
                    let lines = report.textLines(inputShape: map.inputShape, outputShape: map.outputShape)
                    lines.forEach { Output.line($0) }
                }
                return
            }
            if let path = point.npy { try OutputPath.ensureWritable(path) }
            try graph.prepare(json: point.json)
            let (map, x) = try point.resolve(.check(method: method, json: point.json, npy: point.npy != nil))
            var report = try checker.run(map, at: x)
            if let path = point.npy { try report.analytic.matrix.writeNPY(to: path) }
            if steps, let w = report.worst {
                report.stepStudy = try StepStudy.run(map, at: x, output: w.output, input: w.input)
            }
            passed = report.passed
            if explain && !point.json {
                if let lines = try map.explanation(at: x, layout: point.layout) {
                    lines.forEach { Output.line($0) }
                } else {
                    Output.line("\(map.name): J = \(map.formula)")
                }
                Output.line()
            }
            if point.json {
                try Output.json(report)
            } else {
                let note = point.at.isEmpty ? "random, --seed \(point.seed)" : nil
                report.textLines(pointNote: note, width: Terminal.width).forEach { Output.line($0) }
            }
            try NonFinite.ensureFinite(report)
            try graph.draw(map, at: x, layout: point.layout, failing: report.passed ? nil : checker)
        }
        if !passed { throw ExitCode(1) }
    }
}
