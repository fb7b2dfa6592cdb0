import Foundation

/// Per-sample gradient descent on the XOR net (the notes' §3.4), forming every Jacobian of the chain
/// explicitly, as a full matrix in the chosen layout, and multiplying them from the loss end.
///
/// The matrices are the ones `XORNetwork.jacobians` builds from library maps (a test asserts they are equal);
/// here they live in full in buffers allocated once, and the products are plain loops that skip the
/// entries their structure makes zero (as `Jacobian.multiplied(by:)` does): 26 multiplications instead of
/// 78, no BLAS call (~80 ns each, more than a whole step), no allocation.
public final class XORTrainer {
    /// The layout the Jacobians are formed and multiplied in.
    public let layout: Layout
    /// The learning rate α in θ ← θ − α·∇θ.
    public let learningRate: Double

    private let buffer: UnsafeMutablePointer<Double>
    private let theta1, theta2, input, x2, x3, f1Theta1, f2, f3X, f3Theta2, f4: UnsafeMutablePointer<Double>
    private let r5, r4, g1, g2: UnsafeMutablePointer<Double>
    private static let size = 12 + 5 + 3 + 4 + 5 + 48 + 20 + 5 + 5 + 1 + 5 + 4 + 12 + 5

    /// A trainer starting from `network`.
    public init(network: XORNetwork, learningRate: Double, layout: Layout) {
        self.layout = layout
        self.learningRate = learningRate
        buffer = .allocate(capacity: Self.size)
        buffer.initialize(repeating: 0, count: Self.size)
        var p = buffer
        func take(_ n: Int) -> UnsafeMutablePointer<Double> { defer { p += n }; return p }
        theta1 = take(12); theta2 = take(5); input = take(3); x2 = take(4); x3 = take(5)
        f1Theta1 = take(48); f2 = take(20); f3X = take(5); f3Theta2 = take(5); f4 = take(1)
        r5 = take(5); r4 = take(4); g1 = take(12); g2 = take(5)
        for i in 0..<12 { theta1[i] = network.theta1.elements[i] }
        for i in 0..<5 { theta2[i] = network.theta2.elements[i] }
        input[0] = 1
        x3[0] = 1
    }

    deinit { buffer.deallocate() }

    /// The current weights.
    public var network: XORNetwork {
        try! XORNetwork(theta1: Matrix(unchecked: 4, 3, Array(UnsafeBufferPointer(start: theta1, count: 12))),
                        theta2: Matrix(unchecked: 1, 5, Array(UnsafeBufferPointer(start: theta2, count: 5))))
    }

    /// One forward pass, the explicit Jacobians, their products and the update for sample (x1, x2) with
    /// target t. Returns the sample's loss ½(x4 − t)² from the forward pass before the update.
    public func step(_ a: Double, _ b: Double, target t: Double) -> Double {
        layout == .numerator ? step(a, b, target: t, numerator: true) : step(a, b, target: t, numerator: false)
    }

