/// The shape of a map's input or output: a vector of n numbers or an r×c matrix, vectorized row-major.
public enum Shape: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A column vector in Rⁿ.
    case vector(Int)
    /// An r×c matrix; its vec is row-major: x[i*c + j] = X[i][j].
    case matrix(rows: Int, columns: Int)

    /// A scalar is a vector of one number.
    public static let scalar = Shape.vector(1)

    /// The shape with JSON dimensions [n] or [r, c] (anything else is read as a vector of their product).
    public init(dimensions d: [Int]) {
        self = d.count == 2 ? .matrix(rows: d[0], columns: d[1]) : .vector(d.reduce(1, *))
    }

    /// How many numbers the vectorized value has (Int.max when r·c overflows; `checkedCount()` throws instead).
    public var count: Int {
        switch self {
        case let .vector(n): return n
        case let .matrix(r, c): return CheckedSize.saturatingProduct(r, c)
        }
    }

    /// "10" for a vector, "3x4" for a matrix.
    public var description: String {
        switch self {
        case let .vector(n): return "\(n)"
        case let .matrix(r, c): return "\(r)x\(c)"
        }
    }

    /// "R^10", "R^(3x4)", "R" for a scalar.
    public var space: String {
        switch self {
        case .vector(1): return "R"
        case let .vector(n): return "R^\(n)"
        case let .matrix(r, c): return "R^(\(r)x\(c))"
        }
    }

    /// [n] or [r, c], as the JSON output gives shapes.
    public var dimensions: [Int] {
        switch self {
        case let .vector(n): return [n]
        case let .matrix(r, c): return [r, c]
        }
    }

    /// The readable name of coordinate k: "x_3" for a vector, "X[1,2]" for a matrix (0-based).
    public func coordinateName(_ k: Int, symbol: String) -> String {
        switch self {
        case .vector: return "\(symbol)_\(k)"
        case let .matrix(_, c): return "\(symbol.uppercased())[\(k / c),\(k % c)]"
        }
    }
}
