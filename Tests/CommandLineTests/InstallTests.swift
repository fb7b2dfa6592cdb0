import Foundation
import Testing

/// The binary outside the source tree: data found beside an installed copy, or a sentence saying where it looked.
@Suite("Installed binary")
struct InstallTests {
    /// A prefix laid out as scripts/install lays it out (bin/jacobian, share/jacobian/mnist), the data optional.
    func prefix(withData: Bool) throws -> URL {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("jacobian-prefix-\(UUID().uuidString)")
        try fm.createDirectory(at: root.appendingPathComponent("bin"), withIntermediateDirectories: true)
        let binary = try #require(builtBinary())
        try fm.copyItem(at: binary, to: root.appendingPathComponent("bin/jacobian"))
        if withData {
            let data = root.appendingPathComponent("share/jacobian/mnist")
            try fm.createDirectory(at: data, withIntermediateDirectories: true)
            for f in try fm.contentsOfDirectory(atPath: fixturePath("mnist")) {
                try fm.copyItem(atPath: fixturePath("mnist/" + f), toPath: data.appendingPathComponent(f).path)
            }
        }
        return root
    }

    func run(_ binary: URL, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: "/tmp")
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                   stderr: String(decoding: e, as: UTF8.self))
    }

    @Test("an installed copy run from /tmp, also through a symlink, finds the MNIST files in PREFIX/share")
    func installedFindsData() throws {
        let root = try prefix(withData: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let link = root.appendingPathComponent("link-to-jacobian")
        try FileManager.default.createSymbolicLink(at: link,
                                                   withDestinationURL: root.appendingPathComponent("bin/jacobian"))
        for binary in [root.appendingPathComponent("bin/jacobian"), link] {
            let r = try run(binary, ["mnist", "--epochs", "1", "--limit", "500"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("test accuracy"))
        }
    }

    @Test("without data anywhere, mnist says where it looked and how to fix it")
    func missingDataSaysWhere() throws {
        let root = try prefix(withData: false)
        defer { try? FileManager.default.removeItem(at: root) }
        let r = try run(root.appendingPathComponent("bin/jacobian"), ["mnist", "--epochs", "1", "--limit", "10"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("No MNIST files found: looked in \(root.path)/share/jacobian/mnist"), "\(r.stderr)")
        #expect(r.stderr.contains("--data DIR"))
    }
}
