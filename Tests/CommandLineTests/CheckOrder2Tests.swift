import Foundation
import Testing

/// `jacobian check --order 2`: the Hessian check of `jacobian hessian`, inside `check`.
@Suite("check --order 2")
struct CheckOrder2Tests {
    static let scalarMaps: [[String]] = [
        ["tanh | softmax-cross-entropy", "--dim", "3"], ["softmax-cross-entropy", "--dim", "4"],
        ["(x1*x2 - 3)^2 + 1", "--at", "1.04,1.04"], ["softmax_ce(W*x + b, y)", "--wrt", "b", "--shape", "W=3x4"],
        ["logdet", "--shape", "3x3", "--layout", "denominator"],
    ]

    @Test("prints exactly what jacobian hessian prints, at any width, and passes", arguments: scalarMaps, [1000, 60])
    func sameTextAsHessian(arguments: [String], columns: Int) throws {
        let check = try jacobian(arguments: ["check"] + arguments + ["--order", "2"], columns: columns)
        let hessian = try jacobian(arguments: ["hessian"] + arguments, columns: columns)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == hessian.stdout)
        #expect(check.stdout.hasSuffix("PASS\n") && check.stdout.contains("central differences of the gradient"))
    }

    @Test("a chain prints its Gauss–Newton terms; --json is the Hessian report, byte for byte hessian's")
    func chainAndJSON() throws {
        let text = try jacobian("check", "tanh | softmax-cross-entropy", "--dim", "3", "--order", "2")
        #expect(text.stdout.contains("Gauss–Newton split: H is the sum of 2 terms"))
        #expect(text.stdout.contains("#2 softmax-cross-entropy: Gauss–Newton Jᵀ·∇²f·J"))
        let check = try jacobian("check", "sigmoid | mse", "--dim", "3", "--order", "2", "--json")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == (try jacobian("hessian", "sigmoid | mse", "--dim", "3", "--json")).stdout)
        let o = try jsonObject(check.stdout)
        for key in ["map", "input", "value", "gradient", "hessian", "finiteDifference", "terms", "maxAbsoluteError",
                    "worst", "asymmetry", "mismatches", "total", "tolerance", "passed"] {
            #expect(o[key] != nil, "missing \(key)")
        }
        #expect((o["hessian"] as? [[Double]])?.count == 3 && (o["terms"] as? [[String: Any]])?.count == 2)
        #expect(o["passed"] as? Bool == true)
    }

    @Test("a Hessian that fails exits 1 with FAIL, as hessian does")
    func failing() throws {
        // A step of 0.5 makes central differences of the gradient exp(x) visibly wrong (error h²/6·exp(x)).
        let arguments = ["sum(exp(x))", "--dim", "x=3", "--step", "0.5"]
        let check = try jacobian(arguments: ["check"] + arguments + ["--order", "2"])
        #expect(check.status == 1)
        #expect(check.stdout.hasSuffix("mismatched entries: 3 / 9 (an entry passes when |Δ| ≤ 1e-06 + 1e-05·|fd|)\n"
                                       + "FAIL\n"))
        #expect(check.stdout == (try jacobian(arguments: ["hessian"] + arguments)).stdout)
    }

    @Test("the Hessian's own tolerance unless --atol or --rtol is given")
    func tolerance() throws {
        let defaults = try jacobian("check", "mse", "--dim", "3", "--order", "2")
        #expect(defaults.stdout.contains("an entry passes when |Δ| ≤ 1e-06 + 1e-05·|fd|"))
        let given = try jacobian("check", "mse", "--dim", "3", "--order", "2", "--atol", "0.5", "--rtol", "0")
        #expect(given.stdout.contains("an entry passes when |Δ| ≤ 0.5 + 0.0·|fd|"), "\(given.stdout)")
    }

    @Test("a map that is not scalar: one sentence naming its output and a loss to take, exit 64",
          arguments: [(["softmax", "--dim", "3"], "softmax gives R^3; take a loss of it, for example \"softmax | mse"),
                      (["[x1*x2, sin(x1)]", "--at", "1,2"], "gives R^2; take a loss of it, for example \"sum([x1*x2"),
                      (["inverse", "--shape", "2x2"], "inverse gives R^(2x2)")])
    func notScalar(arguments: [String], sentence: String) throws {
        let r = try jacobian(arguments: ["check"] + arguments + ["--order", "2"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("Error: --order 2 checks second derivatives of a scalar map, and "), "\(r.stderr)")
        #expect(r.stderr.contains(sentence), "\(r.stderr)")
        #expect(r.stderr.filter { $0 == "\n" }.count == 1, "one sentence, no usage: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("options of the first-order check are refused with --order 2, naming them; --order 3 is refused",
          arguments: [["mse", "--dim", "3", "--directions", "2"], ["--exec", "python3 examples/python/layer.py"],
                      ["mse", "--dim", "3", "--claimed", "J.json"], ["mse", "--dim", "3", "--step-table"],
                      ["mse", "--dim", "3", "--method", "richardson"], ["mse", "--dim", "3", "--explain"], ["all"]])
    func refusals(arguments: [String]) throws {
        let r = try jacobian(arguments: ["check"] + arguments + ["--order", "2"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--order 2"), "\(r.stderr)")
        let named = arguments.first { $0.hasPrefix("--") && $0 != "--dim" }
        #expect(named == nil || r.stderr.contains(named!), "\(r.stderr)")
        let three = try jacobian("check", "mse", "--dim", "3", "--order", "3")
        #expect(three.status == 64 && three.stderr.contains("'--order <order>'"))
    }
}
