import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The result of running the built `jacobian` binary.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The `jacobian` executable SwiftPM built: the nearest folder above the test bundle that holds it.
func builtBinary() -> URL? {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while dir.pathComponents.count > 1 {
        let candidate = dir.appendingPathComponent("jacobian")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
           FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        dir.deleteLastPathComponent()
    }
    return nil
}

/// Runs the built `jacobian` with `arguments`, colour off.
func jacobian(_ arguments: String...) throws -> Run { try jacobian(arguments: arguments) }

/// Runs the built `jacobian` with an argument array, colour off, as if in a terminal `columns` wide (by default
/// wide enough that nothing is wrapped or cut).
func jacobian(arguments: [String], columns: Int = 1000) throws -> Run {
    let process = Process()
    process.executableURL = try #require(builtBinary(), "the jacobian binary was not built")
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = String(columns)
    process.environment = env
    process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
               stderr: String(decoding: errData, as: UTF8.self))
}

/// Decodes one JSON object printed on stdout.
func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite("Command line")
struct CommandLineTests {
    @Test("--help of every command exits 0 and shows examples",
          arguments: ["", "list", "eval", "check", "xor", "mnist", "demo"])
    func help(command: String) throws {
        let r = command.isEmpty ? try jacobian("--help") : try jacobian(command, "--help")
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE"))
        if command != "list" { #expect(r.stdout.contains("Examples")) }
    }

    @Test("list names every built-in map with its shapes")
    func list() throws {
        let r = try jacobian("list")
        #expect(r.status == 0)
        for name in ["softmax", "log-softmax", "linear-row", "bias", "inverse", "logdet", "bilinear-exp",
                     "softmax-cross-entropy"] {
            #expect(r.stdout.contains(name))
        }
        #expect(r.stdout.contains("R^n → R^n"))
    }

    @Test("a passing check exits 0 and says PASS")
    func passingCheck() throws {
        let r = try jacobian("check", "softmax", "--dim", "10")
        #expect(r.status == 0)
        #expect(r.stdout.contains("PASS"))
        #expect(r.stdout.contains("diagonal + outer product"))
        #expect(r.stderr.isEmpty)
    }

    @Test("a large Jacobian is abbreviated with the elided rows and columns counted",
          arguments: ["numerator", "denominator"])
    func largeCheck(layout: String) throws {
        let r = try jacobian("check", "softmax", "--dim", "1000", "--layout", layout)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("(988 rows and 992 columns not shown)"))
        #expect(r.stdout.contains("⋮"))
        #expect(r.stdout.contains("verdicts: 1000000 pass, 0 fail, 0 inconclusive of 1000000"))
    }

    @Test("a failing check exits 1 and names the worst entry")
    func failingCheck() throws {
        // A step of 0.5 makes central differences of exp visibly wrong: a genuine mismatch.
        let r = try jacobian("check", "exp", "--dim", "3", "--at", "1,2,3", "--step", "0.5", "--method", "central")
        #expect(r.status == 1)
        #expect(r.stdout.contains("FAIL"))
        #expect(r.stdout.contains("∂y_2/∂x_2"))
    }

    @Test("check --json has the documented keys and values", arguments: ["numerator", "denominator"])
    func checkJSON(layout: String) throws {
        let r = try jacobian("check", "linear", "--dim", "3", "--out", "2", "--layout", layout, "--json")
        #expect(r.status == 0)
        let o = try jsonObject(r.stdout)
        for key in ["map", "layout", "inputShape", "outputShape", "input", "value", "jacobian", "finiteDifference",
                    "maxAbsoluteError", "maxRelativeError", "worst", "step", "passed", "constants"] {
            #expect(o[key] != nil, "missing \(key)")
        }
        let rows = try #require(o["jacobian"] as? [[Double]])
        #expect(rows.count == (layout == "numerator" ? 2 : 3))
        #expect(o["passed"] as? Bool == true)
        let worst = try #require(o["worst"] as? [String: Any])
        #expect(worst["row"] != nil && worst["column"] != nil)
    }

