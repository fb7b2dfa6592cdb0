/// A lesson's transcript, streamed as it is written: text, matrices, and claims each verified by a check.
public final class LessonLog {
    /// Where each line goes (the terminal, or a buffer in tests).
    public let emit: (String) -> Void
    /// Called between steps (`--pause` waits for Enter there).
    public let pause: () -> Void
    /// Every claim made and whether its check passed.
    public private(set) var checks: [(claim: String, passed: Bool)] = []

    /// A log writing lines to `emit` and pausing with `pause`.
    public init(emit: @escaping (String) -> Void, pause: @escaping () -> Void = {}) {
        self.emit = emit
        self.pause = pause
    }

    /// Whether every claim's check passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// Runs `lesson` into this log, closes with the tally, and returns the process exit status:
    /// 0 when every check passed, 1 when one failed.
    public func present(_ lesson: any Lesson) throws -> Int32 {
        try lesson.run(self)
        let failed = checks.filter { !$0.passed }.count
        emit("")
        emit(failed == 0 ? "all \(checks.count) checks passed ✓" : "\(failed) of \(checks.count) checks failed ✗")
        return failed == 0 ? 0 : 1
    }

    /// A line of text.
    public func say(_ text: String = "") { emit(text) }

    /// A section heading, after a pause.
    public func step(_ title: String) {
        pause()
        emit("")
        emit("── \(title) " + String(repeating: "─", count: max(3, 64 - title.count)))
    }

    /// A Jacobian with its shape and structure.
    public func show(_ title: String, _ j: Jacobian) {
        emit("\(title)  \(j.rows)×\(j.columns), \(j.structureName)")
        emit(TextFormat.matrix(j, maxRows: 10, maxColumns: 10))
    }

    /// A claim checked against central finite differences (the report of `GradientCheck.run`).
    public func verify(_ claim: String, _ report: CheckReport) {
        verify(claim, report.passed,
               detail: "finite differences agree: max |Δ| \(TextFormat.sci(report.maxAbsoluteError)) "
                   + "over \(report.total) entries")
    }

    /// A claim and whether it holds, with the evidence.
    public func verify(_ claim: String, _ holds: Bool, detail: String) {
        checks.append((claim, holds))
        emit((holds ? "✓ " : "✗ ") + claim + " — " + (holds ? detail : "FAILED: " + detail))
    }
}

/// One terminal lesson: live numbers from JacobianKit, every claim verified.
public protocol Lesson {
    /// The topic name (`jacobian demo NAME`).
    var name: String { get }
    /// One line for the list.
    var summary: String { get }
    /// Writes the lesson to `log`.
    func run(_ log: LessonLog) throws
}

/// The lessons, in teaching order.
public enum Lessons {
    /// Every lesson's name, for completion and suggestions.
    public static var names: [String] { all.map(\.name) }

    /// Every lesson with its default maps.
    public static var all: [any Lesson] {
        [LayoutsLesson(), ChainLesson(), SoftmaxLesson(), GradientDescentLesson(), MatrixCalculusLesson(),
         BackpropLesson(), XORLesson(), RNNLesson()] + notesLessons
    }

    /// The lesson called `name`, or an error listing them.
    public static func named(_ name: String) throws -> any Lesson {
        if let l = all.first(where: { $0.name == name }) { return l }
        let names = all.map(\.name)
        let scored = names.map { ($0, editDistance($0, name.lowercased())) }.min { $0.1 < $1.1 }
        if let (best, d) = scored, d <= max(2, min(3, name.count / 3)) {
            throw JacobianError.invalidArgument(
                "There is no lesson '\(name)'. Did you mean '\(best)'? Run 'jacobian demo' to list the lessons.")
        }
        throw JacobianError.invalidArgument(
            "There is no lesson '\(name)'; the lessons are: \(names.joined(separator: ", ")) (see 'jacobian demo').")
    }
}

/// The 2021 notes' example 2.2: f(x) = (x1² + x2², x1² − x2², x1·x2), R² → R³; J = [[2x1, 2x2], [2x1, −2x2], [x2, x1]].
public struct NotesExampleMap: VectorMap {
    public let name = "notes-example"
    public let inputShape = Shape.vector(2)
    public let outputShape = Shape.vector(3)
    public var formula: String { "[[2x1, 2x2], [2x1, −2x2], [x2, x1]]" }

    /// The map of example 2.2.
    /// The lesson with its default maps.
    public init() {}

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let (a, b) = (x[0], x[1])
        return ([a * a + b * b, a * a - b * b, a * b],
                .dense(try Matrix([[2 * a, 2 * b], [2 * a, -2 * b], [b, a]])))
    }
}
