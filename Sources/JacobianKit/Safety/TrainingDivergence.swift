/// The sentence for a training run whose loss became inf or NaN: where it happened and what to change.
enum TrainingDivergence {
    /// MNIST: at batch `batch` (0-based) of `of` in epoch `epoch` (0-based).
    static func error(loss: Double, epoch: Int, batch: Int, of batches: Int) -> JacobianError {
        .nonFinite("Training diverged: the loss became \(loss) at batch \(batch + 1) of \(batches) "
                   + "in epoch \(epoch + 1); nothing was saved. Lower --lr or --l2.")
    }

    /// XOR: at iteration `iteration` (1-based).
    static func error(loss: Double, iteration: Int) -> JacobianError {
        .nonFinite("Training diverged: the summed error became \(loss) at iteration \(iteration); lower --lr.")
    }
}
