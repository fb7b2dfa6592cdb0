import ArgumentParser
import Foundation
import JacobianKit

/// Terminal and JSON output: aligned matrices, numbers, errors as one sentence, atomic file writes.
enum Output {
    /// Prints to standard output.
    static func line(_ s: String = "") { print(s) }

    /// Prints "Error: <sentence>" to standard error.
    static func error(_ s: String) {
        FileHandle.standardError.write(Data("Error: \(s)\n".utf8))
    }

    /// Runs `body`, turning library errors into one sentence on stderr and exit status 64.
    static func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as JacobianError {
            error(e.description)
            throw ExitCode(64)
        }
    }

    /// One JSON object on one line.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// A number with `digits` significant digits, trailing zeros kept so columns align ("0" for zero).
    static func number(_ v: Double, digits: Int = 5) -> String {
        if v == 0 { return "0" }
        if !v.isFinite { return "\(v)" }
        if v == v.rounded(), abs(v) < 1e6 { return String(Int(v)) }
        let a = abs(v)
        if a >= 1e-3 && a < 1e6 {
            let decimals = max(0, digits - 1 - Int(floor(log10(a))))
            return String(format: "%.\(decimals)f", v)
        }
        return String(format: "%.\(digits - 1)e", v)
    }

    /// A short scientific number for error figures ("3.9e-12").
    static func sci(_ v: Double) -> String { v == 0 ? "0" : String(format: "%.2g", v) }

    /// A vector on one line, abbreviated past `limit` entries.
    static func vector(_ v: [Double], limit: Int = 10, format: (Double) -> String = { number($0) }) -> String {
        if v.count <= limit { return "[" + v.map(format).joined(separator: ", ") + "]" }
        let head = v.prefix(limit / 2).map(format), tail = v.suffix(limit / 2 - 1).map(format)
        return "[" + (head + ["… \(v.count - head.count - tail.count) more …"] + tail).joined(separator: ", ") + "]"
    }

    /// The matrix with right-aligned columns, abbreviated past `maxRows`×`maxColumns` with the elisions counted.
    static func matrix(_ m: Matrix, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ") -> String {
        matrix(rows: m.rows, columns: m.columns, maxRows: maxRows, maxColumns: maxColumns, indent: indent) { m[$0, $1] }
    }

    /// A structured Jacobian, printed entry by entry without materializing it.
    static func matrix(_ j: Jacobian, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ") -> String {
        matrix(rows: j.rows, columns: j.columns, maxRows: maxRows, maxColumns: maxColumns, indent: indent) { j.entry($0, $1) }
    }

    /// A matrix view (possibly a transpose), printed without copying.
    static func matrix(_ v: MatrixView, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ") -> String {
        matrix(rows: v.rows, columns: v.columns, maxRows: maxRows, maxColumns: maxColumns, indent: indent) { v[$0, $1] }
    }

    /// Any rows×columns grid given by `entry`, aligned and abbreviated.
    static func matrix(rows: Int, columns: Int, maxRows: Int, maxColumns: Int, indent: String,
                       entry: (Int, Int) -> Double) -> String {
        let rowIdx = pick(rows, maxRows), colIdx = pick(columns, maxColumns)
        let cells: [[String]] = rowIdx.map { i in
            guard let i else { return colIdx.map { _ in "⋮" } }
            return colIdx.map { j in j.map { number(entry(i, $0)) } ?? "…" }
        }
        var widths = [Int](repeating: 0, count: colIdx.count)
        for row in cells { for (j, c) in row.enumerated() { widths[j] = max(widths[j], c.count) } }
        var lines = cells.map { row in
            indent + row.enumerated().map { j, c in String(repeating: " ", count: widths[j] - c.count) + c }
                .joined(separator: "  ")
        }
        let hiddenRows = rows - rowIdx.compactMap { $0 }.count
        let hiddenColumns = columns - colIdx.compactMap { $0 }.count
        if hiddenRows > 0 || hiddenColumns > 0 {
            lines.append(indent + "(\(hiddenRows) rows and \(hiddenColumns) columns not shown)")
        }
        return lines.joined(separator: "\n")
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        encoder.userInfo[CheckReport.omitMatrices] = true
        var head = String(decoding: try encoder.encode(report), as: UTF8.self)
        head.removeLast()  // the closing brace
        let a = report.analytic, f = report.finiteDifferences
        print(head + ",\"finiteDifference\":" + jsonRows(rows: f.rows, columns: f.columns) { f[$0, $1] }
              + ",\"jacobian\":" + jsonRows(rows: a.rows, columns: a.columns) { a.entry($0, $1) } + "}")
    }

    /// Indices to show out of `count`, with nil where the elided ones go.
    private static func pick(_ count: Int, _ limit: Int) -> [Int?] {
        if count <= limit { return Array(0..<count) }
        let head = (limit + 1) / 2, tail = limit - head
        return Array(0..<head) + [nil] + Array((count - tail)..<count)
    }

    /// Writes `data` to `path` atomically: a temporary file in the same folder, then a rename.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw JacobianError.invalidArgument("Cannot write '\(path)': \(error.localizedDescription)")
        }
    }
}
