/// The complex-step derivative (not yet available for any map).
enum ComplexStep {
    static func transposedJacobian(of map: any VectorMap, at x: [Double], step: StepRule) throws -> FiniteDifferenceResult {
        throw JacobianError.invalidArgument("--method complex-step is not available for \(map.name) yet; use central or richardson.")
    }
}
