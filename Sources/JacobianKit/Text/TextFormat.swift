import Foundation

/// Text renderings of numbers, vectors and matrices: a fixed number of significant digits, aligned columns,
/// large matrices abbreviated with the elided rows and columns counted.
public enum TextFormat {
    /// A number with `digits` significant digits, trailing zeros kept so columns align ("0" for zero).
    public static func number(_ v: Double, digits: Int = 5) -> String {
        if v == 0 { return "0" }
        if !v.isFinite { return "\(v)" }
        if v == v.rounded(), abs(v) < 1e6 { return String(Int(v)) }
        let a = abs(v)
        if a >= 1e-3 && a < 1e6 {
            let decimals = max(0, digits - 1 - Int(floor(log10(a))))
            return trimmed(String(format: "%.\(decimals)f", v))
        }
        let s = String(format: "%.\(digits - 1)e", v)
        guard let e = s.firstIndex(of: "e") else { return s }
        return trimmed(String(s[..<e])) + String(s[e...])
    }

    /// "1.5000" → "1.5", "2.000" → "2": trailing zeros after the point carry no information.
    static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = Substring(s)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }

    /// A short scientific number for error figures ("3.9e-12").
    public static func sci(_ v: Double) -> String { v == 0 ? "0" : String(format: "%.2g", v) }

    /// A vector on one line, abbreviated past `limit` entries.
    public static func vector(_ v: [Double], limit: Int = 10, format: (Double) -> String = { number($0) }) -> String {
        if v.count <= limit { return "[" + v.map(format).joined(separator: ", ") + "]" }
        let head = v.prefix(limit / 2).map(format), tail = v.suffix(limit / 2 - 1).map(format)
        return "[" + (head + ["… \(v.count - head.count - tail.count) more …"] + tail).joined(separator: ", ") + "]"
    }

    /// The matrix with right-aligned columns, abbreviated past `maxRows`×`maxColumns` with the elisions counted.
    public static func matrix(_ m: Matrix, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ",
                              width: Int? = nil) -> String {
        matrix(rows: m.rows, columns: m.columns, maxRows: maxRows, maxColumns: maxColumns, indent: indent,
               width: width) { m[$0, $1] }
    }

    /// How a padded cell is decorated (colour in a terminal); identity by default. Set once at start-up.
    nonisolated(unsafe) public static var style: (_ padded: String, _ value: Double) -> String = { s, _ in s }

    /// A structured Jacobian, printed entry by entry without materializing it.
    public static func matrix(_ j: Jacobian, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ",
                              width: Int? = nil) -> String {
        matrix(rows: j.rows, columns: j.columns, maxRows: maxRows, maxColumns: maxColumns, indent: indent,
               width: width) { j.entry($0, $1) }
    }

    /// A matrix view (possibly a transpose), printed without copying.
    public static func matrix(_ v: MatrixView, maxRows: Int = 12, maxColumns: Int = 8, indent: String = "  ",
                              width: Int? = nil) -> String {
        matrix(rows: v.rows, columns: v.columns, maxRows: maxRows, maxColumns: maxColumns, indent: indent,
               width: width) { v[$0, $1] }
    }

    /// Any rows×columns grid given by `entry`, aligned and abbreviated.
    /// With `width`, as many columns are shown as fit in that many characters (at least one), the rest counted.
    public static func matrix(rows: Int, columns: Int, maxRows: Int, maxColumns: Int, indent: String,
                              width: Int? = nil, entry: (Int, Int) -> Double) -> String {
        func render(_ limit: Int) -> String {
            grid(rows: rows, columns: columns, maxRows: maxRows, maxColumns: limit, indent: indent, entry: entry)
        }
        func fits(_ text: String, _ width: Int) -> Bool {
            !text.split(separator: "\n").contains { visibleCount(String($0)) > width }
        }
        guard let width else { return render(maxColumns) }
        // Every shown column takes at least two characters, so no more than width/2 can fit; then the widest
        // count that fits, by bisection (fewer columns never make a line wider).
        var lo = 1, hi = max(1, min(maxColumns, columns, width / 2 + 1))
        if fits(render(hi), width) { return render(hi) }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if fits(render(mid), width) { lo = mid } else { hi = mid }
        }
        return render(lo)
    }

    /// Characters a terminal shows for `s`: ANSI colour sequences take no room.
    public static func visibleCount(_ s: String) -> Int {
        var n = 0, escape = false
        for ch in s.unicodeScalars {
            if escape {
                if ch == "m" { escape = false }
            } else if ch == "\u{1B}" {
                escape = true
            } else {
                n += 1
            }
        }
        return n
    }

    /// `line` cut at word boundaries into lines of at most `width` characters; continuation lines are indented
    /// two more than the first. A word longer than the width is broken.
    public static func wrap(_ line: String, width: Int) -> [String] {
        guard width > 8, visibleCount(line) > width else { return [line] }
        // Indentation is kept while it leaves room for words; deeper indentation is dropped.
        let spaces = line.prefix { $0 == " " }.count
        let lead = spaces <= width / 2 ? String(repeating: " ", count: spaces) : ""
        let hanging = lead + "  "
        var out: [String] = []
        var current = ""
        for word in line.dropFirst(spaces).split(separator: " ", omittingEmptySubsequences: false) {
            let prefix = out.isEmpty ? lead : hanging
            let candidate = current.isEmpty ? prefix + word : current + " " + word
            if visibleCount(candidate) <= width || current.isEmpty && visibleCount(prefix + word) <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { out.append(current) }
            var rest = Substring(word)
            let room = max(1, width - hanging.count)
            while rest.count > room {
                out.append(hanging + rest.prefix(room))
                rest = rest.dropFirst(room)
            }
            current = hanging + rest
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    private static func grid(rows: Int, columns: Int, maxRows: Int, maxColumns: Int, indent: String,
                             entry: (Int, Int) -> Double) -> String {
        let rowIdx = pick(rows, maxRows), colIdx = pick(columns, maxColumns)
        let cells: [[String]] = rowIdx.map { i in
            guard let i else { return colIdx.map { _ in "⋮" } }
            return colIdx.map { j in j.map { number(entry(i, $0)) } ?? "…" }
        }
        var widths = [Int](repeating: 0, count: colIdx.count)
        for row in cells { for (j, c) in row.enumerated() { widths[j] = max(widths[j], c.count) } }
        var lines = zip(rowIdx, cells).map { i, row in
            indent + row.enumerated().map { j, c in
                let padded = String(repeating: " ", count: widths[j] - c.count) + c
                guard let i, let column = colIdx[j] else { return padded }
                return style(padded, entry(i, column))
            }.joined(separator: "  ")
        }
        let hiddenRows = rows - rowIdx.compactMap { $0 }.count
        let hiddenColumns = columns - colIdx.compactMap { $0 }.count
        if hiddenRows > 0 || hiddenColumns > 0 {
            lines.append(indent + "(\(hiddenRows) rows and \(hiddenColumns) columns not shown)")
        }
        return lines.joined(separator: "\n")
    }


    /// Indices to show out of `count`, with nil where the elided ones go.
    static func pick(_ count: Int, _ limit: Int) -> [Int?] {
        if count <= limit { return Array(0..<count) }
        let head = (limit + 1) / 2, tail = limit - head
        return Array(0..<head) + [nil] + Array((count - tail)..<count)
    }


    /// The point as a report states it: "x = […]" (`label` = x) for a map of one input, or for an expression
    /// "inputs: W (3x4) columns 0–11, …" then one line per named input; `note` ends the first line.
    public static func inputLines(_ x: [Double], blocks: [InputBlock]?, note: String = "",
                                  label: String = "x") -> [String] {
        guard let blocks else { return ["\(label) = \(vector(x))" + note] }
        let columns = blocks.map { b in
            "\(b.name) (\(b.count == 1 ? "scalar" : b.shape.map(String.init).joined(separator: "x")))"
                + (b.count == 1 ? " column \(b.offset)" : " columns \(b.offset)–\(b.offset + b.count - 1)")
        }
        return ["inputs: " + columns.joined(separator: ", ") + note] + blocks.map { b in
            let v = Array(x[b.offset..<(b.offset + b.count)])
            return "\(b.name) = " + (v.count == 1 ? number(v[0], digits: 10) : vector(v))
        }
    }
}
