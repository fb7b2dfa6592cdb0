/// Structure-aware products. Every function here gives exactly the dense product's values.
extension Jacobian {
    /// The row vector vᵀ·J: v has `rows` entries, the result `columns` (a vector–Jacobian product).
    public func vjp(_ v: [Double]) -> [Double] {
        precondition(v.count == rows, "vjp: vector has \(v.count) entries, Jacobian has \(rows) rows")
        switch self {
        case let .zero(_, c): return [Double](repeating: 0, count: c)
        case .identity: return v
        case let .diagonal(d): return zip(v, d).map(*)
        case let .diagonalPlusOuter(d, u, w):
            let s = v.dot(u)
            return (0..<d.count).map { v[$0] * d[$0] + s * w[$0] }
        case let .kronecker(a, b):
            // vᵀ(A⊗B) = vec(Aᵀ·V·B), V = v reshaped rA×rB row-major.
            let vm = Matrix(unchecked: a.rows, b.rows, v)
            let left: Matrix
            switch a {
            case .identity: left = vm
            case let .matrix(am): left = BLAS.gemm(am, vm, transposeA: true)
            }
            switch b {
            case .identity: return left.elements
            case let .matrix(bm): return BLAS.gemm(left, bm).elements
            }
        case let .selection(source, scale, columns):
            var out = [Double](repeating: 0, count: columns)
            for i in source.indices where source[i] >= 0 { out[source[i]] += v[i] * scale[i] }
            return out
        case let .dense(m): return m.leftMultiplied(by: v)
        }
    }

    /// The column J·x: x has `columns` entries, the result `rows` (a Jacobian–vector product).
    public func jvp(_ x: [Double]) -> [Double] {
        precondition(x.count == columns, "jvp: vector has \(x.count) entries, Jacobian has \(columns) columns")
        switch self {
        case let .zero(r, _): return [Double](repeating: 0, count: r)
        case .identity: return x
        case let .diagonal(d): return zip(x, d).map(*)
        case let .diagonalPlusOuter(d, u, w):
            let s = w.dot(x)
            return (0..<d.count).map { d[$0] * x[$0] + u[$0] * s }
        case let .kronecker(a, b):
            // (A⊗B)·vec(X) = vec(A·X·Bᵀ), X = x reshaped cA×cB row-major.
            let xm = Matrix(unchecked: a.columns, b.columns, x)
            let left: Matrix
            switch a {
            case .identity: left = xm
            case let .matrix(am): left = BLAS.gemm(am, xm)
            }
            switch b {
            case .identity: return left.elements
            case let .matrix(bm): return BLAS.gemm(left, bm, transposeB: true).elements
            }
        case let .selection(source, scale, _):
            return source.indices.map { source[$0] >= 0 ? scale[$0] * x[source[$0]] : 0 }
        case let .dense(m): return m.multiplied(by: x)
        }
    }

    /// J·M for a dense M with `columns` rows.
    public func times(_ m: Matrix) -> Matrix {
        precondition(m.rows == columns, "J·M: M has \(m.rows) rows, J has \(columns) columns")
        switch self {
        case .dense(let j): return BLAS.gemm(j, m)
        case let .diagonal(d):
            var out = m
            for i in 0..<m.rows { for k in 0..<m.columns { out.elements[i * m.columns + k] *= d[i] } }
            return out
        case let .selection(source, scale, _):
            var out = Matrix(rows: source.count, columns: m.columns)
            for i in source.indices where source[i] >= 0 {
                for k in 0..<m.columns { out.elements[i * m.columns + k] = scale[i] * m[source[i], k] }
            }
            return out
        case .identity: return m
        default:
            // Column by column through the structured jvp.
            let t = m.transposed()
            var out = Matrix(rows: m.columns, columns: rows)
            for k in 0..<m.columns {
                let col = jvp(t.row(k))
                for i in 0..<rows { out.elements[k * rows + i] = col[i] }
            }
            return out.transposed()
        }
    }

    /// M·J for a dense M with `rows` columns.
    public func leftTimes(_ m: Matrix) -> Matrix {
        precondition(m.columns == rows, "M·J: M has \(m.columns) columns, J has \(rows) rows")
        switch self {
        case .dense(let j): return BLAS.gemm(m, j)
        case .identity: return m
        default:
            var out = Matrix(rows: m.rows, columns: columns)
            for i in 0..<m.rows {
                let r = vjp(m.row(i))
                for k in 0..<columns { out.elements[i * columns + k] = r[k] }
            }
            return out
        }
    }

