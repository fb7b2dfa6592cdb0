import ArgumentParser
import Foundation
import JacobianKit

extension Layout: ExpressibleByArgument {}
extension CheckMethod: ExpressibleByArgument {}

/// Parsing of the command line's value formats, each failure one sentence.
enum Arguments {
    /// "4" or "x=4" → an optional name and a vector shape.
    static func size(_ text: String) throws -> (String?, Shape) {
        let (name, rest) = try split(text, option: "--dim")
        guard let n = Int(rest), n > 0 else {
            throw ValidationError("--dim must be a positive whole number or NAME=N (for example --dim x=4), "
                                  + "but got '\(text)'.")
        }
        return (name, .vector(n))
    }

    /// "3x4" or "W=3x4" → an optional name and a matrix shape.
    static func namedShape(_ text: String) throws -> (String?, Shape) {
        let (name, rest) = try split(text, option: "--shape")
        return (name, try shape(rest))
    }

    /// "1,2" or "x=1,2" → an optional name and the numbers.
    static func point(_ text: String) throws -> (name: String?, values: [Double]) {
        let (name, rest) = try split(text, option: "--at")
        return (name, try numbers(rest, option: name.map { "--at \($0)" } ?? "--at"))
    }

    /// "W,b" → ["W", "b"].
    static func names(_ text: String) throws -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard items.allSatisfy(isName) else {
            throw ValidationError("--wrt takes variable names separated by commas (for example --wrt W,b), "
                                  + "but got '\(text)'.")
        }
        return items
    }

    private static func isName(_ s: String) -> Bool {
        guard let f = s.first, f.isLetter || f == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// "NAME=rest" → (NAME, rest); "rest" → (nil, rest).
    private static func split(_ text: String, option: String) throws -> (String?, String) {
        guard let eq = text.firstIndex(of: "=") else { return (nil, text) }
        let name = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        guard isName(name) else {
            throw ValidationError("\(option) takes NAME=… with a variable name before '=', but got '\(text)'.")
        }
        return (name, String(text[text.index(after: eq)...]))
    }

    /// "3x4" → a 3×4 matrix shape.
    static func shape(_ text: String) throws -> Shape {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let r = Int(parts[0]), let c = Int(parts[1]) else {
            throw ValidationError("--shape must look like RxC (for example 3x4), but got '\(text)'.")
        }
        guard r > 0, c > 0 else {
            throw ValidationError("--shape needs positive sizes, but got '\(text)'.")
        }
        return .matrix(rows: r, columns: c)
    }

    /// "1,2,-3.5" → numbers; a non-number is named with its position.
    static func numbers(_ text: String, option: String) throws -> [Double] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var out: [Double] = []
        for (k, item) in items.enumerated() {
            guard let v = Double(item), v.isFinite else {
                throw ValidationError(
                    "\(option) takes comma-separated finite numbers, but item \(k + 1) ('\(item)') is not one.")
            }
            out.append(v)
        }
        return out
    }

    /// "W=1,2,3" → ("W", [1, 2, 3]).
    static func parameter(_ text: String) throws -> (String, [Double]) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ValidationError("--param takes NAME=v1,v2,… (for example --param t=0,1,0), but got '\(text)'.")
        }
        let name = String(text[..<eq])
        return (name, try numbers(String(text[text.index(after: eq)...]), option: "--param \(name)"))
    }

    /// "auto" or a positive number.
    static func step(_ text: String) throws -> StepRule {
        if text == "auto" { return .auto }
        guard let h = Double(text), h > 0, h.isFinite else {
            throw ValidationError("--step takes 'auto' or a positive number such as 1e-6, but got '\(text)'.")
        }
        return .fixed(h)
    }
}
