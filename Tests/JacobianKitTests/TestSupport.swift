import Foundation
import JacobianKit
import Testing

/// The one approximate-equality rule the tests use: |a − b| ≤ tolerance·max(1, |a|, |b|), entrywise.
/// Not transitive; only for comparing a computed value with its reference.
func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0), abs($1)) }
}

/// Matrices are close when their shapes agree and their entries are.
func close(_ a: Matrix, _ b: Matrix, tolerance: Double = 1e-12) -> Bool {
    a.rows == b.rows && a.columns == b.columns && close(a.elements, b.elements, tolerance: tolerance)
}

/// The largest entrywise difference, for failure messages.
func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
    zip(a.elements, b.elements).map { abs($0 - $1) }.max() ?? 0
}

/// A rows×columns matrix of uniform [−1, 1) entries.
func randomMatrix(_ rows: Int, _ columns: Int, _ rng: inout SplitMix64) -> Matrix {
    try! Matrix(rows: rows, columns: columns, elements: rng.uniform(count: rows * columns, -1, 1))
}

/// The textbook triple loop, the reference for every product.
func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, columns: b.columns)
    for i in 0..<a.rows {
        for j in 0..<b.columns {
            var s = 0.0
            for k in 0..<a.columns { s += a[i, k] * b[k, j] }
            c[i, j] = s
        }
    }
    return c
}

/// Seeds every randomized test runs over; a failing case reports its seed as a test argument.
let testSeeds: [UInt64] = [0, 1, 2, 3, 42]

/// A file under the repository's `fixtures/` folder.
func fixturePath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures").appendingPathComponent(relative).path
}
