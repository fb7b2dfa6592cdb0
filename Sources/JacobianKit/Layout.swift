/// Which way round a Jacobian is written.
///
/// For f: Rⁿ → Rᵐ, numerator layout is the m×n matrix J[i][j] = ∂yᵢ/∂xⱼ; denominator layout is its n×m
/// transpose Jᵀ (the 2021 notes). The chain rule reads J(g∘f) = J(g)·J(f) and Jᵀ(g∘f) = Jᵀ(f)·Jᵀ(g).
public enum Layout: String, CaseIterable, Codable, Sendable {
    /// J is m×n: rows are outputs, columns are inputs.
    case numerator
    /// Jᵀ is n×m: rows are inputs, columns are outputs.
    case denominator

    /// The one-line statement of the convention, for headers.
    public var convention: String {
        switch self {
        case .numerator: return "numerator layout: J[i][j] = ∂y_i/∂x_j"
        case .denominator: return "denominator layout: Jᵀ[j][i] = ∂y_i/∂x_j"
        }
    }
}

/// Which end of a chain of Jacobians is multiplied first.
public enum ChainOrder: String, CaseIterable, Codable, Sendable {
    /// Output side first (reverse mode; J(f_k)·J(f_{k-1}) first in numerator layout).
    case reverse
    /// Input side first (forward mode; J(f_2)·J(f_1) first in numerator layout).
    case forward

    /// How the order reads for the given layout.
    public func explanation(in layout: Layout) -> String {
        switch (self, layout) {
        case (.reverse, .numerator): return "left to right (reverse mode: output side first)"
        case (.reverse, .denominator): return "right to left (reverse mode: output side first)"
        case (.forward, .numerator): return "right to left (forward mode: input side first)"
        case (.forward, .denominator): return "left to right (forward mode: input side first)"
        }
    }
}
