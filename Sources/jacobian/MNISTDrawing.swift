import JacobianKit

/// Terminal drawings for MNIST: the confusion matrix and digits in half-block characters.
enum MNISTDrawing {
    /// Rows are true labels, columns predictions.
    static func confusion(_ predictions: [Int], _ labels: [UInt8]) -> String {
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        for (p, y) in zip(predictions, labels) { counts[Int(y)][p] += 1 }
        var lines = ["confusion matrix (rows: true digit, columns: predicted)",
                     "       " + (0..<10).map { pad(String($0), 5) }.joined()]
        for t in 0..<10 {
            lines.append("   \(t)   "
                         + (0..<10).map { pad(counts[t][$0] == 0 ? "·" : String(counts[t][$0]), 5) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    /// Up to `count` misclassified test digits side by side, each 28 wide and 14 tall (▀ ▄ █ per pixel pair).
    static func misclassified(_ predictions: [Int], _ data: MNISTSplit, count: Int) -> String {
        let wrong = zip(predictions.indices, predictions).filter { $0.1 != Int(data.labels[$0.0]) }
            .prefix(count).map(\.0)
        guard !wrong.isEmpty else { return "no misclassified test digits" }
        var lines = ["some misclassified test digits:"]
        lines.append(wrong.map { pad("#\($0): \(data.labels[$0]) read as \(predictions[$0])", 30, left: true) }
            .joined())
        for row in stride(from: 0, to: 28, by: 2) {
            lines.append(wrong.map { i -> String in
                let base = i * 784
                let cells = (0..<28).map { c -> Character in
                    let top = data.pixels[base + row * 28 + c] > 96,
                        bottom = data.pixels[base + (row + 1) * 28 + c] > 96
                    return top ? (bottom ? "█" : "▀") : (bottom ? "▄" : " ")
                }
                return String(cells) + "  "
            }.joined())
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
        let space = String(repeating: " ", count: max(0, w - s.count))
        return left ? s + space : space + s
    }
}
