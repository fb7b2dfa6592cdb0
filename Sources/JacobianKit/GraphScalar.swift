import Foundation
import ComplexModule
import RealModule

/// The numbers a map or a graph is evaluated in: `Double`, and `Complex<Double>` for the complex step.
///
/// Every built-in map's value and every graph operation is written once, generic over this protocol, so the
/// complex-step reference can never drift from the real forward pass. The few operations that differ by
/// scalar (BLAS and LAPACK for Double, small loops for Complex) live here, and nowhere else.
protocol GraphScalar: AlgebraicField, ElementaryFunctions, Sendable {
    /// The number `d`.
    init(constant d: Double)
    /// The real part (the number itself for Double).
    var realPart: Double { get }
    /// tanh, accurate in the imaginary part too where |Re z| is large (the complex step's derivative lives there).
    static func hyperbolicTangent(_ z: Self) -> Self
    /// `map` applied to `x` (its real or complex forward).
    static func applying(_ map: any VectorMap, to x: [Self]) throws -> [Self]
    /// The r×c product of row-major a (r×k) and b (k×c).
    static func product(_ a: [Self], _ b: [Self], rows: Int, inner: Int, columns: Int) -> [Self]
    /// W·x for a row-major m×n W and n numbers x: m numbers.
    static func matrixVector(_ w: [Self], _ x: [Self], rows: Int, columns: Int) -> [Self]
    /// xᵀ·W for m numbers x and a row-major m×n W: n numbers.
    static func vectorMatrix(_ x: [Self], _ w: [Self], rows: Int, columns: Int) -> [Self]
    /// The inverse of a row-major n×n matrix; a singular one is an error.
    static func inverse(_ a: [Self], n: Int) throws -> [Self]
    /// The determinant of a row-major n×n matrix (0 where it is singular).
    static func determinant(_ a: [Self], n: Int) throws -> Self
    /// log det of a row-major n×n matrix with det > 0, summed over the LU pivots so it cannot overflow;
    /// an error where det ≤ 0.
    static func logDeterminant(_ a: [Self], n: Int) throws -> Self
}

extension GraphScalar {
    /// log Σ exp(z) with the largest real part taken out first, so nothing overflows.
    static func logSumExp(_ z: [Self]) -> Self {
        let m = Self(constant: z.map(\.realPart).max() ?? 0)
        return m + Self.log(z.reduce(Self.zero) { $0 + Self.exp($1 - m) })
    }

    /// Whether any number is not finite (a NaN or an infinite real or imaginary part).
    static func isFinite(_ z: [Self]) -> Bool { z.allSatisfy { $0.realPart.isFinite } }
}

extension Double: GraphScalar {
    init(constant d: Double) { self = d }
    var realPart: Double { self }
    static func hyperbolicTangent(_ z: Double) -> Double { Foundation.tanh(z) }

    static func applying(_ map: any VectorMap, to x: [Double]) throws -> [Double] { try map.checkedValue(at: x) }

    static func product(_ a: [Double], _ b: [Double], rows: Int, inner: Int, columns: Int) -> [Double] {
        BLAS.gemm(Matrix(unchecked: rows, inner, a), Matrix(unchecked: inner, columns, b)).elements
    }

    static func matrixVector(_ w: [Double], _ x: [Double], rows: Int, columns: Int) -> [Double] {
        BLAS.gemv(Matrix(unchecked: rows, columns, w), x)
    }

    static func vectorMatrix(_ x: [Double], _ w: [Double], rows: Int, columns: Int) -> [Double] {
        BLAS.gemv(Matrix(unchecked: rows, columns, w), x, transpose: true)
    }

    static func inverse(_ a: [Double], n: Int) throws -> [Double] {
        try BLAS.inverse(Matrix(unchecked: n, n, a)).elements
    }

    static func determinant(_ a: [Double], n: Int) throws -> Double {
        try BLAS.determinant(Matrix(unchecked: n, n, a))
    }

    static func logDeterminant(_ a: [Double], n: Int) throws -> Double {
        let (sign, logAbs) = try BLAS.logAbsDeterminant(Matrix(unchecked: n, n, a))
        guard sign > 0 else {
            throw JacobianError.outsideDomain("logdet needs det X > 0, but det X " + (sign == 0 ? "= 0" : "< 0"))
        }
        return logAbs
    }
}

extension Complex<Double>: GraphScalar {
    init(constant d: Double) { self.init(d, 0) }
    var realPart: Double { real }

    /// tanh(x + iy) = (sinh 2x + i·sin 2y)/(cosh 2x + cos 2y), written with e = e^−2|x| so nothing overflows:
    /// (±(1 − e²) + i·2e·sin 2y)/(1 + e² + 2e·cos 2y). swift-numerics' tanh loses the imaginary part of
    /// tanh(14 + i·1e-20) to 1e-4 relative; this keeps it to rounding.
    static func hyperbolicTangent(_ z: Complex<Double>) -> Complex<Double> {
        let x = z.real, y = z.imaginary
        guard abs(x) > 1 else { return Complex.tanh(z) }
        let e = Foundation.exp(-2 * abs(x))
        let denominator = 1 + e * e + 2 * e * Foundation.cos(2 * y)
        let real = (1 - e * e) / denominator
        return Complex(x < 0 ? -real : real, 2 * e * Foundation.sin(2 * y) / denominator)
    }

    static func applying(_ map: any VectorMap, to x: [Complex<Double>]) throws -> [Complex<Double>] {
        guard let c = map as? ComplexEvaluable, c.supportsComplexStep else {
            throw JacobianError.invalidArgument("\(map.name) is not real-analytic, so the complex step does not apply")
        }
        return try c.complexValue(at: x)
    }

    static func product(_ a: [Complex<Double>], _ b: [Complex<Double>], rows: Int, inner: Int,
                        columns: Int) -> [Complex<Double>] {
        var out = [Complex<Double>](repeating: .zero, count: rows * columns)
        for i in 0..<rows {
            for l in 0..<inner {
                let ail = a[i * inner + l]
                for j in 0..<columns { out[i * columns + j] = out[i * columns + j] + ail * b[l * columns + j] }
            }
        }
        return out
    }

    static func matrixVector(_ w: [Complex<Double>], _ x: [Complex<Double>], rows: Int,
                             columns: Int) -> [Complex<Double>] {
        product(w, x, rows: rows, inner: columns, columns: 1)
    }

    static func vectorMatrix(_ x: [Complex<Double>], _ w: [Complex<Double>], rows: Int,
                             columns: Int) -> [Complex<Double>] {
        product(x, w, rows: 1, inner: rows, columns: columns)
    }

    static func inverse(_ a: [Complex<Double>], n: Int) throws -> [Complex<Double>] {
        try ComplexLU(a, n: n).inverse()
    }

    static func determinant(_ a: [Complex<Double>], n: Int) throws -> Complex<Double> {
        ComplexLU(a, n: n).determinant
    }

    static func logDeterminant(_ a: [Complex<Double>], n: Int) throws -> Complex<Double> {
        try ComplexLU(a, n: n).logDeterminant()
    }
}