    /// `step` with the layout as a constant, so each layout's loops are compiled on their own.
    @inline(__always)
    private func step(_ a: Double, _ b: Double, target t: Double, numerator: Bool) -> Double {
        input[1] = a
        input[2] = b
        // f1: x2 = θ1·[1; x] (4×3 · 3×1).
        BLAS.smallProduct(m: 4, n: 1, k: 3, theta1, input, x2)
        // f2: x3 = [1; σ(x2)], J(f2) = [0ᵀ; diag(σ′)] (5×4, or its 4×5 transpose).
        for i in 0..<4 {
            let (s, ds) = Elementwise.apply(.sigmoid, x2[i])
            x3[i + 1] = s
            f2[numerator ? (i + 1) * 4 + i : i * 5 + i + 1] = ds
        }
        // f3: x4 = σ(θ2·x3); J_x3 = σ′·θ2 and J_θ2 = σ′·x3ᵀ (1×5, or 5×1: the same numbers).
        var z = 0.0
        for k in 0..<5 { z += theta2[k] * x3[k] }
        let (x4, ds4) = Elementwise.apply(.sigmoid, z)
        for k in 0..<5 {
            f3X[k] = ds4 * theta2[k]
            f3Theta2[k] = ds4 * x3[k]
        }
        // f4: ½(x4 − t)², J = x4 − t.
        let r = x4 - t
        f4[0] = r
        // J_θ1(f1) = I₄ ⊗ [1; x]ᵀ: 4×12 block diagonal (or 12×4); the off-block zeros are never written.
        for i in 0..<4 {
            for j in 0..<3 { f1Theta1[numerator ? i * 12 + i * 3 + j : (i * 3 + j) * 4 + i] = input[j] }
        }
        // The products read the explicit matrices but only where their structure can be nonzero: J(f2) is
        // [0ᵀ; diag] and J_θ1(f1) is I₄ ⊗ [1; x]ᵀ, so each output entry has one nonzero term. The sums are
        // bitwise those of the dense products (the skipped terms are exact zeros).
        if numerator {
            // ∇θ1 = J(f4)·J_x3(f3)·J(f2)·J_θ1(f1), left to right; ∇θ2 = J(f4)·J_θ2(f3).
            for k in 0..<5 { r5[k] = f4[0] * f3X[k] }                          // 1×1 · 1×5
            for j in 0..<4 { r4[j] = r5[j + 1] * f2[(j + 1) * 4 + j] }         // 1×5 · 5×4, [0ᵀ; diag]
            for i in 0..<4 {                                                    // 1×4 · 4×12, I₄ ⊗ [1; x]ᵀ
                for j in 0..<3 { g1[i * 3 + j] = r4[i] * f1Theta1[i * 12 + i * 3 + j] }
            }
            for k in 0..<5 { g2[k] = f4[0] * f3Theta2[k] }                     // 1×1 · 1×5
        } else {
            // ∇θ1ᵀ = J_θ1ᵀ(f1)·Jᵀ(f2)·J_x3ᵀ(f3)·Jᵀ(f4), right to left; ∇θ2ᵀ = J_θ2ᵀ(f3)·Jᵀ(f4).
            for k in 0..<5 { r5[k] = f3X[k] * f4[0] }                          // 5×1 · 1×1
            for j in 0..<4 { r4[j] = f2[j * 5 + j + 1] * r5[j + 1] }           // 4×5 · 5×1, [0 diag]
            for i in 0..<4 {                                                    // 12×4 · 4×1, I₄ ⊗ [1; x]
                for j in 0..<3 { g1[i * 3 + j] = f1Theta1[(i * 3 + j) * 4 + i] * r4[i] }
            }
            for k in 0..<5 { g2[k] = f3Theta2[k] * f4[0] }                     // 5×1 · 1×1
        }
        for i in 0..<12 { theta1[i] -= learningRate * g1[i] }
        for i in 0..<5 { theta2[i] -= learningRate * g2[i] }
        return 0.5 * r * r
    }

    /// One iteration: the four samples in order (0,0),(0,1),(1,0),(1,1), each updating θ; returns e1+e2+e3+e4.
    public func iterate() -> Double {
        let numerator = layout == .numerator
        let e1 = step(0, 0, target: 0, numerator: numerator)
        let e2 = step(0, 1, target: 1, numerator: numerator)
        let e3 = step(1, 0, target: 1, numerator: numerator)
        let e4 = step(1, 1, target: 0, numerator: numerator)
        return e1 + e2 + e3 + e4
    }

    /// The Jacobians of the last step as full matrices in `layout`: J_θ1(f1), J(f2), J_x3(f3), J_θ2(f3), J(f4).
    public var lastJacobians: [Matrix] {
        func m(_ p: UnsafeMutablePointer<Double>, _ r: Int, _ c: Int) -> Matrix {
            let (rows, columns) = layout == .numerator ? (r, c) : (c, r)
            return Matrix(unchecked: rows, columns, Array(UnsafeBufferPointer(start: p, count: r * c)))
        }
        return [m(f1Theta1, 4, 12), m(f2, 5, 4), m(f3X, 1, 5), m(f3Theta2, 1, 5), m(f4, 1, 1)]
    }

    /// The gradients of the last step, row-major in θ's shapes.
    public var lastGradients: (theta1: [Double], theta2: [Double]) {
        (Array(UnsafeBufferPointer(start: g1, count: 12)), Array(UnsafeBufferPointer(start: g2, count: 5)))
    }
}
