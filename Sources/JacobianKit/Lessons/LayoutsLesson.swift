/// `layouts`: which shape each derivative has in each layout, live on the notes' f: R² → R³.
public struct LayoutsLesson: Lesson {
    public let name = "layouts"
    public let summary = "numerator vs denominator layout: the shape table, J and Jᵀ of the notes' f: R² → R³"
    /// The example map (replaceable in tests).
    public var map: any VectorMap = NotesExampleMap()

    /// The lesson with its default maps.
    public init() {}

    public func run(_ log: LessonLog) throws {
        log.say("Layouts: the same derivatives, written two ways round.")
        log.step("the table")
        log.say("  derivative of   with respect to   numerator layout         denominator layout")
        log.say("  scalar y        scalar x          1×1                      1×1")
        log.say("  vector y ∈ Rᵐ   scalar x          m×1 (column)             1×m (row)")
        log.say("  scalar y        vector x ∈ Rⁿ     1×n (row)                n×1 (column: the gradient)")
        log.say("  vector y ∈ Rᵐ   vector x ∈ Rⁿ     m×n, J[i][j] = ∂yᵢ/∂xⱼ   n×m, Jᵀ")
        log.say("  scalar y        matrix X (p×q)    1×pq (row-major vec)     pq×1; reshaped, p×q in both")
        log.step("live: f(x) = (x1² + x2², x1² − x2², x1·x2), the notes' example 2.2")
        let x = [1.5, -2.0]
        let (y, j) = try map.evaluate(at: x)
        log.say("at x = \(TextFormat.vector(x)): y = \(TextFormat.vector(y))")
        log.show("numerator J  (rows: y1..y3, columns: x1, x2)", j)
        log.show("denominator Jᵀ  (rows: x1, x2, columns: y1..y3)", j.transposed())
        log.verify("J is [[2x1, 2x2], [2x1, −2x2], [x2, x1]]", try GradientCheck(layout: .numerator).run(map, at: x))
        log.verify("Jᵀ is its transpose, entry for entry", try GradientCheck(layout: .denominator).run(map, at: x))
        let gradientOfY3 = j.transposed().matrix.elements.enumerated().filter { $0.offset % 3 == 2 }.map(\.element)
        log.say("column 3 of Jᵀ is the gradient of y3 = x1·x2: \(TextFormat.vector(gradientOfY3)) = (x2, x1)")
        log.verify("the gradient of y3 is (x2, x1)", gradientOfY3 == [x[1], x[0]], detail: "read off Jᵀ exactly")
    }
}
