import Foundation
import JacobianKit

/// The training loop's output: a progress bar (plain lines off a terminal), epoch lines or JSON, the summary.
struct MNISTRun {
    let options: TrainingOptions
    let json: Bool
    /// Where to write the loss curve as SVG, if anywhere.
    var plot: String?

    struct Summary: Encodable {
        var testAccuracy: Double, layout: Layout, seconds: Double, epochs: Int, sizes: [Int], activation: Activation
    }

    func run(_ start: MLP, train: MNISTSplit, test: MNISTSplit) throws -> MLP {
        let began = DispatchTime.now().uptimeNanoseconds
        let trainer = SGDTrainer(network: start, options: options)
        // Progress is transient: it goes to standard error, as a redrawn bar on a terminal, else as a few lines.
        let tty = isatty(STDERR_FILENO) == 1
        if !json {
            // A net without hidden layers has no activation; --epochs 0 only evaluates.
            let net = start.sizes.map(String.init).joined(separator: "-")
                + (start.sizes.count > 2 ? " \(start.activation.rawValue)" : " (softmax regression)")
            if options.epochs == 0 {
                Output.line("evaluating \(net) on \(test.count) test images, \(options.layout.rawValue) layout")
            } else {
                Output.line("training \(net): \(options.epochs) epoch\(options.epochs == 1 ? "" : "s") "
                            + "of \(train.count) images, batch \(options.batch), lr \(options.learningRate)"
                            + (options.schedule ? " (cosine decay)" : "") + ", momentum \(options.momentum)"
                            + (options.l2 > 0 ? ", L2 \(options.l2)" : "") + ", \(options.layout.rawValue) layout")
            }
        }
        var losses: [Double] = []
        var testPredictions: [Int]?
        var curve: [(x: Double, y: Double)] = []
        for epoch in 0..<options.epochs {
            var lastShown = 0, lastSampled = 0
            var stats = try trainer.trainEpoch(train, epoch: epoch) { done, total, loss in
                if done - lastSampled >= max(1, total / 20) || done == total {
                    lastSampled = done
                    curve.append((Double(epoch) + Double(done) / Double(total), loss))
                }
                guard !json else { return }
                if tty {
                    if done - lastShown >= total / 50 || done == total {
                        lastShown = done
                        Output.progress(epoch: epoch + 1, of: options.epochs, done: done, total: total, loss: loss,
                                        seconds: Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9)
                    }
                } else if done * 4 / total > lastShown * 4 / total && done < total {
                    lastShown = done
                    Output.note("  epoch \(epoch + 1): \(done)/\(total) images, "
                                + "running loss \(String(format: "%.4f", loss))")
                }
            }
            stats.epoch = epoch + 1
            // The test set is classified once per epoch; the last epoch's predictions also feed the summary.
            let predicted = trainer.network.predictions(test)
            testPredictions = predicted
            stats.testAccuracy = Double(MLP.correctCount(predicted, test.labels)) / Double(max(test.count, 1))
            losses.append(stats.trainLoss)
            if json {
                try Output.json(stats)
            } else {
                if tty { Output.clearLine() }
                let full = String(format: "epoch %2d/%d  train loss %.4f  train accuracy %.2f%%  "
                                  + "test accuracy %.2f%%  %.2f s",
                                  epoch + 1, options.epochs, stats.trainLoss, 100 * stats.trainAccuracy,
                                  100 * (stats.testAccuracy ?? 0), stats.seconds)
                let short = String(format: "epoch %d/%d  loss %.4f  train %.2f%%  test %.2f%%  %.2f s",
                                   epoch + 1, options.epochs, stats.trainLoss, 100 * stats.trainAccuracy,
                                   100 * (stats.testAccuracy ?? 0), stats.seconds)
                Output.line(full.count <= Terminal.width ? full : short)
            }
        }
        let network = trainer.network
        let predictions = testPredictions ?? network.predictions(test)
        let correct = MLP.correctCount(predictions, test.labels)
        let accuracy = Double(correct) / Double(test.count)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let lossCurve = LossCurve(points: curve, xLabel: "epoch", yLabel: "running training loss")
        if let path = plot {
            try lossCurve.writeSVG(to: path, title: "MNIST \(network.sizes.map(String.init).joined(separator: "-")) "
                                   + "\(network.activation.rawValue), \(options.layout.rawValue) layout")
        }
        if json {
            try Output.json(Summary(testAccuracy: accuracy, layout: options.layout, seconds: seconds,
                                    epochs: options.epochs, sizes: network.sizes, activation: network.activation))
        } else {
            Output.line()
            Output.line(MNISTDrawing.confusion(predictions, test.labels))
            // Each digit takes 30 columns: as many as fit, none on a very narrow terminal.
            let digits = min(4, Terminal.width / 30)
            if digits > 0 { Output.line(MNISTDrawing.misclassified(predictions, test, count: digits)) }
            Output.line(lossCurve.terminal(width: min(60, Terminal.width - 12)))
            Output.line(String(format: "test accuracy %.2f%% (%d of %d), %.1f s", 100 * accuracy, correct, test.count,
                               seconds))
            if let path = plot { Output.line("wrote the loss curve to \(path)") }
        }
        return network
    }
}

extension Output {
    /// Redraws the progress bar on the current terminal line.
    static func progress(epoch: Int, of epochs: Int, done: Int, total: Int, loss: Double, seconds: Double) {
        // The bar shrinks so the whole line fits: a line wider than the terminal would wrap and every \r redraw
        // would land on a new line.
        let width = max(5, min(30, Terminal.errorWidth - 50))
        let filled = width * done / max(total, 1)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let text = String(format: "\repoch %d/%d %@ %3d%%  %6.0f img/s  loss %.4f", epoch, epochs, bar,
                          100 * done / max(total, 1), rate, loss)
        StandardStreams.error(text)
    }

    /// Erases the progress bar's line.
    static func clearLine() { StandardStreams.error("\r\u{1B}[2K") }

    /// A transient line (progress) on standard error, so results piped to a file stay clean.
    static func note(_ s: String) { StandardStreams.error(s + "\n") }
}
