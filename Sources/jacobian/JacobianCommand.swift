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
        subcommands: [ListCommand.self, EvalCommand.self, CheckCommand.self, XORCommand.self, MNISTCommand.self, DemoCommand.self])

    /// Sets up the standard streams (see `Streams`), then parses and runs the command.
    static func main() {
        StandardStreams.install()
        main(nil)
    }
}
