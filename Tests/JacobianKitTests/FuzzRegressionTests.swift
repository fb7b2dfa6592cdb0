import Foundation
import Testing
import JacobianKit

@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// Every file in Fuzz/Corpus/<target>/ and Fuzz/Regressions/<target>/ (inputs the fuzzer once crashed on).
    static func inputs(_ target: String) throws -> [(String, [UInt8])] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz")
        var found: [(String, [UInt8])] = []
        for folder in ["Corpus", "Regressions"] {
            let dir = root.appendingPathComponent(folder).appendingPathComponent(target)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.sorted() ?? [] {
                let bytes = Array(try Data(contentsOf: dir.appendingPathComponent(name)))
                found.append(("\(folder)/\(target)/\(name)", bytes))
            }
        }
        return found
    }

    @Test("every target's seeds and past crashing inputs run without a trap", arguments: FuzzTargets.all.keys.sorted())
    func replay(target: String) throws {
        let inputs = try Self.inputs(target)
        #expect(!inputs.isEmpty, "Fuzz/Corpus/\(target) has no seed inputs")
        let body = try #require(FuzzTargets.all[target])
        for (_, bytes) in inputs { body(bytes) }
    }

    @Test("the fuzz targets reach the parsers: a seed builds, reads or decodes")
    func seedsAreValid() throws {
        let model = try #require(try Self.inputs("modelfile").first?.1)
        let body = Array("JACOBIAN-MLP\n".utf8) + model
        _ = try ModelFile.decode(body + Array(SHA256.hex(body).utf8), name: "seed")
        _ = try Catalog.build("linear | sigmoid | mse", shape: nil, options: MapOptions())
    }
}
