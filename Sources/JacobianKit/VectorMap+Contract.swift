/// A user's map is checked against its own declared shapes before anything indexes into what it returned,
/// so a wrong count or a wrong Jacobian shape is a thrown `JacobianError.mapContract`, never a trap.
extension VectorMap {
    /// f(x), with its count checked against `outputShape`.
    public func checkedValue(at x: [Double]) throws -> [Double] {
        let y = try value(at: x)
        try checkValueCount(y.count)
        return y
    }

    /// f(x) and its numerator Jacobian, with the value's count and the Jacobian's m×n shape checked.
    public func checkedEvaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        let (y, j) = try evaluate(at: x)
        try checkValueCount(y.count)
        try JacobianShape.check(rows: j.rows, columns: j.columns, of: self, layout: .numerator)
        return (y, j)
    }

    /// f(x) and its Jacobian written in `layout`, with the value's count and the Jacobian's shape checked.
    public func checkedEvaluate(at x: [Double], layout: Layout) throws -> (value: [Double], jacobian: Jacobian) {
        let (y, j) = try evaluate(at: x, layout: layout)
        try checkValueCount(y.count)
        try JacobianShape.check(rows: j.rows, columns: j.columns, of: self, layout: layout)
        return (y, j)
    }

    func checkValueCount(_ count: Int) throws {
        let m = outputShape.count
        guard count == m else {
            throw JacobianError.mapContract(
                "The map '\(name)' returned \(count) number\(count == 1 ? "" : "s") as its value, "
                    + "but it declares the output shape \(outputShape.space) with \(m).")
        }
    }
}

/// The shape rule for a Jacobian given in a layout, with the one slip it names: the transpose.
public enum JacobianShape {
    /// Throws unless rows×columns is m×n (numerator) or n×m (denominator) for `map`; when it is the other
    /// layout's shape, the sentence asks "did you return Jᵀ?".
    public static func check(rows: Int, columns: Int, of map: any VectorMap, layout: Layout) throws {
        try check(rows: rows, columns: columns, outputs: map.outputShape.count, inputs: map.inputShape.count,
                  source: "The map '\(map.name)'", layout: layout)
    }

    /// The same rule for a Jacobian from `source` ("The program 'python3 f.py'", "The file 'J.npy'").
    public static func check(rows: Int, columns: Int, outputs m: Int, inputs n: Int, source: String,
                             layout: Layout) throws {
        let (er, ec) = layout == .numerator ? (m, n) : (n, m)
        if rows == er && columns == ec { return }
        let what = layout == .numerator ? "outputs × inputs" : "inputs × outputs"
        var text = "\(source) gave a \(rows)×\(columns) Jacobian, but in \(layout.rawValue) layout it is "
            + "\(er)×\(ec) (\(what))"
        if rows == ec && columns == er {
            let other: Layout = layout == .numerator ? .denominator : .numerator
            text += ": did you return Jᵀ? That shape is the \(other.rawValue)-layout Jacobian; transpose it "
                + "or declare the layout \(other.rawValue)"
        }
        throw JacobianError.mapContract(text + ".")
    }
}
