// Checks two maps of its own with JacobianKit: a one-off closure, and a type with complex-step support.
// Run: swift run --package-path examples/swift   (exit status 1 if a check fails)
import Foundation
import JacobianKit

// 1. A one-off map from a closure: f(x) = (x₀·x₁, sin x₀), R² → R², with its 2×2 numerator Jacobian.
let product = ClosureMap(name: "product-sine", input: .vector(2), output: .vector(2)) { x in
    let value = [x[0] * x[1], sin(x[0])]
    let jacobian = try Matrix([[x[1], x[0]],
                               [cos(x[0]), 0]])
    return (value, jacobian)
}
let first = try GradientCheck().run(product, at: [0.3, -1.2])
print(first.text())

// 2. A map type: softplus(x) = log(1 + eˣ) elementwise, Jacobian diag(σ(x)). Conforming to ComplexEvaluable
//    (the same formula on complex numbers) lets the checker use the complex step, exact to rounding.
struct Softplus: VectorMap, ComplexEvaluable {
    let n: Int
    var name: String { "softplus" }
    var inputShape: Shape { .vector(n) }
    var outputShape: Shape { .vector(n) }
    var formula: String { "diag(σ(x))" }

    func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        (x.map { log(1 + exp($0)) }, .diagonal(x.map { 1 / (1 + exp(-$0)) }))
    }

    func complexValue(at z: [ComplexDouble]) throws -> [ComplexDouble] {
        z.map { .log(1 + .exp($0)) }
    }
}
let second = try GradientCheck(layout: .denominator, method: .complexStep).run(Softplus(n: 4), at: [-2, -0.5, 0.5, 2])
print(second.text())

exit(first.passed && second.passed ? 0 : 1)
