import Foundation

/// A map whose second derivatives are known: λᵀ∇²f(x), the Hessian of the scalar λ·f(x) for an adjoint λ
/// (m numbers), n×n and symmetric. For a scalar map and λ = [1] it is the Hessian itself.
///
/// This is what the chain rule needs one order up: for y = g(f(x)),
/// ∇²y = J_f(x)ᵀ·∇²g·J_f(x) + Σₖ (∂g/∂fₖ)·∇²fₖ(x) — the Gauss–Newton term and the curvature of f.
public protocol CurvatureMap: VectorMap {
    /// λᵀ∇²f at x, structured where it has structure (diag for elementwise maps, diag + uvᵀ for softmax).
    func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian
}

extension Elementwise: CurvatureMap {
    public func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian {
        _ = try evaluate(at: x)
        return .diagonal(x.indices.map { λ[$0] * Self.secondDerivative(function, x[$0]) })
    }

    /// f″(x) for one coordinate (0 for the piecewise-linear functions away from their kinks).
    static func secondDerivative(_ f: Function, _ x: Double) -> Double {
        switch f {
        case .sigmoid:
            let s = 1 / (1 + Foundation.exp(-x))
            return s * (1 - s) * (1 - 2 * s)
        case .tanh:
            let t = Foundation.tanh(x)
            return -2 * t * (1 - t * t)
        case .relu, .leakyRelu, .abs: return 0
        case .exp: return Foundation.exp(x)
        case .log: return -1 / (x * x)
        case .sin: return -Foundation.sin(x)
        case .cos: return -Foundation.cos(x)
        case .sqrt: return -0.25 / (x * Foundation.sqrt(x))
        }
    }
}

extension Softmax: CurvatureMap {
    /// Σᵢ λᵢ∇²pᵢ = diag(w) − p·wᵀ − w·pᵀ with w = p ⊙ (λ − pᵀλ).
    public func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian {
        let p = Self.probabilities(x)
        let mean = zip(p, λ).reduce(0) { $0 + $1.0 * $1.1 }
        let w = p.indices.map { p[$0] * (λ[$0] - mean) }
        var m = Matrix(diagonal: w)
        for i in p.indices { for j in p.indices { m[i, j] -= p[i] * w[j] + w[i] * p[j] } }
        return .dense(m)
    }
}

extension LogSoftmax: CurvatureMap {
    /// λᵀ∇²(x − lse x) = −(Σλ)·(diag(p) − p·pᵀ).
    public func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian {
        let p = Softmax.probabilities(x), s = λ.reduce(0, +)
        return .diagonalPlusOuter(diagonal: p.map { -s * $0 }, u: p.map { s * $0 }, v: p)
    }
}

extension MeanSquaredError: CurvatureMap {
    /// ∇²(½‖x − t‖²) = I.
    public func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian {
        λ[0] == 1 ? .identity(x.count) : .diagonal([Double](repeating: λ[0], count: x.count))
    }
}

extension CrossEntropy: CurvatureMap {
    /// ∇²(−Σ y log p) = diag(y ⊘ p²).
    public func curvature(at p: [Double], adjoint λ: [Double]) throws -> Jacobian {
        _ = try evaluate(at: p)
        return .diagonal(p.indices.map { λ[0] * target[$0] / (p[$0] * p[$0]) })
    }
}

extension BinaryCrossEntropy: CurvatureMap {
    /// ∇² = diag(t ⊘ p² + (1 − t) ⊘ (1 − p)²).
    public func curvature(at p: [Double], adjoint λ: [Double]) throws -> Jacobian {
        _ = try evaluate(at: p)
        return .diagonal(p.indices.map {
            λ[0] * (target[$0] / (p[$0] * p[$0]) + (1 - target[$0]) / ((1 - p[$0]) * (1 - p[$0])))
        })
    }
}

