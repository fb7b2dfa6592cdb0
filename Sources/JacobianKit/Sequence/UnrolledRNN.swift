import RealModule
import Foundation

/// The vanilla RNN of notes 003 unrolled over T steps, in the notes' row convention:
///
///     hₜ = tanh(xₜ·W_xh + hₜ₋₁·W_hh + b),   zₜ = hₜ·V + c,   L = Σₜ −log softmax(zₜ)[yₜ]
///
/// as a map of all its parameters θ = [vec W_xh (D×H), vec W_hh (H×H), b (H), vec V (H×K), c (K)] → L.
/// Its 1×P Jacobian is back-propagation through time written as products of step Jacobians:
/// δₜ = ∂L/∂hₜ = (pₜ − yₜ)·J(zₜ wrt hₜ) + δₜ₊₁·J(hₜ₊₁ wrt hₜ), with J(hₜ₊₁ wrt hₜ) = diag(1 − hₜ₊₁²)·W_hhᵀ,
/// and each parameter's row Σₜ (row at step t)·J(step t wrt the parameter), e.g. J(aₜ wrt W_xh) = xₜ ⊗ I_H.
public struct UnrolledRNN: VectorMap {
    public let name = "rnn"
    /// Input size D, hidden size H, classes K, steps T.
    public let inputSize: Int, hidden: Int, classes: Int, steps: Int
    /// The inputs x₁…x_T (T×D, row-major) and their labels.
    public let inputs: [Double]
    /// The class of each step, 0…K−1.
    public let labels: [Int]
    /// h₀.
    public let initialState: [Double]

    /// θ = [W_xh (D×H), W_hh (H×H), b (H), V (H×K), c (K)], declared once.
    public let layout: ParameterLayout
    public var inputShape: Shape { .vector(parameterCount) }
    public var inputBlocks: [InputBlock]? { layout.blocks }
    public func inputCoordinateName(_ k: Int) -> String { layout.coordinateName(k) }
    public var outputShape: Shape { .scalar }
    public var formula: String { "Σₜ δₜ·J(step t wrt θ), δₜ = (pₜ − yₜ)·Vᵀ + δₜ₊₁·diag(1 − hₜ₊₁²)·W_hhᵀ" }
    public var constants: [NamedConstant] {
        [NamedConstant("x", .matrix(rows: steps, columns: inputSize), inputs),
         NamedConstant("y", .vector(steps), labels.map(Double.init)),
         NamedConstant("h0", .vector(hidden), initialState)]
    }

    /// P = DH + HH + H + HK + K.
    public var parameterCount: Int { layout.count }

    /// An RNN with D = `inputSize`, H = `hidden`, K = `classes`, T = `steps`, inputs and labels drawn from `constants`.
    public init(inputSize: Int, hidden: Int, classes: Int, steps: Int, constants: inout ConstantSource) throws {
        guard inputSize > 0, hidden > 0, classes > 1, steps > 0 else {
            throw JacobianError.invalidArgument("rnn needs an input size D > 0, a hidden size H > 0, T > 0 time steps "
                + "and at least 2 classes.")
        }
        let (d, h, k) = (inputSize, hidden, classes)
        _ = try CheckedSize.sum([CheckedSize.product(d, h, "rnn's W_xh"), CheckedSize.product(h, h, "rnn's W_hh"), h,
                                 CheckedSize.product(h, k, "rnn's V"), k], "rnn's parameter vector")
        self.inputSize = inputSize
        self.hidden = hidden
        self.classes = classes
        self.steps = steps
        layout = ParameterLayout([("W_xh", .matrix(rows: d, columns: h)), ("W_hh", .matrix(rows: h, columns: h)),
                                  ("b", .vector(h)), ("V", .matrix(rows: h, columns: k)), ("c", .vector(k))])
        inputs = try constants.uniform("x", count: try CheckedSize.product(steps, inputSize, "rnn's inputs x"), -1, 1)
        let y = try constants.take("y", count: steps) { rng in
            (0..<steps).map { _ in Double(rng.next() % UInt64(classes)) }
        }
        // Checked as numbers before any conversion to Int: 1e300 or 1.7 is an error, not a trap or a silent 1.
        if let bad = y.firstIndex(where: { !($0 >= 0 && $0 < Double(classes) && $0 == $0.rounded()) }) {
            throw JacobianError.invalidArgument(
                "rnn labels y must be whole numbers 0…\(classes - 1), but label \(bad + 1) is \(y[bad]).")
        }
        labels = y.map { Int($0) }
        initialState = try constants.uniform("h0", count: hidden, -0.5, 0.5)
    }

