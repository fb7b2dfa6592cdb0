import Foundation
import JacobianKit
import Testing

@Suite("Report text")
struct ReportTextTests {
    @Test("report.text() from the library is exactly what jacobian check prints",
          arguments: [Layout.numerator, .denominator])
    func libraryTextIsTheCLIText(layout: Layout) throws {
        let r = try jacobian("check", "softmax", "--dim", "4", "--at", "0.1,-0.2,0.3,2", "--layout", layout.rawValue)
        #expect(r.status == 0)
        let report = try GradientCheck(layout: layout).run(Softmax(shape: .vector(4)), at: [0.1, -0.2, 0.3, 2])
        #expect(r.stdout == report.text() + "\n")
    }
}
