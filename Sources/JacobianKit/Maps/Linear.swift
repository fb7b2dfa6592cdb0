import RealModule
/// The affine layer y = W·x + b, W m×n, b ∈ Rᵐ, with its Jacobian with respect to each variable:
/// ∂y/∂x = W (m×n), ∂y/∂W = I_m ⊗ xᵀ (m×mn, row-major vec W), ∂y/∂b = I_m.
public struct Linear: Sendable {
    /// The weights, m×n.
    public var weights: Matrix
    /// The bias, m numbers.
    public var bias: [Double]

    /// A layer with the given weights and bias (bias count must equal weights.rows).
    public init(weights: Matrix, bias: [Double]) {
        precondition(bias.count == weights.rows, "bias must have one entry per row of W")
        self.weights = weights
        self.bias = bias
    }

    /// W·x + b.
    public func callAsFunction(_ x: [Double]) -> [Double] {
        zip(weights.multiplied(by: x), bias).map(+)
    }

    /// ∂y/∂x = W, m×n (dense).
    public var jacobianX: Jacobian { .dense(weights) }
    /// ∂y/∂W at x = I_m ⊗ xᵀ, m×(m·n): row i holds xᵀ in the columns of W's row i.
    public func jacobianW(at x: [Double]) -> Jacobian {
        .kronecker(.identity(weights.rows), .matrix(Matrix(unchecked: 1, x.count, x)))
    }
    /// ∂y/∂b = I_m.
    public var jacobianB: Jacobian { .identity(weights.rows) }
}

/// Which variable of a layer a catalog map differentiates with respect to.
public enum LinearVariable: String, CaseIterable, Sendable {
    case x, W, b
}

/// `linear`: y = W·x + b as a map of one variable (x, W or b), the others fixed constants.
public struct LinearMap: VectorMap {
    public let name = "linear"
    /// The variable that is the map's input.
    public let variable: LinearVariable
    /// The fixed layer (for `W` the weights are replaced by the input).
    public let layer: Linear
    /// The fixed input x (used when the variable is W or b).
    public let x: [Double]

    public var inputShape: Shape {
        switch variable {
        case .x: return .vector(layer.weights.columns)
        case .W: return .matrix(rows: layer.weights.rows, columns: layer.weights.columns)
        case .b: return .vector(layer.weights.rows)
        }
    }
    public var outputShape: Shape { .vector(layer.weights.rows) }
    public var formula: String {
        switch variable {
        case .x: return "W"
        case .W: return "I_m ⊗ xᵀ"
        case .b: return "I_m"
        }
    }
    public var constants: [NamedConstant] {
        let m = layer.weights.rows, n = layer.weights.columns
        var c: [NamedConstant] = []
        if variable != .W { c.append(NamedConstant("W", .matrix(rows: m, columns: n), layer.weights.elements)) }
        if variable != .x { c.append(NamedConstant("x", .vector(n), x)) }
        if variable != .b { c.append(NamedConstant("b", .vector(m), layer.bias)) }
        return c
    }

    /// The map of `variable` with everything else fixed.
    public init(variable: LinearVariable, layer: Linear, x: [Double]) {
        self.variable = variable
        self.layer = layer
        self.x = x
    }

    /// W·x + b with the variable replaced by v, in Double or Complex: the one definition.
    func forward<T: GraphScalar>(_ v: [T]) -> [T] {
        let m = layer.weights.rows, n = layer.weights.columns
        let w = variable == .W ? v : layer.weights.elements.map { T(constant: $0) }
        let input = variable == .x ? v : x.map { T(constant: $0) }
        let b = variable == .b ? v : layer.bias.map { T(constant: $0) }
        return zip(T.matrixVector(w, input, rows: m, columns: n), b).map(+)
    }

    public func value(at v: [Double]) throws -> [Double] { forward(v) }

