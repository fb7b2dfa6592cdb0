import Foundation
import RealModule

/// The forward pass, written once for Double and for the complex step.
extension ComputationGraph {
    /// The value of every node, row-major, given each variable's value by name.
    func values<T: GraphScalar>(_ variables: [String: [T]]) throws -> [[T]] {
        var values: [[T]] = []
        values.reserveCapacity(nodes.count)
        for n in nodes {
            let v: [T]
            do {
                v = try value(of: n, arguments: n.arguments.map { values[$0] }, variables: variables)
            } catch let JacobianError.outsideDomain(reason) where !reason.hasPrefix("in '") {
                throw JacobianError.outsideDomain("in '\(n.label)': \(reason)")
            }
            values.append(v)
        }
        return values
    }

    private func value<T: GraphScalar>(of n: Node, arguments a: [[T]], variables: [String: [T]]) throws -> [T] {
        switch n.operation {
        case let .variable(name): return variables[name]!
        case let .number(v): return [T(constant: v)]
        case .negate: return a[0].map { -$0 }
        case .transpose:
            let s = nodes[n.arguments[0]].shape
            var out = a[0]
            for i in 0..<s.rows { for j in 0..<s.columns { out[j * s.rows + i] = a[0][i * s.columns + j] } }
            return out
        case let .elementwise(op):
            return try Self.elementwise(op, a[0], a[1], count: n.shape.count)
        case .matmul:
            let sa = nodes[n.arguments[0]].shape, sb = nodes[n.arguments[1]].shape
            return T.product(a[0], a[1], rows: sa.rows, inner: sa.columns, columns: sb.columns)
        case let .power(k):
            return try a[0].map { (x: T) throws -> T in try Self.power(x, k) }
        case let .concat(lengths):
            return concatenated(a, rowLengths: lengths, shapes: n.arguments.map { nodes[$0].shape }, into: n.shape)
        case let .function(f): return try Self.function(f, a)
        case let .stage(k):
            // A stage is never handed a vector of the wrong length (a user's map might index past its end).
            guard a[0].count == maps[k].inputShape.count else {
                throw JacobianError.shapeMismatch("\(maps[k].name) takes \(maps[k].inputShape.count) numbers, "
                    + "but the stage before it gave \(a[0].count)")
            }
            return try T.applying(maps[k], to: a[0])
        }
    }

    /// x^k for a constant k: integer powers for any base, other powers for a positive base.
    static func power<T: GraphScalar>(_ x: T, _ k: Double) throws -> T {
        if k == k.rounded(), Swift.abs(k) < 1e9 {
            if k < 0 && x == .zero { throw domain("0 to the power \(text(k))") }
            // Repeated squaring, not exp(k·log x): the complex log of a negative base would put iπ into
            // the imaginary part the complex step reads.
            var result = T(constant: 1), base = x, n = Int(Swift.abs(k))
            while n > 0 {
                if n & 1 == 1 { result = result * base }
                base = base * base
                n >>= 1
            }
            return k < 0 ? 1 / result : result
        }
        guard x.realPart > 0 else {
            throw domain("a non-integer power \(text(k)) needs a positive base, but it is \(x.realPart)")
        }
        return T.pow(x, T(constant: k))
    }

    static func domain(_ text: String) -> JacobianError { .outsideDomain(text) }

    static func text(_ v: Double) -> String { v == v.rounded() && Swift.abs(v) < 1e15 ? String(Int(v)) : "\(v)" }

    /// a ∘ b entry by entry, a one-number operand used for every entry.
    static func elementwise<T: GraphScalar>(_ op: BinaryOperator, _ a: [T], _ b: [T], count: Int) throws -> [T] {
        var out = [T](repeating: .zero, count: count)
        let sa = a.count == 1 && count > 1, sb = b.count == 1 && count > 1
        for i in 0..<count {
            let x = a[sa ? 0 : i], y = b[sb ? 0 : i]
            switch op {
            case .add: out[i] = x + y
            case .subtract: out[i] = x - y
            case .multiply, .hadamard: out[i] = x * y
            case .divide, .elementwiseDivide:
                guard y != .zero else { throw domain("division by zero at entry \(sb ? 0 : i) of the divisor") }
                out[i] = x / y
            case .power: out[i] = T.pow(x, y)
            }
        }
        return out
    }

    /// [a, b; c, d]: the arguments' entries placed row by row.
    func concatenated<T>(_ a: [[T]], rowLengths: [Int], shapes: [NodeShape], into shape: NodeShape) -> [T] {
        var out: [T] = []
        out.reserveCapacity(shape.count)
        let sources = concatSources(rowLengths: rowLengths, shapes: shapes, into: shape)
        for (arg, k) in sources { out.append(a[arg][k]) }
        return out
    }

    /// For every output entry of a concatenation, the argument and the entry it comes from.
    func concatSources(rowLengths: [Int], shapes: [NodeShape], into shape: NodeShape) -> [(Int, Int)] {
        if rowLengths.count == 1 && rowLengths[0] > 1 { return (0..<rowLengths[0]).map { ($0, 0) } }
        var out: [(Int, Int)] = []
        var at = 0
        for n in rowLengths {
            if n > 1 {
                for j in 0..<n { out.append((at + j, 0)) }
            } else {
                out += (0..<shapes[at].count).map { (at, $0) }
            }
            at += n
        }
        return out
    }

    /// sum, mean and the losses.
    static func function<T: GraphScalar>(_ f: ExpressionFunction, _ a: [[T]]) throws -> [T] {
        switch f {
        case .sum: return [a[0].reduce(.zero, +)]
        case .mean: return [a[0].reduce(.zero, +) / T(constant: Double(a[0].count))]
        case .mse: return [MeanSquaredError.loss(a[0], a[1])]
        case .cross_entropy: return [try CrossEntropy.loss(a[0], a[1])]
        case .binary_cross_entropy: return [try BinaryCrossEntropy.loss(a[0], a[1])]
        case .softmax_ce: return [SoftmaxCrossEntropy.loss(a[0], a[1])]
        case .hinge:
            let c = hingeClass(a[1].map(\.realPart))
            var s = T.zero
            for j in a[0].indices where j != c {
                let margin = a[0][j] - a[0][c] + 1
                if margin.realPart > 0 { s = s + margin }
            }
            return [s]
        default:
            preconditionFailure("\(f.rawValue) is a built-in map stage")
        }
    }

    /// The class a hinge target names: the index of its largest entry (the 1 of a one-hot y).
    static func hingeClass(_ y: [Double]) -> Int { y.indices.max { y[$0] < y[$1] } ?? 0 }
}
