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
    /// Richardson's second opinion on complex-step columns where an entry failed: a failure stands only when
    /// both references fail it (an inaccurate complex function must not fail a correct derivative).
    var confirmation: [Int: FiniteDifference.ReferenceColumn] = [:]
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
        bound(column(j), output: i, reference: ref)
    }

    /// What every entry of input column j shares: how its bound is computed, its step, its column scale.
    struct Column {
        /// central: bound = roundOff·|f_i| + 32ε·|ref|; complex: 8ε·|ref| + floor; given: `bounds[i]`.
        enum Rule { case central, complex, given }
        var rule: Rule
        var roundOff = 0.0
        var floor = 0.0
        var bounds: [Double] = []
        var scale: Double
    }

    /// The shared part of column j's bounds and tolerance.
    func column(_ j: Int) -> Column {
        let scale = columnScale.isEmpty ? 0 : columnScale[j]
        if let c = escalated[j] {
            if escalationMethod == .complexStep {
                return Column(rule: .complex, floor: 64 * Double.leastNonzeroMagnitude / c.h, scale: scale)
            }
            return Column(rule: .given, bounds: c.bounds, scale: scale)
        }
        switch method {
        case .central:
            return Column(rule: .central, roundOff: Self.centralRoundOffUlps * Double.ulpOfOne / steps[j], scale: scale)
        case .complexStep:
            return Column(rule: .complex, floor: 64 * Double.leastNonzeroMagnitude / steps[j], scale: scale)
        case .richardson:
            let m = value.count
            return Column(rule: .given, bounds: (0..<m).map { 2 * (richardsonError?[j, $0] ?? 0) }, scale: scale)
        }
    }

    /// The bound of entry i of a column, from the column's shared part.
    @inline(__always)
    func bound(_ c: Column, output i: Int, reference ref: Double) -> Double {
        switch c.rule {
        case .central: return c.roundOff * abs(value[i]) + Self.centralRoundOffUlps * Double.ulpOfOne * abs(ref)
        case .complex: return 8 * Double.ulpOfOne * abs(ref) + c.floor
        case .given: return c.bounds[i]
        }
    }

    /// The tolerance of entry i of a column.
    @inline(__always)
    func allowed(_ c: Column, output i: Int, reference ref: Double) -> Double {
        let r = rowScale.isEmpty ? 0 : rowScale[i]
        let line = r > 0 && c.scale > 0 ? min(r, c.scale) : max(r, c.scale)
        let t = tolerance.absolute + tolerance.relative * abs(ref) + tolerance.line * (line > 0 ? line : scale)
        return max(t, Self.zeroFloor)
    }

    /// The method that produced the reference of input column j.
    func method(ofInput j: Int) -> CheckMethod { escalated[j] != nil ? escalationMethod ?? method : method }

    /// The tolerance at entry (output i, input j).
    func allowed(input j: Int, output i: Int, reference ref: Double) -> Double {
        allowed(column(j), output: i, reference: ref)
    }

    /// The verdict on analytic value a against ref, given the tolerance and bound there.
    @inline(__always)
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
