import Foundation

/// Settings of mini-batch SGD with momentum.
public struct TrainingOptions: Sendable {
    /// Passes over the training set.
    public var epochs = 10
    /// Samples per mini-batch (the whole set is allowed).
    public var batch = 100
    /// Learning rate at the start; it follows a cosine from `learningRate` down to 0 over the run.
    public var learningRate = 0.1
    /// Momentum μ in v ← μv − α∇, θ ← θ + v (0 for plain SGD).
    public var momentum = 0.9
    /// L2 weight λ in λ/2·Σ‖W‖².
    public var l2 = 0.0
    /// Seed of the initial weights and the shuffling.
    public var seed: UInt64 = 0
    /// Layout the chain of Jacobians is multiplied in.
    public var layout: Layout = .numerator
    /// Cosine-decay the learning rate over the run (off: constant).
    public var schedule = true

    /// Default settings.
    public init() {}
}

/// What one epoch did.
public struct EpochStats: Codable, Sendable {
    /// The epoch, 1-based.
    public var epoch: Int
    /// Training time of this epoch alone.
    public var seconds: Double
    /// Mean training loss over the epoch's batches.
    public var trainLoss: Double
    /// Accuracy on the training batches as they were seen.
    public var trainAccuracy: Double
    /// Accuracy on the test set after the epoch (nil when there is none).
    public var testAccuracy: Double?
}

/// Trains an `MLP` by mini-batch SGD on gradients from `MLP.lossAndGradients`; deterministic for a seed.
public final class SGDTrainer {
    /// The network being trained.
    public private(set) var network: MLP
    /// The settings.
    public let options: TrainingOptions
    private var velocityW: [Matrix]
    private var velocityB: [[Double]]
    private var step = 0

    /// A trainer for `network`.
    public init(network: MLP, options: TrainingOptions) {
        Memory.retainFreedBlocks()
        self.network = network
        self.options = options
        velocityW = network.weights.map { Matrix(rows: $0.rows, columns: $0.columns) }
        velocityB = network.biases.map { [Double](repeating: 0, count: $0.count) }
    }

    /// The learning rate for batch `k` of `total`.
    func rate(_ k: Int, of total: Int) -> Double {
        guard options.schedule, total > 0 else { return options.learningRate }
        return options.learningRate * 0.5 * (1 + Foundation.cos(Double.pi * Double(k) / Double(total)))
    }

