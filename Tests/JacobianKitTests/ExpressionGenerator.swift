import JacobianKit

/// Seeded random expressions of a known shape, built so every one is inside its functions' domains:
/// every operator and function of the language appears, over scalar, vector and matrix variables.
struct ExpressionGenerator {
    /// A shape as rows × columns (vectors are columns).
    struct Dims: Equatable {
        var rows: Int
        var columns: Int
        static let scalar = Dims(rows: 1, columns: 1)
        var isScalar: Bool { self == .scalar }
        var transposed: Dims { Dims(rows: columns, columns: rows) }
    }

    var rng: SplitMix64
    /// Variables used, with their shapes, in order of creation.
    private(set) var variables: [(name: String, dims: Dims)] = []
    /// Variables that only ever appear as targets (held fixed: one-hot and probability targets).
    private(set) var targets: [String: [Double]] = [:]
    /// Whether a kinked function (relu, abs, leaky_relu, hinge) was used.
    private(set) var hasKinks = false

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    private mutating func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    /// An existing variable of these dims, or a new one.
    private mutating func variable(_ d: Dims) -> String {
        let same = variables.filter { $0.dims == d }
        if !same.isEmpty && pick(3) > 0 { return same[pick(same.count)].name }
        let name = "v\(variables.count)"
        variables.append((name, d))
        return name
    }

    private mutating func target(_ d: Dims, oneHot: Bool) -> String {
        let name = "t\(targets.count)"
        var y = [Double](repeating: 0, count: d.rows)
        if oneHot { y[pick(d.rows)] = 1 } else { y = rng.uniform(count: d.rows, 0.1, 0.9) }
        targets[name] = y
        return name
    }

    /// An expression of shape `d` with at least one variable.
    mutating func root(_ d: Dims, depth: Int) -> String {
        let e = expression(d, depth: depth)
        return variables.isEmpty ? "(\(e)) + \(variable(d))" : e
    }

    /// An expression of shape `d`, nested at most `depth` deep.
    mutating func expression(_ d: Dims, depth: Int) -> String {
        if depth == 0 || pick(5) == 0 {
            return d.isScalar && pick(4) == 0 ? ["2", "0.5", "3", "1.5"][pick(4)] : variable(d)
        }
        let a = { (g: inout ExpressionGenerator, s: Dims) in g.expression(s, depth: depth - 1) }
        let k = [2, 3][pick(2)]
        switch pick(d.isScalar ? 22 : (d.columns == 1 ? 17 : 13)) {
        case 0: return "(\(a(&self, d)) + \(a(&self, d)))"
        case 1: return "(\(a(&self, d)) - \(a(&self, d)))"
        case 2: return "(\(a(&self, d)) .* \(a(&self, d)))"
        case 3: return "(\(a(&self, d)) ./ (2 + (\(a(&self, d))).^2))"
        case 4: return "-\(a(&self, d))"
        case 5:
            let f = ["sigmoid", "tanh", "exp", "sin", "cos"][pick(5)]
            return "\(f)(\(a(&self, d)))"
        case 6:
            let inner = a(&self, d)
            return ["log(1 + (\(inner)).^2)", "sqrt(1 + (\(inner)).^2)"][pick(2)]
        case 7:
            hasKinks = true
            return ["relu", "abs", "leaky_relu"][pick(3)] + "(\(a(&self, d)))"
        case 8: return "(\(a(&self, .scalar)) * \(a(&self, d)))"
        case 9: return "(\(a(&self, d)) / (2 + \(a(&self, .scalar))^2))"
        case 10: return "(\(a(&self, d)))^\(k)"
        case 11: return "(\(a(&self, d.transposed)))'"
        case 12: return "(\(a(&self, Dims(rows: d.rows, columns: k))) * \(a(&self, Dims(rows: k, columns: d.columns))))"
        // vectors
        case 13: return "softmax(\(a(&self, d)))"
        case 14: return "log_softmax(\(a(&self, d)))"
        case 15: return d.rows > 1 ? "[1; \(a(&self, Dims(rows: d.rows - 1, columns: 1)))]" : a(&self, d)
        case 16: return "[" + (0..<d.rows).map { _ in a(&self, .scalar) }.joined(separator: ", ") + "]"
        // scalars
        case 17:
            let s = Dims(rows: [2, 3][pick(2)], columns: [1, 2][pick(2)])
            return ["sum", "mean"][pick(2)] + "(\(a(&self, s)))"
        case 18:
            let v = Dims(rows: 3, columns: 1)
            return "(\(a(&self, v))' * \(a(&self, v)))"
        case 19:
            let v = Dims(rows: 3, columns: 1)
            switch pick(5) {
            case 0: return "mse(\(a(&self, v)), \(a(&self, v)))"
            case 1: return "softmax_ce(\(a(&self, v)), \(target(v, oneHot: true)))"
            case 2: return "cross_entropy(softmax(\(a(&self, v))), \(target(v, oneHot: false)))"
            case 3: return "binary_cross_entropy(sigmoid(\(a(&self, v))), \(target(v, oneHot: false)))"
            default:
                hasKinks = true
                return "hinge(\(a(&self, v)), \(target(v, oneHot: true)))"
            }
        case 20:
            let m = a(&self, Dims(rows: 2, columns: 2))
            return ["tr(\(m))", "det(\(m))", "logdet((\(m))' * (\(m)) + [2, 0; 0, 2])"][pick(3)]
        default:
            let m = a(&self, Dims(rows: 2, columns: 2))
            return "sum(inv((\(m))' * (\(m)) + [2, 0; 0, 2]))"
        }
    }
}
