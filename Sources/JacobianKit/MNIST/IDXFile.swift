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
    /// `JacobianError.badFile` naming the file. Only a regular file is opened, and only the bytes its header
    /// announces are inflated (checked against what the compressed size can hold and the memory available).
    public static func read(_ path: String, expectedRank: Int) throws -> IDXFile {
        let name = (path as NSString).lastPathComponent
        let (fd, fileSize) = try InputFile.openRegular(path, what: "MNIST file '\(path)'")
        guard let file = gzdopen(fd, "rb") else {
            close(fd)
            throw JacobianError.badFile("MNIST file '\(path)' cannot be opened.")
        }
        defer { gzclose(file) }
        let header = 4 + 4 * expectedRank
        var raw = try inflate(file, upTo: header, name: name)
        guard raw.count >= header else {
            throw JacobianError.badFile("MNIST file '\(name)' is truncated: \(raw.count) bytes is too short "
                                        + "for an IDX header.")
        }
        func u32(_ at: Int) -> Int {
            Int(raw[at]) << 24 | Int(raw[at + 1]) << 16 | Int(raw[at + 2]) << 8 | Int(raw[at + 3])
        }
        let magic = u32(0)
        guard magic == 0x0800 | expectedRank else {
            throw JacobianError.badFile(String(format: "MNIST file '%@' has magic number 0x%08X, expected 0x%08X "
                                               + "(unsigned bytes, %d dimensions); it is not an IDX file of that kind.",
                                               name, magic, 0x0800 | expectedRank, expectedRank))
        }
        let dims = (0..<expectedRank).map { u32(4 + 4 * $0) }
        let declared = dims.map(String.init).joined(separator: "×")
        let payload = try CheckedSize.product(dims, "MNIST file '\(name)'")
        // Deflate shrinks data at most about 1032:1, so a header announcing more than that is a lie (a gzip bomb
        // or a corrupt header): refused before anything that large is allocated.
        let plain = gzdirect(file) != 0
        let possible = plain ? fileSize - header : CheckedSize.saturatingProduct(fileSize, 1040)
        guard payload <= possible else {
            throw JacobianError.badFile(
                "MNIST file '\(name)' declares \(declared) = \(payload) bytes of data, more than its \(fileSize) "
                + "bytes on disk can hold; it is truncated or corrupt.")
        }
        try WorkBudget.machine().ensureMemory(doubles: payload / 8, what: "MNIST file '\(name)'")
        raw += try inflate(file, upTo: payload, name: name)
        guard raw.count - header == payload else {
            throw JacobianError.badFile(
                "MNIST file '\(name)' declares \(declared) = \(payload) bytes of data but holds "
                + "\(raw.count - header); it is truncated.")
        }
        // One byte more would be data the header does not announce: refused without inflating the rest.
        guard try inflate(file, upTo: 1, name: name).isEmpty else {
            throw JacobianError.badFile(
                "MNIST file '\(name)' declares \(declared) = \(payload) bytes of data but holds more; "
                + "it is not a genuine IDX file.")
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

    /// Up to `count` more uncompressed bytes from `file` (fewer at its end), in chunks of at most 1 MiB.
    private static func inflate(_ file: gzFile, upTo count: Int, name: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let want = UInt32(min(count - done, 1 << 20))
            let n = out.withUnsafeMutableBytes { gzread(file, $0.baseAddress! + done, want) }
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
                throw JacobianError.badFile("MNIST file '\(name)' is corrupt: zlib says \(message).")
            }
            if n == 0 { break }
            done += Int(n)
        }
        if done < count { out.removeLast(count - done) }
        return out
    }
}
