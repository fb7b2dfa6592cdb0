/// A one-off map from a closure: a name, the input and output shapes, and `{ x in (value, jacobian) }` giving
/// f(x) and its m×n numerator Jacobian (J[i][j] = ∂yᵢ/∂xⱼ, matrices vectorized row-major).
///
/// The closure must be `@Sendable` because the checker evaluates columns of finite differences on several
/// threads at once; capture constants (`let` arrays, structs) rather than a mutable model object.
public struct ClosureMap: VectorMap {
    public let name: String
    public let inputShape: Shape
    public let outputShape: Shape
    public let formula: String
    public let hasKinks: Bool
    private let body: @Sendable ([Double]) throws -> (value: [Double], jacobian: Matrix)

    /// A map named `name` from `input` to `output`; `body` returns f(x) and the m×n numerator Jacobian.
    /// Set `hasKinks` when f has branches (relu-like), so that the checker judges kinks one-sidedly.
    public init(name: String, input: Shape, output: Shape, formula: String = "as the closure computes it",
                hasKinks: Bool = false,
                _ body: @escaping @Sendable ([Double]) throws -> (value: [Double], jacobian: Matrix)) {
        self.name = name
        self.inputShape = input
        self.outputShape = output
        self.formula = formula
        self.hasKinks = hasKinks
        self.body = body
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        guard x.count == inputShape.count else {
            throw JacobianError.shapeMismatch("\(name) takes \(inputShape.count) numbers, the point has \(x.count)")
        }
        let (y, j) = try body(x)
        return (y, .dense(j))
    }
}
