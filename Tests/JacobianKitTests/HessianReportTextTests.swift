import JacobianKit
import Testing

/// y = Σ xᵢ³/3, whose Hessian is diag(2x), with a planted curvature diag(x): half the true second derivatives.
struct HalfCurvatureCube: CurvatureMap {
    var name: String { "half-curvature-cube" }
    var inputShape: Shape { .vector(3) }
    var outputShape: Shape { .vector(1) }
    var formula: String { "[x₁², x₂², x₃²]" }
    func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        ([x.reduce(0) { $0 + $1 * $1 * $1 / 3 }], .dense(try Matrix(rows: 1, columns: 3, elements: x.map { $0 * $0 })))
    }
    func curvature(at x: [Double], adjoint λ: [Double]) throws -> Jacobian { .diagonal(x.map { λ[0] * $0 }) }
}

/// The Hessian report's text, the one `jacobian hessian` and `jacobian check --order 2` print.
@Suite("Hessian report text")
struct HessianReportTextTests {
    @Test("a planted wrong Hessian fails, and the text names the worst entry and counts the mismatches")
    func plantedWrongHessian() throws {
        let map = HalfCurvatureCube(), x = [1.0, -2.0, 3.0]
        let r = try HessianCheck.run(map, at: x)
        #expect(!r.passed && r.mismatches == 3 && r.total == 9)
        let lines = r.textLines(for: map, pointNote: "given")
        #expect(lines.first == "hessian half-curvature-cube: R^3 → R; H[i][j] = ∂²y/∂x_i∂x_j is symmetric, "
                + "so both layouts write the same matrix")
        #expect(lines.contains("x = [1, -2, 3]  (given)"))
        #expect(lines.contains("H (3×3, diagonal):"))
        #expect(lines.contains { $0.hasPrefix("max |Δ| = 3 at ∂²y/∂x_2∂x_2 (row 2, column 2): analytic 3, ") })
        #expect(lines.contains("mismatched entries: 3 / 9 (an entry passes when |Δ| ≤ 1e-06 + 1e-05·|fd|)"))
        #expect(lines.last == "FAIL")
        #expect(r.text(for: map, pointNote: "given") == lines.joined(separator: "\n"))
    }

    @Test("the true Hessian of a pipeline passes, with its Gauss–Newton terms and the map's constants")
    func passingChain() throws {
        let map = try Catalog.build("tanh | softmax-cross-entropy", shape: .vector(3), options: MapOptions())
        let r = try HessianCheck.run(map, at: [0.3, -0.1, 0.7])
        let lines = r.textLines(for: map)
        #expect(lines.last == "PASS")
        #expect(lines.contains("Gauss–Newton split: H is the sum of 2 terms, one per node with curvature:"))
        #expect(lines.contains { $0.hasPrefix("2.y = ") }, "\(lines)")
        #expect(lines.contains("x = [0.3, -0.1, 0.7]"))
    }
}
