import Foundation
import JacobianKit
import Testing

/// `check --json` of a Jacobian large enough to be written on several cores (JSONNumberWriter).
@Suite("Large check JSON")
struct LargeJSONTests {
    /// The fields read back exactly: JSONDecoder (JSONSerialization misreads some large exponents on Linux).
    struct Matrices: Decodable {
        var input: [Double]
        var jacobian: [[Double]]
        var finiteDifference: [[Double]]
    }

    @Test("check softmax --dim 300 --json: the documented keys, and both matrices bitwise the library's",
          arguments: [Layout.numerator, .denominator])
    func bitwise(layout: Layout) throws {
        let r = try jacobian("check", "softmax", "--dim", "300", "--layout", layout.rawValue, "--json")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("}\n") && r.stdout.filter { $0 == "\n" }.count == 1, "one JSON object on one line")
        let o = try jsonObject(r.stdout)
        for key in ["map", "layout", "inputShape", "outputShape", "input", "value", "jacobian", "finiteDifference",
                    "maxAbsoluteError", "maxRelativeError", "worst", "step", "passed", "constants", "tolerance",
                    "mismatches", "total", "evaluations", "structure", "formula", "method", "kinks"] {
            #expect(o[key] != nil, "missing \(key)")
        }
        let m = try JSONDecoder().decode(Matrices.self, from: Data(r.stdout.utf8))
        let report = try GradientCheck(layout: layout).run(Softmax(shape: .vector(300)), at: m.input)
        #expect(m.jacobian.count == 300 && m.finiteDifference.count == 300)
        var differing = 0
        for i in 0..<300 {
            for j in 0..<300 {
                if m.jacobian[i][j].bitPattern != report.analytic.entry(i, j).bitPattern { differing += 1 }
                if m.finiteDifference[i][j].bitPattern != report.finiteDifferences[i, j].bitPattern { differing += 1 }
            }
        }
        #expect(differing == 0)
    }
}
