/// Which lessons teach which of the five notes (`jacobian demo --notes 003`).
extension Lessons {
    /// The per-note lessons, with the lessons built on their material (LSTM, trace tricks, the 6-5-6 check, …).
    static var notesLessons: [any Lesson] {
        [Notes000Lesson(), Notes001Lesson(), Notes002Lesson(), Notes003Lesson(), Notes004Lesson(), LSTMLesson()]
    }

    /// The notes ("000" … "004") each topic teaches, for lessons that are not one note's walk-through.
    static let topicNotes: [String: [String]] = [
        "layouts": ["000", "004"], "chain": ["004"], "softmax": ["000", "002", "003"], "gradient-descent": ["004"],
        "matrix-calculus": ["001"], "backprop": ["000", "003"], "xor": ["004"], "rnn": ["003"], "lstm": ["003"],
    ]

    /// The notes a lesson teaches.
    public static func notes(of lesson: any Lesson) -> [String] {
        if let n = lesson as? any NotesLesson { return [n.note] }
        return topicNotes[lesson.name] ?? []
    }

    /// The lessons for note `note` ("3", "003" or "003_2d8d…"), the walk-through first; an error for an unknown note.
    public static func forNote(_ note: String) throws -> [any Lesson] {
        let digits = String(note.prefix { $0.isNumber })
        guard let n = Int(digits), (0...4).contains(n), !digits.isEmpty else {
            throw JacobianError.invalidArgument("--notes takes a note number 000…004, not '\(note)'.")
        }
        let key = String(format: "%03d", n)
        return all.filter { notes(of: $0).contains(key) }
            .sorted { ($0 is any NotesLesson ? 0 : 1) < ($1 is any NotesLesson ? 0 : 1) }
    }
}

import Foundation
