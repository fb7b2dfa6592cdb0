/// The sentence for a result holding inf or NaN, so that such numbers are never printed without a word.
public enum NonFinite {
    /// Throws `JacobianError.nonFinite` when `value` or `jacobian` holds inf or NaN, naming the first such
    /// output and how many Jacobian entries are affected; `map` names the map.
    public static func ensureFinite(value: [Double], jacobian: [Double], map: String) throws {
        let badValue = value.firstIndex { !$0.isFinite }
        let badEntries = jacobian.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
        guard badValue != nil || badEntries > 0 else { return }
        var parts: [String] = []
        if let i = badValue { parts.append("y_\(i) = \(value[i])") }
        if badEntries > 0 { parts.append("\(badEntries) of \(jacobian.count) Jacobian entries are inf or NaN") }
        throw JacobianError.nonFinite(
            "The result of \(map) is not finite (\(parts.joined(separator: ", "))): the map overflows Double "
            + "(largest 1.8e308) or divides by zero at this point, so those numbers mean nothing; "
            + "choose another point.")
    }
}

extension NonFinite {
    /// Throws `JacobianError.nonFinite` when the checked value, the finite differences or the analytic Jacobian
    /// hold inf or NaN (a NaN error compares as neither pass nor fail, so it needs its own sentence).
    public static func ensureFinite(_ report: CheckReport) throws {
        guard report.value.contains(where: { !$0.isFinite }) || !report.maxAbsoluteError.isFinite else { return }
        let entries = report.finiteDifferences.storage.elements + report.analytic.matrix.elements
        try ensureFinite(value: report.value, jacobian: entries, map: report.map)
    }
}
