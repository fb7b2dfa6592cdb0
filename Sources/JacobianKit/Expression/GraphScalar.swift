import ComplexModule
import RealModule

/// The numbers a graph can be evaluated in: `Double`, and `Complex<Double>` for the complex step.
///
/// Every operation of the graph is written once, generic over this protocol, so the complex-step
/// reference can never drift from the real forward pass.
protocol GraphScalar: AlgebraicField, ElementaryFunctions, Sendable {
    /// The number `d`.
    init(constant d: Double)
    /// The real part (the number itself for Double).
    var realPart: Double { get }
    /// `map` applied to `x` (its real or complex forward).
    static func applying(_ map: any VectorMap, to x: [Self]) throws -> [Self]
    /// The r×c product of row-major a (r×k) and b (k×c).
    static func product(_ a: [Self], _ b: [Self], rows: Int, inner: Int, columns: Int) -> [Self]
}

extension Double: GraphScalar {
    init(constant d: Double) { self = d }
    var realPart: Double { self }

    static func applying(_ map: any VectorMap, to x: [Double]) throws -> [Double] { try map.checkedValue(at: x) }

    static func product(_ a: [Double], _ b: [Double], rows: Int, inner: Int, columns: Int) -> [Double] {
        BLAS.gemm(Matrix(unchecked: rows, inner, a), Matrix(unchecked: inner, columns, b)).elements
    }
}

extension Complex<Double>: GraphScalar {
    init(constant d: Double) { self.init(d, 0) }
    var realPart: Double { real }

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
}