    /// The parameters' slices of θ: W_xh (D×H), W_hh (H×H), b, V (H×K), c.
    public func unpack(_ theta: [Double]) -> (wxh: Matrix, whh: Matrix, b: [Double], v: Matrix, c: [Double]) {
        let (d, h, k) = (inputSize, hidden, classes)
        let p = layout.slices(theta)
        return (Matrix(unchecked: d, h, p[0]), Matrix(unchecked: h, h, p[1]), p[2], Matrix(unchecked: h, k, p[3]), p[4])
    }

    /// The forward pass in Double or Complex (the one definition): the states h₁…h_T, the logits z₁…z_T and
    /// the loss.
    func run<T: GraphScalar>(_ theta: [T]) -> (states: [[T]], logits: [[T]], loss: T) {
        let (d, h, k) = (inputSize, hidden, classes)
        let p = layout.slices(theta)
        var state = initialState.map { T(constant: $0) }
        var states: [[T]] = [], logits: [[T]] = []
        var loss = T.zero
        for t in 0..<steps {
            let x = inputs[(t * d)..<((t + 1) * d)].map { T(constant: $0) }
            let fromX = T.vectorMatrix(x, p[0], rows: d, columns: h)
            let fromH = T.vectorMatrix(state, p[1], rows: h, columns: h)
            state = zip(zip(fromX, fromH).map(+), p[2]).map { T.hyperbolicTangent($0 + $1) }
            states.append(state)
            let z = zip(T.vectorMatrix(state, p[3], rows: h, columns: k), p[4]).map(+)
            logits.append(z)
            loss = loss + SoftmaxCrossEntropy.loss(z, oneHot(labels[t]).map { T(constant: $0) })
        }
        return (states, logits, loss)
    }

    /// The states h₁…h_T, the step losses' rows pₜ − yₜ, and the loss.
    public func forward(_ theta: [Double]) -> (states: [[Double]], rows: [[Double]], loss: Double) {
        let r = run(theta)
        let rows = (0..<steps).map { t in
            // ∂Lₜ/∂zₜ = pₜ − yₜ, as softmax-cross-entropy's Jacobian row writes it.
            let z = r.logits[t], lse = Double.logSumExp(z)
            return z.indices.map { Foundation.exp(z[$0] - lse) - ($0 == labels[t] ? 1 : 0) }
        }
        return (r.states, rows, r.loss)
    }

    /// The one-hot target of class k.
    public func oneHot(_ k: Int) -> [Double] { (0..<classes).map { $0 == k ? 1 : 0 } }

    public func value(at theta: [Double]) throws -> [Double] { [run(theta).loss] }

    public func evaluate(at theta: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let r = backPropagation(at: theta)
        return ([r.loss], .dense(Matrix(unchecked: 1, r.gradient.count, r.gradient)))
    }

