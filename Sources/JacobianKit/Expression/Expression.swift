/// An expression over named variables, parsed and ready to be bound to shapes and values:
/// `try Expression("softmax(W*x + b)").map(ExpressionBindings(shapes: ["W": .matrix(rows: 3, columns: 4)]))`.
///
/// Syntax: numbers, names, `( )`, unary `-`, `+ - * /`, `^` with a constant exponent, postfix `'` (transpose),
/// `.*` and `./` (entry by entry; `⊙` too). `*` is the matrix product when both sides are non-scalar (vectors
/// are columns) and scaling when one is a scalar. `[a, b, c]` is a column of scalars, `[1; x]` stacks.
/// Functions: `sigmoid tanh relu leaky_relu exp log sin cos sqrt abs softmax log_softmax sum mean mse
/// cross_entropy binary_cross_entropy softmax_ce hinge inv det logdet tr`. Every other name is a variable.
public struct Expression: Sendable {
    /// The text as written.
    public let text: String
    /// The parsed tree.
    public let syntax: ExpressionSyntax

    /// Parses `text`; a syntax error names the column and shows it with a caret.
    public init(_ text: String) throws {
        self.text = text
        var parser = try ExpressionParser(text)
        syntax = try parser.parse()
    }

    /// The variables, in order of first appearance.
    public var variables: [String] { syntax.variableNames }

    /// The function names an expression may call.
    public static var functionNames: [String] { ExpressionFunction.names }

    /// The map this expression computes once shapes, inputs and constants are bound.
    public func map(_ bindings: ExpressionBindings = ExpressionBindings()) throws -> ExpressionMap {
        try ExpressionMap(self, bindings)
    }
}

/// What an expression's variables are bound to: shapes, which are inputs, and the constants' values.
public struct ExpressionBindings: Sendable {
    /// Shapes given by name (a vector n is a column n×1; a scalar is a vector of 1).
    public var shapes: [String: Shape]
    /// The inputs to differentiate with respect to, in order; nil for every variable without a constant value.
    public var wrt: [String]?
    /// Values of the variables that are held fixed, row-major, by name.
    public var constants: [String: [Double]]
    /// Values given for inputs by name: only their counts are used here, to infer shapes.
    public var inputValues: [String: [Double]]
    /// The count of a point given without names, which fills the inputs in order.
    public var pointCount: Int?
    /// The seed for constants that are not given.
    public var seed: UInt64

    /// Bindings; everything not given is inferred or drawn from `seed`.
    public init(shapes: [String: Shape] = [:], wrt: [String]? = nil, constants: [String: [Double]] = [:],
                inputValues: [String: [Double]] = [:], pointCount: Int? = nil, seed: UInt64 = 0) {
        self.shapes = shapes
        self.wrt = wrt
        self.constants = constants
        self.inputValues = inputValues
        self.pointCount = pointCount
        self.seed = seed
    }
}
