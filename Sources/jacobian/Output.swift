import ArgumentParser
import Foundation
import JacobianKit
import Rainbow

/// Terminal and JSON output: aligned matrices, numbers, errors as one sentence.
enum Output {
    /// Prints to standard output, marks coloured when colour is on.
    static func line(_ s: String = "") { print(colour ? highlight(s) : s) }

    /// Colour is on when standard output is a terminal and NO_COLOR is not set (https://no-color.org).
    static let colour: Bool = {
        let on = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        if on {
            // Matrices: negative entries red, zeros dimmed; alignment is computed before the colour codes.
            TextFormat.style = { padded, value in
                value == 0 ? padded.dim : value < 0 ? padded.red : padded
            }
        }
        return on
    }()

    /// ✓ and PASS green, ✗ and FAIL red, section rules dimmed.
    static func highlight(_ s: String) -> String {
        if s.hasPrefix("✓ ") { return "✓".green.bold + String(s.dropFirst()) }
        if s.hasPrefix("✗ ") { return "✗".red.bold + String(s.dropFirst()) }
        if s == "PASS" { return s.green.bold }
        if s == "FAIL" { return s.red.bold }
        if s.hasPrefix("── ") { return s.cyan }
        if s.hasSuffix("✓ inside") { return s.replacingOccurrences(of: "✓ inside", with: "✓ inside".green) }
        if s.hasSuffix("✗ outside") { return s.replacingOccurrences(of: "✗ outside", with: "✗ outside".red) }
        return s
    }

    /// Prints "Error: <sentence>" to standard error.
    static func error(_ s: String) {
        StandardStreams.error("Error: \(s)\n")
    }

    /// Runs `body`, turning library errors into one sentence on stderr and exit status 64 (1 for a failure of
    /// the computation, such as a diverged training run).
    static func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as JacobianError {
            error(e.description)
            throw ExitCode(e.isFailure ? 1 : 64)
        }
    }

    /// Runs a library check inside `validate()`: a `JacobianError` becomes a `ValidationError` (exit 64).
    static func validating(_ body: () throws -> Void) throws {
        do { try body() } catch let e as JacobianError { throw ValidationError(e.description) }
    }

    /// One JSON object on one line.
    static func json<T: Encodable>(_ value: T) throws {
        let data = try encoder().encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// See `TextFormat.number`.
    static func number(_ v: Double, digits: Int = 5) -> String { TextFormat.number(v, digits: digits) }
    /// See `TextFormat.sci`.
    static func sci(_ v: Double) -> String { TextFormat.sci(v) }
    /// See `TextFormat.vector`.
    static func vector(_ v: [Double], limit: Int = 10, format: (Double) -> String = { TextFormat.number($0) }) -> String {
        TextFormat.vector(v, limit: limit, format: format)
    }
    /// See `TextFormat.matrix`.
    static func matrix(_ m: Matrix, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ") -> String {
        TextFormat.matrix(m, maxRows: maxRows, maxColumns: maxColumns, indent: indent)
    }
    /// See `TextFormat.matrix`.
    static func matrix(_ j: Jacobian, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ") -> String {
        TextFormat.matrix(j, maxRows: maxRows, maxColumns: maxColumns, indent: indent)
    }
    /// See `TextFormat.matrix`.
    static func matrix(_ v: MatrixView, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ") -> String {
        TextFormat.matrix(v, maxRows: maxRows, maxColumns: maxColumns, indent: indent)
    }

    /// The encoder of every JSON output: sorted keys, and non-finite numbers as "Infinity", "-Infinity", "NaN".
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// An array of rows as JSON text, written directly (Foundation's encoder is slow on millions of numbers).
    static func jsonRows(rows: Int, columns: Int, entry: (Int, Int) -> Double) -> String {
        var out = "["
        out.reserveCapacity(rows * columns * 22 + 2)
        for i in 0..<rows {
            out += i == 0 ? "[" : ",["
            for j in 0..<columns {
                if j > 0 { out += "," }
                let v = entry(i, j)
                out += v.isFinite ? v.description : (v.isNaN ? "\"NaN\"" : (v > 0 ? "\"Infinity\"" : "\"-Infinity\""))
            }
            out += "]"
        }
        return out + "]"
    }

    /// A check report as one JSON object: the small fields through JSONEncoder, the two matrices written directly.
    static func json(_ report: CheckReport) throws {
        let encoder = encoder()
        encoder.userInfo[CheckReport.omitMatrices] = true
        var head = String(decoding: try encoder.encode(report), as: UTF8.self)
        head.removeLast()  // the closing brace
        let a = report.analytic, f = report.finiteDifferences
        print(head + ",\"finiteDifference\":" + jsonRows(rows: f.rows, columns: f.columns) { f[$0, $1] }
              + ",\"jacobian\":" + jsonRows(rows: a.rows, columns: a.columns) { a.entry($0, $1) } + "}")
    }

}
