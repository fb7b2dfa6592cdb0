import Foundation
import JacobianKit
import Testing

/// The real MNIST fixture, loaded (and verified) once for every test that needs it.
let fixtureMNIST: (train: MNISTSplit, test: MNISTSplit)? = try? MNIST.load(directory: fixturePath("mnist"))

/// A fresh temporary folder, removed by the caller.
func temporaryFolder(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("jacobian-\(name)-\(getpid())-"
                                + "\(UInt32.random(in: 0...UInt32.max, using: &sharedTestRNG))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}
nonisolated(unsafe) var sharedTestRNG = SplitMix64(seed: 77)

/// Writes a small MNIST-shaped folder: `images` 28×28 images and `labels` labels, gzipped.
func writeSmallMNIST(_ dir: URL, images: Int = 3, labels: Int = 3, labelValue: UInt8 = 7) throws {
    var rng = SplitMix64(seed: 1)
    let pixels = (0..<(images * 784)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    for (name, n) in [(MNIST.files.trainImages, images), (MNIST.files.testImages, images)] {
        try IDXFile.write(dir.appendingPathComponent(name).path, dimensions: [n, 28, 28],
                          bytes: Array(pixels.prefix(n * 784)), gzip: true)
    }
    for name in [MNIST.files.trainLabels, MNIST.files.testLabels] {
        try IDXFile.write(dir.appendingPathComponent(name).path, dimensions: [labels],
                          bytes: [UInt8](repeating: labelValue, count: labels), gzip: true)
    }
}

@Suite("MNIST data")
struct MNISTTests {
    @Test("the committed fixture is genuine MNIST: 60000 + 10000 images, verified by SHA-256")
    func fixtureLoads() throws {
        let data = try #require(fixtureMNIST, "fixtures/mnist did not load")
        #expect(data.train.count == 60_000 && data.test.count == 10_000)
        #expect(data.train.pixels.count == 60_000 * 784)
        #expect(Array(data.train.labels.prefix(5)) == [5, 0, 4, 1, 9])
        #expect(Array(data.test.labels.prefix(5)) == [7, 2, 1, 0, 4])
    }

    @Test("well-formed files that are not the genuine ones fail the checksum, and load with verify off")
    func checksumMismatch() throws {
        let dir = try temporaryFolder("mnist-sha")
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSmallMNIST(dir)
        #expect(throws: JacobianError.self) { try MNIST.load(directory: dir.path) }
        do {
            _ = try MNIST.load(directory: dir.path)
        } catch let e as JacobianError {
            #expect(e.description.contains("is not the genuine one"))
        }
        let loaded = try MNIST.load(directory: dir.path, verify: false)
        #expect(loaded.train.count == 3 && loaded.train.labels == [7, 7, 7])
    }

    @Test("plain (not gzipped) IDX files read the same")
    func plainFiles() throws {
        let dir = try temporaryFolder("mnist-plain")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("labels").path
        try IDXFile.write(path, dimensions: [4], bytes: [1, 2, 3, 4], gzip: false)
        let idx = try IDXFile.read(path, expectedRank: 1)
        #expect(idx.dimensions == [4] && idx.bytes == [1, 2, 3, 4])
    }

    @Test("missing, truncated, corrupt and mismatched files are one clear error naming the file")
    func badFiles() throws {
        let dir = try temporaryFolder("mnist-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        #expect(message { _ = try MNIST.load(directory: dir.appendingPathComponent("nowhere").path) }
                    .contains("does not exist"))
        #expect(message { _ = try MNIST.load(directory: dir.path) }.contains("missing"))

        let labels = dir.appendingPathComponent("labels.gz").path
        // Truncated: the header promises 10 labels, the data holds 6.
        var raw: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 10] + [UInt8](repeating: 1, count: 6)
        FileManager.default.createFile(atPath: labels, contents: Data(raw))
        #expect(message { _ = try IDXFile.read(labels, expectedRank: 1) }.contains("truncated"))
        // Wrong magic number.
        raw = [0, 0, 9, 1, 0, 0, 0, 1, 5]
        FileManager.default.createFile(atPath: labels, contents: Data(raw))
        #expect(message { _ = try IDXFile.read(labels, expectedRank: 1) }.contains("magic number"))
        // A gzip stream with its middle overwritten.
        try IDXFile.write(labels, dimensions: [5000], bytes: (0..<5000).map { UInt8($0 % 10) }, gzip: true)
        var gz = try Data(contentsOf: URL(fileURLWithPath: labels))
        for k in 20..<min(60, gz.count - 8) { gz[k] ^= 0x5A }
        try gz.write(to: URL(fileURLWithPath: labels))
        #expect(message { _ = try IDXFile.read(labels, expectedRank: 1) }.contains("labels.gz"))

        // Images and labels that disagree in count.
        try writeSmallMNIST(dir, images: 3, labels: 2)
        #expect(message { _ = try MNIST.load(directory: dir.path, verify: false) }.contains("3 images but 2 labels"))
        // A label outside 0…9.
        try writeSmallMNIST(dir, labelValue: 12)
        #expect(message { _ = try MNIST.load(directory: dir.path, verify: false) }.contains("label 12"))
    }

    @Test("SHA-256 matches the FIPS test vectors")
    func sha256Vectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var s = SHA256()
        for _ in 0..<1000 { s.update([UInt8](repeating: 0x61, count: 1000)) }
        #expect(s.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
