import Foundation

/// One step of the vanilla RNN, row convention: hₜ = tanh(xₜ·W_xh + hₜ₋₁·W_hh + b), as a map of
/// θ = [xₜ (D), hₜ₋₁ (H), vec W_xh (D×H), vec W_hh (H×H), b (H)] → hₜ. Its H×P Jacobian is the product of the
/// tanh's diagonal with the affine map's blocks: diag(1 − hₜ²)·[W_xhᵀ, W_hhᵀ, xₜ ⊗ I_H, hₜ₋₁ ⊗ I_H, I_H].
public struct RNNStep: VectorMap {
    public let name = "rnn-step"
    /// Input size D and hidden size H.
    public let inputSize: Int, hidden: Int
    public var inputShape: Shape { .vector(inputSize + hidden + inputSize * hidden + hidden * hidden + hidden) }
    public var outputShape: Shape { .vector(hidden) }
    public var formula: String { "diag(1 − hₜ²)·[W_xhᵀ, W_hhᵀ, xₜ ⊗ I, hₜ₋₁ ⊗ I, I]" }

    /// A step with D = `inputSize`, H = `hidden`.
    public init(inputSize: Int, hidden: Int) throws {
        guard inputSize > 0, hidden > 0 else {
            throw JacobianError.invalidArgument("rnn-step needs an input size D > 0 and a hidden size H > 0.")
        }
        _ = try CheckedSize.sum([inputSize, hidden, CheckedSize.product(inputSize, hidden, "rnn-step's W_xh"),
                                 CheckedSize.product(hidden, hidden, "rnn-step's W_hh"), hidden], "rnn-step's input")
        self.inputSize = inputSize
        self.hidden = hidden
    }

    func parts(_ theta: [Double]) -> (x: [Double], h: [Double], wxh: Matrix, whh: Matrix, b: [Double]) {
        let (d, h) = (inputSize, hidden)
        var at = 0
        func take(_ n: Int) -> [Double] { defer { at += n }; return Array(theta[at..<(at + n)]) }
        return (take(d), take(h), Matrix(unchecked: d, h, take(d * h)), Matrix(unchecked: h, h, take(h * h)), take(h))
    }

    public func evaluate(at theta: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let p = parts(theta)
        let a = zip(zip(p.wxh.leftMultiplied(by: p.x), p.whh.leftMultiplied(by: p.h)).map(+), p.b).map(+)
        let out = a.map { Foundation.tanh($0) }
        let tanhPrime = Jacobian.diagonal(out.map { 1 - $0 * $0 })
        let blocks: [Jacobian] = [
            .dense(p.wxh.transposed()), .dense(p.whh.transposed()),
            .kronecker(.matrix(Matrix(unchecked: 1, inputSize, p.x)), .identity(hidden)),
            .kronecker(.matrix(Matrix(unchecked: 1, hidden, p.h)), .identity(hidden)),
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
