import Foundation

/// The code the libFuzzer targets in Fuzz/ run, here so that the regression tests replay the same code on every
/// input the fuzzer once crashed on (Fuzz/Regressions/<target>/). Each takes arbitrary bytes and must return,
/// never trap, hang or allocate without bound: every failure is a thrown `JacobianError`, which is ignored.
public enum FuzzTargets {
    /// The targets by name, as `scripts/fuzz` and the regression tests call them.
    public static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "pipeline": pipeline, "idx": idx, "modelfile": modelFile, "expression": expression,
    ]

    /// An expression (bytes after the first), with the first byte as the size of its first variable when given
    /// (bit 7): parsed, bound, evaluated with its Jacobian, its symbolic form and, for a scalar, its Hessian.
    public static func expression(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        guard let parsed = try? Expression(text) else { return }
        var bindings = ExpressionBindings(seed: UInt64(first))
        if first & 0x80 != 0, let v = parsed.variables.first { bindings.shapes[v] = .vector(Int(first % 8) + 1) }
        guard let map = try? parsed.map(bindings), map.inputShape.count <= 64, map.outputShape.count <= 64 else {
            return
        }
        var rng = SplitMix64(seed: UInt64(first))
        let x = map.samplePoint(using: &rng)
        _ = try? map.evaluate(at: x, layout: first & 1 == 0 ? .numerator : .denominator)
        _ = map.symbolicJacobian()?.values(at: x)
        if map.outputShape.count == 1 && map.inputShape.count <= 8 { _ = try? HessianCheck.run(map, at: x) }
    }

    /// A map or pipeline string (bytes after the first) for an input size from the first byte: built, and
    /// evaluated at its sample point when small.
    public static func pipeline(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        let size = Int(first % 6) + 1
        let shape: Shape? = first & 0x40 != 0 ? .matrix(rows: size, columns: Int(first >> 3 & 3) + 1)
            : first & 0x80 != 0 ? .vector(size) : nil
        guard let map = try? Catalog.build(text, shape: shape, options: MapOptions()),
              map.inputShape.count <= 256 else { return }
        var rng = SplitMix64(seed: UInt64(first))
        _ = try? map.evaluate(at: map.samplePoint(using: &rng))
    }

    /// An IDX file (gzipped or plain) of rank 1 and of rank 3, read from a temporary file.
    public static func idx(_ bytes: [UInt8]) {
        let path = temporaryPath("idx")
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        defer { unlink(path) }
        _ = try? IDXFile.read(path, expectedRank: 1)
        _ = try? IDXFile.read(path, expectedRank: 3)
    }

    /// Model-file bytes as given, and framed as the format (magic, the bytes, their SHA-256) so that the
    /// fuzzer gets past the checksum to the header and layer parsing.
    public static func modelFile(_ bytes: [UInt8]) {
        _ = try? ModelFile.decode(bytes, name: "fuzz")
        let body = Array("JACOBIAN-MLP\n".utf8) + bytes
        _ = try? ModelFile.decode(body + Array(SHA256.hex(body).utf8), name: "fuzz")
    }

    private static func temporaryPath(_ kind: String) -> String {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return (folder as NSString).appendingPathComponent("jacobian-fuzz-\(kind)-\(getpid())")
    }
}
