import Foundation
import ArgumentParser
import JacobianKit

/// The `jacobian` command: explicit Jacobians, checked against finite differences, and networks trained with them.
@main
struct JacobianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jacobian",
        abstract: "Explicit Jacobians of vector maps, checked against central finite differences.",
        discussion: """
        Numerator layout: J is m×n with J[i][j] = ∂y_i/∂x_j; denominator layout is its n×m transpose.
        Matrices are vectorized row-major: x[i*c + j] = X[i][j].

        Examples:
          jacobian list
          jacobian eval softmax --dim 3 --at 1,2,3
          jacobian check softmax --dim 10
          jacobian check "linear | sigmoid | mse" --wrt W --shape 3x4
          jacobian check all
        """,
        version: "0.1.0",
        subcommands: [ListCommand.self, EvalCommand.self, CheckCommand.self, HessianCommand.self, XORCommand.self,
                      MNISTCommand.self, DemoCommand.self])

    /// Sets up the standard streams (see `StandardStreams`), then ArgumentParser's main, except that with --json a
    /// usage error is one JSON object on standard error.
    static func main() {
        StandardStreams.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            // An ExitCode was reported already (or is a check's verdict); anything else is a usage error.
            if CommandLine.arguments.contains("--json") && code != .success && !(error is ExitCode) {
                let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? ""
                Output.error(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message,
                             exitCode: code.rawValue)
                exit(withError: ExitCode(code.rawValue))
            }
            exit(withError: error)
        }
    }
}
