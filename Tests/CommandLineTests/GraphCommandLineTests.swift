import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("Expression graphs")
struct GraphCommandLineTests {
    /// A fresh path in a temporary folder.
    func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jacobian-graph-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test("--graph FILE.svg writes an SVG that parses as XML, one box per node, edges labelled with Jacobians")
    func svgParses() throws {
        let path = temporaryPath("g.svg")
        let r = try jacobian("check", "softmax(W*x + b)", "--wrt", "W", "--shape", "W=3x4", "--graph", path)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try XMLDocument(contentsOf: URL(fileURLWithPath: path))
        let root = try #require(doc.rootElement())
        #expect(root.name == "svg")
        let groups = (root.children ?? []).filter { $0.name == "g" }
        #expect(groups.count == 6, "W, x, W*x, b, W*x + b, softmax")
        var texts: [String] = []
        func collect(_ e: XMLElement) {
            if e.name == "text", let v = e.stringValue { texts.append(v) }
            e.children?.compactMap { $0 as? XMLElement }.forEach(collect)
        }
        collect(root)
        #expect(texts.contains { $0.hasPrefix("3×12") }, "the edge into W*x carries its 3×12 Jacobian")
        #expect(texts.contains { $0.hasPrefix("3×3") })
        #expect(!texts.contains { $0.contains("fails") })
    }

    @Test("a failing check highlights the first failing node; the drawing shows it in the terminal too")
    func failingNode() throws {
        let path = temporaryPath("f.svg")
        // A step of 0.5 leaves the linear nodes exact and makes sin's central difference off by ~h²/6.
        let args = ["check", "exp(2*x + sin(x))", "--at", "1", "--step", "0.5", "--method", "central"]
        let r = try jacobian(arguments: args + ["--graph", path])
        #expect(r.status == 1)
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        _ = try XMLDocument(xmlString: svg)
        #expect(svg.contains("#3 sin · 1 · ✗ fails") && svg.contains("#dc2626"))
        #expect(!svg.contains("#2 × · 1 · ✗") && !svg.contains("#4 + · 1 · ✗"))
        let t = try jacobian(arguments: args + ["--graph", "-"])
        #expect(t.stdout.contains("└─ J 1×1 identity = I ─ #3 sin(x)  [sin, 1]  ✗ fails its check"))
        #expect(t.stdout.contains("└─ J 1×1 diagonal = diag(cos x) ─ #1 x"))
        #expect(t.stdout.components(separatedBy: "✗ fails").count == 2, "one node highlighted")
    }

    @Test("--graph refuses a built-in map, '-' with --json, and a missing folder, each in one sentence")
    func badGraphUse() throws {
        let builtIn = try jacobian("eval", "softmax", "--dim", "3", "--graph", "-")
        #expect(builtIn.status == 64 && builtIn.stderr.contains("--graph draws expressions"))
        let json = try jacobian("eval", "sin(x)", "--at", "1", "--json", "--graph", "-")
        #expect(json.status == 64 && json.stderr.contains("with --json give a file"))
        let missing = try jacobian("eval", "sin(x)", "--at", "1", "--graph", "/nonexistent-folder/g.svg")
        #expect(missing.status == 64 && missing.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent-folder/g.svg"))
        let directions = try jacobian("check", "sin(x)", "--at", "1", "--directions", "2", "--graph", "-")
        #expect(directions.status == 64 && directions.stderr.contains("does not go with --directions"))
    }
}
