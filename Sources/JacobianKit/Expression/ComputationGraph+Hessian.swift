import Foundation

/// Second derivatives over the graph, for a scalar output: H = Σ_v T_vᵀ·C_v·T_v, where T_v stacks the
/// Jacobians of node v's arguments with respect to the inputs (forward tangents) and C_v = λ_vᵀ∇²φ_v is node
/// v's own curvature weighted by its adjoint λ_v = ∂y/∂v (reverse). At the loss node this is the Gauss–Newton
/// term Jᵀ·H_loss·J; everywhere else it is the Σₖ gₖ·∇²fₖ correction.
extension ComputationGraph {
    /// The Hessian, the gradient, and the term each node with curvature contributes.
    struct HessianResult: Sendable {
        let value: Double
        /// ∂y/∂x over the inputs' vecs, n numbers.
        let gradient: [Double]
        /// n×n, symmetric.
        let hessian: Matrix
        /// (node, its term T_vᵀ·C_v·T_v), in graph order; they add up to `hessian`.
        let terms: [(node: Int, term: Matrix)]
    }

    func hessian(_ variables: [String: [Double]], inputs: [Int]) throws -> HessianResult {
        guard nodes[output].shape.count == 1 else {
            throw JacobianError.invalidArgument(
                "A Hessian needs a scalar map, but this one gives \(nodes[output].shape.count) numbers.")
        }
        let values = try self.values(variables)
        let depends = dependence(on: inputs)
        var local: [EdgeKey: Matrix] = [:]
        for k in nodes.indices where depends[k] {
            for (p, a) in nodes[k].arguments.enumerated() where depends[a] {
                local[EdgeKey(node: k, argument: p)] = try localJacobian(k, argument: p, values: values).matrix
            }
        }
        let n = inputs.reduce(0) { $0 + nodes[$1].shape.count }
        // Forward tangents T_v = ∂v/∂x (|v|×n).
        var tangent: [Int: Matrix] = [:]
        var offset = 0
        for u in inputs {
            var t = Matrix(rows: nodes[u].shape.count, columns: n)
            for i in 0..<nodes[u].shape.count { t[i, offset + i] = 1 }
            tangent[u] = tangent[u].map { Self.sum($0, t) } ?? t
            offset += nodes[u].shape.count
        }
        for v in nodes.indices where depends[v] && tangent[v] == nil {
            var t = Matrix(rows: nodes[v].shape.count, columns: n)
            for (p, a) in nodes[v].arguments.enumerated() {
                guard let j = local[EdgeKey(node: v, argument: p)], let ta = tangent[a] else { continue }
                t = Self.sum(t, BLAS.gemm(j, ta))
            }
            tangent[v] = t
        }
        // Reverse adjoints λ_v = ∂y/∂v.
        var adjoint: [Int: [Double]] = [output: [1]]
        for v in stride(from: output, through: 0, by: -1) {
            guard let lam = adjoint[v] else { continue }
            for (p, a) in nodes[v].arguments.enumerated() {
                guard let j = local[EdgeKey(node: v, argument: p)] else { continue }
                let g = j.leftMultiplied(by: lam)
                adjoint[a] = adjoint[a].map { zip($0, g).map(+) } ?? g
            }
        }
        var hessian = Matrix(rows: n, columns: n)
        var terms: [(node: Int, term: Matrix)] = []
        for v in nodes.indices where depends[v] {
            guard let lam = adjoint[v] else { continue }
            var term: Matrix?
            for (p, q, c) in try curvature(v, adjoint: lam, values: values) {
                guard let tp = tangent[nodes[v].arguments[p]], let tq = tangent[nodes[v].arguments[q]] else { continue }
                let piece = BLAS.gemm(tp, BLAS.gemm(c, tq), transposeA: true)
                term = term.map { Self.sum($0, piece) } ?? piece
            }
            if let term, term.maxAbs > 0 {
                terms.append((v, term))
                hessian = Self.sum(hessian, term)
            }
        }
        let gradient = inputs.flatMap { adjoint[$0] ?? [Double](repeating: 0, count: nodes[$0].shape.count) }
        return HessianResult(value: values[output][0], gradient: gradient, hessian: hessian, terms: terms)
    }