    public func evaluate(at v: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let y = forward(v)
        switch variable {
        case .x: return (y, layer.jacobianX)
        case .W: return (y, Linear(weights: Matrix(unchecked: layer.weights.rows, layer.weights.columns, v),
                                   bias: layer.bias).jacobianW(at: x))
        case .b: return (y, layer.jacobianB)
        }
    }
}

extension LinearMap: ComplexEvaluable {
    public func complexValue(at v: [ComplexDouble]) throws -> [ComplexDouble] { forward(v) }
}

/// `linear-row`: y = x·W + b in the row convention of the softmax-regression notes (x 1×p, W p×q, b 1×q):
/// ∂y/∂x = Wᵀ (q×p), ∂y/∂W = x ⊗ I_q (q×pq, row-major vec W), ∂y/∂b = I_q.
public struct LinearRowMap: VectorMap {
    public let name = "linear-row"
    /// The variable that is the map's input.
    public let variable: LinearVariable
    /// W, p×q.
    public let weights: Matrix
    /// b, q numbers.
    public let bias: [Double]
    /// x, p numbers (fixed unless it is the variable).
    public let x: [Double]

    public var inputShape: Shape {
        switch variable {
        case .x: return .vector(weights.rows)
        case .W: return .matrix(rows: weights.rows, columns: weights.columns)
        case .b: return .vector(weights.columns)
        }
    }
    public var outputShape: Shape { .vector(weights.columns) }
    public var formula: String {
        switch variable {
        case .x: return "Wᵀ"
        case .W: return "x ⊗ I_q"
        case .b: return "I_q"
        }
    }
    public var constants: [NamedConstant] {
        var c: [NamedConstant] = []
        if variable != .W {
            c.append(NamedConstant("W", .matrix(rows: weights.rows, columns: weights.columns), weights.elements))
        }
        if variable != .x { c.append(NamedConstant("x", .vector(weights.rows), x)) }
        if variable != .b { c.append(NamedConstant("b", .vector(weights.columns), bias)) }
        return c
    }

    /// The map of `variable` with everything else fixed.
    public init(variable: LinearVariable, weights: Matrix, bias: [Double], x: [Double]) {
        self.variable = variable
        self.weights = weights
        self.bias = bias
        self.x = x
    }

    /// x·W + b with the variable replaced by v, in Double or Complex: the one definition.
    func forward<T: GraphScalar>(_ v: [T]) -> [T] {
        let w = variable == .W ? v : weights.elements.map { T(constant: $0) }
        let input = variable == .x ? v : x.map { T(constant: $0) }
        let b = variable == .b ? v : bias.map { T(constant: $0) }
        return zip(T.vectorMatrix(input, w, rows: weights.rows, columns: weights.columns), b).map(+)
    }

    public func value(at v: [Double]) throws -> [Double] { forward(v) }

    public func evaluate(at v: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let y = forward(v)
        switch variable {
        case .x: return (y, .dense(weights.transposed()))
        case .W: return (y, .kronecker(.matrix(Matrix(unchecked: 1, weights.rows, x)), .identity(weights.columns)))
        case .b: return (y, .identity(weights.columns))
        }
    }
}

extension LinearRowMap: ComplexEvaluable {
    public func complexValue(at v: [ComplexDouble]) throws -> [ComplexDouble] { forward(v) }
}

/// `bias`: x ↦ [1; x], the notes' bias node; Jacobian (n+1)×n: a zero row on top of I_n.
public struct PrependOne: VectorMap {
    public let name = "bias"
    public let inputShape: Shape
    public var outputShape: Shape { .vector(inputShape.count + 1) }
    public var formula: String { "[0ᵀ; I_n]" }

    /// [1; x] for x with `shape.count` numbers.
    public init(shape: Shape) { inputShape = shape }

    /// [1; x], in Double or Complex: the one definition.
    static func forward<T: GraphScalar>(_ x: [T]) -> [T] { [T(constant: 1)] + x }

    public func value(at x: [Double]) throws -> [Double] { Self.forward(x) }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        (Self.forward(x), .prependingOne(x.count))
    }
}

extension PrependOne: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { Self.forward(z) }
}
