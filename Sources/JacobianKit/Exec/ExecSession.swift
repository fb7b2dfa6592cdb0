import Foundation

/// The protocol side of `ExecMap`: numbered requests, answers checked field by field, every failure turned into
/// one sentence about the program with the tail of its standard error.
final class ExecSession: @unchecked Sendable {
    /// The protocol version this side speaks.
    static let version = 1

    let process: Coprocess
    let timeout: Double
    private let lock = NSLock()
    /// Held for a whole exchange, payloads included, so that concurrent callers cannot interleave.
    private let conversation = NSLock()
    private var nextID = 0
    /// Whether the program asked for points as binary float64 ("encoding": "binary" in its info answer).
    private(set) var binary = false

    init(command: String, timeout: Double, environment: [String: String]?) throws {
        do {
            process = try Coprocess(command: command, environment: environment)
        } catch let Coprocess.Failure.spawn(code) {
            throw JacobianError.program("The program '\(command)' could not be started: "
                + "\(String(cString: strerror(code))).")
        }
        self.timeout = timeout
    }

    /// What the program says about itself.
    struct Info {
        var name: String?
        var input: Shape?
        var output: Shape?
        var layout: Layout?
    }

    /// One eval answer.
    struct Answer {
        var values: [[Double]]
        var jacobians: [Matrix]?
        var layout: Layout?
    }

    /// A JacobianError.program: "The program 'cmd' <what>." and its last stderr lines.
    func failure(_ what: String) -> JacobianError {
        var text = "The program '\(process.command)' \(what)."
        let tail = process.stderrLines()
        if !tail.isEmpty {
            text += " Its last lines of standard error:\n" + tail.map { "  | " + $0 }.joined(separator: "\n")
        }
        return .program(text)
    }

    /// Eval requests sent so far.
    var requests: Int { lock.withLock { nextID } }

    func info(input: Shape?) throws -> Info {
        var request = "{\"jacobian-exec\":\(Self.version),\"id\":0,\"op\":\"info\""
        if let input { request += ",\"input\":\(input.dimensions)" }
        let answer = try exchange(Array((request + "}").utf8), id: 0, describing: "the info request").object
        if let v = answer["jacobian-exec"], v.number != Double(Self.version) {
            throw failure("speaks protocol version \(v.number.map { String(Int($0)) } ?? "?"), and this checker speaks "
                          + "version \(Self.version)")
        }
        var info = Info()
        info.name = answer["name"]?.string
        if let e = answer["encoding"] {
            guard let name = e.string, name == "json" || name == "binary" else {
                throw failure("declared \"encoding\" as \(describe(e)); it must be \"json\" or \"binary\"")
            }
            binary = name == "binary"
        }
        info.input = try answer["input"].map { try shape($0, field: "input") }
        info.output = try answer["output"].map { try shape($0, field: "output") }
        if let l = answer["layout"] {
            guard let s = l.string, let layout = Layout(rawValue: s) else {
                throw failure("declared \"layout\" as \(describe(l)); it must be \"numerator\" or \"denominator\"")
            }
            info.layout = layout
        }
        return info
    }

    /// Sends one eval request with `points` and checks the answer: one value per point, each with `outputs`
    /// finite numbers, and (when asked) one Jacobian per point. Points go as JSON arrays, or as binary
    /// float64 when the program asked for that encoding; answers may use either form.
    func evaluate(_ points: [[Double]], jacobian: Bool, outputs: Int?) throws -> Answer {
        let id = lock.withLock { nextID += 1; return nextID }
        var text = "{\"jacobian-exec\":\(Self.version),\"id\":\(id),\"op\":\"eval\",\"jacobian\":\(jacobian),"
        var payload: [UInt8] = []
        if binary {
            payload = Self.bytes(points)
            text += "\"count\":\(points.count),\"bytes\":\(payload.count)}"
        } else {
            text += "\"points\":["
            text.reserveCapacity(points.count * (points.first?.count ?? 0) * 22 + 100)
            for (k, p) in points.enumerated() {
                text += k == 0 ? "[" : ",["
                for (i, v) in p.enumerated() {
                    if i > 0 { text += "," }
                    text += v.description
                }
                text += "]"
            }
            text += "]}"
        }
        let plural = points.count == 1 ? "" : "s"
        let what = "request \(id) (\(points.count) point\(plural)\(jacobian ? " with the Jacobian" : ""))"
        let (answer, blobs) = try exchange(Array(text.utf8), payload: payload, id: id, describing: what)
        let values = try valueList(answer, blobs, count: points.count, outputs: outputs, what: what)
        for (k, v) in values.enumerated() {
            if let m = outputs, v.count != m {
                throw failure("returned \(v.count) number\(v.count == 1 ? "" : "s") as its value at point \(k) of "
                    + "\(what), "
                              + "but its output has \(m)")
            }
            if let i = v.firstIndex(where: { !$0.isFinite }) {
                throw failure("returned \(Self.name(v[i])) as output \(i) of its value at point \(k) of \(what), "
                              + "x = \(TextFormat.vector(points[k], limit: 6))")
            }
        }
        var result = Answer(values: values)
        if jacobian {
            result.jacobians = try jacobianList(answer, blobs, count: points.count, what: what)
            if let l = answer["layout"]?.string { result.layout = Layout(rawValue: l) }
        }
        return result
    }

