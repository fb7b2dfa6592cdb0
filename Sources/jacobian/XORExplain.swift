import JacobianKit

/// `jacobian xor --explain`: the XOR lesson for the starting weights, in the chosen layout.
enum XORExplain {
    /// Prints the lesson; returns whether its finite-difference check passed.
    @discardableResult
    static func print(_ net: XORNetwork, layout: Layout) throws -> Bool {
        let log = LessonLog(emit: { Output.line($0) })
        try XORLesson(network: net, layout: layout).run(log)
        Output.line()
        return log.passed
    }
}
