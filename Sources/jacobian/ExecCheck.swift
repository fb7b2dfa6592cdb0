import ArgumentParser
import Foundation
import JacobianKit

/// `check --exec COMMAND` and `check --claimed FILE`: a user's program, or a Jacobian computed elsewhere,
/// against finite differences. The program is spoken to through `ExecMap` (docs/exec-protocol.md).
enum ExecCheck {
    /// Runs the check the options describe and prints it; returns whether it passed.
    static func run(_ c: CheckCommand) throws -> Bool {
        let point = c.point
        let points = try point.at.map(Arguments.point)
        let given: [Double]? = points.count == 1 && points[0].name == nil ? points[0].values : nil
        var reference: any VectorMap
        var x: [Double]
        var program: ExecMap?
        if let command = c.exec {
            ExecMap.stopProgramsOnInterrupt()
            var shape = try point.inputShape()
            if shape == nil, let g = given { shape = .vector(g.count) }
            if let s = shape { try FiniteDifference.ensureFits(rows: 1, columns: s.count) }
            let exec: ExecMap
            do {
                exec = try ExecMap(command: command, inputShape: shape, jacobianLayout: c.claimedLayout,
                                   timeout: c.timeout, probe: given)
            } catch let JacobianError.program(text) where text.contains("does not declare its input size") {
                throw JacobianError.program(text.replacingOccurrences(
                    of: "and none was given.", with: "and none was given; use --dim N, --shape RxC or --at."))
            }
            try FiniteDifference.ensureFits(rows: exec.outputShape.count, columns: exec.inputShape.count)
            reference = exec
            program = exec
            if let g = given {
                guard g.count == exec.inputShape.count else {
                    throw ValidationError("--at has \(g.count) numbers but the program's input "
                        + "\(exec.inputShape.space) "
                                          + "needs \(exec.inputShape.count).")
                }
                x = g
            } else {
                var rng = SplitMix64(seed: point.seed)
                x = exec.samplePoint(using: &rng)
            }
        } else {
            (reference, x) = try point.resolve()
        }
        if let path = c.claimed {
            guard !point.at.isEmpty else {
                throw ValidationError("--claimed needs --at: the point the claimed Jacobian was computed at.")
            }
            reference = try ClaimedJacobian.load(path: path, layout: c.claimedLayout ?? .numerator, of: reference,
                                                 at: x)
        }
        defer { program?.stop() }
        let tolerance = Tolerance(absolute: c.atol, relative: c.rtol)
        if let k = c.directions {
            let report = try DirectionalCheck(count: k, seed: point.seed, tolerance: tolerance,
                                              step: try Arguments.step(c.step), method: c.method, layout: point.layout)
                .run(reference, at: x)
            if point.json {
                try Output.json(report)
            } else {
                let lines = report.textLines(inputShape: reference.inputShape, outputShape: reference.outputShape)
                lines.forEach { Output.line($0) }
            }
            return report.passed
        }
        if let path = point.npy { try OutputPath.ensureWritable(path) }
        let checker = GradientCheck(layout: point.layout, step: try Arguments.step(c.step), tolerance: tolerance,
                                    method: c.method, escalates: c.escalates)
        var report = try checker.run(reference, at: x)
        if let path = point.npy { try report.analytic.matrix.writeNPY(to: path) }
        if c.steps, let w = report.worst {
            report.stepStudy = try StepStudy.run(reference, at: x, output: w.output, input: w.input)
        }
        program?.stop()
        if c.explain && !point.json {
            Output.line("\(reference.name): J = \(reference.formula)")
            Output.line()
        }
        if point.json {
            try Output.json(report)
        } else {
            let note = point.at.isEmpty ? "random, --seed \(point.seed)" : nil
            report.textLines(pointNote: note, width: Terminal.width).forEach { Output.line($0) }
        }
        return report.passed
    }
}
