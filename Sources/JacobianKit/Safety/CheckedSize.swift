/// Overflow-safe arithmetic on sizes a user gives (shapes, --hidden, --time-steps, IDX headers): every product
/// and sum of them goes through here, so a huge size is one sentence instead of a trap.
public enum CheckedSize {
    /// a₁·a₂·…·aₖ, or `JacobianError.tooLarge` naming `what` when the product does not fit in an Int.
    public static func product(_ factors: [Int], _ what: String) throws -> Int {
        var total = 1
        for f in factors {
            guard f >= 0 else { throw JacobianError.invalidArgument("\(what) has a negative size \(f).") }
            let (p, overflow) = total.multipliedReportingOverflow(by: f)
            guard !overflow else { throw tooLarge(factors.map(String.init).joined(separator: "×"), what) }
            total = p
        }
        return total
    }

    /// a·b, checked (see `product`).
    public static func product(_ a: Int, _ b: Int, _ what: String) throws -> Int { try product([a, b], what) }

    /// a₁ + … + aₖ, or `JacobianError.tooLarge` when the sum does not fit in an Int.
    public static func sum(_ terms: [Int], _ what: String) throws -> Int {
        var total = 0
        for t in terms {
            let (s, overflow) = total.addingReportingOverflow(t)
            guard !overflow else { throw tooLarge(terms.map(String.init).joined(separator: " + "), what) }
            total = s
        }
        return total
    }

    /// a·b, or Int.max when it overflows: for sizes that were validated elsewhere or only feed a later check.
    public static func saturatingProduct(_ a: Int, _ b: Int) -> Int {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : p
    }

    private static func tooLarge(_ expression: String, _ what: String) -> JacobianError {
        .tooLarge("\(what) would have \(expression) numbers, more than this machine can even count; use smaller sizes.")
    }
}

extension Shape {
    /// `count`, or `JacobianError.tooLarge` when rows·columns overflows (vector: n; matrix: r·c).
    public func checkedCount() throws -> Int {
        switch self {
        case let .vector(n): return n
        case let .matrix(r, c): return try CheckedSize.product(r, c, "A \(r)x\(c) matrix")
        }
    }
}
