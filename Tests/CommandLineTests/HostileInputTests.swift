import Foundation
import Testing

/// Runs `script` with /bin/sh, `$J` set to the built binary: for redirections, signals and special files.
func shell(_ script: String, environment: [String: String] = [:]) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["J"] = try #require(builtBinary(), "the jacobian binary was not built").path
    for (k, v) in environment { env[k] = v }
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

/// Runs the built binary with stdout to the file `stdout`, sends `signal` after `after` seconds (if it is still
/// running) and returns the signal that ended it, or 0 when it exited by itself. Spawned with SIGINT and SIGTERM
/// at their defaults: a test runner may ignore them, and ignored signals are inherited.
func interrupted(_ arguments: [String], after: Double, signal: Int32, stdout: String) throws -> Int32 {
    let binary = try #require(builtBinary(), "the jacobian binary was not built").path
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t(), mask = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGINT)
    sigaddset(&defaults, SIGTERM)
    sigemptyset(&mask)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &mask)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let variables: [String] = ["NO_COLOR=1", "PATH=/usr/bin:/bin"]
    let environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
    defer { environment.forEach { free($0) } }
    #expect(posix_spawn(&pid, binary, &actions, &attributes, argv, environment) == 0)
    Thread.sleep(forTimeInterval: after)
    kill(pid, signal)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let signalled = status & 0x7f
    return signalled != 0 && signalled != 0x7f ? signalled : 0
}

/// A fresh empty folder under the system's temporary folder.
func scratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("jacobian-hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Expects one sentence on stderr naming `message`, exit `status`, no trap and nothing on stdout.
func expectRefused(_ r: Run, _ status: Int32, _ message: String, _ label: String) {
    #expect(r.status == status, "\(label): status \(r.status), stderr \(r.stderr)")
    #expect(r.stderr.contains(message), "\(label): \(r.stderr)")
    // Progress lines ("  epoch 1: 300/1000 images, …") are transient and also go to stderr; with --json the
    // sentence is a JSON object.
    let lines = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("  epoch ") }
    #expect(lines.count == 1, "\(label): more than one line: \(r.stderr)")
    #expect(lines.first.map { $0.hasPrefix("Error:") || $0.hasPrefix("{\"error\":") } == true, "\(label): \(r.stderr)")
    #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), "\(label)")
}

@Suite("Hostile input")
struct HostileInputTests {
    @Test("sizes whose product overflows are one sentence, not a trap (class 1)", arguments: [
        ["check", "transpose", "--shape", "4294967296x4294967296"],
        ["eval", "inverse", "--shape", "3037000500x3037000500"],
        ["check", "rnn", "--hidden", "4294967296"],
        ["check", "rnn", "--time-steps", "4611686018427387904", "--dim", "4"],
        ["check", "rnn-step", "--hidden", "3037000500", "--dim", "2"],
        ["check", "lstm-cell", "--hidden", "2000000000"],
        ["check", "linear", "--dim", "4294967296", "--out", "4294967296"],
    ])
    func sizeOverflow(arguments: [String]) throws {
        expectRefused(try jacobian(arguments: arguments), 64, "use smaller", arguments.joined(separator: " "))
    }

    @Test("constants are checked against memory before they are allocated (class 2)")
    func constantsBeforeAllocation() throws {
        // --dim and --out give the Jacobian's size before linear's W (80 GB) is drawn.
        let r = try jacobian("check", "linear", "--dim", "100000", "--out", "100000")
        expectRefused(r, 64, "check linear needs about 160 GB (2 copies of the 100000×100000 Jacobian)", "linear")
        // Sizes known only once the map is built (rnn's inputs x are T×D) are checked as each constant is drawn.
        let rnn = try jacobian("check", "rnn", "--time-steps", "100000000000", "--dim", "1000")
        expectRefused(rnn, 64, "The constant x has 100000000000000 numbers and needs 800 TB", "rnn x")
    }

    @Test("work that cannot finish is refused up front with an estimate (class 3)", arguments: [
        (["check", "mse", "--dim", "300000000"], "years"),
        (["check", "softmax", "--dim", "10", "--directions", "99999999999"], "direction results"),
        (["check", "softmax", "--dim", "10", "--directions", "9999999999"], "use fewer --directions"),
    ])
    func absurdWork(arguments: [String], message: String) throws {
        expectRefused(try jacobian(arguments: arguments), 64, message, arguments.joined(separator: " "))
    }

