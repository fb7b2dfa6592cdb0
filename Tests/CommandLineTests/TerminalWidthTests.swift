import Testing

/// Output fits the terminal: at 60 and 80 columns no line is longer than the width.
@Suite("Terminal width")
struct TerminalWidthTests {
    static let commands: [[String]] = [
        ["list"], ["eval", "softmax", "--dim", "10"], ["check", "linear | sigmoid | mse"],
        ["mnist", "--epochs", "1", "--limit", "10000"], ["check", "softmax(W*x + b)", "--wrt", "W", "--shape", "W=3x9"],
        ["check", "rnn", "--explain"], ["hessian", "tanh | softmax-cross-entropy", "--dim", "12"],
        ["check", "relu", "--dim", "3", "--at", "0,1e-7,-2", "--steps"], ["xor", "--iters", "2000", "--explain"],
    ]

    @Test("no line is wider than the terminal", arguments: [60, 80], commands)
    func fits(columns: Int, arguments: [String]) throws {
        let run = try jacobian(arguments: arguments, columns: columns)
        #expect(run.status == 0, "\(run.stderr)")
        for line in run.stdout.split(separator: "\n") {
            #expect(line.count <= columns, "\(arguments) at \(columns) columns: \(line.count): \(line)")
        }
    }

    @Test("matrices show as many columns as fit and count the rest; list drops columns and says which")
    func narrow() throws {
        let eval = try jacobian(arguments: ["eval", "softmax", "--dim", "10"], columns: 60)
        #expect(eval.stdout.contains("columns not shown"))
        let list = try jacobian(arguments: ["list"], columns: 60)
        #expect(list.stdout.contains("(not shown at this width: constants, y =, cs"))
        let wide = try jacobian(arguments: ["list"], columns: 200)
        #expect(!wide.stdout.contains("not shown at this width"))
    }

    @Test("mnist progress goes to standard error; standard output has only results")
    func progressOnStandardError() throws {
        let run = try jacobian(arguments: ["mnist", "--epochs", "1", "--limit", "10000"], columns: 80)
        #expect(!run.stdout.contains("running loss"))
        #expect(run.stderr.contains("running loss"))
    }
}

/// `--color` and NO_COLOR.
@Suite("Colour")
struct ColourTests {
    @Test("--color always colours a pipe; never and the default for a pipe do not")
    func colourFlag() throws {
        let always = try jacobian(arguments: ["check", "softmax", "--dim", "2", "--color", "always"])
        #expect(always.stdout.contains("\u{1B}[32;1mPASS"))
        for extra in [["--color", "never"], []] {
            let plain = try jacobian(arguments: ["check", "softmax", "--dim", "2"] + extra)
            #expect(!plain.stdout.contains("\u{1B}["))
        }
        let list = try jacobian(arguments: ["list", "--color", "never"])
        #expect(list.status == 0)
    }
}

/// Errors a script can read, and the usage of the command that was run.
@Suite("Errors")
struct ErrorFormTests {
    @Test("with --json an error is one JSON object on standard error", arguments: [
        ["check", "softmx", "--json"], ["check", "softmax", "--dim", "0", "--json"],
        ["check", "softmax", "--bogus", "--json"], ["eval", "softmax", "--dim", "3", "--at", "1,2", "--json"],
    ])
    func jsonError(arguments: [String]) throws {
        let run = try jacobian(arguments: arguments)
        #expect(run.status == 64 && run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        let o = try jsonObject(String(lines[0]))
        #expect(o["exitCode"] as? Int == 64 && !((o["error"] as? String) ?? "").isEmpty)
    }

    @Test("a point that does not fit is one sentence, without the root command's usage")
    func lateUsageError() throws {
        let run = try jacobian("check", "softmax", "--dim", "3", "--at", "1,2")
        #expect(run.status == 64)
        #expect(run.stderr == "Error: --at has 2 numbers but softmax with input R^3 needs 3.\n")
    }

    @Test("negative numbers reach validation instead of 'Missing value'", arguments: [
        (["mnist", "--lr", "-1"], "--lr must be a positive"), (["xor", "--lr", "-0.5"], "--lr must be a positive"),
    ])
    func negativeNumbers(arguments: [String], message: String) throws {
        let run = try jacobian(arguments: arguments)
        #expect(run.status == 64 && run.stderr.contains(message), "\(run.stderr)")
    }
}

/// `eval --full` and the default that shows the whole matrix when it fits.
@Suite("Whole matrices")
struct WholeMatrixTests {
    @Test("eval shows every column when they fit, --full shows all of a wide one, xor --iters 0 is refused")
    func full() throws {
        let fits = try jacobian(arguments: ["eval", "softmax", "--dim", "10"], columns: 200)
        #expect(!fits.stdout.contains("not shown"))
        let cut = try jacobian(arguments: ["eval", "softmax", "--dim", "10"], columns: 60)
        #expect(cut.stdout.contains("columns not shown"))
        let whole = try jacobian(arguments: ["eval", "softmax", "--dim", "30", "--full"], columns: 60)
        #expect(!whole.stdout.contains("not shown"))
        #expect(whole.stdout.split(separator: "\n").filter { $0.count > 200 }.count == 30, "\(whole.stdout)")
        let xor = try jacobian(arguments: ["xor", "--iters", "0"])
        #expect(xor.status == 64 && xor.stderr.contains("--iters 0 trains nothing"))
    }
}
