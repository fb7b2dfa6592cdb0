/// A Jacobian written as formulas (every variable a scalar), entry [i][j] = ∂yᵢ/∂(input j), simplified.
public struct SymbolicJacobian: Sendable {
    let formulas: [[SymbolicExpression]]
    let inputs: [String]
    let constants: [String: Double]

    /// The formulas as text, rows = outputs, columns = inputs: "2·x2·(x1·x2 − 3)".
    public var entries: [[String]] { formulas.map { $0.map(\.text) } }

    /// The formulas evaluated at x (the inputs' values in order), numerator layout.
    public func values(at x: [Double]) -> [[Double]] {
        var env = constants
        for (name, v) in zip(inputs, x) { env[name] = v }
        return formulas.map { row in row.map { $0.value(env) } }
    }
}