    @Test("eval --json gives the Jacobian in the requested layout")
    func evalJSON() throws {
        let n = try jsonObject(try jacobian("eval", "softmax", "--dim", "3", "--at", "1,2,3", "--json").stdout)
        let d = try jsonObject(try jacobian("eval", "softmax", "--dim", "3", "--at", "1,2,3", "--json",
                                            "--layout", "denominator").stdout)
        let jn = try #require(n["jacobian"] as? [[Double]]), jd = try #require(d["jacobian"] as? [[Double]])
        #expect(jn.count == 3)
        for i in 0..<3 { for j in 0..<3 { #expect(jn[i][j] == jd[j][i]) } }
        let p = try #require(n["value"] as? [Double])
        #expect(abs(jn[0][1] + p[0] * p[1]) < 1e-15)
    }

    @Test("a pipeline evaluates and checks; negative numbers work in --at")
    func pipeline() throws {
        let r = try jacobian("check", "sigmoid | softmax", "--dim", "3", "--at", "-1,0.5,2")
        #expect(r.status == 0)
        #expect(r.stdout.contains("PASS"))
        #expect(try jacobian("check", "all").status == 0)
    }

    @Test("bad input: one sentence on stderr, exit 64, no stack trace", arguments: [
        (["check", "softmx", "--dim", "3"], "Did you mean 'softmax'"),
        (["check", "softmax", "--dim", "0"], "--dim must be a positive whole number"),
        (["check", "softmax", "--dim", "-2"], "--dim"),
        (["check", "softmax", "--dim", "abc"], "abc"),
        (["check", "softmax", "--dim", "3", "--at", "1,2"], "--at has 2 numbers but softmax with input R^3 needs 3"),
        (["check", "softmax", "--dim", "3", "--at", "1,x,3"], "item 2 ('x') is not one"),
        (["check", "inverse", "--shape", "2x3"], "needs a square matrix"),
        (["check", "inverse", "--shape", "2x2", "--at", "1,2,2,4"], "singular"),
        (["check", "log", "--dim", "2", "--at", "1,-1"], "outside the map's domain"),
        (["check", "sigmoid | | softmax", "--dim", "3"], "Malformed pipeline"),
        (["check", "linear --wrt W | sigmoid", "--shape", "3x4"], "options such as --wrt go after the map string"),
        (["check", "softmax", "--layout", "diagonal"], "numerator"),
        (["check", "softmax", "--dim", "200000"], "of memory is available"),
        (["check", "softmax", "--shape", "3by4"], "RxC"),
        (["check", "mse", "--dim", "2", "--param", "t=1,2,3"], "--param t has 3 numbers"),
        (["check", "softmax", "--step", "-1"], "--step"),
        (["check", "softmax", "--directions", "0"], "--directions must be a positive whole number"),
        (["check", "softmax", "--method", "secant"], "central"),
        (["xor", "--iters=-5"], "--iters must be zero or a positive whole number"),
        (["xor", "--every", "0"], "--every must be a positive whole number"),
        (["xor", "--lr", "0"], "--lr must be a positive finite number"),
        (["xor", "--lr", "nan"], "--lr must be a positive finite number"),
        (["xor", "--init", "/nonexistent/w.json"], "Cannot read --init file"),
        (["mnist", "--hidden", "30,x"], "--hidden takes positive sizes"),
        (["mnist", "--batch", "0"], "--batch must be a positive whole number"),
        (["mnist", "--lr=-1"], "--lr must be a positive finite number"),
        (["mnist", "--epochs", "0"], "--epochs 0 only evaluates"),
        (["mnist", "--data", "/nonexistent/mnist"], "does not exist"),
        (["mnist", "--save", "/nonexistent/dir/m.jcb"], "Cannot save to '/nonexistent/dir/m.jcb'"),
        (["mnist", "--load", "/nonexistent/m.jcb", "--epochs", "0"], "Cannot load '/nonexistent/m.jcb'"),
        (["mnist", "--activation", "softplus"], "relu"),
        (["demo", "fourier"], "There is no lesson 'fourier'"),
        (["check", "rnn", "--time-steps", "0"], "--sequence-length must be a positive whole number"),
        (["check", "rnn", "--sequence-length", "5", "--time-steps", "5"], "once each"),
        (["check", "rnn", "--classes", "1"], "--classes must be at least 2"),
        (["check", "softmax | rnn", "--dim", "3"], "rnn can only start a pipeline"),
        (["check", "softmax | lstm-cell", "--dim", "3"], "lstm-cell can only start a pipeline"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let process = try jacobian(arguments: arguments)
        #expect(process.status == 64, "\(arguments): status \(process.status)")
        #expect(process.stderr.contains(message), "\(arguments): \(process.stderr)")
        #expect(process.stderr.hasPrefix("Error:"), "\(arguments): \(process.stderr)")
        #expect(!process.stderr.contains("Fatal error") && !process.stderr.contains("Stack dump"))
        #expect(process.stdout.isEmpty)
    }

    @Test("xor --json prints progress objects and a summary that converged")
    func xorJSON() throws {
        let r = try jacobian("xor", "--iters", "20000", "--every", "10000", "--json", "--layout", "denominator")
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let first = try jsonObject(lines[0])
        #expect(first["iteration"] as? Int == 10000 && first["error"] is Double)
        let summary = try jsonObject(lines[2])
        for key in ["iterations", "error", "outputs", "converged", "seconds", "layout"] {
            #expect(summary[key] != nil, "\(key)")
        }
        #expect((summary["outputs"] as? [Double])?.count == 4)
        #expect(summary["layout"] as? String == "denominator")
    }

    @Test("xor --explain prints every Jacobian of the chain and a passing finite-difference check")
    func xorExplain() throws {
        let r = try jacobian("xor", "--explain", "--iters", "0")
        #expect(r.status == 0)
        for text in ["J_x(f1)  4×2", "J_θ1(f1)  4×12", "J(f2)  5×4", "J_x3(f3)  1×5", "J_θ2(f3)  1×5", "d f4/d x4  1×1",
                     "✓ [∇θ1, ∇θ2] is the gradient"] {
            #expect(r.stdout.contains(text), "\(text)")
        }
        let d = try jacobian("xor", "--explain", "--iters", "0", "--layout", "denominator")
        #expect(d.stdout.contains("Jᵀ_θ1(f1)  12×4"))
    }

    @Test("mnist --json prints epoch objects and a summary; --save then --load --epochs 0 evaluates the same model")
    func mnistJSONAndModelFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jacobian-cli-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.jcb").path
        let r = try jacobian("mnist", "--limit", "1000", "--epochs", "1", "--hidden", "32", "--batch", "50", "--json",
                             "--save", model)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let epoch = try jsonObject(lines[0])
        for key in ["epoch", "seconds", "trainLoss", "trainAccuracy", "testAccuracy"] {
            #expect(epoch[key] != nil, "\(key)")
        }
        let summary = try jsonObject(lines[1])
        for key in ["testAccuracy", "layout", "seconds"] { #expect(summary[key] != nil, "\(key)") }
        let accuracy = try #require(summary["testAccuracy"] as? Double)
        #expect(accuracy > 0.6)
        let again = try jacobian("mnist", "--load", model, "--epochs", "0", "--json")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try jsonObject(again.stdout.split(separator: "\n").last.map(String.init) ?? "")["testAccuracy"]
                as? Double == accuracy)
        // A corrupted model file is refused with one sentence.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: model))
        bytes[100] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: model))
        let bad = try jacobian("mnist", "--load", model, "--epochs", "0")
        #expect(bad.status == 64 && bad.stderr.contains("checksum"))
    }

    @Test("mnist --explain and --check show the chain and pass the finite-difference check")
    func mnistExplainCheck() throws {
        let r = try jacobian("mnist", "--explain", "--check", "--epochs", "0", "--hidden", "40",
                             "--layout", "denominator")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("J(z_1 wrt W_1) = I ⊗ xᵀ: 31360×40"))
        #expect(r.stdout.contains("multiplications with the structure"))
        #expect(r.stdout.contains("✓ PASS"))
    }

