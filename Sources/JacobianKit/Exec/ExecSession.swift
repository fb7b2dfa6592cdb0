import Foundation

/// The protocol side of `ExecMap`: numbered requests, answers checked field by field, every failure turned into
/// one sentence about the program with the tail of its standard error.
final class ExecSession: @unchecked Sendable {
    /// The protocol version this side speaks.
    static let version = 1

    let process: Coprocess
    let timeout: Double
    private let lock = NSLock()
    private var nextID = 0

    init(command: String, timeout: Double, environment: [String: String]?) throws {
        do {
            process = try Coprocess(command: command, environment: environment)
        } catch let Coprocess.Failure.spawn(code) {
            throw JacobianError.program("The program '\(command)' could not be started: \(String(cString: strerror(code))).")
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
        var jacobians: [JSONValue]?
        var layout: Layout?
    }

    /// A JacobianError.program: "The program 'cmd' <what>." and its last stderr lines.
    func failure(_ what: String) -> JacobianError {
        var text = "The program '\(process.command)' \(what)."
        let tail = process.stderrLines()
        if !tail.isEmpty { text += " Its last lines of standard error:\n" + tail.map { "  | " + $0 }.joined(separator: "\n") }
        return .program(text)
    }

    /// Eval requests sent so far.
    var requests: Int { lock.withLock { nextID } }

    func info(input: Shape?) throws -> Info {
        var request = "{\"jacobian-exec\":\(Self.version),\"id\":0,\"op\":\"info\""
        if let input { request += ",\"input\":\(input.dimensions)" }
        let answer = try exchange(Array((request + "}").utf8), id: 0, describing: "the info request")
        if let v = answer["jacobian-exec"], v.number != Double(Self.version) {
            throw failure("speaks protocol version \(v.number.map { String(Int($0)) } ?? "?"), and this checker speaks "
                          + "version \(Self.version)")
        }
        var info = Info()
        info.name = answer["name"]?.string
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
    /// finite numbers, and (when asked) one Jacobian per point.
    func evaluate(_ points: [[Double]], jacobian: Bool, outputs: Int?) throws -> Answer {
        let id = lock.withLock { nextID += 1; return nextID }
        var text = "{\"jacobian-exec\":\(Self.version),\"id\":\(id),\"op\":\"eval\",\"jacobian\":\(jacobian),\"points\":["
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
        let what = "request \(id) (\(points.count) point\(points.count == 1 ? "" : "s")\(jacobian ? " with the Jacobian" : ""))"
        let answer = try exchange(Array(text.utf8), id: id, describing: what)
        guard let list = answer["values"]?.array else {
            throw failure("answered \(what) without a \"values\" array (one value per point)")
        }
        guard list.count == points.count else {
            throw failure("returned \(list.count) value\(list.count == 1 ? "" : "s") for the \(points.count) point"
                          + "\(points.count == 1 ? "" : "s") of \(what)")
        }
        var values: [[Double]] = []
        values.reserveCapacity(list.count)
        for (k, item) in list.enumerated() {
            let v = try numbers(item, what: "its value at point \(k)")
            if let m = outputs, v.count != m {
                throw failure("returned \(v.count) number\(v.count == 1 ? "" : "s") as its value at point \(k) of \(what), "
                              + "but its output has \(m)")
            }
            if let i = v.firstIndex(where: { !$0.isFinite }) {
                throw failure("returned \(Self.name(v[i])) as output \(i) of its value at point \(k) of \(what), "
                              + "x = \(TextFormat.vector(points[k], limit: 6))")
            }
            values.append(v)
        }
        var result = Answer(values: values)
        if jacobian {
            guard let js = answer["jacobians"]?.array, js.count == points.count else {
                throw failure("answered \(what) without a \"jacobians\" array of \(points.count) matri"
                              + "\(points.count == 1 ? "x" : "ces")")
            }
            result.jacobians = js
            if let l = answer["layout"]?.string { result.layout = Layout(rawValue: l) }
        }
        return result
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
        guard let items = value.array else { throw failure("gave \(what) as \(describe(value)), not an array of numbers") }
        var out = [Double]()
        out.reserveCapacity(items.count)
        for item in items {
            guard let v = item.number else { throw failure("gave \(what) with \(describe(item)) where a number belongs") }
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
    private func exchange(_ line: [UInt8], id: Int, describing what: String) throws -> [String: JSONValue] {
        let reply: [UInt8]
        do {
            reply = try process.exchange(line, timeout: timeout)
        } catch let failure as Coprocess.Failure {
            throw explain(failure, during: what)
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(reply)
        } catch let e as JSONValue.SyntaxError {
            throw failure("answered \(what) with a line that is not JSON (\(e.reason) at character \(e.offset + 1)): "
                          + quote(reply))
        }
        guard let object = json.object else {
            throw failure("answered \(what) with \(describe(json)) instead of a JSON object: \(quote(reply))")
        }
        if let message = object["error"] {
            throw failure("reported an error for \(what): \(message.string ?? describe(message))")
        }
        if let got = object["id"], got.number != Double(id) {
            throw failure("answered \(what) with id \(describe(got)); answers must come in order, with the request's id")
        }
        return object
    }

    private func explain(_ f: Coprocess.Failure, during what: String) -> JacobianError {
        switch f {
        case let .spawn(code): return failure("could not be started: \(String(cString: strerror(code)))")
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
                return failure("was killed by \(signalName(s - 128)) before answering \(what) (its shell exited with \(s))")
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
