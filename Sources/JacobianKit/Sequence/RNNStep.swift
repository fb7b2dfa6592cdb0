import RealModule
import Foundation

/// One step of the vanilla RNN, row convention: hₜ = tanh(xₜ·W_xh + hₜ₋₁·W_hh + b), as a map of
/// θ = [xₜ (D), hₜ₋₁ (H), vec W_xh (D×H), vec W_hh (H×H), b (H)] → hₜ. Its H×P Jacobian is the product of the
/// tanh's diagonal with the affine map's blocks: diag(1 − hₜ²)·[W_xhᵀ, W_hhᵀ, xₜ ⊗ I_H, hₜ₋₁ ⊗ I_H, I_H].
public struct RNNStep: VectorMap {
    public let name = "rnn-step"
    /// Input size D and hidden size H.
    public let inputSize: Int, hidden: Int
    /// θ = [x (D), h (H), W_xh (D×H), W_hh (H×H), b (H)], declared once.
    public let layout: ParameterLayout
    public var inputShape: Shape { .vector(layout.count) }
    public var outputShape: Shape { .vector(hidden) }
    public var formula: String { "diag(1 − hₜ²)·[W_xhᵀ, W_hhᵀ, xₜ ⊗ I, hₜ₋₁ ⊗ I, I]" }
    public var inputBlocks: [InputBlock]? { layout.blocks }
    public func inputCoordinateName(_ k: Int) -> String { layout.coordinateName(k) }

    /// A step with D = `inputSize`, H = `hidden`.
    public init(inputSize: Int, hidden: Int) throws {
        guard inputSize > 0, hidden > 0 else {
            throw JacobianError.invalidArgument("rnn-step needs an input size D > 0 and a hidden size H > 0.")
        }
        _ = try CheckedSize.sum([inputSize, hidden, CheckedSize.product(inputSize, hidden, "rnn-step's W_xh"),
                                 CheckedSize.product(hidden, hidden, "rnn-step's W_hh"), hidden], "rnn-step's input")
        self.inputSize = inputSize
        self.hidden = hidden
        layout = ParameterLayout([("x", .vector(inputSize)), ("h", .vector(hidden)),
                                  ("W_xh", .matrix(rows: inputSize, columns: hidden)),
                                  ("W_hh", .matrix(rows: hidden, columns: hidden)), ("b", .vector(hidden))])
    }

    /// hₜ = tanh(xₜ·W_xh + hₜ₋₁·W_hh + b), in Double or Complex: the one definition.
    func forward<T: GraphScalar>(_ theta: [T]) -> [T] {
        let (d, h) = (inputSize, hidden)
        let p = layout.slices(theta)
        let fromX = T.vectorMatrix(p[0], p[2], rows: d, columns: h)
        let fromH = T.vectorMatrix(p[1], p[3], rows: h, columns: h)
        let a = zip(zip(fromX, fromH).map(+), p[4]).map(+)
        return a.map { T.hyperbolicTangent($0) }
    }

    public func value(at theta: [Double]) throws -> [Double] { forward(theta) }

    public func evaluate(at theta: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let (d, h) = (inputSize, hidden)
        let p = layout.slices(theta)
        let out = forward(theta)
        let wxh = Matrix(unchecked: d, h, p[2]), whh = Matrix(unchecked: h, h, p[3])
        let tanhPrime = Jacobian.diagonal(out.map { 1 - $0 * $0 })
        let blocks: [Jacobian] = [
            .dense(wxh.transposed()), .dense(whh.transposed()),
            .kronecker(.matrix(Matrix(unchecked: 1, d, p[0])), .identity(h)),
            .kronecker(.matrix(Matrix(unchecked: 1, h, p[1])), .identity(h)),
            .identity(hidden),
        ].map { tanhPrime.multiplied(by: $0) }
        // Side by side: the columns of θ in order.
        let columns = inputShape.count
        var j = Matrix(rows: hidden, columns: columns)
        var start = 0
        for block in blocks {
            let m = block.matrix
            for r in 0..<hidden { for c in 0..<m.columns { j[r, start + c] = m[r, c] } }
            start += m.columns
        }
        return (out, .dense(j))
    }

    public func samplePoint(using rng: inout SplitMix64) -> [Double] { rng.uniform(count: inputShape.count, -0.8, 0.8) }
}

extension RNNStep: ComplexEvaluable {
    public func complexValue(at theta: [ComplexDouble]) throws -> [ComplexDouble] { forward(theta) }
}
