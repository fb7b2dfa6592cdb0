/// The named parts a sequence map's input θ is made of, in order (xₜ, hₜ₋₁, W_xh, …), declared once: it slices θ
/// and names θ's coordinates in reports ("W_xh[1,2]", not "x_17").
public struct ParameterLayout: Sendable, Equatable {
    /// The parts in order, each with its shape and its offset in θ (row-major vec for matrices).
    public let blocks: [InputBlock]
    /// How many numbers θ has.
    public let count: Int

    /// θ made of `parts` in order; sizes must already be checked for overflow by the map.
    init(_ parts: [(String, Shape)]) {
        var at = 0
        var blocks: [InputBlock] = []
        for (name, shape) in parts {
            blocks.append(InputBlock(name: name, shape: shape.dimensions, offset: at))
            at += shape.count
        }
        self.blocks = blocks
        count = at
    }

    /// θ cut into its parts, in order.
    func slices<T>(_ theta: [T]) -> [[T]] {
        blocks.map { Array(theta[$0.offset..<($0.offset + $0.count)]) }
    }

    /// The readable name of coordinate k of θ: "W_xh[1,2]", "b_3".
    func coordinateName(_ k: Int) -> String {
        guard let b = blocks.last(where: { $0.offset <= k }) else { return "x_\(k)" }
        return b.coordinateName(k - b.offset)
    }
}
