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

    /// Appends an array of rows, `[[e(0,0),e(0,1),…],[e(1,0),…],…]`, rows×columns. From `parallelEntries` entries
    /// on, blocks of rows are written on the machine's cores at once (one block per core, about 1.6 MB each) and
    /// handed on in order, so `entry` is called from several threads.
    package mutating func appendRows(rows: Int, columns: Int, entry: @Sendable (Int, Int) -> Double) {
        append("[")
        let workers = rows * columns >= Self.parallelEntries ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        if workers == 1 {
            for i in 0..<rows { appendRow(i, columns: columns, entry: entry) }
        } else {
            let blockRows = max(1, (1 << 16) / max(columns, 1))
            let rowBytes = columns * (ShortestDecimal.maxLength + 1) + 3  // ",[" … "]"
            let blocks = Blocks(count: workers, bytes: blockRows * rowBytes)
            defer { blocks.deallocate() }
            var start = 0
            while start < rows {
                let wave = min(workers, (rows - start + blockRows - 1) / blockRows)
                let first = start
                DispatchQueue.concurrentPerform(iterations: wave) { w in
                    var n = 0
                    let p = blocks.buffers[w]
                    for i in (first + w * blockRows)..<min(rows, first + (w + 1) * blockRows) {
                        n += Self.writeRow(i, columns: columns, entry: entry, to: p + n)
                    }
                    blocks.lengths[w] = n
                }
                flush()
                for w in 0..<wave { sink(UnsafeRawBufferPointer(start: blocks.buffers[w], count: blocks.lengths[w])) }
                start += wave * blockRows
            }
        }
        append("]")
    }

    /// Arrays of at least this many entries are written on several cores.
    package static let parallelEntries = 100_000

    /// Appends row i, with the comma before it unless it is the first.
    private mutating func appendRow(_ i: Int, columns: Int, entry: (Int, Int) -> Double) {
        append(i == 0 ? "[" : ",[")
        var j = 0
        while j < columns {
            // As many entries as fit, in one pass over the buffer: a comma and a number each.
            if buffer.count - count < ShortestDecimal.maxLength + 1 { flush() }
            let room = (buffer.count - count) / (ShortestDecimal.maxLength + 1)
            let end = min(columns, j + room)
            count = buffer.withUnsafeMutableBufferPointer { b in
                Self.writeEntries(i, from: j, to: end, entry: entry, at: b.baseAddress! + count) + count
            }
            j = end
        }
        append("]")
    }

    /// Writes row i whole at p, `,[` (or `[` for row 0) … `]`; returns the byte count.
    private static func writeRow(_ i: Int, columns: Int, entry: (Int, Int) -> Double,
                                 to p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if i > 0 {
            p[0] = UInt8(ascii: ",")
            n = 1
        }
        p[n] = UInt8(ascii: "[")
        n += 1 + writeEntries(i, from: 0, to: columns, entry: entry, at: p + n + 1)
        p[n] = UInt8(ascii: "]")
        return n + 1
    }

    /// Writes entries (i, j) for j in start..<end at p, a comma before each but the row's first; returns the count.
    @inline(__always)
    private static func writeEntries(_ i: Int, from start: Int, to end: Int, entry: (Int, Int) -> Double,
                                     at p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        for j in start..<end {
            if j > 0 {
                p[n] = UInt8(ascii: ",")
                n += 1
            }
            n += write(entry(i, j), to: p + n)
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

    /// One output buffer per worker, written by that worker only, and the length it wrote.
    private struct Blocks: @unchecked Sendable {
        let buffers: [UnsafeMutablePointer<UInt8>]
        let lengths: UnsafeMutablePointer<Int>

        init(count: Int, bytes: Int) {
            buffers = (0..<count).map { _ in UnsafeMutablePointer<UInt8>.allocate(capacity: bytes) }
            lengths = UnsafeMutablePointer<Int>.allocate(capacity: count)
        }

        func deallocate() {
            buffers.forEach { $0.deallocate() }
            lengths.deallocate()
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