    @Test("training runs too large to hold or finish are refused before loading any data (classes 1-3)", arguments: [
        (["mnist", "--hidden", "4294967296,4294967296"], "more than this machine can even count"),
        (["mnist", "--hidden", "100000000"], "of memory is available"),
        (["mnist", "--epochs", "100000000"], "Training this network would take at least"),
        (["xor", "--iters", "9223372036854775807"], "Training XOR would take at least"),
    ])
    func absurdTraining(arguments: [String], message: String) throws {
        let r = try jacobian(arguments: arguments)
        #expect(r.status == 64, "\(arguments): \(r.stderr)")
        #expect(r.stderr.hasPrefix("Error: ") && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && r.stdout.isEmpty)
    }

    @Test("the memory guard counts the copies --json holds and uses the memory available (class 4)")
    func memoryGuard() throws {
        let json = try jacobian("eval", "softmax", "--dim", "18000", "--json")
        expectRefused(json, 64, "18 copies of the 18000×18000 Jacobian for --json", "eval --json")
        // With 1 GB allowed, a 400×400 check (two 1.3 MB copies) runs and a 12000×12000 one (2.3 GB) is refused.
        let small = try shell("$J check softmax --dim 400 >/dev/null", environment: ["JACOBIAN_MEMORY_BYTES": "1e9"])
        #expect(small.status == 0, "\(small.stderr)")
        let large = try shell("$J check softmax --dim 12000", environment: ["JACOBIAN_MEMORY_BYTES": "1e9"])
        expectRefused(large, 64, "but only 1 GB of memory is available", "12000 under 1 GB")
    }

    @Test("numerics that hold where the mathematics does: logdet at 150×150, det at a singular point (class 7)")
    func numericsWhereMathematicsHolds() throws {
        let logdet = try jacobian("eval", "logdet", "--shape", "150x150")
        #expect(logdet.status == 0, "\(logdet.stderr)")
        #expect(logdet.stdout.contains("y = [751.66]"), "\(logdet.stdout)")
        let det = try jacobian("check", "det", "--shape", "2x2", "--at", "1,2,2,4")
        #expect(det.status == 0, "\(det.stderr)")
        #expect(det.stdout.contains("4  -2  -2  1"), "\(det.stdout)")
        for y in ["y=1e300,0,0,0,0", "y=1.7,0,0,0,0", "y=3,0,0,0,0"] {
            expectRefused(try jacobian("check", "rnn", "--param", y), 64, "rnn labels y must be whole numbers 0…2", y)
        }
    }

    @Test("inf or NaN results are explained and exit 1; diverging training stops and saves nothing (class 6)")
    func nonFinite() throws {
        for command in ["eval", "check"] {
            let r = try jacobian(command, "exp", "--dim", "2", "--at", "1000,1")
            #expect(r.status == 1, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("The result of exp is not finite (y_0 = inf"), "\(command): \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
        }
        // Overflow inside LAPACK, or inf reaching it from an earlier stage, is the same kind of failure (not "a bug").
        for (map, at) in [("inverse", "1e-320,0,0,1e-320"), ("exp | inverse", "1000,0,0,1")] {
            let r = try jacobian("eval", map, "--shape", "2x2", "--at", at)
            expectRefused(r, 1, "overflow", map)
        }
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("m.jcb").path, plot = folder.appendingPathComponent("c.svg").path
        let r = try jacobian("mnist", "--l2", "1e10", "--limit", "1000", "--epochs", "3", "--hidden", "30",
                             "--save", model, "--plot", plot)
        expectRefused(r, 1, "Training diverged: the loss became", "mnist --l2 1e10")
        #expect(!FileManager.default.fileExists(atPath: model) && !FileManager.default.fileExists(atPath: plot))
    }

