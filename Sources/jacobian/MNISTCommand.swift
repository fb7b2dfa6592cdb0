import ArgumentParser
import Foundation
import JacobianKit

/// `jacobian mnist`: train and evaluate an MNIST network whose gradients are chains of layer Jacobians.
struct MNISTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist",
        abstract: "Train an MNIST network with gradients from chains of structured Jacobians.",
        discussion: """
        The network is 784 → hidden… → 10 with softmax and cross-entropy. The gradient of every weight is
        the chain J(loss)·J(z_L wrt a)·diag(σ′)·…·(I ⊗ aᵀ) multiplied in the chosen layout; over a
        mini-batch each structured product is one BLAS call or one elementwise pass.
        Defaults reach about 98% test accuracy in well under 30 s on two cores.

        Examples:
          jacobian mnist
          jacobian mnist --hidden 0 --l2 0.0001 --epochs 5        softmax regression (notes 002)
          jacobian mnist --hidden 300,100 --activation tanh       a deeper net (notes 003)
          jacobian mnist --limit 2000 --epochs 1 --layout denominator
          jacobian mnist --save model.jcb && jacobian mnist --load model.jcb --epochs 0
          jacobian mnist --explain --check --epochs 0
        """)

    @OptionGroup var colorOption: ColorOption

    @Option(help: "Layout the chain of Jacobians is multiplied in.")
    var layout: Layout = .numerator

    @Option(help: ArgumentHelp("Hidden layer sizes, comma-separated; 0 for softmax regression.", valueName: "n1,n2,…"))
    var hidden = "300"

    @Option(help: "Hidden activation.")
    var activation: Activation = .relu

    @Option(parsing: .unconditional, help: "Passes over the training set (0 with --load only evaluates).")
    var epochs = 8

    @Option(parsing: .unconditional, help: "Mini-batch size (60000 is full batch).")
    var batch = 100

    @Option(parsing: .unconditional,
            help: "Initial learning rate (cosine-decayed to 0 over the run unless --constant-lr).")
    var lr = 0.1

    @Option(parsing: .unconditional, help: "Momentum (0 for plain SGD).")
    var momentum = 0.9

    @Flag(help: "Keep the learning rate constant.")
    var constantLr = false

    @Option(parsing: .unconditional, help: "L2 weight λ in λ/2·Σ‖W‖².")
    var l2 = 0.0

    @Option(parsing: .unconditional, help: "Train on the first N training images only.")
    var limit: Int?

    @Option(help: ArgumentHelp("Folder with the four MNIST .gz files.", valueName: "dir"))
    var data: String?

    @Option(parsing: .unconditional, help: "Seed for the initial weights and the shuffling.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Write the trained model here (atomically).", valueName: "file"))
    var save: String?

    @Option(help: ArgumentHelp("Start from a saved model.", valueName: "file"))
    var load: String?

    @Flag(help: "Show one sample's chain of Jacobians with shapes, structure and multiplication counts.")
    var explain = false

    @Flag(help: "Before training, check the network's gradient against finite differences (exit 1 on failure).")
    var check = false

    @Flag(help: "Print one JSON object per epoch and a summary.")
    var json = false

    @Option(help: ArgumentHelp("Write the loss curve as an SVG file.", valueName: "file.svg"))
    var plot: String?

    mutating func validate() throws {
        _ = try hiddenSizes()
        if epochs < 0 { throw ValidationError("--epochs must be zero or a positive whole number, but got \(epochs).") }
        if batch <= 0 { throw ValidationError("--batch must be a positive whole number, but got \(batch).") }
        if !(lr.isFinite && lr > 0) { throw ValidationError("--lr must be a positive finite number, but got \(lr).") }
        if !(momentum.isFinite && momentum >= 0 && momentum < 1) {
            throw ValidationError("--momentum must be in [0, 1), but got \(momentum).")
        }
        if !(l2.isFinite && l2 >= 0) { throw ValidationError("--l2 must be a non-negative number, but got \(l2).") }
        if let n = limit, n <= 0 { throw ValidationError("--limit must be a positive whole number, but got \(n).") }
        if epochs == 0 && load == nil && !explain && !check {
            throw ValidationError("--epochs 0 only evaluates, so it needs --load FILE (or --explain / --check).")
        }
        if epochs == 0 && plot != nil {
            throw ValidationError("--plot draws the loss curve of training, but --epochs 0 trains nothing.")
        }
        try Output.validating {
            try TrainingBudget.ensureMLP(sizes: [784] + hiddenSizes() + [10], batch: min(batch, 60_000), epochs: epochs,
                                         images: min(limit ?? 60_000, 60_000))
        }
    }

    /// "300,100" → [300, 100]; "0" → [].
    func hiddenSizes() throws -> [Int] {
        if hidden.trimmingCharacters(in: .whitespaces) == "0" { return [] }
        let parts = hidden.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--hidden takes positive sizes separated by commas (for example 300 or 300,100) "
                                  + "or 0, but got '\(hidden)'.")
        }
        return parts.map { $0! }
    }

    func run() throws {
        Memory.retainFreedBlocks()
        // Large products split over the cores by us, one BLAS thread each: no idle OpenBLAS worker spinning
        // against the elementwise passes, which can then use both cores too.
        BLAS.useOwnThreads(ProcessInfo.processInfo.activeProcessorCount)
        try Output.reportingErrors {
            if let path = save { try OutputPath.ensureWritable(path) }
            if let path = plot { try OutputPath.ensureWritable(path) }
            var network: MLP
            if let path = load {
                network = try ModelFile.read(path)
            } else {
                network = MLP(sizes: [784] + (try hiddenSizes()) + [10], activation: activation, seed: seed)
            }
            let directory = try data ?? MNISTCommand.defaultDataDirectory()
            let loaded = try MNIST.load(directory: directory)
            let train = limit.map { loaded.train.prefix($0) } ?? loaded.train
            let test = loaded.test
            if explain { MNISTExplain.print(network, sample: train.batch([0]), layout: layout) }
            if check {
                let ok = try MNISTExplain.check(network, data: train, layout: layout, seed: seed, json: json)
                if !ok { throw ExitCode(1) }
            }
            var options = TrainingOptions()
            options.epochs = epochs
            options.batch = min(batch, train.count)
            options.learningRate = lr
            options.momentum = momentum
            options.l2 = l2
            options.seed = seed
            options.layout = layout
            options.schedule = !constantLr
            if epochs == 0 && (explain || check) && load == nil { return }
            network = try MNISTRun(options: options, json: json, plot: plot).run(network, train: train, test: test)
            if let path = save {
                try ModelFile.write(network, to: path)
                if !json { Output.line("saved the model to \(path)") }
            }
        }
    }

    /// Where the MNIST files are looked for, in order: `share/jacobian/mnist` beside the installed binary
    /// (scripts/install puts them there), `fixtures/mnist` in the source tree above the binary's real path
    /// (/proc/self/exe, so a symlink on PATH works), then `./fixtures/mnist`.
    static func dataDirectoryCandidates() -> [String] {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
        var out = [dir.deletingLastPathComponent().appendingPathComponent("share/jacobian/mnist").path]
        while dir.pathComponents.count > 1 {
            out.append(dir.appendingPathComponent("fixtures/mnist").path)
            dir.deleteLastPathComponent()
        }
        out.append(FileManager.default.currentDirectoryPath + "/fixtures/mnist")
        return out
    }

    /// The first candidate that holds the training images; throws one sentence naming where it looked.
    static func defaultDataDirectory() throws -> String {
        let candidates = dataDirectoryCandidates()
        if let found = candidates.first(where: {
            FileManager.default.fileExists(atPath: $0 + "/" + MNIST.files.trainImages)
        }) {
            return found
        }
        let shown = [candidates[0], candidates[1], candidates[candidates.count - 1]]
        throw ValidationError(
            "No MNIST files found: looked in \(shown.joined(separator: ", ")) and the folders above the binary; "
            + "give the folder with --data DIR, or install with scripts/install.")
    }
}

extension Activation: ExpressibleByArgument {}
