/// Memory and time checks for training runs, made from the sizes before anything is allocated (see `WorkBudget`).
public enum TrainingBudget {
    /// Refuses an MLP with layer `sizes` trained for `epochs` over `images` images in batches of `batch` when its
    /// parameters (weights, velocities, gradients, best copy: 5 copies) and a batch's activations (4 copies) do not
    /// fit in memory, or when the multiply-adds (6 per parameter per image) would take longer than allowed.
    public static func ensureMLP(sizes: [Int], batch: Int, epochs: Int, images: Int,
                                 budget: WorkBudget = .machine()) throws {
        var parameters = 0
        for l in 0..<(sizes.count - 1) {
            let what = "Layer \(l + 1) (\(sizes[l + 1])×\(sizes[l]))"
            let layer = try CheckedSize.product(sizes[l + 1], sizes[l] + 1, what)
            parameters = try CheckedSize.sum([parameters, layer], "The network")
        }
        let width = try CheckedSize.sum(sizes, "The network's layers")
        let bytes = 8 * (5 * Double(parameters) + 4 * Double(batch) * Double(width))
        let operations = 6 * Double(parameters) * Double(images) * Double(epochs)
        // BLAS reaches tens of GFLOP/s: an optimistic rate, so only runs that could never finish are refused.
        var fast = budget
        fast.operationsPerSecond = 1e11
        try fast.ensure(WorkEstimate(bytes: bytes, operations: operations,
                                     memoryReason: "\(parameters) parameters, 5 copies, and batch activations",
                                     workReason: "6 operations per parameter per image, "
                                        + "\(epochs) epochs of \(images) images"),
                        what: "Training this network", advice: "use smaller --hidden sizes, --batch or --epochs")
    }
}

extension TrainingBudget {
    /// Refuses an XOR run of `iterations` iterations that could not finish in time (each iteration updates on four
    /// samples; at least 100 operations, about 50 ns, which is optimistic: a real one takes about 300 ns).
    public static func ensureXOR(iterations: Int, budget: WorkBudget = .machine()) throws {
        try budget.ensure(WorkEstimate(bytes: 0, operations: 100 * Double(iterations), memoryReason: "",
                                       workReason: "\(iterations) iterations of four sample updates"),
                          what: "Training XOR", advice: "use fewer --iters")
    }
}