    @Test("every eval and check example in the help text runs and passes", arguments: ["", "eval", "check"])
    func helpExamplesRun(command: String) throws {
        let help = command.isEmpty ? try jacobian("--help") : try jacobian(command, "--help")
        let examples = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("jacobian eval ") || $0.hasPrefix("jacobian check ") }
        #expect(!examples.isEmpty)
        for line in examples {
            let r = try jacobian(arguments: shellWords(String(line.dropFirst("jacobian ".count))))
            #expect(r.status == 0, "\(line): \(r.stderr)")
        }
    }

    @Test("check --help documents each method with its cost and error order")
    func checkHelpDocumentsMethods() throws {
        // ArgumentParser re-wraps the text, so compare with runs of white space collapsed.
        let help = try jacobian("check", "--help").stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in ["central", "2n evaluations", "O(h²)", "richardson", "6n evaluations", "O(h⁶)", "complex-step",
                     "n complex evaluations", "--step-table", "--directions"] {
            #expect(help.contains(text), "\(text)")
        }
    }

    @Test("kinks, the step table and directional checks through the binary")
    func checkExplains() throws {
        let kink = try jacobian("check", "relu", "--dim", "3", "--at", "0,1e-7,-2")
        #expect(kink.status == 0 && kink.stdout.contains("kinks: 2 entries") && kink.stdout.contains("✓ inside"))
        let steps = try jacobian("check", "log-softmax", "--dim", "4", "--method", "richardson", "--steps")
        #expect(steps.status == 0 && steps.stdout.contains("← smallest")
                && steps.stdout.contains("the reference's error bound"))
        let big = try jacobian("check", "softmax", "--dim", "300000", "--directions", "3", "--json")
        #expect(big.status == 0, "\(big.stderr)")
        let report = try jsonObject(big.stdout)
        // 3 dense pairs and 72 structured probes (8 sparse, 2 rounds of 32 blocks), 2 evaluations each.
        #expect(report["passed"] as? Bool == true && report["evaluations"] as? Int == 2 * (3 + 72))
    }

    @Test("--npy writes a 3×4 Jacobian NumPy loads with the same values", arguments: ["numerator", "denominator"])
    func npyExport(layout: String) throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("jacobian-\(getpid())-\(layout).npy").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // J = W exactly; dyadic entries, so the JSON text parses back exactly whatever the JSON parser.
        let w = (0..<12).map { Double($0 - 5) / 8 }
        let r = try jacobian("eval", "linear", "--dim", "4", "--out", "3", "--at", "1,2,3,4", "--layout", layout,
                             "--json", "--npy", path, "--param", "W=" + w.map { "\($0)" }.joined(separator: ","))
        #expect(r.status == 0, "\(r.stderr)")
        let expected = try #require(try jsonObject(r.stdout)["jacobian"] as? [[Double]])
        let rowsOfW = (0..<3).map { Array(w[($0 * 4)..<($0 * 4 + 4)]) }
        #expect(expected == (layout == "numerator" ? rowsOfW : (0..<4).map { j in rowsOfW.map { $0[j] } }))
        // Parse the file as NumPy's format defines it: magic, version 1.0, little-endian header length, dict, data.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        let shape = layout == "numerator" ? "(3, 4)" : "(4, 3)"
        #expect(header.contains("'descr': '<f8'") && header.contains("'fortran_order': False")
                && header.contains("'shape': \(shape)"))
        let values = stride(from: 10 + headerLength, to: bytes.count, by: 8).map { at in
            Double(bitPattern: bytes[at..<(at + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        #expect(values == expected.flatMap { $0 })
        // And through NumPy itself where it is installed.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c",
                            "import numpy, json, sys; print(json.dumps(numpy.load(sys.argv[1]).tolist()))", path]
        let out = Pipe()
        python.standardOutput = out
        python.standardError = Pipe()
        if (try? python.run()) != nil {
            let data = out.fileHandleForReading.readDataToEndOfFile()
            python.waitUntilExit()
            if python.terminationStatus == 0 {
                let loaded = try #require(try JSONSerialization.jsonObject(with: data) as? [[Double]])
                #expect(loaded == expected)
            }
        }
    }

    @Test("--plot writes well-formed SVG for xor and mnist; text output ends with a terminal loss curve")
    func lossCurves() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jacobian-plot-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let xorSVG = dir.appendingPathComponent("xor.svg"), mnistSVG = dir.appendingPathComponent("mnist.svg")
        let x = try jacobian("xor", "--iters", "20000", "--plot", xorSVG.path)
        #expect(x.status == 0 && x.stdout.contains("summed error e1+e2+e3+e4") && x.stdout.contains("iteration"))
        let m = try jacobian("mnist", "--limit", "1000", "--epochs", "1", "--hidden", "16", "--plot", mnistSVG.path)
        #expect(m.status == 0 && m.stdout.contains("running training loss"), "\(m.stderr)")
        for file in [xorSVG, mnistSVG] {
            let parser = try #require(XMLParser(contentsOf: file))
            #expect(parser.parse(), "\(file.lastPathComponent) is not well-formed XML")
            #expect(try String(contentsOf: file, encoding: .utf8).contains("<polyline"))
        }
        let bad = try jacobian("xor", "--plot", "/nonexistent/x.svg")
        #expect(bad.status == 64 && bad.stderr.contains("Cannot save to"))
    }

    @Test("check prints a per-entry error map with the worst entry marked")
    func errorMap() throws {
        let r = try jacobian("check", "exp", "--dim", "4", "--at", "0,1,2,3", "--step", "0.3", "--method", "central")
        #expect(r.status == 1)
        #expect(r.stdout.contains("verdict per entry") && r.stdout.contains("◆") && r.stdout.contains("✗"))
        // Without --method, the entries central differences get wrong at h = 0.3 are re-judged by the complex step.
        let escalated = try jacobian("check", "exp", "--dim", "4", "--at", "0,1,2,3", "--step", "0.3")
        #expect(escalated.status == 0, "\(escalated.stdout)")
        #expect(escalated.stdout.contains("4 decided by complex step") && escalated.stdout.contains("16 pass, 0 fail"))
    }

    @Test("each lesson's text, numbers included, matches its golden transcript",
          arguments: ["layouts", "chain", "softmax", "gradient-descent", "matrix-calculus", "backprop", "xor", "rnn",
                     "notes-000", "notes-001", "notes-002", "notes-003", "notes-004", "lstm"])
    func goldenLessons(topic: String) throws {
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/golden/demo-\(topic).txt")
        let expected = try String(contentsOf: golden, encoding: .utf8)
        // --pause with no terminal on standard input must not wait.
        let r = try jacobian("demo", topic, "--pause")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == expected, "demo \(topic) differs from fixtures/golden/demo-\(topic).txt")
    }

    @Test("demo lists every lesson")
    func demoList() throws {
        let r = try jacobian("demo")
        #expect(r.status == 0)
        for topic in ["layouts", "chain", "softmax", "gradient-descent", "matrix-calculus", "backprop", "xor", "rnn",
                     "notes-000", "notes-001", "notes-002", "notes-003", "notes-004", "lstm"] {
            #expect(r.stdout.contains("  \(topic)"))
        }
    }

    @Test("check rnn --explain shows the BPTT recursion as products of step Jacobians; rnn and lstm-cell pass")
    func sequenceModels() throws {
        let r = try jacobian("check", "rnn", "--time-steps", "5", "--hidden", "4", "--dim", "3", "--explain")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("δ_4 = (p_4 − y_4)·Vᵀ + δ_5·diag(1 − h_5²)·W_hhᵀ"))
        #expect(r.stdout.hasSuffix("PASS\n"))
        for map in ["lstm-cell", "rnn-step"] {
            let c = try jacobian("check", map, "--hidden", "4", "--dim", "3")
            #expect(c.status == 0 && c.stdout.hasSuffix("PASS\n"), "\(map): \(c.stderr)")
        }
        let list = try jacobian("list").stdout
        #expect(list.contains("rnn-step") && list.contains("lstm-cell")
                && list.contains("rnn, rnn-step and lstm-cell use the row convention"))
    }
}

/// Splits a command line on spaces, keeping "double-quoted" words whole.
func shellWords(_ line: String) -> [String] {
    var words: [String] = [], current = "", quoted = false
    for ch in line {
        if ch == "\"" { quoted.toggle(); continue }
        if ch == " " && !quoted {
            if !current.isEmpty { words.append(current); current = "" }
        } else {
            current.append(ch)
        }
    }
    if !current.isEmpty { words.append(current) }
    return words
}
