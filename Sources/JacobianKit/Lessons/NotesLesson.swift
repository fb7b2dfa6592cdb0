/// A lesson that walks through one of the five notes (`shared/seeds/00N_*.txt`): each worked example computed live,
/// each slip named by its id in docs/notes-errata.md, with the notes' printed value beside the computed one.
public protocol NotesLesson: Lesson {
    /// The note's number, "000" … "004".
    var note: String { get }
}

/// Evaluates `text` with every variable given by value (no differentiation): a notes formula at a point.
func evaluate(_ text: String, _ values: [String: [Double]], shapes: [String: Shape] = [:]) throws -> [Double] {
    try LessonExpression(text, shapes: shapes, at: values).value()
}

/// A dense matrix from a row-major array, for formulas printed by the notes.
func rowMajor(_ rows: Int, _ columns: Int, _ values: [Double]) throws -> Matrix {
    try Matrix(rows: rows, columns: columns, elements: values)
}

/// Whether two arrays agree to `tolerance` entry by entry.
func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

/// The transpose of a rows×columns row-major matrix, row-major.
func transpose(_ a: [Double], _ rows: Int, _ columns: Int) -> [Double] {
    var t = [Double](repeating: 0, count: a.count)
    for r in 0..<rows { for c in 0..<columns { t[c * rows + r] = a[r * columns + c] } }
    return t
}

/// diag(d)·M for M row-major with d.count rows.
func diagTimes(_ d: [Double], _ m: [Double]) -> [Double] {
    let columns = m.count / max(d.count, 1)
    var out = m
    for r in 0..<d.count { for c in 0..<columns { out[r * columns + c] *= d[r] } }
    return out
}

/// M·v for M row-major rows×v.count.
func times(_ m: [Double], _ v: [Double]) -> [Double] {
    let rows = m.count / max(v.count, 1)
    return (0..<rows).map { r -> Double in
        var s = 0.0
        for c in 0..<v.count { s += m[r * v.count + c] * v[c] }
        return s
    }
}

/// a·bᵀ, row-major.
func outer(_ a: [Double], _ b: [Double]) -> [Double] { a.flatMap { ai in b.map { ai * $0 } } }

/// Entry by entry product.
func hadamard(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map(*) }
