import Foundation

/// Each node's structured Jacobian with respect to one of its arguments (numerator layout, row-major vec).
extension ComputationGraph {
    /// ∂(node k)/∂(its argument at position p), given every node's value.
    func localJacobian(_ k: Int, argument p: Int, values: [[Double]]) throws -> Jacobian {
        let n = nodes[k]
        let a = n.arguments.map { values[$0] }
        let out = n.shape.count, own = nodes[n.arguments[p]].shape
        switch n.operation {
        case .variable, .number:
            preconditionFailure("a leaf has no arguments")
        case .negate:
            return .diagonal([Double](repeating: -1, count: out))
        case .transpose:
            // Output (i, j) of the c×r result is input (j, i) of the r×c argument.
            let r = own.rows, c = own.columns
            if r == 1 || c == 1 { return .identity(out) }
            return .selection(source: (0..<out).map { ($0 % r) * c + $0 / r },
                              scale: [Double](repeating: 1, count: out), columns: out)
        case let .elementwise(op):
            let other = a[1 - p]
            let x = a[0], y = a[1]
            let sx = x.count == 1 && out > 1, sy = y.count == 1 && out > 1
            var d = [Double](repeating: 0, count: out)
            for i in 0..<out {
                let xi = x[sx ? 0 : i], yi = y[sy ? 0 : i]
                switch (op, p) {
                case (.add, _): d[i] = 1
                case (.subtract, 0): d[i] = 1
                case (.subtract, _): d[i] = -1
                case (.multiply, _), (.hadamard, _): d[i] = other[other.count == 1 ? 0 : i]
                case (.divide, 0), (.elementwiseDivide, 0): d[i] = 1 / yi
                case (.divide, _), (.elementwiseDivide, _): d[i] = -xi / (yi * yi)
                case (.power, _): preconditionFailure("^ is a power node")
                }
            }
            if own.count == 1 && out > 1 { return .dense(Matrix(unchecked: out, 1, d)) }
            if op == .add || (op == .subtract && p == 0) { return .identity(out) }
            return .diagonal(d)
        case .matmul:
            let sa = nodes[n.arguments[0]].shape, sb = nodes[n.arguments[1]].shape
            if p == 0 {
                // ∂(A·B)/∂A = I_r ⊗ Bᵀ; for a row a (1×k) it is Bᵀ itself.
                let bt = Matrix(unchecked: sb.rows, sb.columns, a[1]).transposed()
                return sa.rows == 1 ? .dense(bt) : .kronecker(.identity(sa.rows), .matrix(bt))
            }
            // ∂(A·B)/∂B = A ⊗ I_c; for a column b (k×1) it is A itself.
            let am = Matrix(unchecked: sa.rows, sa.columns, a[0])
            return sb.columns == 1 ? .dense(am) : .kronecker(.matrix(am), .identity(sb.columns))
        case let .power(k):
            return .diagonal(a[0].map { k * Foundation.pow($0, k - 1) })
        case let .concat(lengths):
            let sources = concatSources(rowLengths: lengths, shapes: n.arguments.map { nodes[$0].shape }, into: n.shape)
            let argument = n.arguments[p]
            // Every position holding this argument (an argument may appear twice: [x; x]).
            let positions = n.arguments.indices.filter { n.arguments[$0] == argument }
            guard positions.first == p else { return .zero(rows: out, columns: own.count) }
            if positions.count > 1 {
                var m = Matrix(rows: out, columns: own.count)
                for (o, (arg, e)) in sources.enumerated() where positions.contains(arg) { m[o, e] += 1 }
                return .dense(m)
            }
            let source = sources.map { $0.0 == p ? $0.1 : -1 }
            return .selection(source: source, scale: source.map { $0 >= 0 ? 1 : 0 }, columns: own.count)
        case let .function(f):
            return .dense(Matrix(unchecked: 1, own.count, Self.lossGradient(f, a, argument: p)))
        case let .stage(m):
            return try maps[m].checkedEvaluate(at: a[0]).jacobian
        }
    }

    /// The gradient row of sum, mean or a loss with respect to argument p.
    static func lossGradient(_ f: ExpressionFunction, _ a: [[Double]], argument p: Int) -> [Double] {
        let x = a[0]
        switch (f, p) {
        case (.sum, _): return [Double](repeating: 1, count: x.count)
        case (.mean, _): return [Double](repeating: 1 / Double(x.count), count: x.count)
        case (.mse, 0): return x.indices.map { x[$0] - a[1][$0] }
        case (.mse, _): return x.indices.map { a[1][$0] - x[$0] }
        case (.cross_entropy, 0): return x.indices.map { -a[1][$0] / x[$0] }
        case (.cross_entropy, _): return x.map { -Foundation.log($0) }
        case (.binary_cross_entropy, 0):
            return x.indices.map { -a[1][$0] / x[$0] + (1 - a[1][$0]) / (1 - x[$0]) }
        case (.binary_cross_entropy, _): return x.map { Foundation.log(1 - $0) - Foundation.log($0) }
        case (.softmax_ce, 0):
            let lse = Double.logSumExp(x), total = a[1].reduce(0, +)
            return x.indices.map { Foundation.exp(x[$0] - lse) * total - a[1][$0] }
        case (.softmax_ce, _):
            let lse = Double.logSumExp(x)
            return x.map { lse - $0 }
        case (.hinge, 0):
            let c = hingeClass(a[1])
            var row = [Double](repeating: 0, count: x.count)
            for j in x.indices where j != c && x[j] - x[c] + 1 > 0 {
                row[j] = 1
                row[c] -= 1
            }
            return row
        case (.hinge, _): return [Double](repeating: 0, count: x.count)
        default: preconditionFailure("\(f.rawValue) is a built-in map stage")
        }
    }
}
