import ComplexModule
import RealModule

/// Complex evaluations of the layers and matrix maps (row-major vec throughout), for the complex step.
extension LinearMap: ComplexEvaluable {
    public func complexValue(at v: [ComplexDouble]) throws -> [ComplexDouble] {
        let m = layer.weights.rows, n = layer.weights.columns
        let w = variable == .W ? v : layer.weights.elements.map { ComplexDouble($0, 0) }
        let input = variable == .x ? v : x.map { ComplexDouble($0, 0) }
        let b = variable == .b ? v : layer.bias.map { ComplexDouble($0, 0) }
        return (0..<m).map { i in (0..<n).reduce(b[i]) { $0 + w[i * n + $1] * input[$1] } }
    }
}

extension LinearRowMap: ComplexEvaluable {
    public func complexValue(at v: [ComplexDouble]) throws -> [ComplexDouble] {
        let p = weights.rows, q = weights.columns
        let w = variable == .W ? v : weights.elements.map { ComplexDouble($0, 0) }
        let input = variable == .x ? v : x.map { ComplexDouble($0, 0) }
        let b = variable == .b ? v : bias.map { ComplexDouble($0, 0) }
        return (0..<q).map { j in (0..<p).reduce(b[j]) { $0 + input[$1] * w[$1 * q + j] } }
    }
}

extension PrependOne: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] { [.one] + z }
}

extension Transpose: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        guard case let .matrix(r, c) = inputShape else { return z }
        return (0..<(r * c)).map { k in z[(k % r) * c + k / r] }
    }
}

extension Trace: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        let n = Int(Double(z.count).squareRoot())
        return [(0..<n).reduce(ComplexDouble.zero) { $0 + z[$1 * n + $1] }]
    }
}

extension Hadamard: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        zip(a, z).map { ComplexDouble($0, 0) * $1 }
    }
}

extension MatrixProduct: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        let r = a.rows, c = b.rows
        let az = ComplexMatrix.product(a.elements.map { ComplexDouble($0, 0) }, z, r, r, c)
        return ComplexMatrix.product(az, b.elements.map { ComplexDouble($0, 0) }, r, c, c)
    }
}

extension Bilinear: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        let q = b.count
        var f = ComplexDouble.zero
        for i in a.indices {
            var s = ComplexDouble.zero
            for j in 0..<q { s = s + z[i * q + j] * ComplexDouble(b[j], 0) }
            f = f + ComplexDouble(a[i], 0) * (exponential ? .exp(s) : s)
        }
        return [f]
    }
}

extension Inverse: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        try ComplexMatrix.inverse(z, Int(Double(z.count).squareRoot()))
    }
}

extension Determinant: ComplexEvaluable {
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        [ComplexMatrix.determinant(z, Int(Double(z.count).squareRoot()))]
    }
}

extension LogDeterminant: ComplexEvaluable {
    /// Σ log(sᵢ·Uᵢᵢ) over the LU pivots, sᵢ = sign(Re Uᵢᵢ): no overflow where det itself would (150×150), and
    /// each log taken near the positive real axis, so its imaginary part is the derivative's, free of ±π.
    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        let n = Int(Double(z.count).squareRoot())
        let f = ComplexMatrix.lu(z, n)
        guard !f.singular else { throw JacobianError.outsideDomain("logdet needs det X > 0, but det X = 0") }
        var sign = f.swaps % 2 == 0 ? 1.0 : -1.0
        var sum = ComplexDouble.zero
        for i in 0..<n {
            let u = f.lu[i * n + i]
            let s = u.real < 0 ? -1.0 : 1.0
            sign *= s
            sum = sum + .log(ComplexDouble(s * u.real, s * u.imaginary))
        }
        guard sign > 0 else { throw JacobianError.outsideDomain("logdet needs det X > 0, but det X < 0") }
        return [sum]
    }
}

/// Small dense complex linear algebra (row-major), enough for the complex step of the matrix maps.
enum ComplexMatrix {
    /// (p×q)·(q×r).
    static func product(_ a: [ComplexDouble], _ b: [ComplexDouble], _ p: Int, _ q: Int, _ r: Int) -> [ComplexDouble] {
        var c = [ComplexDouble](repeating: .zero, count: p * r)
        for i in 0..<p { for k in 0..<q { let aik = a[i * q + k]; for j in 0..<r { c[i * r + j] = c[i * r + j] + aik * b[k * r + j] } } }
        return c
    }

    /// LU with partial pivoting by magnitude: the factors in place, and the row-swap parity.
    static func lu(_ z: [ComplexDouble], _ n: Int) -> (lu: [ComplexDouble], pivots: [Int], swaps: Int, singular: Bool) {
        var a = z, pivots = Array(0..<n), swaps = 0
        for col in 0..<n {
            var best = col
            for r in (col + 1)..<max(n, col + 1) where a[r * n + col].length > a[best * n + col].length { best = r }
            if a[best * n + col] == .zero { return (a, pivots, swaps, true) }
            if best != col {
                for j in 0..<n { a.swapAt(col * n + j, best * n + j) }
                pivots.swapAt(col, best)
                swaps += 1
            }
            for r in (col + 1)..<max(n, col + 1) {
                let factor = a[r * n + col] / a[col * n + col]
                a[r * n + col] = factor
                for j in (col + 1)..<max(n, col + 1) { a[r * n + j] = a[r * n + j] - factor * a[col * n + j] }
            }
        }
        return (a, pivots, swaps, false)
    }

