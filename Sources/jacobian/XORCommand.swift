import ArgumentParser
import Foundation
import JacobianKit

/// `jacobian xor`: the 2021 notes' 2-4-1 XOR net, trained by explicit Jacobian products.
struct XORCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xor",
        abstract: "Train the notes' 2-4-1 XOR net with explicit Jacobian products.",
        discussion: """
        Per-sample gradient descent over (0,0),(0,1),(1,0),(1,1) each iteration. The θ1 gradient is
        J(f4)·J(f3)·J(f2)·J_θ1(f1) (1×12) in numerator layout, or J_θ1ᵀ(f1)·Jᵀ(f2)·Jᵀ(f3)·Jᵀ(f4) (12×1)
        in denominator layout; every factor is formed as a full matrix. The reported error of an
        iteration is e1+e2+e3+e4, each sample's loss in its own forward pass before its update.

        Examples:
          jacobian xor
          jacobian xor --seed 3 --layout denominator
          jacobian xor --explain --iters 0
          jacobian xor --init fixtures/xor/notes-seed0.json --json
        """)

    @OptionGroup var colorOption: ColorOption

    @Option(parsing: .unconditional, help: "Iterations (each updates on all four samples).")
    var iters = 100_000

    @Option(parsing: .unconditional, help: "Learning rate.")
    var lr = 0.02

    @Option(parsing: .unconditional, help: "Seed for the initial weights (uniform in [0, 1)).")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Report the error every this many iterations.")
    var every = 10_000

    @Option(help: "Layout the Jacobians are formed and multiplied in.")
    var layout: Layout = .numerator

    @Option(name: .customLong("init"),
            help: ArgumentHelp("Start from weights in a JSON file: {\"theta1\": 4×3 rows, \"theta2\": 1×5 rows}.",
                               valueName: "file"))
    var initFile: String?

    @Flag(help: "Print each Jacobian of the chain for the first sample, their products and a finite-difference check.")
    var explain = false

    @Flag(help: "Print JSON lines instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Write the loss curve as an SVG file.", valueName: "file.svg"))
    var plot: String?

    mutating func validate() throws {
        if iters < 0 { throw ValidationError("--iters must be zero or a positive whole number, but got \(iters).") }
        if every <= 0 { throw ValidationError("--every must be a positive whole number, but got \(every).") }
        if !(lr.isFinite && lr > 0) { throw ValidationError("--lr must be a positive finite number, but got \(lr).") }
        try Output.validating { try TrainingBudget.ensureXOR(iterations: iters) }
        if iters == 0 && plot != nil {
            throw ValidationError("--plot draws the loss curve of training, but --iters 0 trains nothing.")
        }
        if iters == 0 && !explain {
            throw ValidationError("--iters 0 trains nothing; give --iters N (the notes use 100000), "
                                  + "or --explain to see one sample's Jacobians.")
        }
    }

    struct Progress: Encodable { var iteration: Int; var error: Double }
    struct Summary: Encodable {
        var iterations: Int, error: Double, outputs: [Double], converged: Bool, seconds: Double, layout: Layout
        var theta1: [[Double]], theta2: [[Double]]
    }

    func run() throws {
        BLAS.stopWorkerThreads()
        try Output.reportingErrors {
            if let path = plot { try OutputPath.ensureWritable(path) }
            let start = try initFile.map(XORWeights.load) ?? XORNetwork(seed: seed)
            if explain { try XORExplain.print(start, layout: layout) }
            if iters == 0 { return }
            let trainer = XORTrainer(network: start, learningRate: lr, layout: layout)
            if !json {
                Output.line("training 2-4-1 XOR: \(iters) iterations, lr \(lr), \(layout.rawValue) layout, "
                            + (initFile.map { "weights from \($0)" } ?? "seed \(seed)"))
            }
            let result = try trainer.train(iterations: iters, every: every) { i, e in
                if json {
                    try? Output.json(Progress(iteration: i, error: e))
                } else {
                    Output.line("iteration \(pad(i))  error \(e)")
                }
            }
            let curve = LossCurve(points: result.curve.map { ($0.x, $0.loss) }, xLabel: "iteration",
                                  yLabel: "summed error e1+e2+e3+e4")
            if let path = plot {
                try curve.writeSVG(to: path, title: "XOR 2-4-1, lr \(lr), \(layout.rawValue) layout")
            }
            if json {
                return try Output.json(Summary(iterations: result.iterations, error: result.error,
                                               outputs: result.outputs, converged: result.converged,
                                               seconds: result.seconds, layout: layout,
                                               theta1: result.network.theta1.rowArrays,
                                               theta2: result.network.theta2.rowArrays))
            }
            printSummary(result)
            Output.line()
            Output.line(curve.terminal())
            if let path = plot { Output.line("wrote the loss curve to \(path)") }
        }
    }

    private func pad(_ i: Int) -> String {
        let s = String(i), w = String(iters).count
        return String(repeating: " ", count: max(0, w - s.count)) + s
    }

    private func printSummary(_ r: XORResult) {
        Output.line()
        Output.line("  x1  x2  target  output")
        for (k, x) in XORNetwork.inputs.enumerated() {
            let ok = (r.outputs[k] > 0.5) == (XORNetwork.targets[k] > 0.5)
            Output.line("   \(Int(x[0]))   \(Int(x[1]))       \(Int(XORNetwork.targets[k]))  "
                        + "\(String(format: "%.6f", r.outputs[k]))  \(ok ? "✓" : "✗")")
        }
        Output.line(String(format: "%.3f s for %d iterations (%.0f ns per sample update)", r.seconds, r.iterations,
                           r.seconds * 1e9 / Double(4 * r.iterations)))
        if r.converged {
            Output.line("converged: summed error \(r.error) < 0.01 and every output on the right side of 0.5")
        } else {
            let advice = r.iterations < 100_000
                ? "train longer (--iters 100000 is the notes' run)"
                : "as the notes say, try other initial weights, e.g. --seed \(seed + 1)"
            Output.line("did not converge after \(r.iterations) iterations (summed error \(r.error)); \(advice)")
        }
    }
}