    static func sum(_ a: Matrix, _ b: Matrix) -> Matrix {
        var s = a
        for k in s.elements.indices { s.elements[k] += b.elements[k] }
        return s
    }

    /// The blocks (p, q, C_pq) of λᵀ∇²φ for node v over its argument positions; none for a linear node.
    private func curvature(_ v: Int, adjoint lam: [Double], values: [[Double]]) throws -> [(Int, Int, Matrix)] {
        let node = nodes[v]
        let a = node.arguments.map { values[$0] }
        let out = node.shape.count
        func diagonal(_ d: [Double]) -> Matrix { Matrix(diagonal: d) }
        switch node.operation {
        case .variable, .number, .negate, .transpose, .concat: return []
        case let .elementwise(op):
            let x = a[0], y = a[1]
            let sx = x.count == 1 && out > 1, sy = y.count == 1 && out > 1
            var cxy = Matrix(rows: x.count, columns: y.count), cyy = Matrix(rows: y.count, columns: y.count)
            for i in 0..<out {
                let ix = sx ? 0 : i, iy = sy ? 0 : i
                switch op {
                case .multiply, .hadamard: cxy[ix, iy] += lam[i]
                case .divide, .elementwiseDivide:
                    cxy[ix, iy] -= lam[i] / (y[iy] * y[iy])
                    cyy[iy, iy] += 2 * lam[i] * x[ix] / (y[iy] * y[iy] * y[iy])
                default: return []
                }
            }
            return [(0, 1, cxy), (1, 0, cxy.transposed()), (1, 1, cyy)]
        case .matmul:
            let sa = nodes[node.arguments[0]].shape, sb = nodes[node.arguments[1]].shape
            let (r, k, c) = (sa.rows, sa.columns, sb.columns)
            // ∂²(Σ Λᵢⱼ (AB)ᵢⱼ)/∂A_il ∂B_lj = Λᵢⱼ.
            var m = Matrix(rows: r * k, columns: k * c)
            for i in 0..<r { for l in 0..<k { for j in 0..<c { m[i * k + l, l * c + j] = lam[i * c + j] } } }
            return [(0, 1, m), (1, 0, m.transposed())]
        case let .power(e):
            return [(0, 0, diagonal(a[0].indices.map { lam[$0] * e * (e - 1) * Foundation.pow(a[0][$0], e - 2) }))]
        case let .stage(m):
            guard let map = maps[m] as? CurvatureMap else {
                throw JacobianError.invalidArgument("\(maps[m].name) has no second derivatives here, so no Hessian.")
            }
            return [(0, 0, try map.curvature(at: a[0], adjoint: lam).matrix)]
        case let .function(f):
            let p = a[0], t = a[1 < a.count ? 1 : 0], l = lam[0], n = p.count
            switch f {
            case .sum, .mean, .hinge: return []
            case .mse:
                let i = diagonal([Double](repeating: l, count: n)), mi = diagonal([Double](repeating: -l, count: n))
                return [(0, 0, i), (1, 1, i), (0, 1, mi), (1, 0, mi)]
            case .cross_entropy:
                let py = diagonal(p.map { -l / $0 })
                return [(0, 0, diagonal(p.indices.map { l * t[$0] / (p[$0] * p[$0]) })), (0, 1, py), (1, 0, py)]
            case .binary_cross_entropy:
                let pp = diagonal(p.indices.map {
                    l * (t[$0] / (p[$0] * p[$0]) + (1 - t[$0]) / ((1 - p[$0]) * (1 - p[$0])))
                })
                let pt = diagonal(p.map { -l * (1 / $0 + 1 / (1 - $0)) })
                return [(0, 0, pp), (0, 1, pt), (1, 0, pt)]
            case .softmax_ce:
                let q = Softmax.probabilities(p), s = t.reduce(0, +)
                var zz = Matrix(rows: n, columns: n), zy = Matrix(rows: n, columns: n)
                for i in 0..<n {
                    for j in 0..<n {
                        zz[i, j] = l * s * ((i == j ? q[i] : 0) - q[i] * q[j])
                        zy[i, j] = l * (q[i] - (i == j ? 1 : 0))
                    }
                }
                return [(0, 0, zz), (0, 1, zy), (1, 0, zy.transposed())]
            default: return []
            }
        }
    }
}
