import ArgumentParser

extension CheckCommand {
    /// Refuses requested outputs a mode would not write, and options it would ignore, in one sentence each.
    func ensureOutputsWritten() throws {
        if point.npy != nil && point.map == "all" {
            throw ValidationError("--npy writes one Jacobian, but 'check all' checks many; give one map to write it.")
        }
        if point.npy != nil && directions != nil {
            throw ValidationError("--npy needs the full Jacobian, which --directions never forms; drop one of them.")
        }
        if directions != nil && steps {
            throw ValidationError("--step-table studies the worst entry of the entry-by-entry check, which "
                                  + "--directions does not run; drop one of them.")
        }
        let mapOptions = point.wrt != nil || point.out != nil || point.hidden != nil || point.timeSteps != nil
            || point.classes != nil || point.slope != nil || !point.param.isEmpty
        if point.map == "all" && (!point.at.isEmpty || !point.dim.isEmpty || !point.shape.isEmpty || directions != nil
                                  || explain || mapOptions) {
            throw ValidationError("'check all' picks its own sizes, points and constants; --at, --dim, --shape, "
                                  + "--directions, --explain and the map options apply to one map.")
        }
    }
}
