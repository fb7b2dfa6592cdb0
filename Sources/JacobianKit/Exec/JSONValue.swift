import Foundation

/// A JSON value as the exec protocol reads it. Numbers also accept the tokens NaN, Infinity and -Infinity
/// (Python's `json.dumps` writes them), so a program that returns NaN is told so instead of "not JSON".
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses one line; throws `JSONValue.SyntaxError` with the byte offset.
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var copy = bytes
        copy.append(0)  // strtod stops at the terminator
        return try copy.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer, end: buffer.count - 1)
            reader.skipSpace()
            let value = try reader.value(depth: 0)
            reader.skipSpace()
            guard reader.index == reader.end else {
                throw SyntaxError(offset: reader.index, reason: "text after the value")
            }
            return value
        }
    }

    /// Where and why a line is not JSON.
    struct SyntaxError: Error {
        var offset: Int
        var reason: String
    }

    /// The members of an object (nil for anything else).
    var object: [String: JSONValue]? { if case let .object(o) = self { return o } else { return nil } }
    /// The elements of an array (nil for anything else).
    var array: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
    /// A number, or the strings "NaN", "Infinity", "-Infinity" that `jacobian --json` itself writes.
    var number: Double? {
        switch self {
        case let .number(v): return v
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        default: return nil
        }
    }
    /// A string value.
    var string: String? { if case let .string(s) = self { return s } else { return nil } }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let end: Int
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>, end: Int) {
            self.bytes = bytes
            self.end = end
        }

        mutating func skipSpace() {
            while index < end, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
        }

        func fail(_ reason: String) -> SyntaxError { SyntaxError(offset: index, reason: reason) }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < 64 else { throw fail("nesting deeper than 64") }
            guard index < end else { throw fail("the line ends where a value should start") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "N"), UInt8(ascii: "I"):
                return .number(try number())
            default: throw fail("unexpected character")
            }
        }

        mutating func literal(_ word: String, _ v: JSONValue) throws -> JSONValue {
            for b in word.utf8 {
                guard index < end, bytes[index] == b else { throw fail("unexpected character") }
                index += 1
            }
            return v
        }

        mutating func number() throws -> Double {
            let start = bytes.baseAddress! + index
            // Only the JSON number grammar and the three non-finite tokens; strtod alone would take "0x1p3".
            let c = bytes[index], next = index + 1 < end ? bytes[index + 1] : 0
            let word = c == UInt8(ascii: "N") || c == UInt8(ascii: "I") || next == UInt8(ascii: "I")
            for token in ["NaN", "Infinity", "-Infinity"] where word && matches(token) {
                index += token.utf8.count
                return token == "NaN" ? .nan : token.hasPrefix("-") ? -.infinity : .infinity
            }
            var j = index
            if bytes[j] == UInt8(ascii: "-") { j += 1 }
            while j < end, let c = Optional(bytes[j]),
                  (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x65 || c == 0x45 || c == 0x2B || c == 0x2D {
                j += 1
            }
            var stop: UnsafeMutablePointer<CChar>?
            let v = start.withMemoryRebound(to: CChar.self, capacity: j - index + 1) { strtod($0, &stop) }
            let consumed = stop.map { UnsafeRawPointer($0) - UnsafeRawPointer(start) } ?? 0
            guard consumed > 0, consumed == j - index else { throw fail("malformed number") }
            index = j
            return v
        }

        func matches(_ token: String) -> Bool {
            var j = index
            for b in token.utf8 {
                guard j < end, bytes[j] == b else { return false }
                j += 1
            }
            return true
        }

        mutating func string() throws -> String {
            index += 1
            var out = [UInt8]()
            while index < end {
                let c = bytes[index]
                if c == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if c == UInt8(ascii: "\\") {
                    index += 1
                    guard index < end else { break }
                    let e = bytes[index]
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard index + 4 < end, let code = UInt32(String(decoding: bytes[(index + 1)...(index + 4)],
                                                                         as: UTF8.self), radix: 16) else {
                            throw fail("malformed \\u escape")
                        }
                        out += Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8)
                        index += 4
                    default: out.append(e)
                    }
                    index += 1
                    continue
                }
                out.append(c)
                index += 1
            }
            throw fail("unterminated string")
        }

        mutating func array(depth: Int) throws -> JSONValue {
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if index < end, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard index < end else { throw fail("unterminated array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        }

        mutating func object(depth: Int) throws -> JSONValue {
            index += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if index < end, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let key = try string()
                skipSpace()
                guard index < end, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                skipSpace()
                members[key] = try value(depth: depth + 1)
                skipSpace()
                guard index < end else { throw fail("unterminated object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw fail("expected ',' or '}'")
            }
        }
    }
}