    /// "values" (arrays) or the "values_bytes" payload (count × m float64, row-major).
    private func valueList(_ answer: [String: JSONValue], _ blobs: [String: [Double]], count: Int, outputs: Int?,
                           what: String) throws -> [[Double]] {
        if let flat = blobs["values_bytes"] {
            guard count > 0, flat.count % count == 0, outputs.map({ flat.count == $0 * count }) ?? true else {
                throw failure("returned \(flat.count) numbers in its \"values_bytes\" payload for the \(count) points "
                    + "of \(what)"
                              + (outputs.map { ", not \(count) × \($0)" } ?? ""))
            }
            let m = flat.count / count
            return (0..<count).map { Array(flat[$0 * m..<($0 + 1) * m]) }
        }
        guard let list = answer["values"]?.array else {
            throw failure("answered \(what) without a \"values\" array (one value per point)")
        }
        guard list.count == count else {
            throw failure("returned \(list.count) value\(list.count == 1 ? "" : "s") for the \(count) point"
                          + "\(count == 1 ? "" : "s") of \(what)")
        }
        return try list.enumerated().map { k, item in try numbers(item, what: "its value at point \(k)") }
    }

    /// "jacobians" (arrays of rows) or the "jacobians_bytes" payload with "jacobian_shape" [rows, columns].
    private func jacobianList(_ answer: [String: JSONValue], _ blobs: [String: [Double]], count: Int,
                              what: String) throws -> [Matrix] {
        if let flat = blobs["jacobians_bytes"] {
            guard let shape = answer["jacobian_shape"]?.array?.compactMap(\.number), shape.count == 2,
                  shape.allSatisfy({ $0 >= 0 && $0 == $0.rounded() && $0 < 1e9 }) else {
                throw failure("answered \(what) with \"jacobians_bytes\" but without \"jacobian_shape\": [rows, "
                    + "columns]")
            }
            let (r, c) = (Int(shape[0]), Int(shape[1]))
            guard flat.count == count * r * c else {
                throw failure("returned \(flat.count) numbers in its \"jacobians_bytes\" payload for \(count) "
                    + "\(r)×\(c) Jacobians")
            }
            return (0..<count).map { Matrix(unchecked: r, c, Array(flat[$0 * r * c..<($0 + 1) * r * c])) }
        }
        guard let list = answer["jacobians"]?.array, list.count == count else {
            throw failure("answered \(what) without a \"jacobians\" array of \(count) matri\(count == 1 ? "x" : "ces")")
        }
        return try list.map { try matrix($0, what: "its Jacobian") }
    }