    /// det = ∏ U_ii with the sign of the swaps.
    static func determinant(_ z: [ComplexDouble], _ n: Int) -> ComplexDouble {
        let f = lu(z, n)
        if f.singular { return .zero }
        let d = (0..<n).reduce(ComplexDouble.one) { $0 * f.lu[$1 * n + $1] }
        return f.swaps % 2 == 0 ? d : -d
    }

    /// The inverse by solving A·X = I with the LU factors.
    static func inverse(_ z: [ComplexDouble], _ n: Int) throws -> [ComplexDouble] {
        let f = lu(z, n)
        if f.singular { throw JacobianError.singular(pivot: 0) }
        var x = [ComplexDouble](repeating: .zero, count: n * n)
        for c in 0..<n {
            // P·A = L·U: solve L·y = P·e_c, then U·x = y.
            var y = (0..<n).map { f.pivots[$0] == c ? ComplexDouble.one : .zero }
            for i in 0..<n { for k in 0..<i { y[i] = y[i] - f.lu[i * n + k] * y[k] } }
            for i in stride(from: n - 1, through: 0, by: -1) {
                for k in (i + 1)..<max(n, i + 1) { y[i] = y[i] - f.lu[i * n + k] * y[k] }
                y[i] = y[i] / f.lu[i * n + i]
            }
            for i in 0..<n { x[i * n + c] = y[i] }
        }
        return x
    }
}

extension UnrolledRNN: ComplexEvaluable {
    public func complexValue(at theta: [ComplexDouble]) throws -> [ComplexDouble] {
        let (d, h, k) = (inputSize, hidden, classes)
        var at = 0
        func take(_ n: Int) -> [ComplexDouble] { defer { at += n }; return Array(theta[at..<(at + n)]) }
        let wxh = take(d * h), whh = take(h * h), b = take(h), v = take(h * k), c = take(k)
        var state = initialState.map { ComplexDouble($0, 0) }
        var loss = ComplexDouble.zero
        for t in 0..<steps {
            let x = (0..<d).map { ComplexDouble(inputs[t * d + $0], 0) }
            // Row convention: aⱼ = Σᵢ xᵢ·W_xh[i][j] + Σᵢ hᵢ·W_hh[i][j] + bⱼ.
            let a = (0..<h).map { j in
                (0..<d).reduce(b[j]) { $0 + x[$1] * wxh[$1 * h + j] } + (0..<h).reduce(ComplexDouble.zero) { $0 + state[$1] * whh[$1 * h + j] }
            }
            state = a.map { .tanh($0) }
            let z = (0..<k).map { j in (0..<h).reduce(c[j]) { $0 + state[$1] * v[$1 * k + j] } }
            loss = loss + complexLogSumExp(z) - z[labels[t]]
        }
        return [loss]
    }
}

extension LSTMCell: ComplexEvaluable {
    public func complexValue(at theta: [ComplexDouble]) throws -> [ComplexDouble] {
        let (d, h) = (inputSize, hidden), n = d + h
        let u = Array(theta[0..<n]), cPrev = Array(theta[n..<(n + h)])
        var at = n + h
        var act: [[ComplexDouble]] = []
        for k in 0..<4 {
            let w = Array(theta[at..<(at + n * h)]), b = Array(theta[(at + n * h)..<(at + n * h + h)])
            at += n * h + h
            let pre = (0..<h).map { j in (0..<n).reduce(b[j]) { $0 + u[$1] * w[$1 * h + j] } }
            act.append(pre.map { k == 2 ? .tanh($0) : 1 / (1 + .exp(-$0)) })
        }
        let c = (0..<h).map { cPrev[$0] * act[0][$0] + act[1][$0] * act[2][$0] }
        return (0..<h).map { act[3][$0] * .tanh(c[$0]) } + c
    }
}

extension RNNStep: ComplexEvaluable {
    public func complexValue(at theta: [ComplexDouble]) throws -> [ComplexDouble] {
        let (d, h) = (inputSize, hidden)
        let x = Array(theta[0..<d]), state = Array(theta[d..<(d + h)])
        let wxh = Array(theta[(d + h)..<(d + h + d * h)]), whh = Array(theta[(d + h + d * h)..<(d + h + d * h + h * h)])
        let b = Array(theta[(d + h + d * h + h * h)...])
        return (0..<h).map { j in
            .tanh((0..<d).reduce(b[j]) { $0 + x[$1] * wxh[$1 * h + j] } + (0..<h).reduce(ComplexDouble.zero) { $0 + state[$1] * whh[$1 * h + j] })
        }
    }
}