extension SoftmaxCrossEntropy: CurvatureMap {
    /// ∇²(−Σ y log softmax z) = (Σy)·(diag(p) − p·pᵀ): the softmax Jacobian itself for a distribution y.
    public func curvature(at z: [Double], adjoint λ: [Double]) throws -> Jacobian {
        let p = Softmax.probabilities(z), s = λ[0] * target.reduce(0, +)
        return .diagonalPlusOuter(diagonal: p.map { s * $0 }, u: p.map { -s * $0 }, v: p)
    }
}

/// A map that is affine in its input: its second derivatives are all zero.
public protocol AffineMap: CurvatureMap {}

extension AffineMap {
    public func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian {
        .zero(rows: x.count, columns: x.count)
    }
}

extension Trace: AffineMap {}
extension Transpose: AffineMap {}
extension PrependOne: AffineMap {}
extension LinearMap: AffineMap {}
extension LinearRowMap: AffineMap {}
extension MatrixProduct: AffineMap {}
extension Hadamard: AffineMap {}

extension Bilinear: CurvatureMap {
    /// aᵀXb is linear: 0. aᵀexp(Xb): row i of X is the block aᵢ·exp((Xb)ᵢ)·b·bᵀ (block diagonal).
    public func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian {
        let n = x.count, q = b.count
        guard exponential else { return .zero(rows: n, columns: n) }
        var m = Matrix(rows: n, columns: n)
        for i in a.indices {
            var s = 0.0
            for j in 0..<q { s += x[i * q + j] * b[j] }
            let w = λ[0] * a[i] * Foundation.exp(s)
            for j in 0..<q { for l in 0..<q { m[i * q + j, i * q + l] = w * b[j] * b[l] } }
        }
        return .dense(m)
    }
}

extension Inverse: CurvatureMap {
    /// Σ Λᵢⱼ ∂²(X⁻¹)ᵢⱼ: with V = X⁻¹, entry [(a,b),(c,d)] = Σᵢⱼ Λᵢⱼ (V_ia V_bc V_dj + V_ic V_da V_bj).
    public func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian {
        let n = Int(Double(x.count).squareRoot())
        let v = try Matrix(unchecked: n, n, x).inverse()
        let lam = Matrix(unchecked: n, n, λ)
        // P = Vᵀ·Λ·Vᵀ, so Σᵢⱼ Λᵢⱼ V_ia V_dj = (VᵀΛVᵀ)_ad.
        let p = BLAS.gemm(BLAS.gemm(v, lam, transposeA: true), v, transposeB: true)
        var m = Matrix(rows: n * n, columns: n * n)
        for a in 0..<n { for b in 0..<n { for c in 0..<n { for d in 0..<n {
            m[a * n + b, c * n + d] = p[a, d] * v[b, c] + p[c, b] * v[d, a]
        } } } }
        return .dense(m)
    }
}

extension Determinant: CurvatureMap {
    /// ∂²det/∂X_ab∂X_cd = det·(V_ba V_dc − V_bc V_da), V = X⁻¹.
    public func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian {
        let n = Int(Double(x.count).squareRoot())
        let m = Matrix(unchecked: n, n, x)
        let d = try m.determinant(), v = try m.inverse()
        var h = Matrix(rows: n * n, columns: n * n)
        for a in 0..<n { for b in 0..<n { for c in 0..<n { for e in 0..<n {
            h[a * n + b, c * n + e] = λ[0] * d * (v[b, a] * v[e, c] - v[b, c] * v[e, a])
        } } } }
        return .dense(h)
    }
}

extension LogDeterminant: CurvatureMap {
    /// ∂²(log det)/∂X_ab∂X_cd = −V_bc V_da, V = X⁻¹.
    public func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian {
        _ = try evaluate(at: x)
        let n = Int(Double(x.count).squareRoot())
        let v = try Matrix(unchecked: n, n, x).inverse()
        var h = Matrix(rows: n * n, columns: n * n)
        for a in 0..<n { for b in 0..<n { for c in 0..<n { for e in 0..<n {
            h[a * n + b, c * n + e] = -λ[0] * v[b, c] * v[e, a]
        } } } }
        return .dense(h)
    }
}
