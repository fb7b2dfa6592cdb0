/// A map that evaluates many points in one call: a program behind a pipe (`ExecMap`), where each call is a
/// round trip, or a vectorized model. Finite differences then ask for all of a chunk's probe points at once,
/// so checking at n = 1000 costs one or a few calls instead of 2000.
public protocol BatchEvaluable: VectorMap {
    /// f at each point, in order; each value has `outputShape.count` numbers.
    func values(at points: [[Double]]) throws -> [[Double]]
}

/// Finite differences for a `BatchEvaluable` map: the probe points of a chunk of columns go out in one call.
enum BatchedColumns {
    /// Numbers per call, points × n: keeps one request near 16 MB of doubles however large n is.
    static let numbersPerCall = 2_000_000

    /// Column k's `perColumn` probe points come from `probes(k)`; `combine(k, values, write)` turns their values
    /// into row k of the n×m main output (and of `extras` more) and returns column k's step.
    static func run(_ map: any BatchEvaluable, n: Int, m: Int, perColumn: Int, extras: Int,
                    probes: (Int) -> [[Double]],
                    combine: (Int, ArraySlice<[Double]>, (Int, [Double]) -> Void) -> Double) throws
        -> (main: Matrix, extras: [Matrix], steps: [Double])
    {
        var outputs = [[Double]](repeating: [Double](repeating: 0, count: n * m), count: 1 + extras)
        var steps = [Double](repeating: 0, count: n)
        let columnsPerCall = max(1, numbersPerCall / max(1, n * perColumn))
        var start = 0
        while start < n {
            let end = min(n, start + columnsPerCall)
            let points = (start..<end).flatMap(probes)
            let values = try map.values(at: points)
            guard values.count == points.count else {
                throw JacobianError.mapContract(
                    "The map '\(map.name)' returned \(values.count) values for \(points.count) points.")
            }
            for v in values { try map.checkValueCount(v.count) }
            for k in start..<end {
                let first = (k - start) * perColumn
                steps[k] = combine(k, values[first..<first + perColumn]) { output, column in
                    for i in 0..<m { outputs[output][k * m + i] = column[i] }
                }
            }
            start = end
        }
        return (Matrix(unchecked: n, m, outputs[0]), outputs.dropFirst().map { Matrix(unchecked: n, m, $0) }, steps)
    }
}
