extension StepRule {
    /// Throws `JacobianError.invalidArgument` when a step would not move some coordinate of `x`: x ± h rounds
    /// back to x (h below half an ulp of x) or overflows, so the difference quotient would be 0/0 or inf. For
    /// Richardson the smallest step, h/4, must still move x. The complex step perturbs the imaginary part only.
    public func ensureUsable(at x: [Double], method: CheckMethod) throws {
        guard method != .complexStep else { return }
        for (k, v) in x.enumerated() {
            let h = step(at: v, method: method) / (method == .richardson ? 4 : 1)
            let width = (v + h) - (v - h)
            guard width > 0, width.isFinite else {
                let smallest = Swift.max(v.ulp, Double.leastNormalMagnitude)
                throw JacobianError.invalidArgument(
                    "The step h = \(h) does not move x_\(k) = \(v): x ± h "
                    + (width.isFinite ? "rounds back to x" : "overflows") + " in Double, so the finite difference "
                    + "would be meaningless; use a step above \(smallest) (the spacing of numbers there) "
                    + "or --step auto.")
            }
        }
    }
}
