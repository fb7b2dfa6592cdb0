import ArgumentParser
import Foundation
import JacobianKit

/// `jacobian demo`: terminal lessons whose every claim is checked live (✓ / ✗).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Terminal lessons built on the same machinery; every claim is verified (✓ / ✗).",
        discussion: """
        Without a topic, lists the lessons. Exit status: 0 when every check passes, 1 when one fails.

        Examples:
          jacobian demo
          jacobian demo softmax
          jacobian demo chain --pause
          jacobian demo --notes 003
          jacobian demo gradient-descent --lr 0.1 --at 1,1 --iterations 10
        """)

    @OptionGroup var colorOption: ColorOption

    @Argument(help: "The lesson to run (omit to list them).", completion: .list(Lessons.names))
    var topic: String?

    @Flag(help: "Wait for Enter between steps (only when standard input is a terminal).")
    var pause = false

    @Option(help: "List the lessons for one note, 000…004 (the notes in shared/seeds).")
    var notes: String?

    @Option(help: "gradient-descent: the step size α (the notes: 0.01).")
    var lr: Double?

    @Option(help: "gradient-descent: the start x1,x2 (the notes: 1,1).")
    var at: String?

    @Option(parsing: .unconditional, help: "gradient-descent: how many iterates to show (the notes: 6).")
    var iterations: Int?

    /// The spelling before the rename (--steps is also check's step table), kept for one release.
    @Option(name: .customLong("steps"), parsing: .unconditional, help: .hidden)
    var stepsAlias: Int?

    /// --iterations, or its old spelling --steps.
    var steps: Int? { iterations ?? stepsAlias }

    func run() throws {
        guard let topic else {
            var lessons = Lessons.all
            try Output.reportingErrors {
                guard lr == nil, at == nil, steps == nil else {
                    throw JacobianError.invalidArgument("--lr, --at and --iterations go with a lesson: "
                                                        + "demo gradient-descent --lr 0.1.")
                }
                if let notes { lessons = try Lessons.forNote(notes) }
            }
            Output.line(notes == nil ? "lessons (run one with 'jacobian demo NAME'):"
                                     : "lessons for note "
                                         + "\(String(format: "%03d", Int(notes!.prefix { $0.isNumber }) ?? 0)):")
            let width = lessons.map(\.name.count).max() ?? 0
            for l in lessons {
                Output.line("  " + l.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + l.summary)
            }
            return
        }
        var status: Int32 = 0
        try Output.reportingErrors {
            guard notes == nil else {
                throw JacobianError.invalidArgument("--notes lists lessons; give it without a topic.")
            }
            var lesson = try Lessons.named(topic)
            if lr != nil || at != nil || steps != nil {
                guard topic == "gradient-descent" else {
                    throw JacobianError.invalidArgument("--lr, --at and --iterations apply to the gradient-descent "
                                                        + "lesson only.")
                }
                let start = try at.map { try Arguments.point($0).values } ?? [1, 1]
                lesson = try GradientDescentLesson(rate: lr ?? 0.01, start: start, steps: steps ?? 6)
            }
            let interactive = pause && isatty(STDIN_FILENO) == 1
            let log = LessonLog(emit: { Output.line($0) }, pause: {
                guard interactive else { return }
                StandardStreams.write("  [Enter]")
                _ = readLine()
            })
            status = try log.present(lesson)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
