import ComplexModule
import RealModule

/// A complex number of Doubles (swift-numerics).
public typealias ComplexDouble = Complex<Double>

/// A map that is real-analytic and can be evaluated on complex inputs, so the complex step applies:
/// f(x + ih·e_j) = f(x) + ih·∂f/∂x_j + O(h²), hence ∂f/∂x_j = Im f(x + ih·e_j)/h with no subtraction.
public protocol ComplexEvaluable: Sendable {
    /// f at complex z (the same formula as `value(at:)`, with complex arithmetic); nil-free, may throw.
    func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble]
    /// Whether this instance is analytic (false for relu and leaky-relu).
    var supportsComplexStep: Bool { get }
}

extension ComplexEvaluable {
    public var supportsComplexStep: Bool { true }
}

/// The complex-step derivative, column by column.
enum ComplexStep {
    /// The map's complex form, or the one-sentence error for a map the complex step cannot take.
    static func evaluable(_ map: any VectorMap) throws -> ComplexEvaluable {
        guard let analytic = map as? ComplexEvaluable, analytic.supportsComplexStep else {
            throw JacobianError.invalidArgument(
                "The complex step needs a real-analytic map that conforms to ComplexEvaluable, and \(map.name) "
                    + "does not (relu and leaky-relu have kinks); use central differences or Richardson instead.")
        }
        return analytic
    }

    /// Column k of J, Im f(x + ih·e_k)/h, with `base` the point x as complex numbers, and the step h.
    static func column(_ analytic: ComplexEvaluable, of map: any VectorMap, at base: [ComplexDouble], _ k: Int,
                       step: StepRule) throws -> (values: [Double], h: Double) {
        let h = step.step(at: base[k].real, method: .complexStep)
        var z = base
        z[k] = ComplexDouble(base[k].real, h)
        let y = try analytic.complexValue(at: z)
        try map.checkValueCount(y.count)
        return (y.map { $0.imaginary / h }, h)
    }

    /// Jᵀ by the complex step (n complex evaluations), or a one-sentence error for maps it cannot take.
    static func transposedJacobian(of map: any VectorMap, at x: [Double],
                                   step: StepRule) throws -> FiniteDifferenceResult {
        let analytic = try evaluable(map)
        let n = x.count, m = map.outputShape.count
        let base = x.map { ComplexDouble($0, 0) }
        let r = try ColumnDriver.run(n: n, m: m, x: x, extras: 0) { k, _, write in
            let c = try column(analytic, of: map, at: base, k, step: step)
            write(0, c.values)
            return c.h
        }
        return FiniteDifferenceResult(transposed: r.main, steps: r.steps, evaluations: n, errorEstimate: nil,
                                      left: nil, right: nil)
    }
}

extension Pipeline: ComplexEvaluable {
    public var supportsComplexStep: Bool {
        stages.allSatisfy { ($0 as? ComplexEvaluable)?.supportsComplexStep ?? false }
    }

    public func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        var v = z
        for s in stages {
            guard let c = s as? ComplexEvaluable else {
                throw JacobianError.invalidArgument("\(s.name) cannot be evaluated on complex numbers")
            }
            v = try c.complexValue(at: v)
        }
        return v
    }
}
