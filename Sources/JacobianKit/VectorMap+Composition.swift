/// Composition as a capability of every map, with the defaults of a single map, so that callers ask the map and
/// never downcast: a chain answers with its stages and the product of their Jacobians, a map that assembles its
/// Jacobian in steps (BPTT, an expression's graph) with an explanation, and every map pushes a direction through.
extension VectorMap {
    public var stages: [any VectorMap] { [self] }

    public func composition(at x: [Double], layout: Layout) throws -> ChainProduct? { nil }

    public func explanation(at x: [Double], layout: Layout) throws -> [String]? { nil }

    public func jacobianVectorProduct(at x: [Double], _ u: [Double]) throws -> [Double] {
        try checkedEvaluate(at: x).jacobian.jvp(u)
    }

    /// y = f(x), the Jacobian in `layout`, and for a composition its stages' factors and multiplication order.
    public func evaluateComposed(at x: [Double], layout: Layout) throws
        -> (value: [Double], jacobian: Jacobian, chain: ChainProduct?) {
        if let c = try composition(at: x, layout: layout) { return (c.value, c.product, c) }
        let (value, jacobian) = try checkedEvaluate(at: x, layout: layout)
        return (value, jacobian, nil)
    }
}

extension Pipeline {
    public func composition(at x: [Double], layout: Layout) throws -> ChainProduct? {
        try chain(at: x, layout: layout)
    }

    /// Pushes u through the stages, J_k(…(J_1 u)), each factor structured.
    public func jacobianVectorProduct(at x: [Double], _ u: [Double]) throws -> [Double] {
        var value = x, t = u
        for s in stages {
            let (y, j) = try s.checkedEvaluate(at: value)
            t = j.jvp(t)
            value = y
        }
        return t
    }
}
