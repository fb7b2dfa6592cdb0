import Foundation
import Testing

/// One `$ jacobian …` command shown in the README and the lines shown after it.
struct Transcript: CustomTestStringConvertible, Sendable {
    let line: Int
    let command: String
    let expected: [String]
    var testDescription: String { "README.md:\(line) \(command)" }

    /// Every transcript of the README: in each fenced block, a line starting with "$ jacobian " and the lines up to
    /// the next such line or the block's end.
    static func all() -> [Transcript] {
        guard let text = try? String(contentsOfFile: readmePath(), encoding: .utf8) else { return [] }
        var out: [Transcript] = []
        var inBlock = false, current: (Int, String)?, lines: [String] = []
        func flush() {
            if let (n, c) = current { out.append(Transcript(line: n, command: c, expected: lines)) }
            current = nil
            lines = []
        }
        for (k, raw) in text.components(separatedBy: "\n").enumerated() {
            if raw.hasPrefix("```") {
                if inBlock { flush() }
                inBlock.toggle()
                continue
            }
            guard inBlock else { continue }
            if raw.hasPrefix("$ jacobian ") {
                flush()
                current = (k + 1, String(raw.dropFirst("$ jacobian ".count)))
            } else if current != nil {
                lines.append(raw)
            }
        }
        return out
    }
}

func readmePath() -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md").path
}

/// Whether `actual` matches `expected`, where an expected line "…" stands for any number of lines (none too).
func matches(_ expected: [String], _ actual: [String]) -> Bool {
    func trim(_ s: String) -> String { String(s.reversed().drop { $0 == " " }.reversed()) }
    let e = expected.map(trim), a = actual.map(trim)
    // memo[i][j]: expected[i...] matches actual[j...].
    var memo = [[Bool?]](repeating: [Bool?](repeating: nil, count: a.count + 1), count: e.count + 1)
    func go(_ i: Int, _ j: Int) -> Bool {
        if let m = memo[i][j] { return m }
        let r: Bool
        if i == e.count {
            r = j == a.count
        } else if e[i] == "…" {
            r = go(i + 1, j) || (j < a.count && go(i, j + 1))
        } else {
            r = j < a.count && e[i] == a[j] && go(i + 1, j + 1)
        }
        memo[i][j] = r
        return r
    }
    return go(0, 0)
}

@Suite("README transcripts")
struct ReadmeTranscriptTests {
    @Test("the README shows transcripts")
    func found() {
        #expect(Transcript.all().count >= 15)
    }

    @Test("every transcript in the README is what the command prints now (colour off; a line '…' elides lines)",
          arguments: Transcript.all())
    func transcript(_ t: Transcript) throws {
        let run = try jacobian(arguments: shellWords(t.command))
        var actual = (run.stdout + run.stderr).components(separatedBy: "\n")
        if actual.last == "" { actual.removeLast() }
        var expected = t.expected
        while expected.last == "" { expected.removeLast() }
        #expect(matches(expected, actual), """
            README.md:\(t.line) '\(t.command)' drifted; it prints:
            \(actual.joined(separator: "\n"))
            """)
    }
}
