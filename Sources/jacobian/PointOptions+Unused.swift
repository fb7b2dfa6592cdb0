import JacobianKit

extension PointOptions {
    /// Throws one sentence (exit 64, no usage dump) when an option was given that no stage of `map` uses
    /// (--hidden-size on softmax), or when --param sets the variable a linear stage is differentiated with respect to
    /// (its value is the point).
    func ensureOptionsUsed(by map: any VectorMap) throws {
        let stages = map.stages
        let names = Set(stages.map(\.name))
        let rules: [(option: String, given: Bool, users: [String])] = [
            ("--wrt", wrt != nil, ["linear", "linear-row"]),
            ("--out", out != nil, ["linear", "linear-row"]),
            ("--hidden-size", hidden != nil, ["rnn", "rnn-step", "lstm-cell"]),
            ("--sequence-length", timeSteps != nil, ["rnn"]),
            ("--classes", classes != nil, ["rnn"]),
            ("--slope", slope != nil, ["leaky-relu"]),
        ]
        for rule in rules where rule.given && names.isDisjoint(with: rule.users) {
            throw JacobianError.invalidArgument(
                "\(rule.option) is not used by '\(self.map)'; it applies to "
                + rule.users.dropLast().joined(separator: ", ") + " and " + rule.users.last! + ".")
        }
        let variable = wrt ?? "x"
        if !names.isDisjoint(with: ["linear", "linear-row"]), (try? mapOptions())?.parameters[variable] != nil {
            throw JacobianError.invalidArgument(
                "--param \(variable) sets the variable '\(self.map)' is differentiated with respect to (--wrt "
                + "\(variable)); its value is the point: give it with --at.")
        }
        if out != nil && wrt == "W" {
            throw JacobianError.invalidArgument("--out is not used with --wrt W: the output size is the row count "
                                                + "of --shape RxC.")
        }
    }
}
