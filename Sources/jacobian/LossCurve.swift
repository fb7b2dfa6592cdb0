import Foundation
import JacobianKit

/// A loss curve, drawn in the terminal with block characters or written as an SVG file.
struct LossCurve {
    /// (x, loss) points in order; x is an iteration or a fractional epoch.
    var points: [(x: Double, y: Double)]
    /// What x counts ("iteration", "epoch").
    var xLabel: String
    /// What y is ("summed error", "training loss").
    var yLabel: String

    /// Log scale when every loss is positive and they span more than two decades.
    var logScale: Bool {
        let ys = points.map(\.y)
        guard let lo = ys.min(), let hi = ys.max(), lo > 0 else { return false }
        return hi / lo > 100
    }

    private func scaled(_ y: Double) -> Double { logScale ? log10(y) : y }

    /// An 8-row chart, `width` columns wide, each column a bar whose top is the loss there (⅛-row steps).
    func terminal(width: Int = 60, height: Int = 8) -> String {
        let points = self.points.filter { $0.x.isFinite && $0.y.isFinite }
        guard points.count >= 2 else { return "" }
        let levels = Array(" ▁▂▃▄▅▆▇█")
        let columns = min(width, points.count)
        let samples = (0..<columns).map { points[$0 * (points.count - 1) / max(columns - 1, 1)] }
        let values = samples.map { scaled($0.y) }
        let lo = values.min()!, hi = values.max()!
        let span = hi > lo ? hi - lo : 1
        // A span that overflows (losses near ±1.8e308) gives t = NaN; such a column is drawn at the bottom.
        let heights = values.map { v -> Int in
            let t = (v - lo) / span
            return Int(((t.isFinite ? min(max(t, 0), 1) : 0) * Double(height * 8 - 1)).rounded()) + 1
        }
        func label(_ v: Double) -> String { Output.sci(logScale ? pow(10, v) : v) }
        var lines: [String] = ["\(yLabel)\(logScale ? " (log scale)" : "")"]
        for row in (0..<height).reversed() {
            let cells = heights.map { h -> Character in
                let filled = h - row * 8
                return filled >= 8 ? "█" : filled <= 0 ? " " : levels[filled]
            }
            let axis = row == height - 1 ? label(hi) : row == 0 ? label(lo) : ""
            lines.append(axis.padding(toLength: 9, withPad: " ", startingAt: 0) + "│" + String(cells))
        }
        let first = format(samples.first!.x), last = format(samples.last!.x)
        lines.append(String(repeating: " ", count: 9) + "└" + String(repeating: "─", count: columns))
        lines.append(String(repeating: " ", count: 10) + first
                     + String(repeating: " ", count: max(1, columns - first.count - last.count)) + last + "  \(xLabel)")
        return lines.joined(separator: "\n")
    }

    private func format(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x) }

    /// A standalone SVG document: the curve as a polyline with labelled axes.
    func svg(title: String) -> String {
        let w = 640.0, h = 360.0, left = 70.0, right = 20.0, top = 40.0, bottom = 50.0
        let xs = points.map(\.x), ys = points.map { scaled($0.y) }
        let x0 = xs.min() ?? 0, x1 = max(xs.max() ?? 1, x0 + 1e-12)
        let y0 = ys.min() ?? 0, y1 = max(ys.max() ?? 1, y0 + 1e-12)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (w - left - right) }
        func py(_ y: Double) -> Double { h - bottom - (y - y0) / (y1 - y0) * (h - top - bottom) }
        let polyline = zip(xs, ys).map { String(format: "%.2f,%.2f", px($0), py($1)) }.joined(separator: " ")
        func label(_ v: Double) -> String { Output.sci(logScale ? pow(10, v) : v) }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))">
          <rect width="100%" height="100%" fill="white"/>
          <text x="\(Int(w / 2))" y="24" text-anchor="middle" font-family="sans-serif" \
        font-size="16">\(escape(title))</text>
          <line x1="\(left)" y1="\(h - bottom)" x2="\(w - right)" y2="\(h - bottom)" stroke="black"/>
          <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(h - bottom)" stroke="black"/>
          <text x="\(left - 6)" y="\(py(y1) + 4)" text-anchor="end" font-family="sans-serif" \
        font-size="12">\(label(y1))</text>
          <text x="\(left - 6)" y="\(py(y0) + 4)" text-anchor="end" font-family="sans-serif" \
        font-size="12">\(label(y0))</text>
          <text x="\(left)" y="\(h - bottom + 18)" text-anchor="middle" font-family="sans-serif" \
        font-size="12">\(format(x0))</text>
          <text x="\(w - right)" y="\(h - bottom + 18)" text-anchor="middle" font-family="sans-serif" \
        font-size="12">\(format(x1))</text>
          <text x="\(Int((left + w - right) / 2))" y="\(h - 12)" text-anchor="middle" font-family="sans-serif" \
        font-size="13">\(escape(xLabel))</text>
          <text x="18" y="\(Int((top + h - bottom) / 2))" text-anchor="middle" font-family="sans-serif" \
        font-size="13" transform="rotate(-90 18 \(Int((top + h - bottom) / 2)))">\
        \(escape(yLabel + (logScale ? " (log scale)" : "")))</text>
          <polyline fill="none" stroke="#1f77b4" stroke-width="2" points="\(polyline)"/>
        </svg>

        """
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Writes the SVG atomically.
    func writeSVG(to path: String, title: String) throws {
        try AtomicFile.write(Array(svg(title: title).utf8), to: path)
    }
}
