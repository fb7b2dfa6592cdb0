import Foundation
import Testing

/// Expressions through the built binary: the issue's commands, catalog JSON unchanged, and bad input.
@Suite("Expressions on the command line")
struct ExpressionCommandLineTests {
    /// The goldens were written by the build before expressions. Three were rewritten on purpose since: case 90
    /// gained blame's inputShape and outputShape (the --exec work), and cases 71, 72 and 90 take logdet from the
    /// LU pivots now (the hardening work), which changes last digits. The check goldens were rewritten when each
    /// entry got a verdict from an error bound: the matrices, values and passed are byte-identical, the keys
    /// verdict, verdicts, escalation, stepAdjustments, failing and undecided are new, the tolerance has no
    /// absolute part, "worst" is the worst failing entry or else the largest relative error, and case 90 forces
    /// --method central (without it the complex step decides what a step of 0.4 cannot, and the check passes).
    @Test("every catalog map and pipeline gives byte for byte the JSON (and exit status) it gave before expressions")
    func catalogJSONUnchanged() throws {
        let cases = try String(contentsOfFile: fixturePath("json-golden/cases.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(cases.count >= 90)
        for (k, line) in cases.enumerated() {
            var words = line.split(separator: " ").map(String.init)
            words[1] = words[1].replacingOccurrences(of: "|", with: " | ")
            let run = try jacobian(arguments: words)
            let golden = try String(contentsOfFile: fixturePath(String(format: "json-golden/case%03d.json", k + 1)),
                                    encoding: .utf8)
            #expect(run.stdout + "exit \(run.status)\n" == golden, "\(line)")
        }
    }

    @Test("the issue's commands run and pass", arguments: [
        ["check", "[x1*x2, sin(x1), x2^2]", "--at", "1,2"],
        ["check", "softmax(W*x + b)", "--wrt", "W", "--shape", "W=3x4"],
        ["check", "X*Y", "--wrt", "X,Y", "--shape", "X=2x3", "--shape", "Y=3x2"],
        ["check", "a'*exp(X*b)", "--wrt", "X", "--shape", "X=3x2"],
        ["check", "softmax_ce(W2*sigmoid(W1*x + b1) + b2, y)", "--wrt", "W1,b1", "--dim", "x=4", "--dim", "b1=3",
         "--dim", "y=2"],
        ["check", "softmax_ce(W*x + b, y) + lambda/2*sum(W.*W)", "--wrt", "W,b", "--shape", "W=3x5",
         "--param", "lambda=0.1", "--method", "complex-step", "--layout", "denominator"],
    ])
    func issueCommands(arguments: [String]) throws {
        let run = try jacobian(arguments: arguments)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasSuffix("PASS\n"))
    }

    @Test("eval of the notes' f prints J = [−3.990272, −3.990272] and its symbolic form, both ✓")
    func evalSymbolic() throws {
        let run = try jacobian("eval", "(x1*x2 - 3)^2 + 1", "--at", "1.04,1.04")
        #expect(run.status == 0)
        #expect(run.stdout.contains("∂y/∂x1 = 2·x2·(x1·x2 − 3) = -3.990272 ✓"))
        #expect(run.stdout.contains("∂y/∂x2 = 2·x1·(x1·x2 − 3) = -3.990272 ✓"))
    }

    @Test("JSON names the input blocks with their shapes and offsets")
    func inputBlocksInJSON() throws {
        let run = try jacobian("check", "softmax(W*x + b)", "--wrt", "W,b", "--shape", "W=3x4", "--json")
        let object = try jsonObject(run.stdout)
        let inputs = try #require(object["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["name"] as? String } == ["W", "b"])
        #expect(inputs.map { $0["offset"] as? Int } == [0, 12])
        #expect(inputs.map { $0["shape"] as? [Int] } == [[3, 4], [3]])
        #expect((object["jacobian"] as? [[Double]])?.first?.count == 15)
    }

    @Test("--explain prints the graph and the accumulation with multiply-add counts")
    func explain() throws {
        let run = try jacobian("check", "softmax(W*x + b)", "--wrt", "W", "--shape", "W=3x4", "--explain")
        #expect(run.status == 0)
        #expect(run.stdout.contains("graph of softmax(W*x + b): 6 nodes, inputs W"))
        #expect(run.stdout.contains("I⊗#1ᵀ (3×12, I⊗B (block diagonal))"))
        #expect(run.stdout.contains("accumulation (reverse mode"))
        #expect(run.stdout.contains("multiply-adds with structure"))
    }

    @Test("a wrong hand-derived formula typed as an expression is caught by comparing it with the right one")
    func wrongEntryPointedAt() throws {
        // The notes' slip in 004 §3.1: dropping the factor 2. The symbolic form shows what the derivative is.
        let run = try jacobian("eval", "(x1*x2 - 3)^2 + 1", "--at", "1.04,1.04", "--json")
        let object = try jsonObject(run.stdout)
        #expect((object["symbolic"] as? [[String]]) == [["2·x2·(x1·x2 − 3)", "2·x1·(x1·x2 − 3)"]])
        #expect((object["jacobian"] as? [[Double]])?[0].map { ($0 * 1e6).rounded() / 1e6 } == [-3.990272, -3.990272])
    }

    @Test("bad expression input: one sentence, exit 64, no stack trace", arguments: [
        (["check", "softmax(W*x"], "expected ')' to close the one at column 8"),
        (["check", "softmx(x)", "--dim", "x=3"], "did you mean 'softmax'?"),
        (["check", "mse(x)", "--dim", "x=3"], "mse takes 2 arguments"),
        (["check", "W*x + b", "--shape", "W=3x4", "--dim", "b=5"], "needs two operands of one shape"),
        (["check", "W*x", "--dim", "x=4"], "give it with --shape W=Rx4"),
        (["check", "W*x", "--shape", "W=3x4", "--wrt", "z"], "'z' is not a variable"),
        (["check", "W*x", "--shape", "W=3x4", "--wrt", "W", "--param", "W=1,2"], "is both an input"),
        (["check", "W*x", "--shape", "W=2x2", "--at", "W=1,2,3"], "W is given 3 numbers, which do not fill 2x2"),
        (["check", "log(x - 2)", "--dim", "x=2", "--at", "1,3"], "in 'log(x - 2)'"),
        (["check", "X*Y", "--shape", "X=100000x100000", "--shape", "Y=100000x2"], "numbers"),
        (["check", "softmax(x)", "--dim", "x=200000"],
         "of the 200000×200000 Jacobian and the columns an escalation may re-evaluate), but only"),
        (["check", "x1 + x2", "--dim", "7"], "give sizes by name"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let run = try jacobian(arguments: arguments)
        #expect(run.status == 64, "\(arguments): \(run.stderr)")
        #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        #expect(!run.stderr.contains("Stack dump") && !run.stderr.contains("Fatal error"))
    }
}

/// A file under the repository's `fixtures/` folder.
func fixturePath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures").appendingPathComponent(relative).path
}

/// `jacobian hessian` through the binary.
@Suite("Hessian on the command line")
struct HessianCommandLineTests {
    @Test("hessian prints the structured H, the Gauss–Newton terms of a chain, and PASS", arguments: [
        (["hessian", "softmax-cross-entropy", "--dim", "4"], "H (4×4, diagonal + outer product"),
        (["hessian", "mse", "--dim", "3"], "H (3×3, identity; H = I)"),
        (["hessian", "tanh | softmax-cross-entropy", "--dim", "3"], "#2 softmax-cross-entropy: Gauss–Newton Jᵀ·∇²f·J"),
        (["hessian", "(x1*x2 - 3)^2 + 1", "--at", "1.04,1.04"], "max |H − Hᵀ| = 0"),
    ])
    func hessian(arguments: [String], expected: String) throws {
        let run = try jacobian(arguments: arguments)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(expected), "\(run.stdout)")
        #expect(run.stdout.hasSuffix("PASS\n"))
    }

    @Test("hessian --json has the Hessian, the reference and the terms")
    func json() throws {
        let run = try jacobian("hessian", "sigmoid | mse", "--dim", "3", "--json")
        let o = try jsonObject(run.stdout)
        #expect((o["hessian"] as? [[Double]])?.count == 3)
        #expect((o["terms"] as? [[String: Any]])?.count == 2)
        #expect(o["passed"] as? Bool == true)
    }

    @Test("a map that is not scalar: one sentence, exit 64")
    func notScalar() throws {
        let run = try jacobian("hessian", "softmax", "--dim", "3")
        #expect(run.status == 64)
        #expect(run.stderr.contains("A Hessian needs a scalar map"))
    }
}

/// Pipeline constants named per stage, and --wrt on the first stage only.
@Suite("Pipeline parameters")
struct PipelineParameterTests {
    @Test("--param 3.t=… sets stage 3's t, the name the output prints")
    func stagedName() throws {
        let run = try jacobian("check", "linear | sigmoid | mse", "--dim", "2", "--out", "2", "--param", "3.t=1,0")
        #expect(run.status == 0 && run.stdout.contains("3.t = [1, 0]"))
    }

    @Test("--param W=… on a pipeline with two W's is refused, naming both stages")
    func ambiguousName() throws {
        let run = try jacobian("check", "linear | sigmoid | linear | mse", "--dim", "2", "--out", "2",
                               "--param", "W=1,2,3,4")
        #expect(run.status == 64)
        #expect(run.stderr.contains("--param 1.W=… or --param 3.W=…"))
    }

    @Test("--wrt b differentiates the first stage's bias; a later linear stage takes the hidden vector as x")
    func wrtFirstStageOnly() throws {
        let run = try jacobian("check", "linear | sigmoid | linear | softmax-cross-entropy", "--wrt", "b", "--dim", "3",
                               "--out", "3", "--json")
        let o = try jsonObject(run.stdout)
        let names = (o["constants"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        // Stage 1 (wrt b) holds W and x fixed; stage 3 (wrt x) holds W and b: its b is a constant, not the input.
        #expect(names.contains("1.W") && names.contains("1.x") && names.contains("3.W") && names.contains("3.b"),
                "\(names)")
        #expect(o["passed"] as? Bool == true)
    }
}