    @Test("data files: a FIFO, /dev/zero, a gzip bomb and an over-announcing header are refused quickly (class 5)")
    func hostileDataFiles() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/mnist")
        let labels = "train-labels-idx1-ubyte.gz"
        func dataFolder(_ name: String, labelFile: (String) throws -> Void) throws -> String {
            let dir = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for file in ["train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
                try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent(file),
                                                           withDestinationURL: fixtures.appendingPathComponent(file))
            }
            try labelFile(dir.appendingPathComponent(labels).path)
            return dir.path
        }
        let cases: [(String, (String) throws -> Void, String)] = [
            ("fifo", { #expect(mkfifo($0, 0o600) == 0) }, "it is a FIFO (named pipe), not a regular file"),
            ("zero", { try FileManager.default.createSymbolicLink(atPath: $0, withDestinationPath: "/dev/zero") },
             "it is a device, not a regular file"),
            ("folder", { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: false) },
             "it is a folder, not a regular file"),
            // 10 labels announced, 64 MB of zeros behind them: compresses to about 64 kB.
            ("bomb", { try IDXTestFile.write($0, magic: 0x801, dimensions: [10], payload: 10 + 64 << 20) },
             "declares 10 = 10 bytes of data but holds more"),
            // A header announcing 4e9 labels in a file of a few bytes.
            ("header", { try IDXTestFile.write($0, magic: 0x801, dimensions: [4_000_000_000], payload: 100) },
             "more than its"),
        ]
        for (name, make, message) in cases {
            let dir = try dataFolder(name, labelFile: make)
            let r = try shell("timeout 30 $J mnist --data '\(dir)' --epochs 1 --limit 10")
            expectRefused(r, 64, message, name)
        }
        for special in ["/dev/zero", folder.path] {
            expectRefused(try jacobian("mnist", "--load", special, "--epochs", "0"), 64, "not a regular file", special)
            expectRefused(try jacobian("xor", "--init", special), 64, "not a regular file", special)
        }
    }

    @Test("output files: special files written in place, mode kept, symlinks followed, bad paths refused (class 9)")
    func outputFiles() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dir = folder.path
        let r = try shell("""
            cd '\(dir)' && mkfifo pipe && (cat pipe > piped &) && $J eval softmax --dim 3 --npy pipe >/dev/null
            sleep 0.2; test -p pipe && echo device-kept
            echo old > m.npy && chmod 600 m.npy && $J eval softmax --dim 3 --npy m.npy >/dev/null && stat -c %a m.npy
            ln -s m.npy link.npy && $J eval softmax --dim 4 --npy link.npy >/dev/null
            test -L link.npy && echo link-kept
            stat -c %s m.npy
            echo keep > keep.txt; $J eval softmax --dim 3 --npy keep.txt/ 2>&1; cat keep.txt
            """)
        // A special file (here a FIFO; /dev/null is shared by every process on the machine) is written in place.
        #expect(r.stdout.contains("device-kept\n600\nlink-kept\n256\n"), "\(r.stdout) \(r.stderr)")
        #expect((try? FileManager.default.attributesOfItem(atPath: "\(dir)/piped")[.size] as? Int) == 200)
        let refused = "Error: Cannot save to 'keep.txt/': a file name cannot end in '/'.\nkeep\n"
        #expect(r.stdout.contains(refused), "\(r.stdout)")
        // An empty --save is refused before training: at once, and with no data folder needed.
        let empty = try jacobian("mnist", "--save", "", "--data", "/nonexistent")
        expectRefused(empty, 64, "the file name is empty", "--save ''")
        expectRefused(try jacobian("xor", "--plot", "\(dir)/"), 64, "cannot end in '/'", "--plot dir/")
    }

    @Test("SIGTERM or SIGINT during a write leaves the old file or the new one, and no temporary file (class 9)",
          arguments: [SIGTERM, SIGINT])
    func interruptedWrite(signal: Int32) throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("j.npy").path
        FileManager.default.createFile(atPath: target, contents: Data("old\n".utf8))
        // A 1500×1500 Jacobian is an 18 MB .npy; the signal lands at increasing delays, some during the write.
        for delay in stride(from: 0.02, through: 0.4, by: 0.03) {
            _ = try interrupted(["eval", "softmax", "--dim", "1500", "--npy", target], after: delay, signal: signal,
                                stdout: "/dev/null")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(names == ["j.npy"], "after \(delay) s: \(names)")
            let size = try FileManager.default.attributesOfItem(atPath: target)[.size] as? Int
            #expect(size == 4 || size == 18_000_128, "after \(delay) s: \(size ?? -1) bytes")
        }
    }

    @Test("streams: unwritable stderr is no trap, full stdout is exit 1, redirected lines survive Ctrl-C (class 10)")
    func streams() throws {
        let r = try shell("$J check softmx 2>/dev/full; echo \"status $?\"")
        #expect(r.stdout == "status 64\n", "\(r.stdout) \(r.stderr)")
        let full = try shell("$J check softmax >/dev/full")
        expectRefused(full, 1, "Cannot write standard output: No space left on device.", ">/dev/full")
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out.txt").path
        let status = try interrupted(["xor", "--iters", "20000000", "--every", "1000"], after: 1, signal: SIGINT,
                                     stdout: out)
        #expect(status == SIGINT, "the run was not interrupted")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 10 && lines.dropFirst().allSatisfy { $0.hasPrefix("iteration") }, "\(lines.prefix(3))")
    }

    @Test("an option the command would ignore, or an output it would not write, is an error (class 8)", arguments: [
        (["check", "linear", "--param", "x=1,2,3,4"], "--param x sets the variable 'linear' is differentiated"),
        (["eval", "linear", "--wrt", "W", "--shape", "3x4", "--param", "W=1,2,3,4,5,6,7,8,9,10,11,12"],
         "--param W sets"),
        (["check", "softmax", "--hidden", "3"],
         "--hidden-size is not used by 'softmax'; it applies to rnn, rnn-step and"),
        (["eval", "softmax", "--wrt", "W"], "--wrt is not used by 'softmax'"),
        (["check", "sigmoid | mse", "--out", "3"], "--out is not used by 'sigmoid | mse'"),
        (["check", "relu", "--slope", "0.2"], "--slope is not used by 'relu'"),
        (["check", "rnn-step", "--classes", "4"], "--classes is not used by 'rnn-step'"),
        (["check", "linear", "--wrt", "W", "--shape", "2x3", "--out", "4"], "--out is not used with --wrt W"),
        (["check", "softmax", "--npy", "j.npy", "--directions", "3"], "--npy needs the full Jacobian"),
        (["check", "all", "--npy", "j.npy"], "--npy writes one Jacobian, but 'check all' checks many"),
        (["check", "all", "--dim", "3"], "'check all' picks its own sizes"),
        (["check", "softmax", "--directions", "3", "--step-table"], "--step-table studies the worst entry"),
        (["xor", "--iters", "0", "--plot", "c.svg"], "--plot draws the loss curve of training, but --iters 0"),
        (["mnist", "--epochs", "0", "--load", "m.jcb", "--plot", "c.svg"], "but --epochs 0 trains nothing"),
        (["check", "softmax", "--dim", "2", "--at", "1e10,1", "--step", "1e-8"],
         "The step h = 1e-08 does not move x_0"),
        (["check", "softmax", "--dim", "2", "--at", "1,2", "--step", "1e-400"], "--step takes 'auto' or a positive"),
    ])
    func ignoredOptions(arguments: [String], message: String) throws {
        let r = try jacobian(arguments: arguments)
        #expect(r.status == 64, "\(arguments): \(r.status) \(r.stderr)")
        #expect(r.stderr.hasPrefix("Error: ") && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        #expect(r.stdout.isEmpty && !r.stderr.contains("Fatal error"), "\(arguments)")
        #expect(!FileManager.default.fileExists(atPath: "j.npy") && !FileManager.default.fileExists(atPath: "c.svg"))
    }

    @Test("options a map does use are still accepted")
    func usedOptions() throws {
        for arguments in [["check", "rnn", "--hidden", "2", "--time-steps", "3", "--classes", "4"],
                          ["check", "leaky-relu", "--slope", "0.2"],
                          ["check", "linear | sigmoid", "--out", "3", "--dim", "2"],
                          ["check", "lstm-cell", "--hidden", "2", "--dim", "2"]] {
            let r = try jacobian(arguments: arguments)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
        }
    }
}

/// Writes a gzipped IDX file with any header, for hostile cases: `payload` zero bytes after the header.
enum IDXTestFile {
    static func write(_ path: String, magic: UInt32, dimensions: [UInt32], payload: Int) throws {
        var header: [UInt8] = []
        for v in [magic] + dimensions {
            header += [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]
        }
        let raw = folderlessTemporary()
        defer { try? FileManager.default.removeItem(atPath: raw) }
        FileManager.default.createFile(atPath: raw, contents: Data(header))
        let handle = try #require(FileHandle(forWritingAtPath: raw))
        handle.seekToEndOfFile()
        var left = payload
        let chunk = Data(count: 1 << 20)
        while left > 0 {
            handle.write(chunk.prefix(min(left, chunk.count)))
            left -= min(left, chunk.count)
        }
        handle.closeFile()
        let r = try shell("gzip -c '\(raw)' > '\(path)'")
        #expect(r.status == 0, "\(r.stderr)")
    }

    private static func folderlessTemporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID().uuidString)").path
    }
}
