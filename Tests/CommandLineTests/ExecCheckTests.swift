import Foundation
import Testing

/// The repository root, found from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// `python3 fixtures/exec/misbehave.py MODE`, with an absolute path.
private func misbehave(_ mode: String) -> String {
    "python3 " + root.appendingPathComponent("fixtures/exec/misbehave.py").path + " " + mode
}

/// Runs the built `jacobian` with `arguments`, colour off, the program's pid written to `pidFile`.
private func run(_ arguments: [String], pidFile: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = try #require(builtBinary(), "the jacobian binary was not built")
    process.arguments = arguments
    process.currentDirectoryURL = root
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    if let pidFile { env["JACOBIAN_TEST_PIDFILE"] = pidFile }
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

/// A fresh path for a pid file.
private func pidPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("jacobian-exec-\(UUID().uuidString).pid").path
}

/// Whether the process whose id is in `path` still exists (running, stopped or an unreaped zombie).
private func stillExists(pidFile path: String) throws -> Bool {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    return kill(pid, 0) == 0 || errno != ESRCH
}

@Suite("check --exec")
struct ExecCheckTests {
    @Test("each failure class of a program: one sentence naming it, its stderr tail, exit 1, nothing left running",
          arguments: [
              ("exit", "exited with status 3 before answering request 1", "giving up with status 3"),
              ("crash", "was killed by signal 11 (SIGSEGV) before answering request 1", "handling request 1"),
              ("hang", "did not answer request 1 (1 point with the Jacobian) within 5 s, so it was stopped",
               "handling request 1"),
              ("garbage", "with a line that is not JSON (unexpected character at character 1): "
               + "'Hello, I am not JSON'; only answers go to standard output, logs go to standard error",
               "handling request 1"),
              ("count", "returned 0 values for the 1 point of request 1", "handling request 1"),
              ("nan", "returned NaN as output 1 of its value at point 0 of request 1", "handling request 1"),
          ])
    func failureClass(mode: String, sentence: String, stderrLine: String) throws {
        let pids = pidPath()
        // Only the hang waits for its timeout; a longer one elsewhere keeps a loaded machine from failing the test.
        let r = try run(["check", "--exec", misbehave(mode), "--timeout", mode == "hang" ? "5" : "60"], pidFile: pids)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("Error: The program '\(misbehave(mode))' "))
        #expect(r.stderr.contains(sentence), "\(r.stderr)")
        #expect(r.stderr.contains("Its last lines of standard error:\n  | "))
        #expect(r.stderr.contains(stderrLine))
        #expect(r.stdout.isEmpty)
        #expect(try !stillExists(pidFile: pids), "the program is still there after \(mode)")
    }

    @Test("a missing program is named, with the shell's complaint")
    func missingProgram() throws {
        let r = try run(["check", "--exec", "no-such-program-anywhere --dim 3"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("The program 'no-such-program-anywhere --dim 3' could not be started: "
                                  + "the shell found no such command (exit status 127)."))
        #expect(r.stderr.contains("no-such-program-anywhere: not found"))
    }

    @Test("200 kB of stderr does not block the program, and a well-behaved program passes and is gone afterwards")
    func chattyProgramPasses() throws {
        let pids = pidPath()
        let r = try run(["check", "--exec", misbehave("stderr"), "--at", "0.5,-1,2"], pidFile: pids)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("PASS\n"))
        #expect(try !stillExists(pidFile: pids))
    }

    @Test("Ctrl-C (SIGINT) stops jacobian and the program it started")
    func interruptStopsTheProgram() throws {
        let pids = pidPath()
        let process = Process()
        process.executableURL = try #require(builtBinary())
        process.arguments = ["check", "--exec", misbehave("hang"), "--timeout", "60"]
        var env = ProcessInfo.processInfo.environment
        env["JACOBIAN_TEST_PIDFILE"] = pids
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The program writes its pid before reading its first request; wait for it (at most 20 s).
        var waited = 0
        while (try? String(contentsOfFile: pids, encoding: .utf8))?.isEmpty != false {
            usleep(50_000)
            waited += 1
            try #require(waited < 400, "the program never started")
        }
        usleep(300_000)  // into the hanging request
        #expect(try stillExists(pidFile: pids))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(try !stillExists(pidFile: pids))
    }

    @Test("the NumPy layer passes; its buggy twin fails naming ∂y_1/∂x_3; its Jᵀ twin is asked 'did you return Jᵀ?'")
    func numpyExamples() throws {
        let good = try run(["check", "--exec", "python3 examples/python/layer.py", "--dim", "5"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.hasSuffix("PASS\n"))
        let buggy = try run(["check", "--exec", "python3 examples/python/layer_buggy.py", "--dim", "5"])
        #expect(buggy.status == 1)
        #expect(buggy.stdout.contains("at ∂y_1/∂x_3 (row 1, column 3)"))
        #expect(buggy.stdout.contains("verdicts: 14 pass, 1 fail, 0 inconclusive of 15"), "\(buggy.stdout)")
        let flipped = try run(["check", "--exec", "python3 examples/python/layer_transposed.py", "--dim", "5"])
        #expect(flipped.status == 1)
        #expect(flipped.stderr.contains("gave a 5×3 Jacobian, but in numerator layout it is 3×5"))
        #expect(flipped.stderr.contains("did you return Jᵀ?"))
        let declared = try run(["check", "--exec", "python3 examples/python/layer_transposed.py", "--dim", "5",
                                "--claimed-layout", "denominator"])
        #expect(declared.status == 0, "\(declared.stderr)")
    }

    @Test("a square Jacobian returned transposed fails with the line 'did you return Jᵀ?'")
    func squareTransposed() throws {
        let r = try run(["check", "--exec", misbehave("square-transposed")])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\ndid you return Jᵀ? The transpose of the analytic Jacobian passes every entry"))
    }

    @Test("sizes come from the program's info answer; --dim that disagrees is refused")
    func sizesFromTheProgram() throws {
        let r = try run(["check", "--exec", misbehave("ok"), "--json"])
        #expect(r.status == 0)
        let object = try jsonObject(r.stdout)
        #expect(object["inputShape"] as? [Int] == [3])
        #expect(object["evaluations"] as? Int == 6)
        let wrong = try run(["check", "--exec", misbehave("square-transposed"), "--dim", "4"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("declares the input R^3, but the input given is R^4"))
    }

    @Test("--claimed checks a Jacobian from a file against finite differences of a map or a program",
          arguments: ["npy", "json"])
    func claimed(format: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("claimed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let at = "0.5,-1,2"
        // The exact Jacobian of x ↦ x² is diag(2x); written once right and once with entry (2, 2) wrong.
        let right = [[1.0, 0, 0], [0, -2, 0], [0, 0, 4]], wrong = [[1.0, 0, 0], [0, -2, 0], [0, 0, 4.5]]
        func write(_ rows: [[Double]], _ name: String) throws -> String {
            let path = dir.appendingPathComponent(name + "." + format).path
            if format == "json" {
                try JSONSerialization.data(withJSONObject: rows).write(to: URL(fileURLWithPath: path))
            } else {
                try npy(rows).write(to: URL(fileURLWithPath: path))
            }
            return path
        }
        let good = try run(["check", "--exec", misbehave("ok"), "--at", at, "--claimed", try write(right, "right")])
        #expect(good.status == 0, "\(good.stderr)")
        let bad = try run(["check", "--exec", misbehave("ok"), "--at", at, "--claimed", try write(wrong, "wrong")])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("at ∂y_2/∂x_2 (row 2, column 2)"))
        let noPoint = try run(["check", "--exec", misbehave("ok"), "--claimed", try write(right, "right")])
        #expect(noPoint.status == 64)
        #expect(noPoint.stderr.contains("--claimed needs --at"))
    }

    @Test("--claimed against a built-in map, and a claimed Jᵀ of the wrong shape is asked about")
    func claimedAgainstMap() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("claimed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("J.json").path
        // mse with target t: a 1×3 Jacobian; the file holds the 3×1 column instead.
        let eval = try run(["eval", "mse", "--dim", "3", "--at", "0.1,0.2,0.3", "--json"])
        let rows = try #require(try jsonObject(eval.stdout)["jacobian"] as? [[Double]])
        try JSONSerialization.data(withJSONObject: rows[0].map { [$0] }).write(to: URL(fileURLWithPath: path))
        let r = try run(["check", "mse", "--dim", "3", "--at", "0.1,0.2,0.3", "--claimed", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("gave a 3×1 Jacobian, but in numerator layout it is 1×3"))
        #expect(r.stderr.contains("did you return Jᵀ?"))
        try JSONSerialization.data(withJSONObject: rows).write(to: URL(fileURLWithPath: path))
        let ok = try run(["check", "mse", "--dim", "3", "--at", "0.1,0.2,0.3", "--claimed", path])
        #expect(ok.status == 0, "\(ok.stderr)")
        for special in ["/dev/zero", dir.path] {
            let refused = try run(["check", "mse", "--dim", "3", "--at", "0.1,0.2,0.3", "--claimed", special])
            #expect(refused.status == 64)
            #expect(refused.stderr == "Error: '\(special)' is not a regular file.\n")
        }
    }
}

/// The .npy bytes of `rows` (float64, C order), written here independently of the library's writer.
private func npy(_ rows: [[Double]]) -> Data {
    var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows.count), \(rows[0].count)), }"
    header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
    let length = header.utf8.count
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(contentsOf: Array(header.utf8))
    for v in rows.joined() { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    return data
}