    /// The product self·other, keeping structure where the result has one.
    public func multiplied(by other: Jacobian) -> Jacobian {
        precondition(columns == other.rows, "Jacobian product: \(rows)×\(columns) · \(other.rows)×\(other.columns)")
        switch (self, other) {
        case (.zero, _), (_, .zero): return .zero(rows: rows, columns: other.columns)
        case (.identity, _): return other
        case (_, .identity): return self
        case let (.diagonal(a), .diagonal(b)): return .diagonal(zip(a, b).map(*))
        case let (.diagonal(a), .diagonalPlusOuter(d, u, v)):
            return .diagonalPlusOuter(diagonal: zip(a, d).map(*), u: zip(a, u).map(*), v: v)
        case let (.diagonalPlusOuter(d, u, v), .diagonal(b)):
            return .diagonalPlusOuter(diagonal: zip(d, b).map(*), u: u, v: zip(v, b).map(*))
        case let (.diagonal(a), .selection(source, scale, c)):
            return .selection(source: source, scale: zip(a, scale).map(*), columns: c)
        case let (.selection(source, scale, c), .diagonal(b)):
            return .selection(source: source,
                              scale: source.indices.map { source[$0] >= 0 ? scale[$0] * b[source[$0]] : 0 },
                              columns: c)
        case let (.selection(sa, wa, _), .selection(sb, wb, c)):
            let source = sa.map { $0 >= 0 ? sb[$0] : -1 }
            let scale = sa.indices.map { sa[$0] >= 0 && sb[sa[$0]] >= 0 ? wa[$0] * wb[sa[$0]] : 0 }
            return .selection(source: source, scale: scale, columns: c)
        case let (.kronecker(a1, b1), .kronecker(a2, b2)) where a1.columns == a2.rows && b1.columns == b2.rows:
            // Mixed product: (A₁⊗B₁)(A₂⊗B₂) = (A₁A₂)⊗(B₁B₂).
            return .kronecker(a1.multiplied(by: a2), b1.multiplied(by: b2))
        default:
            break
        }
        // A row on the left or a column on the right: the structured vjp / jvp does the work.
        if rows == 1 { return .dense(Matrix(unchecked: 1, other.columns, other.vjp(matrix.elements))) }
        if other.columns == 1 { return .dense(Matrix(unchecked: rows, 1, jvp(other.matrix.elements))) }
        if case .dense(let m) = other { return .dense(times(m)) }
        if case .dense(let m) = self { return .dense(other.leftTimes(m)) }
        return .dense(times(other.matrix))
    }

    /// Multiply-adds the structured product self·other takes (the count `--explain` reports).
    public func multiplyCost(by other: Jacobian) -> Int {
        switch (self, other) {
        case (.zero, _), (_, .zero), (.identity, _), (_, .identity): return 0
        case (.diagonal, .diagonal), (.diagonal, .selection), (.selection, .diagonal), (.selection, .selection):
            return rows
        case (.diagonal, .diagonalPlusOuter), (.diagonalPlusOuter, .diagonal): return 2 * rows
        case let (.kronecker(a1, b1), .kronecker(a2, b2)) where a1.columns == a2.rows && b1.columns == b2.rows:
            return a1.productCost(a2) + b1.productCost(b2)
        default: break
        }
        if rows == 1 { return other.vectorCost }
        if other.columns == 1 { return vectorCost }
        if case .dense = other { return vectorCost * other.columns }
        if case .dense = self { return other.vectorCost * rows }
        return vectorCost * other.columns
    }

    /// Multiply-adds of one structured vjp or jvp.
    public var vectorCost: Int {
        switch self {
        case .zero, .identity: return 0
        case let .diagonal(d): return d.count
        case let .diagonalPlusOuter(d, _, _): return 3 * d.count
        case let .kronecker(a, b):
            let aCost = a.isIdentity ? 0 : a.rows * a.columns * b.rows
            let bCost = b.isIdentity ? 0 : a.columns * b.rows * b.columns
            return max(aCost + bCost, a.rows * b.columns * (a.isIdentity && b.isIdentity ? 0 : 1))
        case let .selection(source, _, _): return source.count
        case let .dense(m): return m.rows * m.columns
        }
    }

    /// Multiply-adds of the same product with both factors dense.
    public func denseMultiplyCost(by other: Jacobian) -> Int { rows * columns * other.columns }
}

extension KroneckerFactor {
    var isIdentity: Bool { if case .identity = self { return true } else { return false } }

    func multiplied(by other: KroneckerFactor) -> KroneckerFactor {
        switch (self, other) {
        case (.identity, _): return other
        case (_, .identity): return self
        case let (.matrix(a), .matrix(b)): return .matrix(BLAS.gemm(a, b))
        }
    }

    func productCost(_ other: KroneckerFactor) -> Int {
        isIdentity || other.isIdentity ? 0 : rows * columns * other.columns
    }
}
