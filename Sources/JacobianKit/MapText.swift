import Foundation

/// Tells a MAP argument that names built-in maps ("softmax", "linear | sigmoid") from an expression.
public enum MapText {
    /// True for built-in names and pipelines of them, and for a lone name that is no variable worth
    /// differentiating (an unknown name gets "did you mean" as a map); false for anything with operators.
    public static func isCatalog(_ text: String) -> Bool {
        if text.contains("|") { return true }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first, first.isLetter,
              trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return false }
        if Catalog.names.contains(trimmed) || !trimmed.contains("-") { return true }
        return Catalog.closest(to: trimmed) != nil
    }
}
