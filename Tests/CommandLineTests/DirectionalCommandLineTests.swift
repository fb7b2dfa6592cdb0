import Foundation
import Testing

/// The repository root, found from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("Directional checks through the binary")
struct DirectionalCommandLineTests {
    @Test("check --directions passes a correct map: JSON with probes of three kinds, the guarantee, no entries")
    func passingJSON() throws {
        let r = try jacobian("check", "softmax", "--dim", "1000", "--directions", "4", "--json")
        #expect(r.status == 0, "\(r.stderr)")
        let report = try jsonObject(r.stdout)
        let probes = try #require(report["probes"] as? [[String: Any]])
        // 4 dense pairs, 8 sparse probes, 2 rounds of 32 block probes: 2 evaluations and one product each.
        #expect(probes.count == 4 + 8 + 64)
        #expect(Set(probes.compactMap { $0["kind"] as? String }) == ["dense", "sparse", "block"])
        #expect(report["evaluations"] as? Int == 2 * probes.count)
        #expect(report["jacobianVectorProducts"] as? Int == probes.count)
        #expect(report["method"] as? String == "central" && report["passed"] as? Bool == true)
        #expect((report["located"] as? [Any])?.isEmpty == true)
        let guarantee = try #require(report["guarantee"] as? [String: Any])
        #expect(guarantee["probability"] as? Double == 0.9375)
        #expect((guarantee["statement"] as? String)?.contains("σ_B") == true)
    }

    @Test("--method and --step are honoured with --directions", arguments: [
        (["--method", "richardson"], 6, "auto"), (["--method", "complex-step"], 1, "auto"),
        (["--step", "1e-4"], 2, "fixed"),
    ])
    func methodAndStep(options: [String], perProbe: Int, rule: String) throws {
        let r = try jacobian(arguments: ["check", "softmax", "--dim", "1000", "--directions", "4", "--json"] + options)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try jsonObject(r.stdout)
        #expect(report["evaluations"] as? Int == perProbe * 76)
        let step = try #require(report["step"] as? [String: Any])
        #expect((step["rule"] as? String)?.hasPrefix(rule) == true)
        if rule == "fixed" { #expect(step["min"] as? Double == 1e-4) }
    }

    @Test("the text report fits 80 columns and ends in PASS")
    func textFits() throws {
        let r = try jacobian(arguments: ["check", "softmax", "--dim", "100000", "--directions", "3"], columns: 80)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.last == "PASS" && lines.count < 25)
        #expect(r.stdout.contains("8 sparse") && r.stdout.contains("64 block"))
    }

    @Test("a map with kinks passes at n = 10⁵: failing probes that only straddle relu's kink are not failures")
    func kinks() throws {
        let r = try jacobian("check", "relu", "--dim", "100000", "--directions", "2", "--atol", "0", "--json")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try jsonObject(r.stdout)["passed"] as? Bool == true)
    }

    @Test("a buggy program is failed and its wrong entry named, as the full check names it")
    func buggyProgram() throws {
        let program = "python3 " + root.appendingPathComponent("examples/python/layer_buggy.py").path
        let r = try jacobian("check", "--exec", program, "--dim", "5", "--directions", "2")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("located 1 wrong entry") && r.stdout.contains("∂y_1/∂x_3 (row 1, column 3)"))
        let full = try jacobian("check", "--exec", program, "--dim", "5")
        #expect(full.status == 1 && full.stdout.contains("∂y_1/∂x_3 (row 1, column 3)"))
    }

    @Test("bad input is refused in one sentence with status 64", arguments: [
        (["check", "softmax", "--directions", "0"], "--directions must be a positive whole number, but got 0."),
        (["check", "softmax", "--directions", "-3"], "--directions must be a positive whole number"),
        (["check", "softmax", "--directions", "3", "--step-table"], "--step-table studies the worst entry"),
        (["check", "relu", "--dim", "4", "--directions", "3", "--method", "complex-step"],
         "The complex step needs a real-analytic map"),
        (["check", "softmax", "--dim", "2", "--at", "1e10,1", "--directions", "2", "--step", "1e-8"],
         "The step h = 1e-08 does not move x_0"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let r = try jacobian(arguments: arguments)
        #expect(r.status == 64, "\(arguments): \(r.stderr)")
        // One sentence on the first line (argument parser's errors add the usage after it), nothing on stdout.
        let first = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Error: ") && first.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
