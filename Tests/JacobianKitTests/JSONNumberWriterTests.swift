import Foundation
import JacobianKit
import Testing

/// The JSON number writer: the text of every Double is `description`'s and parses back to bitwise the same Double.
@Suite("JSON numbers")
struct JSONNumberWriterTests {
    /// The writer's text equals `description` and reads back as the same bits (−0 included).
    static func expectExact(_ v: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = JSONNumberWriter.text(v)
        #expect(text == v.description, "bits \(String(v.bitPattern, radix: 16))", sourceLocation: sourceLocation)
        #expect(Double(text)?.bitPattern == v.bitPattern, "\(text) does not read back", sourceLocation: sourceLocation)
    }

    @Test("random bit patterns (every exponent, subnormals, both signs): description's text, read back exactly",
          arguments: testSeeds)
    func randomBits(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var checked = 0
        while checked < 200_000 {
            let v = Double(bitPattern: rng.next())
            guard v.isFinite else { continue }
            Self.expectExact(v)
            checked += 1
        }
    }

    @Test("every binary exponent with its smallest, largest and random significands, and their neighbours")
    func everyExponent() {
        var rng = SplitMix64(seed: 7)
        for biased in UInt64(0)...2046 {
            var fractions: [UInt64] = [0, 1, 2, 3, 1 << 51, 1 << 52 - 1, 1 << 52 - 2]
            for _ in 0..<16 { fractions.append(rng.next() & (1 << 52 - 1)) }
            for f in fractions {
                let v = Double(bitPattern: biased << 52 | f)
                Self.expectExact(v)
                Self.expectExact(-v)
                for w in [v.nextUp, v.nextDown] where w.isFinite { Self.expectExact(w) }
            }
        }
    }

    @Test("named values: ±0, the extremes, subnormals, powers of ten and two, integers, 2^53 ± 1, 1e-4 ± ulp")
    func namedValues() {
        var values: [Double] = [0, -0.0, 1e-300, 1.7976931348623157e308, .leastNonzeroMagnitude,
                                .leastNormalMagnitude, Double.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude,
                                .ulpOfOne, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, .pi, 0x1p53, 0x1p53 + 2, 0x1p53 - 1,
                                0x1p54, 1e-4, 1e-4.nextDown, 1e-4.nextUp, 123_456.789, 5e-324, 1e23, 9.5, 0.5]
        for e in -323...308 { values.append(Double("1e\(e)")!) }
        for e in -1074...1023 { values.append(Double(sign: .plus, exponent: e, significand: 1)) }
        for i in 0...10_000 { values.append(Double(i)) }
        values += values.map { -$0 }
        for v in values { Self.expectExact(v) }
    }

    @Test("non-finite numbers are the strings Output.encoder() writes: \"NaN\", \"Infinity\", \"-Infinity\"")
    func nonFinite() throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        for v in [Double.nan, .infinity, -.infinity, -Double.nan, .signalingNaN] {
            let expected = String(decoding: try encoder.encode([v]), as: UTF8.self).dropFirst().dropLast()
            #expect(JSONNumberWriter.text(v) == String(expected))
        }
    }

    /// The rows of m as JSON text the slow way: `description` joined with commas.
    static func expectedRows(_ m: [Double], rows: Int, columns: Int) -> String {
        let json = { (v: Double) in
            v.isNaN ? "\"NaN\"" : v.isInfinite ? (v > 0 ? "\"Infinity\"" : "\"-Infinity\"") : v.description
        }
        return "[" + (0..<rows).map { i in
            "[" + (0..<columns).map { json(m[i * columns + $0]) }.joined(separator: ",") + "]"
        }.joined(separator: ",") + "]"
    }

    /// rows×columns numbers over magnitudes 1e-320 … 1e300, with NaN, −∞, −0 and the least subnormal among them.
    static func sample(rows: Int, columns: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        var m = (0..<rows * columns).map { _ in rng.uniform(-1, 1) * pow(10, rng.uniform(-320, 300).rounded()) }
        m[5] = .nan
        m[17] = -.infinity
        m[rows * columns / 3] = -0.0
        m[rows * columns / 2] = .leastNonzeroMagnitude
        return m
    }

    /// What a writer with a `chunk`-byte buffer hands its sink for `appendRows`, and how many pieces.
    static func written(_ m: [Double], rows: Int, columns: Int, chunk: Int) -> (bytes: [UInt8], pieces: Int) {
        final class Received: @unchecked Sendable { var bytes: [UInt8] = [], pieces = 0 }
        let received = Received()
        var writer = JSONNumberWriter(chunk: chunk) { piece in
            received.bytes += piece
            received.pieces += 1
        }
        writer.appendRows(rows: rows, columns: columns) { m[$0 * columns + $1] }
        writer.flush()
        return (received.bytes, received.pieces)
    }

    @Test("rows through a 64-byte buffer: many pieces, description's text, and JSONDecoder reads back the same bits")
    func rowsInChunks() throws {
        let rows = 7, columns = 300
        let m = Self.sample(rows: rows, columns: columns, seed: 3)
        let (bytes, pieces) = Self.written(m, rows: rows, columns: columns, chunk: 64)
        #expect(String(decoding: bytes, as: UTF8.self) == Self.expectedRows(m, rows: rows, columns: columns))
        #expect(pieces > 100)
        // JSONDecoder, not JSONSerialization: on Linux the latter misreads some large exponents (5.671217824370303e+73
        // comes back as …308e+73), which says nothing about the text.
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let decoded = try decoder.decode([[Double]].self, from: Data(bytes))
        #expect(decoded.count == rows && decoded.allSatisfy { $0.count == columns })
        for i in 0..<rows {
            for j in 0..<columns where !m[i * columns + j].isNaN {
                let v = m[i * columns + j]
                #expect(decoded[i][j].bitPattern == v.bitPattern, "\(decoded[i][j]) \(v)")
            }
        }
    }

    @Test("a large array is written on several cores in blocks of rows, and the text is the same, in order",
          arguments: [(1000, 150), (3, 40_000), (100_001, 1)])
    func parallelRows(rows: Int, columns: Int) {
        #expect(rows * columns >= JSONNumberWriter.parallelEntries)
        let m = Self.sample(rows: rows, columns: columns, seed: UInt64(rows))
        let text = String(decoding: Self.written(m, rows: rows, columns: columns, chunk: 1 << 16).bytes, as: UTF8.self)
        #expect(text == Self.expectedRows(m, rows: rows, columns: columns))
    }
}
