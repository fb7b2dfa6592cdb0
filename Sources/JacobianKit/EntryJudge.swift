/// The per-entry rule of a check: each reference value ∂f_i/∂x_j carries an error bound, and an entry
/// passes when |a − ref| ≤ tolerance + bound with the bound no larger than the tolerance (or when both are exactly
/// zero); it fails when
/// |a − ref| > tolerance + 2·bound; otherwise the reference cannot tell, and the entry is inconclusive.
/// Works in the finite differences' storage order, Jᵀ (n×m): stored row j is input j, stored column i output i.
struct EntryJudge {
    /// The tolerance rule.
    let tolerance: Tolerance
    /// f(x), m numbers: the scale of the round-off in a difference quotient.
    let value: [Double]
    /// The base method's step per input (n).
    let steps: [Double]
    /// The base method.
    let method: CheckMethod
    /// Richardson's per-entry estimates, Jᵀ (n×m), when the base method is Richardson.
    let richardsonError: Matrix?
    /// Re-evaluated columns (escalation), by input j.
    var escalated: [Int: FiniteDifference.ReferenceColumn] = [:]
    /// The method of the re-evaluated columns.
    var escalationMethod: CheckMethod?
    /// max_j |ref[i, j]| per output i (m): the scale of row i of J.
    var rowScale: [Double] = []
    /// max_i |ref[i, j]| per input j (n): the scale of column j of J.
    var columnScale: [Double] = []
    /// The largest |ref| of all: the scale for an entry whose row and column are entirely zero.
    var scale = 0.0

    /// Below this, a difference counts as zero: a Jacobian that is exactly zero (a constant map) can pass.
    static let zeroFloor = 1e-300

    /// Round-off of a central quotient: the evaluations' error, about 32 ulps of |f|, over the width 2h.
    static let centralRoundOffUlps = 32.0

    /// The error bound of the reference value `ref` of entry (output i, input j).
    func bound(input j: Int, output i: Int, reference ref: Double) -> Double {
        if let c = escalated[j] { return c.bounds[i] }
        let eps = Double.ulpOfOne
        switch method {
        case .central:
            let h = steps[j]
            return Self.centralRoundOffUlps * eps * (abs(value[i]) + h * abs(ref)) / h
        case .richardson: return 2 * (richardsonError?[j, i] ?? 0)
        case .complexStep: return Self.complexStepBound(ref, h: steps[j])
        }
    }

    /// The complex step's bound: no subtraction, so a few ulps of the value, plus the spacing of subnormal
    /// numbers over h where Im f = h·∂f/∂x_j underflows.
    static func complexStepBound(_ ref: Double, h: Double) -> Double {
        8 * Double.ulpOfOne * abs(ref) + 64 * Double.leastNonzeroMagnitude / h
    }

    /// The method that produced the reference of input column j.
    func method(ofInput j: Int) -> CheckMethod { escalated[j] != nil ? escalationMethod ?? method : method }

    /// The tolerance at entry (output i, input j).
    func allowed(input j: Int, output i: Int, reference ref: Double) -> Double {
        // The smaller of the row's and the column's scale, so a tiny entry is not swamped by a large neighbour;
        // an entirely zero row or column takes the other's, and an entry in both takes J's largest.
        let r = rowScale.isEmpty ? 0 : rowScale[i], c = columnScale.isEmpty ? 0 : columnScale[j]
        let line = r > 0 && c > 0 ? min(r, c) : max(r, c)
        let t = tolerance.absolute + tolerance.relative * abs(ref) + tolerance.line * (line > 0 ? line : scale)
        return max(t, Self.zeroFloor)
    }

    /// The verdict on analytic value a against ref, given the tolerance and bound there.
    static func verdict(_ a: Double, _ ref: Double, allowed: Double, bound: Double) -> Verdict {
        let d = abs(a - ref)
        if d.isNaN || !a.isFinite { return .fail }
        if !ref.isFinite || !bound.isFinite { return .inconclusive }
        // A claimed zero where the probes did not move f_i at all (or moved it symmetrically, as an even function
        // about x does): the reference is exactly zero, and so is the derivative at the precision f is computed in.
        if a == 0 && ref == 0 { return .pass }
        if d <= allowed + bound && bound <= allowed { return .pass }
        if d > allowed + 2 * bound { return .fail }
        return .inconclusive
    }

    /// The row and column scales of the reference Jᵀ (n×m) as stored.
    mutating func measureScales(_ stored: Matrix) {
        let n = stored.rows, m = stored.columns
        var rows = [Double](repeating: 0, count: m), columns = [Double](repeating: 0, count: n)
        stored.elements.withUnsafeBufferPointer { f in
            for j in 0..<n {
                var c = 0.0
                for i in 0..<m {
                    let v = abs(f[j * m + i])
                    guard v.isFinite else { continue }
                    if v > c { c = v }
                    if v > rows[i] { rows[i] = v }
                }
                columns[j] = c
            }
        }
        rowScale = rows
        columnScale = columns
        scale = columns.max() ?? 0
    }
}
