import Foundation
import Testing

/// docs/notes-errata.md: each entry, and the commands and lessons that show it.
struct ErrataEntry {
    var id: String
    var text: String
    /// The `jacobian demo NAME` lessons the entry names.
    var lessons: [String]
}

/// The repository's root folder.
func repositoryPath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(relative).path
}

/// The entries of docs/notes-errata.md: each "### N00k-…" heading up to the next heading.
func errataEntries() throws -> [ErrataEntry] {
    let text = try String(contentsOfFile: repositoryPath("docs/notes-errata.md"), encoding: .utf8)
    var entries: [ErrataEntry] = []
    var current: ErrataEntry?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        if line.hasPrefix("#") {
            if let c = current { entries.append(c) }
            current = nil
            if line.hasPrefix("### N") {
                let id = String(line.dropFirst(4).prefix { $0 != " " })
                current = ErrataEntry(id: id, text: "", lessons: [])
            }
            continue
        }
        current?.text += line + "\n"
    }
    if let c = current { entries.append(c) }
    for k in entries.indices {
        entries[k].lessons = backtickCommands(entries[k].text).compactMap { c in
            c.hasPrefix("jacobian demo ") ? shellWords(c)[2] : nil
        }
    }
    return entries
}

/// Every `jacobian …` command quoted in backticks.
func backtickCommands(_ text: String) -> [String] {
    text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
        .filter { $0.offset % 2 == 1 && $0.element.hasPrefix("jacobian ") }.map { String($0.element) }
}

@Suite("Notes errata")
struct NotesErrataTests {
    @Test("every errata entry names a lesson whose golden transcript names the entry's id")
    func everyEntryIsShown() throws {
        let entries = try errataEntries()
        #expect(entries.count >= 69)
        #expect(Set(entries.map(\.id)).count == entries.count, "duplicate ids")
        for e in entries {
            #expect(!e.lessons.isEmpty, "\(e.id) has no `jacobian demo NAME`")
            let named = try e.lessons.contains { name in
                let golden = try String(contentsOfFile: fixturePath("golden/demo-\(name).txt"), encoding: .utf8)
                return golden.contains(e.id)
            }
            #expect(named, "\(e.id): no transcript of \(e.lessons) names it")
        }
    }

    @Test("every check and eval command of the errata runs; every check passes")
    func everyCommandRuns() throws {
        let text = try String(contentsOfFile: repositoryPath("docs/notes-errata.md"), encoding: .utf8)
        let commands = backtickCommands(text).filter {
            $0.hasPrefix("jacobian check ") || $0.hasPrefix("jacobian eval ")
        }
        #expect(commands.count >= 40)
        for c in commands {
            let r = try jacobian(arguments: Array(shellWords(c).dropFirst()))
            #expect(r.status == 0, "\(c): \(r.stderr)")
            if c.hasPrefix("jacobian check ") { #expect(r.stdout.hasSuffix("PASS\n"), "\(c)") }
        }
    }

    @Test("demo --notes lists one note's lessons; a bad note is a usage error")
    func notesListing() throws {
        let r = try jacobian("demo", "--notes", "003")
        #expect(r.status == 0)
        for name in ["notes-003", "lstm", "rnn", "backprop"] { #expect(r.stdout.contains("  \(name) ")) }
        #expect(!r.stdout.contains("notes-004") && !r.stdout.contains("  xor "))
        let bad = try jacobian("demo", "--notes", "9")
        #expect(bad.status == 64 && bad.stderr.contains("000…004"))
    }

    @Test("gradient-descent takes --lr, --at and --steps; other lessons and bad values refuse them")
    func gradientDescentParameters() throws {
        let r = try jacobian("demo", "gradient-descent", "--lr", "0.1", "--at", "1,1", "--steps", "10")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  10   1.73205123"))
        #expect(r.stdout.contains("α = 0.1, from x = (1, 1)"))
        let diverging = try jacobian("demo", "gradient-descent", "--lr", "0.5", "--steps", "4")
        #expect(diverging.stdout.contains("f does not decrease"))
        for bad in [["demo", "softmax", "--lr", "0.1"], ["demo", "gradient-descent", "--lr", "-1"],
                    ["demo", "gradient-descent", "--at", "1"], ["demo", "gradient-descent", "--steps", "0"],
                    ["demo", "--lr", "0.1"]] {
            let b = try jacobian(arguments: bad)
            #expect(b.status == 64, "\(bad)")
            #expect(b.stderr.hasPrefix("Error: ") && !b.stderr.contains("Fatal error"), "\(bad): \(b.stderr)")
        }
    }
}
