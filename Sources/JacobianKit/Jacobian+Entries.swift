/// Reading single entries and rows of a structured Jacobian without materializing it.
extension Jacobian {
    /// Entry (i, j) of the matrix in its stored orientation.
    public func entry(_ i: Int, _ j: Int) -> Double {
        switch self {
        case .zero: return 0
        case .identity: return i == j ? 1 : 0
        case let .diagonal(d): return i == j ? d[i] : 0
        case let .diagonalPlusOuter(d, u, v): return u[i] * v[j] + (i == j ? d[i] : 0)
        case let .kronecker(a, b): return a[i / b.rows, j / b.columns] * b[i % b.rows, j % b.columns]
        case let .selection(source, scale, _): return source[i] == j ? scale[i] : 0
        case let .dense(m): return m[i, j]
        }
    }

    /// Row i written into `row` (`columns` entries).
    public func fillRow(_ i: Int, into row: UnsafeMutableBufferPointer<Double>) {
        switch self {
        case let .diagonalPlusOuter(d, u, v):
            let ui = u[i]
            for j in 0..<v.count { row[j] = ui * v[j] }
            row[i] += d[i]
        case let .dense(m):
            for j in 0..<m.columns { row[j] = m.elements[i * m.columns + j] }
        default:
            for j in 0..<columns { row[j] = entry(i, j) }
        }
    }
}

/// A matrix as a report shows it: stored as is, or read through its transpose without copying.
public struct MatrixView: Sendable {
    /// The stored matrix.
    public let storage: Matrix
    /// Whether the view is the transpose of `storage`.
    public let isTransposed: Bool

    /// A view of `storage`, transposed when `transposed` is set.
    public init(_ storage: Matrix, transposed: Bool = false) {
        self.storage = storage
        self.isTransposed = transposed
    }

    /// Rows of the view.
    public var rows: Int { isTransposed ? storage.columns : storage.rows }
    /// Columns of the view.
    public var columns: Int { isTransposed ? storage.rows : storage.columns }
    /// Entry (i, j) of the view.
    public subscript(i: Int, j: Int) -> Double { isTransposed ? storage[j, i] : storage[i, j] }
    /// The view as a matrix (copies when transposed).
    public var matrix: Matrix { isTransposed ? storage.transposed() : storage }

    /// Row i of the view written into `row` (`columns` entries): a copy of a stored row, or a stored column.
    public func fillRow(_ i: Int, into row: UnsafeMutableBufferPointer<Double>) {
        storage.elements.withUnsafeBufferPointer { e in
            if isTransposed {
                for j in 0..<storage.rows { row[j] = e[j * storage.columns + i] }
            } else {
                for j in 0..<storage.columns { row[j] = e[i * storage.columns + j] }
            }
        }
    }
}
