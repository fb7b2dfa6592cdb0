import Foundation

/// The model file: "JACOBIAN-MLP\n", format version (UInt32), activation name, layer sizes, then W_l and b_l as
/// little-endian Doubles, then the SHA-256 (hex) of everything before it. Written atomically.
public enum ModelFile {
    static let magic = Array("JACOBIAN-MLP\n".utf8)
    /// The format version this build writes and reads.
    public static let version: UInt32 = 1
}

extension ModelFile {
    /// The bytes of `network` in this format.
    public static func encode(_ network: MLP) -> [UInt8] {
        var out = magic
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        u32(version)
        let name = Array(network.activation.rawValue.utf8)
        u32(UInt32(name.count))
        out += name
        u32(UInt32(network.sizes.count))
        network.sizes.forEach { u32(UInt32($0)) }
        for (w, b) in zip(network.weights, network.biases) {
            for v in w.elements + b { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        }
        return out + Array(SHA256.hex(out).utf8)
    }

    /// Writes `network` to `path` atomically (a temporary file, then a rename); an existing file survives a failure.
    public static func write(_ network: MLP, to path: String) throws {
        if let where_ = nonFiniteParameter(network) {
            throw JacobianError.nonFinite("Not saving to '\(path)': \(where_) is not finite, so the model is useless.")
        }
        try AtomicFile.write(encode(network), to: path)
    }

    /// Reads a model, checking magic, version, checksum and shapes; each problem is one sentence.
    public static func read(_ path: String) throws -> MLP {
        // A regular file only, no larger than a quarter of the memory available (decoding holds about 3 copies).
        let limit = Int(min(WorkBudget.machine().memoryBytes / 4, Double(Int.max / 2)))
        return try decode(InputFile.read(path, what: "Cannot load '\(path)'", limit: limit), name: path)
    }

    /// Decodes model bytes (`name` is used in messages).
    public static func decode(_ bytes: [UInt8], name: String) throws -> MLP {
        func bad(_ why: String) -> JacobianError { .badFile("Cannot load '\(name)': \(why).") }
        guard bytes.count >= magic.count + 64, Array(bytes.prefix(magic.count)) == magic else {
            throw bad("it is not a jacobian model file (wrong magic bytes)")
        }
        let body = Array(bytes[..<(bytes.count - 64)])
        guard String(decoding: bytes.suffix(64), as: UTF8.self) == SHA256.hex(body) else {
            throw bad("its checksum does not match, so it is truncated or corrupt")
        }
        var at = magic.count
        func u32() throws -> UInt32 {
            guard at + 4 <= body.count else { throw bad("it ends early") }
            defer { at += 4 }
            return body[at..<(at + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }
        let v = try u32()
        guard v == version else { throw bad("it is format version \(v), this build reads version \(version)") }
        let nameLength = Int(try u32())
        guard nameLength < 64, at + nameLength <= body.count,
              let activation = Activation(rawValue: String(decoding: body[at..<(at + nameLength)],
                                                           as: UTF8.self)) else {
            throw bad("its activation is not one of \(Activation.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        at += nameLength
        let layers = Int(try u32())
        guard layers >= 2, layers < 64 else { throw bad("it declares \(layers) layer sizes") }
        let sizes = try (0..<layers).map { _ in Int(try u32()) }
        guard sizes.first == 784, sizes.last == 10, sizes.allSatisfy({ $0 > 0 && $0 < 1_000_000 }) else {
            throw bad("its layer sizes \(sizes.map(String.init).joined(separator: "-")) are not 784-…-10")
        }
        var weights: [Matrix] = [], biases: [[Double]] = []
        func doubles(_ n: Int) throws -> [Double] {
            guard at + 8 * n <= body.count else { throw bad("it holds fewer weights than its sizes need") }
            defer { at += 8 * n }
            return (0..<n).map { k in
                Double(bitPattern: body[(at + 8 * k)..<(at + 8 * k + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) })
            }
        }
        for l in 0..<(layers - 1) {
            weights.append(Matrix(unchecked: sizes[l + 1], sizes[l], try doubles(sizes[l + 1] * sizes[l])))
            biases.append(try doubles(sizes[l + 1]))
        }
        guard at == body.count else { throw bad("it has \(body.count - at) bytes after the last layer") }
        let network = try MLP(sizes: sizes, activation: activation, weights: weights, biases: biases)
        if let where_ = nonFiniteParameter(network) { throw bad("\(where_) is not finite") }
        return network
    }

    /// "W_2 entry 17" for the first inf or NaN parameter, nil when all are finite.
    static func nonFiniteParameter(_ network: MLP) -> String? {
        for (l, (w, b)) in zip(network.weights, network.biases).enumerated() {
            if let k = w.elements.firstIndex(where: { !$0.isFinite }) {
                return "W_\(l + 1) entry \(k) (\(w.elements[k]))"
            }
            if let k = b.firstIndex(where: { !$0.isFinite }) { return "b_\(l + 1) entry \(k) (\(b[k]))" }
        }
        return nil
    }
}
