import Foundation
import JacobianKit
import Testing

/// f(x) = (x₀·x₁, sin x₀, x₁²), R² → R³, with its 3×2 Jacobian.
private func product(_ x: [Double]) throws -> (value: [Double], jacobian: Matrix) {
    ([x[0] * x[1], sin(x[0]), x[1] * x[1]], try Matrix([[x[1], x[0]], [cos(x[0]), 0], [0, 2 * x[1]]]))
}

@Suite("A user's own map")
struct UserMapTests {
    @Test("a closure map with a correct Jacobian passes; the report's text ends in PASS")
    func closurePasses() throws {
        let f = ClosureMap(name: "product", input: .vector(2), output: .vector(3)) { try product($0) }
        let report = try GradientCheck().run(f, at: [0.3, -1.2])
        #expect(report.passed)
        #expect(report.text().hasSuffix("PASS"))
        #expect(report.text().contains("check product: R^2 → R^3"))
    }

    @Test("a wrong entry fails and the report names it in the map's coordinates")
    func closureWrongEntry() throws {
        let f = ClosureMap(name: "product", input: .vector(2), output: .vector(3)) { x in
            var (y, j) = try product(x)
            j[1, 0] = -cos(x[0])
            return (y, j)
        }
        let report = try GradientCheck().run(f, at: [0.3, -1.2])
        #expect(!report.passed)
        #expect(report.worst?.output == 1 && report.worst?.input == 0)
        #expect(report.text().contains("at ∂y_1/∂x_0"))
    }

    @Test("a value with the wrong count throws instead of trapping")
    func wrongValueCount() throws {
        let f = ClosureMap(name: "short", input: .vector(2), output: .vector(3)) { x in
            (Array(try product(x).value.prefix(2)), try product(x).jacobian)
        }
        let error = #expect(throws: JacobianError.self) { try GradientCheck().run(f, at: [0.3, -1.2]) }
        #expect(error?.localizedDescription.contains("returned 2 numbers as its value") == true)
        #expect(error?.localizedDescription.contains("--") == false)
    }

    @Test("a Jacobian of the transposed shape throws and asks 'did you return Jᵀ?'")
    func transposedShape() throws {
        let f = ClosureMap(name: "flipped", input: .vector(2), output: .vector(3)) { x in
            let (y, j) = try product(x)
            return (y, j.transposed())
        }
        let error = #expect(throws: JacobianError.self) { try GradientCheck().run(f, at: [0.3, -1.2]) }
        #expect(error?.description.contains("gave a 2×3 Jacobian") == true)
        #expect(error?.description.contains("did you return Jᵀ?") == true)
    }

    @Test("a square Jacobian given transposed fails, and the report says its transpose passes",
          arguments: [Layout.numerator, .denominator])
    func transposedSquare(layout: Layout) throws {
        let a = try Matrix([[1, 2, 0], [-3, 0.5, 4], [0, 7, -1]])
        let f = ClosureMap(name: "linear-slip", input: .vector(3), output: .vector(3)) { x in
            (a.multiplied(by: x), a.transposed())
        }
        let report = try GradientCheck(layout: layout).run(f, at: [0.1, 0.2, 0.3])
        #expect(!report.passed)
        #expect(report.transposeHint?.hasPrefix("did you return Jᵀ?") == true)
        #expect(report.text().contains("did you return Jᵀ?"))
    }

    @Test("a pipeline of user maps whose shapes do not chain throws instead of handing a stage the wrong length")
    func pipelineShapes() throws {
        let f = ClosureMap(name: "f", input: .vector(2), output: .vector(3)) { try product($0) }
        let g = ClosureMap(name: "g", input: .vector(2), output: .vector(1)) { x in
            ([x[0] + x[1]], try Matrix([[1, 1]]))
        }
        let error = #expect(throws: JacobianError.self) { try Pipeline(checking: [f, g]) }
        #expect(error?.description.contains("g takes R^2 but f before it gives R^3") == true)
        #expect(throws: JacobianError.self) { try Pipeline(checking: []) }
        let unchecked = Pipeline([f, g])
        let trapFree = #expect(throws: JacobianError.self) { try GradientCheck().run(unchecked, at: [0.3, -1.2]) }
        #expect(trapFree?.description.contains("g takes 2 numbers, but the stage before it gave 3") == true)
    }

    @Test("a failing check whose transpose also fails gives no Jᵀ hint")
    func noFalseTransposeHint() throws {
        let f = ClosureMap(name: "wrong", input: .vector(2), output: .vector(2)) { x in
            ([x[0] * x[0], x[1]], try Matrix([[x[0], 0], [0, 1]]))
        }
        let report = try GradientCheck().run(f, at: [0.7, 0.2])
        #expect(!report.passed)
        #expect(report.transposeHint == nil)
    }
}
