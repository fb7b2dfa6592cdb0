/// A dense rows×columns matrix of `Double`, stored row-major: element (i, j) is `elements[i * columns + j]`.
///
/// A value type: copies are independent (copy-on-write through `Array`).
public struct Matrix: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The entries, row-major: `elements[i * columns + j]` is row i, column j.
    public internal(set) var elements: [Double]

    /// A rows×columns matrix from row-major `elements`; throws when the count is not rows·columns.
    public init(rows: Int, columns: Int, elements: [Double]) throws {
        guard rows >= 0, columns >= 0, elements.count == rows * columns else {
            throw JacobianError.shapeMismatch(
                "a \(rows)×\(columns) matrix needs \(rows * columns) numbers, got \(elements.count)")
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A rows×columns matrix whose shape the caller has already checked.
    init(unchecked rows: Int, _ columns: Int, _ elements: [Double]) {
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A rows×columns matrix with every entry equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.init(unchecked: rows, columns, [Double](repeating: value, count: rows * columns))
    }

    /// A matrix from an array of equally long rows.
    public init(_ rowArrays: [[Double]]) throws {
        let columns = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == columns }) else {
            throw JacobianError.shapeMismatch("the rows of a matrix must all have the same length")
        }
        self.init(unchecked: rowArrays.count, columns, rowArrays.flatMap { $0 })
    }

    /// The n×n identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.elements[i * n + i] = 1 }
        return m
    }

    /// The n×n diagonal matrix diag(d).
    public init(diagonal d: [Double]) {
        let n = d.count
        self.init(rows: n, columns: n)
        for i in 0..<n { elements[i * n + i] = d[i] }
    }

    /// Entry (i, j).
    public subscript(i: Int, j: Int) -> Double {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    /// Row i as an array of `columns` numbers.
    public func row(_ i: Int) -> [Double] {
        Array(elements[(i * columns)..<((i + 1) * columns)])
    }

    /// The rows as arrays (for printing and JSON).
    public var rowArrays: [[Double]] { (0..<rows).map(row) }

    /// The largest |entry|, 0 for an empty matrix.
    public var maxAbs: Double { elements.reduce(0) { max($0, abs($1)) } }
}
