import CZlib
import Foundation

/// An IDX file (the MNIST format): big-endian magic 0x0000_08NN with NN dimensions, the sizes, then unsigned bytes.
public struct IDXFile: Sendable {
    /// The dimensions, e.g. [60000, 28, 28].
    public let dimensions: [Int]
    /// The payload bytes, row-major.
    public let bytes: [UInt8]
    /// SHA-256 of the whole uncompressed file.
    public let sha256: String

    /// Reads a gzipped or plain IDX file of unsigned bytes with `expectedRank` dimensions; every problem is a
    /// `JacobianError.badFile` naming the file.
    public static func read(_ path: String, expectedRank: Int) throws -> IDXFile {
        let name = (path as NSString).lastPathComponent
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw JacobianError.badFile("MNIST file '\(path)' is missing or unreadable.")
        }
        let raw = try inflate(path, name: name)
        guard raw.count >= 4 + 4 * expectedRank else {
            throw JacobianError.badFile("MNIST file '\(name)' is truncated: \(raw.count) bytes is too short for an IDX header.")
        }
        func u32(_ at: Int) -> Int { Int(raw[at]) << 24 | Int(raw[at + 1]) << 16 | Int(raw[at + 2]) << 8 | Int(raw[at + 3]) }
        let magic = u32(0)
        guard magic == 0x0800 | expectedRank else {
            throw JacobianError.badFile(String(format: "MNIST file '%@' has magic number 0x%08X, expected 0x%08X (unsigned bytes, %d dimensions); it is not an IDX file of that kind.",
                                               name, magic, 0x0800 | expectedRank, expectedRank))
        }
        let dims = (0..<expectedRank).map { u32(4 + 4 * $0) }
        let payload = dims.reduce(1, *)
        let header = 4 + 4 * expectedRank
        guard raw.count - header == payload else {
            throw JacobianError.badFile(
                "MNIST file '\(name)' declares \(dims.map(String.init).joined(separator: "×")) = \(payload) bytes of data but holds \(raw.count - header)" +
                (raw.count - header < payload ? "; it is truncated." : "."))
        }
        return IDXFile(dimensions: dims, bytes: Array(raw[header...]), sha256: SHA256.hex(raw))
    }

    /// Writes an IDX file of unsigned bytes (gzipped through zlib when `gzip` is set), e.g. to make test data.
    public static func write(_ path: String, dimensions: [Int], bytes: [UInt8], gzip: Bool) throws {
        var raw: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { raw += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        raw += bytes
        if !gzip {
            guard FileManager.default.createFile(atPath: path, contents: Data(raw)) else {
                throw JacobianError.badFile("Cannot write '\(path)'.")
            }
            return
        }
        guard let file = gzopen(path, "wb") else { throw JacobianError.badFile("Cannot write '\(path)'.") }
        defer { gzclose(file) }
        let written = raw.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        guard written == Int32(raw.count) else { throw JacobianError.badFile("Cannot write '\(path)'.") }
    }

    /// The uncompressed bytes of a gzip or plain file, through zlib (gzread passes plain files through).
    private static func inflate(_ path: String, name: String) throws -> [UInt8] {
        guard let file = gzopen(path, "rb") else {
            throw JacobianError.badFile("MNIST file '\(path)' cannot be opened.")
        }
        defer { gzclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
                throw JacobianError.badFile("MNIST file '\(name)' is corrupt: zlib says \(message).")
            }
            if n == 0 { break }
            out += chunk[0..<Int(n)]
        }
        return out
    }
}