    /// The points as little-endian float64, row-major.
    static func bytes(_ points: [[Double]]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(points.count * (points.first?.count ?? 0) * 8)
        for p in points {
            #if _endian(little)
            p.withUnsafeBytes { out.append(contentsOf: $0) }
            #else
            for v in p { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
            #endif
        }
        return out
    }

    /// Little-endian float64 bytes as numbers.
    static func doubles(_ bytes: [UInt8]) -> [Double] {
        let count = bytes.count / 8
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                for k in 0..<count {
                    buffer[k] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k * 8,
                                                                                            as: UInt64.self)))
                }
            }
            initialized = count
        }
    }

    /// A JSON array of equal rows as a Matrix, or a sentence saying what it is instead.
    func matrix(_ value: JSONValue, what: String) throws -> Matrix {
        guard let rows = value.array else { throw failure("gave \(what) as \(describe(value)), not an array of rows") }
        var data: [[Double]] = []
        for (i, r) in rows.enumerated() {
            data.append(try numbers(r, what: "row \(i) of \(what)"))
        }
        guard let m = try? Matrix(data) else { throw failure("gave \(what) with rows of different lengths") }
        return m
    }

    private func numbers(_ value: JSONValue, what: String) throws -> [Double] {
        guard let items = value.array else {
            throw failure("gave \(what) as \(describe(value)), not an array of numbers")
        }
        var out = [Double]()
        out.reserveCapacity(items.count)
        for item in items {
            guard let v = item.number else {
                throw failure("gave \(what) with \(describe(item)) where a number belongs")
            }
            out.append(v)
        }
        return out
    }

    private func shape(_ value: JSONValue, field: String) throws -> Shape {
        if let n = value.number, n >= 1, n == n.rounded(), n < 1e9 { return .vector(Int(n)) }
        if let a = value.array, let d = try? a.map({ v -> Int in
            guard let n = v.number, n >= 1, n == n.rounded(), n < 1e9 else { throw JacobianError.invalidArgument("") }
            return Int(n)
        }), d.count == 1 || d.count == 2 {
            return Shape(dimensions: d)
        }
        throw failure("declared \"\(field)\" as \(describe(value)); it must be a size n, [n] or [rows, columns]")
    }

    /// One line out, one JSON object back with the same id (or an "error" member, reported as the program's).
    /// With the binary encoding, the payloads an answer announces ("values_bytes", then "jacobians_bytes") are
    /// read after its line and returned as numbers.
    private func exchange(_ line: [UInt8], payload: [UInt8] = [], id: Int, describing what: String) throws
        -> (object: [String: JSONValue], blobs: [String: [Double]])
    {
        conversation.lock()
        defer { conversation.unlock() }
        let reply: [UInt8]
        do {
            reply = try process.exchange(line, payload: payload, timeout: timeout)
        } catch let failure as Coprocess.Failure {
            throw explain(failure, during: what)
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(reply)
        } catch let e as JSONValue.SyntaxError {
            throw failure("answered \(what) with a line that is not JSON (\(e.reason) at character \(e.offset + 1)): "
                          + quote(reply) + "; only answers go to standard output, logs go to standard error")
        }
        guard let object = json.object else {
            throw failure("answered \(what) with \(describe(json)) instead of a JSON object: \(quote(reply))")
        }
        if let message = object["error"] {
            throw failure("reported an error for \(what): \(message.string ?? describe(message))")
        }
        if let got = object["id"], got.number != Double(id) {
            throw failure("answered \(what) with id \(describe(got)); answers must come in order, with the request's "
                + "id")
        }
        var blobs: [String: [Double]] = [:]
        for key in ["values_bytes", "jacobians_bytes"] {
            guard let v = object[key] else { continue }
            guard let n = v.number, n >= 0, n == n.rounded(), n <= Double(8 << 30), Int(n) % 8 == 0 else {
                throw failure("announced \"\(key)\" as \(describe(v)); it must be a byte count, a multiple of 8, "
                              + "up to 8 GiB")
            }
            do {
                blobs[key] = Self.doubles(try process.readBytes(Int(n), timeout: timeout))
            } catch let failure as Coprocess.Failure {
                throw explain(failure, during: what + "'s \(Int(n))-byte payload")
            }
        }
        return (object, blobs)
    }

    private func explain(_ f: Coprocess.Failure, during what: String) -> JacobianError {
        // The program died because an interrupt stopped it; the interrupt handler is exiting the process, and
        // reporting the program as broken would race with it.
        while Coprocess.registry.isInterrupted { sleep(1) }
        switch f {
        case let .spawn(code): return failure("could not be started: \(String(cString: strerror(code)))")
        case let .tooMuchOutput(limit):
            return failure("wrote more than \(limit >> 20) MiB without finishing its answer to \(what), "
                           + "so it was stopped")
        case .timedOut:
            let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
            return failure("did not answer \(what) within \(seconds) s, so it was stopped")
        case let .ended(status, signal):
            if let signal { return failure("was killed by \(signalName(signal)) before answering \(what)") }
            switch status {
            case 127: return failure("could not be started: the shell found no such command (exit status 127)")
            case 126: return failure("could not be started: the command is not executable (exit status 126)")
            case 0: return failure("exited (status 0) before answering \(what)")
            case let s? where s > 128 && s <= 128 + 64:
                return failure("was killed by \(signalName(s - 128)) before answering \(what) (its shell exited with "
                    + "\(s))")
            case let s?: return failure("exited with status \(s) before answering \(what)")
            case nil: return failure("closed its output before answering \(what)")
            }
        }
    }

    /// "NaN", "Infinity", "-Infinity" as JSON writes them.
    static func name(_ v: Double) -> String { v.isNaN ? "NaN" : v > 0 ? "Infinity" : "-Infinity" }

    private func quote(_ bytes: [UInt8]) -> String {
        let s = String(decoding: bytes.prefix(120), as: UTF8.self)
        return "'" + s + (bytes.count > 120 ? "…" : "") + "'"
    }

    private func describe(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "a boolean"
        case let .number(x): return x.isFinite ? "the number \(TextFormat.number(x))" : "\(x)"
        case let .string(s): return "the string \"\(s.prefix(40))\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
