import JacobianKit
import Testing

/// softmax with its Jacobian's diagonal off by 1%: the lesson must show ✗.
struct BrokenSoftmax: VectorMap {
    let name = "broken-softmax"
    let inputShape = Shape.vector(4)
    var outputShape: Shape { inputShape }
    var formula: String { "diag(1.01·p) − p·pᵀ" }
    func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let p = Softmax.probabilities(x)
        return (p, .diagonalPlusOuter(diagonal: p.map { 1.01 * $0 }, u: p.map { -$0 }, v: p))
    }
}

@Suite("Lessons")
struct LessonTests {
    @Test("every lesson runs to the end with every claim verified", arguments: Lessons.all.map(\.name))
    func everyLessonPasses(name: String) throws {
        var lines: [String] = []
        let log = LessonLog(emit: { lines.append($0) })
        #expect(try log.present(Lessons.named(name)) == 0)
        #expect(log.passed, "\(log.checks.filter { !$0.passed }.map(\.claim))")
        #expect(!log.checks.isEmpty)
        #expect(lines.filter { $0.hasPrefix("✓ ") }.count == log.checks.count)
    }

    @Test("a broken map makes the lesson show ✗ and fail")
    func brokenMapShowsCross() throws {
        var lesson = SoftmaxLesson()
        lesson.softmax = BrokenSoftmax()
        var lines: [String] = []
        let log = LessonLog(emit: { lines.append($0) })
        let status = try log.present(lesson)
        #expect(status == 1, "the command exits with this status")
        #expect(lines.last == "3 of 4 checks failed ✗")
        #expect(!log.passed)
        #expect(lines.contains { $0.hasPrefix("✗ J(softmax) = diag(p) − p·pᵀ") })
        #expect(lines.contains { $0.hasPrefix("✗ the product equals p − y") })
        #expect(lines.contains { $0.hasPrefix("✗ p − y is the gradient of L(softmax(z))") })
        #expect(lines.contains { $0.hasPrefix("✓ J(cross-entropy)") }, "the untouched map still passes")
    }

    @Test("an unknown lesson is a clear error")
    func unknownLesson() {
        #expect(throws: JacobianError.self) { try Lessons.named("fourier") }
    }
}