    /// One epoch over `data` in a seeded shuffled order; `progress(done, total, runningLoss)` after each batch.
    /// Throws `JacobianError.nonFinite` at the first batch whose loss is inf or NaN (training diverged).
    public func trainEpoch(_ data: MNISTSplit, epoch: Int,
                           progress: (Int, Int, Double) -> Void = { _, _, _ in }) throws -> EpochStats {
        let start = DispatchTime.now().uptimeNanoseconds
        var rng = SplitMix64(seed: options.seed &+ 0x5EED &+ UInt64(epoch))
        var order = Array(0..<data.count)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let batches = (data.count + options.batch - 1) / options.batch
        let totalSteps = batches * options.epochs
        var lossSum = 0.0, correct = 0, seen = 0
        for k in 0..<batches {
            let indices = order[(k * options.batch)..<min(data.count, (k + 1) * options.batch)]
            let (x, labels) = data.batch(indices)
            let (loss, f) = descend(x, labels: labels, rate: rate(step, of: totalSteps))
            step += 1
            guard loss.isFinite else { throw TrainingDivergence.error(loss: loss, epoch: epoch, batch: k, of: batches) }
            lossSum += loss * Double(indices.count)
            seen += indices.count
            correct += MLP.correctCount(MLP.predictedClasses(f.probabilities), labels)
            progress(seen, data.count, lossSum / Double(seen))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return EpochStats(epoch: epoch, seconds: seconds, trainLoss: lossSum / Double(seen),
                          trainAccuracy: Double(correct) / Double(seen), testAccuracy: nil)
    }

    /// One momentum step v ← μv − αλW − α∇, W ← W + v. Each weight gradient Σ_b v_bᵀ(I ⊗ a_bᵀ) is kept with
    /// only the batch's nonzero columns (one GEMM), and the update is one fused pass over v and W.
    private func descend(_ x: Matrix, labels: [UInt8], rate: Double) -> (Double, ForwardPass) {
        let mu = options.momentum, l2 = options.l2, layout = options.layout
        var parts = [(gradient: Matrix, columns: [Int]?)](repeating: (Matrix(rows: 0, columns: 0), nil),
                                                          count: network.weights.count)
        var biasGradients = [[Double]](repeating: [], count: network.weights.count)
        let result = network.backward(x, labels: labels[...], l2: l2, layout: layout) { l, kronecker, g in
            parts[l] = kronecker.compactSummedPullback(g, layout: layout)
        } biasGradient: { l, b in
            biasGradients[l] = b
        }
        for l in network.weights.indices {
            Self.momentumStep(&network.weights[l], &velocityW[l], gradient: parts[l].gradient,
                              columns: parts[l].columns, mu: mu, rate: rate, l2: l2)
            for k in velocityB[l].indices {
                velocityB[l][k] = mu * velocityB[l][k] - rate * biasGradients[l][k]
                network.biases[l][k] += velocityB[l][k]
            }
        }
        return result
    }

    /// v ← μv − αλW − α∇, W ← W + v, row by row; ∇ holds only `columns` of W's (nil: all), the rest are zero.
    /// Each row is two contiguous passes the compiler vectorizes and one scatter over the gradient's k columns.
    static func momentumStep(_ w: inout Matrix, _ v: inout Matrix, gradient: Matrix, columns: [Int]?,
                             mu: Double, rate: Double, l2: Double) {
        let n = w.columns, k = gradient.columns, rows = w.rows
        let decay = rate * l2
        let selected = columns ?? []
        w.elements.withUnsafeMutableBufferPointer { wp in
            v.elements.withUnsafeMutableBufferPointer { vp in
                gradient.elements.withUnsafeBufferPointer { gp in
                    selected.withUnsafeBufferPointer { cp in
                        let p = UpdatePointers(w: wp.baseAddress!, v: vp.baseAddress!, g: gp.baseAddress,
                                               columns: cp.baseAddress)
                        let dense = columns == nil
                        // Rows are independent: split them over the workers BLAS uses (1 unless `useOwnThreads`).
                        let parts = rows * n >= 65_536 ? BLAS.workers : 1
                        let body: @Sendable (Int) -> Void = { part in
                            for i in (rows * part / parts)..<(rows * (part + 1) / parts) {
                                let vr = p.v + i * n, wr = p.w + i * n, gr = p.g! + i * k
                                if mu == 0 {
                                    // Plain SGD keeps no velocity: W ← W − αλW − α∇ touches only ∇'s columns
                                    // (and every entry once when λ > 0).
                                    if decay != 0 { for j in 0..<n { wr[j] -= decay * wr[j] } }
                                    if dense {
                                        for j in 0..<n { wr[j] -= rate * gr[j] }
                                    } else {
                                        for c in 0..<k { wr[p.columns![c]] -= rate * gr[c] }
                                    }
                                    continue
                                }
                                for j in 0..<n { vr[j] = mu * vr[j] - decay * wr[j] }
                                if dense {
                                    for j in 0..<n { vr[j] -= rate * gr[j] }
                                } else {
                                    for c in 0..<k { vr[p.columns![c]] -= rate * gr[c] }
                                }
                                for j in 0..<n { wr[j] += vr[j] }
                            }
                        }
                        if parts == 1 {
                            body(0)
                        } else {
                            DispatchQueue.concurrentPerform(iterations: parts, execute: body)
                        }
                    }
                }
            }
        }
    }

}

extension MLP {
    /// Predicted classes for every image of `data`, in batches of 1000.
    public func predictions(_ data: MNISTSplit) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(data.count)
        for start in stride(from: 0, to: data.count, by: 1000) {
            out += predict(data.batch(Array(start..<min(data.count, start + 1000))[...]).x)
        }
        return out
    }

    /// Fraction of `data` classified correctly.
    public func accuracy(_ data: MNISTSplit) -> Double {
        Double(Self.correctCount(predictions(data), data.labels)) / Double(max(data.count, 1))
    }
}

/// The buffers of one momentum step, shared by workers that update disjoint rows.
private struct UpdatePointers: @unchecked Sendable {
    let w: UnsafeMutablePointer<Double>
    let v: UnsafeMutablePointer<Double>
    let g: UnsafePointer<Double>?
    let columns: UnsafePointer<Int>?
}
