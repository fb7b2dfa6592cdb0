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
        """)

    @OptionGroup var colorOption: ColorOption

    @Argument(help: "The lesson to run (omit to list them).")
    var topic: String?

    @Flag(help: "Wait for Enter between steps (only when standard input is a terminal).")
    var pause = false

    func run() throws {
        guard let topic else {
            Output.line("lessons (run one with 'jacobian demo NAME'):")
            let width = Lessons.all.map(\.name.count).max() ?? 0
            for l in Lessons.all { Output.line("  " + l.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + l.summary) }
            return
        }
        var status: Int32 = 0
        try Output.reportingErrors {
            let lesson = try Lessons.named(topic)
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
