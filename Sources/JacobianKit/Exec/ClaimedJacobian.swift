import Foundation

/// A Jacobian computed elsewhere (NumPy, a paper, by hand) at one point x, checked against finite differences
/// of a reference map's values: the reference is only evaluated, its own Jacobian is never used.
public struct ClaimedJacobian: VectorMap, BatchEvaluable {
    /// The map whose values the finite differences use.
    public let reference: any VectorMap
    /// The point the Jacobian was computed at.
    public let point: [Double]
    /// The claimed Jacobian, numerator m×n.
    public let jacobian: Matrix
    /// Where it came from ("J.npy").
    public let source: String

    public var name: String { "\(source) (values from \(reference.name))" }
    public var inputShape: Shape { reference.inputShape }
    public var outputShape: Shape { reference.outputShape }
    public var formula: String { "as claimed in \(source)" }
    public var hasKinks: Bool { reference.hasKinks }

    /// The claim `matrix`, written in `layout`, for `reference` at `point`; throws unless its shape is m×n
    /// (numerator) or n×m (denominator), asking "did you return Jᵀ?" when it has the other layout's shape.
    public init(_ matrix: Matrix, layout: Layout, of reference: any VectorMap, at point: [Double],
                source: String) throws {
        try JacobianShape.check(rows: matrix.rows, columns: matrix.columns, outputs: reference.outputShape.count,
                                inputs: reference.inputShape.count, source: "The claimed Jacobian in '\(source)'",
                                layout: layout)
        if let (i, j) = matrix.firstNonFinite {
            throw JacobianError.mapContract("The claimed Jacobian in '\(source)' has "
                + "\(ExecSession.name(matrix[i, j])) at row \(i), column \(j).")
        }
        self.reference = reference
        self.point = point
        self.jacobian = layout == .numerator ? matrix : matrix.transposed()
        self.source = source
    }

    /// Reads a claim from a `.npy` file (float64, 2-D) or a JSON file: an array of rows, or an object
    /// {"jacobian": rows, "layout": "numerator"|"denominator"} whose layout overrides `layout`.
    public static func load(path: String, layout: Layout, of reference: any VectorMap, at point: [Double]) throws
        -> ClaimedJacobian
    {
        let name = (path as NSString).lastPathComponent
        if path.lowercased().hasSuffix(".npy") {
            return try ClaimedJacobian(Matrix.readNPY(path: path), layout: layout, of: reference, at: point,
                                       source: name)
        }
        let data = try readRegularFile(path)
        let json: JSONValue
        do { json = try JSONValue.parse([UInt8](data)) } catch let e as JSONValue.SyntaxError {
            throw JacobianError.badFile("'\(path)' is neither .npy nor JSON (\(e.reason) at character "
                + "\(e.offset + 1)).")
        }
        var rowsValue = json, chosen = layout
        if let o = json.object {
            guard let j = o["jacobian"] else {
                throw JacobianError.badFile("'\(path)' is a JSON object without \"jacobian\" (an array of rows).")
            }
            rowsValue = j
            if let l = o["layout"]?.string {
                guard let declared = Layout(rawValue: l) else {
                    throw JacobianError.badFile("'\(path)' gives \"layout\": \"\(l)\"; it must be numerator or "
                        + "denominator.")
                }
                chosen = declared
            }
        }
        guard let rows = rowsValue.array,
              let numbers = try? rows.map({ r -> [Double] in
                  guard let items = r.array else { throw JacobianError.badFile("") }
                  return try items.map { guard let v = $0.number else { throw JacobianError.badFile("") }; return v }
              }),
              let matrix = try? Matrix(numbers) else {
            throw JacobianError.badFile("'\(path)' must hold the Jacobian as an array of equally long rows of numbers.")
        }
        return try ClaimedJacobian(matrix, layout: chosen, of: reference, at: point, source: name)
    }

    public func value(at x: [Double]) throws -> [Double] { try reference.checkedValue(at: x) }

    public func values(at points: [[Double]]) throws -> [[Double]] {
        if let batch = reference as? any BatchEvaluable { return try batch.values(at: points) }
        return try points.map { try reference.checkedValue(at: $0) }
    }

    public func evaluate(at x: [Double]) throws -> (value: [Double], jacobian: Jacobian) {
        guard x == point else {
            throw JacobianError.invalidArgument("A claimed Jacobian is known only at the point it was computed at.")
        }
        return (try reference.checkedValue(at: x), .dense(jacobian))
    }
}
