import Foundation

/// A map computed by a program in any language, started once and spoken to in JSON lines (protocol version 1,
/// docs/exec-protocol.md): the program answers `info` with its shapes and Jacobian layout, and `eval` with the
/// value at each of many points and, when asked, its Jacobian there. Finite differences send all of a chunk's
/// probe points in one request (`BatchEvaluable`).
///
/// Every way the program can go wrong (not found, exits, crashes, hangs past `timeout`, prints something that is
/// not the protocol, returns the wrong count or NaN) throws `JacobianError.program` with one sentence naming the
/// program and what it did, followed by the last lines of its standard error. The program is stopped and reaped
/// when the map is released or `stop()` is called. Starting one sets SIGPIPE to ignored in this process, so that
/// writing to a program that has exited is an error to report rather than a signal that ends the process.
public struct ExecMap: VectorMap, BatchEvaluable {
    /// The command as given ("python3 layer.py").
    public let command: String
    /// The name the program gave in `info`, else the command.
    public let name: String
    public let inputShape: Shape
    public let outputShape: Shape
    /// The layout of the Jacobians the program returns: declared by it, given by the caller, or numerator.
    public let jacobianLayout: Layout
    /// Where `jacobianLayout` came from: "declared by the program", "given", or "assumed (not declared)".
    public let layoutSource: String
    /// Seconds each request may take before the program is stopped.
    public let timeout: Double
    public var formula: String { "the program's answer (\(jacobianLayout.rawValue) layout, \(layoutSource))" }
    private let session: ExecSession

    /// Starts `command` (through /bin/sh) and asks for its shapes. `inputShape` and `jacobianLayout` override
    /// what the program declares; an output shape it does not declare is learned by evaluating at `probe`
    /// (zeros by default). Throws when the input size is known from neither side.
    public init(command: String, inputShape: Shape? = nil, jacobianLayout: Layout? = nil, timeout: Double = 10,
                probe: [Double]? = nil, environment: [String: String]? = nil) throws {
        guard timeout > 0, timeout.isFinite else {
            throw JacobianError.invalidArgument("The timeout must be a positive number of seconds, but it is "
                + "\(timeout).")
        }
        let session = try ExecSession(command: command, timeout: timeout, environment: environment)
        let info = try session.info(input: inputShape)
        var input = inputShape
        if let declared = info.input {
            if let given = inputShape, given.count != declared.count {
                throw session.failure("declares the input \(declared.space), but the input given is \(given.space)")
            }
            input = input ?? declared
        }
        guard let input else {
            throw session.failure("does not declare its input size (\"input\" in its info answer), and none was given")
        }
        // Sizes are checked before any request is built for them.
        try FiniteDifference.ensureFits(rows: info.output?.count ?? 1, columns: input.count)
        var output = info.output
        if output == nil {
            let at = probe ?? [Double](repeating: 0, count: input.count)
            let y = try session.evaluate([at], jacobian: false, outputs: nil)
            output = .vector(y.values[0].count)
        }
        self.command = command
        self.name = info.name ?? command
        self.inputShape = input
        self.outputShape = output!
        self.timeout = timeout
        if let jacobianLayout {
            (self.jacobianLayout, layoutSource) = (jacobianLayout, "given")
        } else if let declared = info.layout {
            (self.jacobianLayout, layoutSource) = (declared, "declared by the program")
        } else {
            (self.jacobianLayout, layoutSource) = (.numerator, "assumed: the program does not declare it")
        }
        self.session = session
    }

    /// The program's process id (for tests that check nothing is left running).
    public var processID: Int32 { session.process.pid }

    /// Eval requests sent so far (each is one round trip, however many points it carries).
    public var requests: Int { session.requests }

    /// Stops the program now (it is also stopped when the last copy of the map is released).
    public func stop() { session.process.stop() }

    public func value(at x: [Double]) throws -> [Double] { try values(at: [x])[0] }

    public func values(at points: [[Double]]) throws -> [[Double]] {
        try session.evaluate(points, jacobian: false, outputs: outputShape.count).values
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let r = try session.evaluate([x], jacobian: true, outputs: outputShape.count)
        guard let matrix = r.jacobians?.first else {
            throw session.failure("answered a Jacobian request without \"jacobians\"")
        }
        let layout = r.layout ?? jacobianLayout
        do {
            try JacobianShape.check(rows: matrix.rows, columns: matrix.columns, outputs: outputShape.count,
                                    inputs: inputShape.count, source: "The program '\(command)'", layout: layout)
        } catch let JacobianError.mapContract(text) {
            throw JacobianError.program(text)
        }
        if let (i, j) = matrix.firstNonFinite {
            throw session.failure("returned \(ExecSession.name(matrix[i, j])) in its Jacobian at row \(i), column \(j) "
                                  + "(\(layout.rawValue) layout)")
        }
        return (r.values[0], .dense(layout == .numerator ? matrix : matrix.transposed()))
    }
}

extension Matrix {
    /// The first entry that is NaN or infinite, row-major.
    var firstNonFinite: (Int, Int)? {
        guard let k = elements.firstIndex(where: { !$0.isFinite }) else { return nil }
        return (k / columns, k % columns)
    }
}
