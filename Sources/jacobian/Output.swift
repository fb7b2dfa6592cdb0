import ArgumentParser
import Foundation
import JacobianKit
@preconcurrency import Rainbow

/// Terminal and JSON output: aligned matrices, numbers, errors as one sentence.
enum Output {
    /// Prints to standard output, marks coloured when colour is on.
    /// Lines longer than the terminal are wrapped at word boundaries (matrices are already cut to fit).
    /// With `wrap: false` (eval --full) a line is printed whole however wide.
    static func line(_ s: String = "", wrap: Bool = true) {
        for piece in s.split(separator: "\n", omittingEmptySubsequences: false) {
            let lines = wrap ? TextFormat.wrap(String(piece), width: Terminal.width) : [String(piece)]
            for l in lines { print(colour ? highlight(l) : l) }
        }
    }

    /// `--color`; set by the commands' option parsing before anything is printed.
    nonisolated(unsafe) static var colourMode = ColorMode.auto

    /// Colour is on with --color always, or with auto when standard output is a terminal and NO_COLOR is unset
    /// or empty (https://no-color.org).
    static let colour: Bool = {
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let on = colourMode == .always || (colourMode == .auto && isatty(STDOUT_FILENO) == 1 && !noColor)
        if on {
            // Matrices: negative entries red, zeros dimmed; alignment is computed before the colour codes.
            TextFormat.style = { padded, value in
                value == 0 ? padded.dim : value < 0 ? padded.red : padded
            }
            // Rainbow colours only a terminal by itself; --color always asks for colour in a pipe too.
            Rainbow.enabled = true
            Rainbow.outputTarget = .console
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

    /// Prints "Error: <sentence>" to standard error; with --json, {"error": sentence, "exitCode": code} instead.
    static func error(_ s: String, exitCode: Int32 = 64) {
        let text: String
        if CommandLine.arguments.contains("--json") {
            struct Failure: Encodable { var error: String, exitCode: Int32 }
            let data = (try? encoder().encode(Failure(error: s, exitCode: exitCode))) ?? Data()
            text = String(decoding: data, as: UTF8.self) + "\n"
        } else {
            text = "Error: \(s)\n"
        }
        StandardStreams.error(text)
    }

    /// Runs `body`, turning library errors and late usage errors into one sentence on stderr and exit status 64
    /// (1 for a failure of the computation: a diverged run, a user's program that failed the check).
    static func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as JacobianError {
            error(commandLineSentence(e))
            switch e {
            case .program, .mapContract, .nonFinite: throw ExitCode(1)  // the computation failed, not the input
            default: throw ExitCode(64)
            }
        } catch let e as ValidationError {
            // Thrown after parsing (a point that does not fit the map): the sentence alone, not the root's usage.
            error(e.message)
            throw ExitCode(64)
        }
    }

    /// The library's sentence with the flag that fixes it, where one does.
    static func commandLineSentence(_ e: JacobianError) -> String {
        switch e {
        case .notSquare: return e.description + " Use --shape NxN."
        case .needsMatrix: return e.description + " Use --shape RxC (for example --shape 3x3)."
        case let .parameterCount(name, given, needed):
            return "--param \(name) has \(given) numbers but this map needs \(needed)."
        case let .program(text) where text.contains("did you return "
            + "Jᵀ?"), let .mapContract(text) where text.contains("did you return Jᵀ?"):
            return text + " (--claimed-layout denominator reads it as Jᵀ.)"
        default: return e.description
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
    static func vector(_ v: [Double], limit: Int = 10,
                       format: (Double) -> String = { TextFormat.number($0) }) -> String {
        TextFormat.vector(v, limit: limit, format: format)
    }
    /// See `TextFormat.matrix`.
    static func matrix(_ m: Matrix, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ") -> String {
        TextFormat.matrix(m, maxRows: maxRows, maxColumns: maxColumns, indent: indent, width: Terminal.width)
    }
    /// See `TextFormat.matrix`.
    static func matrix(_ j: Jacobian, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ") -> String {
        TextFormat.matrix(j, maxRows: maxRows, maxColumns: maxColumns, indent: indent, width: Terminal.width)
    }
    /// See `TextFormat.matrix`.
    static func matrix(_ v: MatrixView, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ") -> String {
        TextFormat.matrix(v, maxRows: maxRows, maxColumns: maxColumns, indent: indent, width: Terminal.width)
    }

    /// The encoder of every JSON output: sorted keys, and non-finite numbers as "Infinity", "-Infinity", "NaN".
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// A check report as one JSON object: the small fields through JSONEncoder, the two matrices (2 M numbers for
    /// a 1000×1000 Jacobian) written by `JSONNumberWriter` straight to standard output in 64 KiB chunks.
    static func json(_ report: CheckReport) throws {
        let encoder = encoder()
        encoder.userInfo[CheckReport.omitMatrices] = true
        var head = String(decoding: try encoder.encode(report), as: UTF8.self)
        head.removeLast()  // the closing brace
        let a = report.analytic, f = report.finiteDifferences
        var out = JSONNumberWriter(sink: StandardStreams.write(bytes:))
        out.append(head + ",\"finiteDifference\":")
        out.appendRows(rows: f.rows, columns: f.columns, fillingRow: { f.fillRow($0, into: $1) })
        out.append(",\"jacobian\":")
        out.appendRows(rows: a.rows, columns: a.columns, fillingRow: { a.fillRow($0, into: $1) })
        out.append("}\n")
        out.flush()
    }

}
