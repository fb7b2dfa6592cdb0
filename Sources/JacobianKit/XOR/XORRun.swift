import Foundation

/// Loads and validates the `--init FILE` weights: {"theta1": 4×3 rows, "theta2": 1×5 rows}.
public enum XORWeights {
    struct File: Decodable {
        var theta1: [[Double]]
        var theta2: [[Double]]
    }

    /// The network stored in `path`; a missing file, bad JSON or wrong shapes are one-sentence errors.
    public static func load(_ path: String) throws -> XORNetwork {
        let data = Data(try InputFile.read(path, what: "Cannot read --init file '\(path)'", limit: 1 << 20))
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw JacobianError.badFile(
                "--init file '\(path)' is not a JSON object with \"theta1\" (4 rows of 3 numbers) "
                + "and \"theta2\" (1 row of 5 numbers).")
        }
        guard file.theta1.count == 4, file.theta1.allSatisfy({ $0.count == 3 }),
              file.theta2.count == 1, file.theta2[0].count == 5,
              (file.theta1 + file.theta2).joined().allSatisfy(\.isFinite) else {
            throw JacobianError.badFile(
                "--init file '\(path)' must give theta1 as 4 rows of 3 finite numbers and theta2 as 1 row of 5.")
        }
        return try XORNetwork(theta1: Matrix(file.theta1), theta2: Matrix(file.theta2))
    }
}

/// One point of a loss curve.
public struct CurvePoint: Codable, Sendable {
    /// The iteration (or fractional epoch).
    public var x: Double
    /// The loss there.
    public var loss: Double
}

/// The outcome of an XOR training run.
public struct XORResult: Sendable {
    /// Iterations run.
    public var iterations: Int
    /// e1+e2+e3+e4 of the last iteration.
    public var error: Double
    /// The outputs for the four samples after training, in sample order.
    public var outputs: [Double]
    /// The final weights.
    public var network: XORNetwork
    /// Training time in seconds.
    public var seconds: Double
    /// (iteration, summed error) about 200 times over the run, for a loss curve.
    public var curve: [CurvePoint] = []

    /// Summed error below 0.01 and every output on the right side of 0.5.
    public var converged: Bool {
        error < 0.01 && zip(outputs, XORNetwork.targets).allSatisfy { ($0 > 0.5) == ($1 > 0.5) }
    }
}

extension XORTrainer {
    /// Runs `iterations` iterations, calling `report(iteration, error)` every `every` iterations.
    public func train(iterations: Int, every: Int, report: (Int, Double) -> Void) throws -> XORResult {
        let start = DispatchTime.now().uptimeNanoseconds
        var error = 0.0
        var curve: [CurvePoint] = []
        let sample = max(1, iterations / 200)
        for i in 1...iterations {
            error = iterate()
            guard error.isFinite else { throw TrainingDivergence.error(loss: error, iteration: i) }
            if i % every == 0 { report(i, error) }
            if i % sample == 0 || i == 1 { curve.append(CurvePoint(x: Double(i), loss: error)) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let net = network
        return XORResult(iterations: iterations, error: error,
                         outputs: try XORNetwork.inputs.map { try net.output($0) }, network: net, seconds: seconds,
                         curve: curve)
    }
}