    /// BPTT: the loss, its gradient (1×P, θ's order), every δₜ = ∂L/∂hₜ and every pₜ − yₜ (index t − 1).
    public func backPropagation(at theta: [Double])
        -> (loss: Double, gradient: [Double], deltas: [[Double]], rows: [[Double]])
    {
        let p = unpack(theta)
        let (states, rows, loss) = forward(theta)
        let (d, h, k) = (inputSize, hidden, classes)
        var gWxh = [Double](repeating: 0, count: d * h), gWhh = [Double](repeating: 0, count: h * h)
        var gB = [Double](repeating: 0, count: h), gV = [Double](repeating: 0, count: h * k),
            gC = [Double](repeating: 0, count: k)
        let jzh = Jacobian.dense(p.v.transposed())                  // J(zₜ wrt hₜ) = Vᵀ, K×H
        let jhPrev = Jacobian.dense(p.whh.transposed())             // J(aₜ wrt hₜ₋₁) = W_hhᵀ, H×H
        var carried = [Double](repeating: 0, count: h)              // δₜ₊₁·J(hₜ₊₁ wrt hₜ)
        var deltas = [[Double]](repeating: [], count: steps)
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let ht = states[t], hPrev = t > 0 ? states[t - 1] : initialState
            let x = Array(inputs[(t * d)..<((t + 1) * d)])
            // Output layer at step t: J(zₜ wrt V) = hₜ ⊗ I_K, J(zₜ wrt c) = I_K.
            add(&gV, Jacobian.kronecker(.matrix(Matrix(unchecked: 1, h, ht)), .identity(k)).vjp(rows[t]))
            add(&gC, rows[t])
            // δₜ = (pₜ − yₜ)·Vᵀ + δₜ₊₁·J(hₜ₊₁ wrt hₜ).
            let delta = zip(jzh.vjp(rows[t]), carried).map(+)
            deltas[t] = delta
            // Through tanh: a row for aₜ = δₜ·diag(1 − hₜ²).
            let rowA = Jacobian.diagonal(ht.map { 1 - $0 * $0 }).vjp(delta)
            // xₜ ⊗ I_H
            add(&gWxh, Jacobian.kronecker(.matrix(Matrix(unchecked: 1, d, x)), .identity(h)).vjp(rowA))
            // hₜ₋₁ ⊗ I_H
            add(&gWhh, Jacobian.kronecker(.matrix(Matrix(unchecked: 1, h, hPrev)), .identity(h)).vjp(rowA))
            add(&gB, rowA)
            carried = jhPrev.vjp(rowA)                              // δₜ·diag(1 − hₜ²)·W_hhᵀ, for step t − 1
        }
        return (loss, gWxh + gWhh + gB + gV + gC, deltas, rows)
    }

    /// The BPTT recursion at θ, one line per step, for `check --explain` (the same in either layout).
    public func explanation(at theta: [Double], layout: Layout) throws -> [String]? { explanation(at: theta) }

    /// The BPTT recursion at θ, one line per step.
    public func explanation(at theta: [Double]) -> [String] {
        let r = backPropagation(at: theta)
        var lines = ["BPTT, from the last step back (row convention; J(zₜ wrt hₜ) = Vᵀ, "
                     + "J(hₜ₊₁ wrt hₜ) = diag(1 − hₜ₊₁²)·W_hhᵀ):"]
        for t in stride(from: steps, through: 1, by: -1) {
            let head = t == steps
                ? "δ_\(t) = (p_\(t) − y_\(t))·Vᵀ  [1×\(classes) · \(classes)×\(hidden)]"
                : "δ_\(t) = (p_\(t) − y_\(t))·Vᵀ + δ_\(t + 1)·diag(1 − h_\(t + 1)²)·W_hhᵀ  "
                    + "[1×\(classes) · \(classes)×\(hidden) + 1×\(hidden) · \(hidden)×\(hidden) · \(hidden)×\(hidden)]"
            lines.append("  " + head)
            lines.append("      p_\(t) − y_\(t) = \(TextFormat.vector(r.rows[t - 1]))   "
                         + "δ_\(t) = \(TextFormat.vector(r.deltas[t - 1]))")
        }
        lines.append("each parameter's row is Σₜ δₜ·diag(1 − hₜ²)·J(aₜ wrt it): xₜ ⊗ I for W_xh, "
                     + "hₜ₋₁ ⊗ I for W_hh, I for b;")
        lines.append("and Σₜ (pₜ − yₜ)·J(zₜ wrt it): hₜ ⊗ I for V, I for c.")
        return lines
    }

    private func add(_ a: inout [Double], _ b: [Double]) { for i in a.indices { a[i] += b[i] } }

    /// θ drawn uniform in [−0.5, 0.5).
    public func samplePoint(using rng: inout SplitMix64) -> [Double] { rng.uniform(count: parameterCount, -0.5, 0.5) }

    /// The products ∏ J(hₜ₊₁ wrt hₜ) over the unrolled sequence (for the vanishing/exploding lesson).
    public func stateJacobians(at theta: [Double]) -> [Jacobian] {
        let p = unpack(theta)
        let states = forward(theta).states
        return (1..<steps).map { t in
            Jacobian.diagonal(states[t].map { 1 - $0 * $0 }).multiplied(by: .dense(p.whh.transposed()))
        }
    }
}

extension UnrolledRNN: ComplexEvaluable {
    public func complexValue(at theta: [ComplexDouble]) throws -> [ComplexDouble] { [run(theta).loss] }
}
