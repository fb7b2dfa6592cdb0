import Dispatch
import Foundation

/// JSON text gathered in one fixed buffer of `chunk` bytes and handed to `sink` whenever it fills: numbers as
/// `Double.description` writes them (see `ShortestDecimal`), non-finite ones as the strings "NaN", "Infinity" and
/// "-Infinity" (what `Output.encoder()` writes), with no String made per number.
package struct JSONNumberWriter {
    /// buffer[0..<count] is written and not yet handed to the sink.
    private var buffer: [UInt8]
    private var count = 0
    private let sink: (UnsafeRawBufferPointer) -> Void

    /// A writer handing its bytes to `sink` in pieces of at most `chunk` bytes; call `flush()` at the end.
    package init(chunk: Int = 1 << 16, sink: @escaping (UnsafeRawBufferPointer) -> Void) {
        buffer = [UInt8](repeating: 0, count: max(chunk, 2 * ShortestDecimal.maxLength))
        self.sink = sink
    }

    /// Hands what is written to the sink.
    package mutating func flush() {
        if count > 0 { buffer.withUnsafeBytes { sink(UnsafeRawBufferPointer(rebasing: $0[0..<count])) } }
        count = 0
    }

    /// Appends text as it is (JSON punctuation, or JSON made elsewhere).
    package mutating func append(_ text: String) {
        for byte in text.utf8 {
            if count == buffer.count { flush() }
            buffer[count] = byte
            count += 1
        }
    }

    /// Appends one number.
    package mutating func append(_ v: Double) {
        if buffer.count - count < ShortestDecimal.maxLength { flush() }
        count = buffer.withUnsafeMutableBufferPointer { Self.write(v, to: $0.baseAddress! + count) + count }
    }

    /// Appends an array of rows, `[[e(0,0),e(0,1),…],[e(1,0),…],…]`, rows×columns; see `appendRows(fillingRow:)`.
    package mutating func appendRows(rows: Int, columns: Int, entry: @Sendable (Int, Int) -> Double) {
        appendRows(rows: rows, columns: columns, fillingRow: { i, row in
            for j in 0..<columns { row[j] = entry(i, j) }
        })
    }

    /// Appends an array of rows, rows×columns, `fill(i, row)` writing row i's `columns` numbers into `row`. From
    /// `parallelEntries` entries on, blocks of rows (about 400 KB of text each) are written on the machine's cores at
    /// once and handed on in order, so `fill` is called from several threads.
    package mutating func appendRows(rows: Int, columns: Int,
                                     fillingRow fill: @Sendable (Int, UnsafeMutableBufferPointer<Double>) -> Void) {
        append("[")
        let workers = rows * columns >= Self.parallelEntries ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        let blockRows = workers == 1 ? 1 : max(1, (1 << 14) / max(columns, 1))
        let blocks = Blocks(count: workers, rowLength: columns,
                            bytes: workers == 1 ? 0 : blockRows * (columns * (ShortestDecimal.maxLength + 1) + 3))
        defer { blocks.deallocate() }
        if workers == 1 {
            for i in 0..<rows {
                fill(i, blocks.rows[0])
                appendRow(i, UnsafeBufferPointer(blocks.rows[0]))
            }
        } else {
            var start = 0
            while start < rows {
                let wave = min(workers, (rows - start + blockRows - 1) / blockRows)
                let first = start
                DispatchQueue.concurrentPerform(iterations: wave) { w in
                    var n = 0
                    let p = blocks.text[w], row = blocks.rows[w]
                    for i in (first + w * blockRows)..<min(rows, first + (w + 1) * blockRows) {
                        fill(i, row)
                        n += Self.writeRow(i, UnsafeBufferPointer(row), to: p + n)
                    }
                    blocks.lengths[w] = n
                }
                flush()
                for w in 0..<wave { sink(UnsafeRawBufferPointer(start: blocks.text[w], count: blocks.lengths[w])) }
                start += wave * blockRows
            }
        }
        append("]")
    }

    /// Arrays of at least this many entries are written on several cores.
    package static let parallelEntries = 100_000

    /// Appends row i (its numbers in `row`), with the comma before it unless it is the first.
    private mutating func appendRow(_ i: Int, _ row: UnsafeBufferPointer<Double>) {
        append(i == 0 ? "[" : ",[")
        var j = 0
        while j < row.count {
            // As many entries as fit, in one pass over the buffer: a comma and a number each.
            if buffer.count - count < ShortestDecimal.maxLength + 1 { flush() }
            let room = (buffer.count - count) / (ShortestDecimal.maxLength + 1)
            let end = min(row.count, j + room)
            count = buffer.withUnsafeMutableBufferPointer { b in
                Self.writeEntries(row, from: j, to: end, at: b.baseAddress! + count) + count
            }
            j = end
        }
        append("]")
    }

    /// Writes row i (its numbers in `row`) whole at p, `,[` (or `[` for row 0) … `]`; returns the byte count.
    private static func writeRow(_ i: Int, _ row: UnsafeBufferPointer<Double>,
                                 to p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if i > 0 {
            p[0] = UInt8(ascii: ",")
            n = 1
        }
        p[n] = UInt8(ascii: "[")
        n += 1 + writeEntries(row, from: 0, to: row.count, at: p + n + 1)
        p[n] = UInt8(ascii: "]")
        return n + 1
    }

    /// Writes row[start..<end] at p, a comma before each entry but the row's first; returns the byte count.
    @inline(__always)
    private static func writeEntries(_ row: UnsafeBufferPointer<Double>, from start: Int, to end: Int,
                                     at p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        for j in start..<end {
            if j > 0 {
                p[n] = UInt8(ascii: ",")
                n += 1
            }
            n += write(row[j], to: p + n)
        }
        return n
    }

    /// Writes v at p as JSON: the number, or a quoted "NaN", "Infinity", "-Infinity"; returns the byte count.
    @inline(__always)
    static func write(_ v: Double, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if v.isFinite { return ShortestDecimal.write(v, to: p) }
        let text: StaticString = v.isNaN ? "\"NaN\"" : v < 0 ? "\"-Infinity\"" : "\"Infinity\""
        p.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return text.utf8CodeUnitCount
    }

    /// Per worker: a buffer for the text it writes, which only it touches, the length it wrote, and a row of numbers.
    private struct Blocks: @unchecked Sendable {
        let text: [UnsafeMutablePointer<UInt8>]
        let lengths: UnsafeMutablePointer<Int>
        let rows: [UnsafeMutableBufferPointer<Double>]

        init(count: Int, rowLength: Int, bytes: Int) {
            text = (0..<count).map { _ in UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes, 1)) }
            lengths = UnsafeMutablePointer<Int>.allocate(capacity: count)
            rows = (0..<count).map { _ in UnsafeMutableBufferPointer<Double>.allocate(capacity: rowLength) }
        }

        func deallocate() {
            text.forEach { $0.deallocate() }
            lengths.deallocate()
            rows.forEach { $0.deallocate() }
        }
    }

    /// The text `append(v)` writes, as a String (for tests and for a single number).
    package static func text(_ v: Double) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ShortestDecimal.maxLength) { b in
            let n = write(v, to: b.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: b[0..<n]), as: UTF8.self)
        }
    }
}
