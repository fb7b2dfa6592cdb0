import Foundation

/// Every failure a user can cause, as one sentence: what was wrong and what is accepted. The sentences name no
/// command-line flag, so they read the same from Swift; the `jacobian` tool adds its own hint where one helps.
public enum JacobianError: Error, CustomStringConvertible, LocalizedError, Equatable, Sendable {
    /// A map name not in the catalog, with the closest known name when there is one.
    case unknownMap(String, suggestion: String?)
    /// A pipeline string that does not parse ("a | | b", a trailing bar, …).
    case malformedPipeline(String)
    /// Two shapes that should agree do not; the text says which.
    case shapeMismatch(String)
    /// A square matrix was required.
    case notSquare(rows: Int, columns: Int)
    /// LU found an exactly zero pivot (1-based, as LAPACK reports it).
    case singular(pivot: Int)
    /// A LAPACK routine rejected an argument (a bug, reported rather than trapped).
    case lapack(routine: String, info: Int)
    /// A point outside a map's domain (log of a non-positive number, …).
    case outsideDomain(String)
    /// A parameter or option value that is not acceptable.
    case invalidArgument(String)
    /// A dense Jacobian too large to hold; the text gives the size it would need.
    case tooLarge(String)
    /// A data or model file that is missing, truncated or corrupt.
    case badFile(String)
    /// Expression text that does not parse: what was expected, the text, and the 0-based column to point at.
    case syntax(String, text: String, column: Int)
    /// A matrix map was given a vector shape.
    case needsMatrix(map: String)
    /// A named constant was given with the wrong number of values.
    case parameterCount(name: String, given: Int, needed: Int)
    /// A user's map broke its own contract: its value or Jacobian does not have the shape it declares.
    case mapContract(String)
    /// A user's program (`ExecMap`) failed or broke the protocol; the text names the program, says what it did
    /// and ends with the last lines of its standard error.
    case program(String)
    /// A computation produced inf or NaN (training diverged, a value overflowed); a failure, not bad input.
    case nonFinite(String)

    /// Whether this is a failure of the computation (exit 1) rather than bad input (exit 64).
    public var isFailure: Bool {
        if case .nonFinite = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case let .unknownMap(name, suggestion):
            let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
            return "Unknown map '\(name)'.\(hint) Run 'jacobian list' to see every built-in map."
        case let .malformedPipeline(text): return "Malformed pipeline: \(text)."
        case let .shapeMismatch(text): return "Shape mismatch: \(text)."
        case let .notSquare(rows, columns):
            return "This map needs a square matrix, but the shape is \(rows)x\(columns)."
        case let .singular(pivot):
            return "The matrix is singular (LU found a zero pivot at position \(pivot)), so it has no inverse; "
                + "pick another point."
        case let .lapack(routine, info):
            return "LAPACK \(routine) rejected argument \(-info); this is a bug in jacobian."
        case let .outsideDomain(text): return "The point is outside the map's domain: \(text)."
        case let .invalidArgument(text): return text
        case let .tooLarge(text): return text
        case let .badFile(text): return text
        case let .syntax(message, text, column):
            let caret = String(repeating: " ", count: max(0, column)) + "^"
            return "Cannot read the expression: \(message) (column \(column + 1)).\n  \(text)\n  \(caret)"
        case let .needsMatrix(map): return "\(map) takes a matrix; give it a matrix shape such as 3x3."
        case let .parameterCount(name, given, needed):
            return "The constant \(name) has \(given) numbers but this map needs \(needed)."
        case let .mapContract(text): return text
        case let .program(text): return text
        case let .nonFinite(text): return text
        }
    }

    /// The sentence, for `localizedDescription` (LocalizedError).
    public var errorDescription: String? { description }
}
