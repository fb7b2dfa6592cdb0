import ArgumentParser
import JacobianKit

/// What `check` checks: first derivatives (the Jacobian) or second derivatives (the Hessian of a scalar map).
enum DerivativeOrder: Int, ExpressibleByArgument, CaseIterable {
    case first = 1, second = 2
}

extension CheckCommand {
    /// Refuses, in one sentence, the options of the first-order check that --order 2 would ignore.
    func ensureOrderCombines() throws {
        guard order == .second else { return }
        if point.map == "all" {
            throw ValidationError("'check all' checks the Jacobians of every built-in map; --order 2 checks the "
                                  + "Hessian of one scalar map, for example 'jacobian check mse --dim 3 --order 2'.")
        }
        let ignored = [("--directions", directions != nil), ("--exec", exec != nil), ("--claimed", claimed != nil),
                       ("--claimed-layout", claimedLayout != nil), ("--step-table", steps),
                       ("--method", method != .central), ("--explain", explain), ("--graph", graph.path != nil)]
            .filter(\.1).map(\.0)
        if let last = ignored.last {
            let list = ignored.count == 1 ? last : ignored.dropLast().joined(separator: ", ") + " and " + last
            throw ValidationError("--order 2 checks a built-in map's or expression's Hessian against central "
                                  + "differences of its gradient; \(list) \(ignored.count == 1 ? "belongs" : "belong") "
                                  + "to the first-order check.")
        }
    }

    /// --order 2: the Hessian check of `jacobian hessian`, with its report and its tolerance unless --atol or
    /// --rtol is given; returns whether it passed.
    func checkHessian() throws -> Bool {
        let (map, x) = try point.resolve()
        guard map.outputShape.count == 1 else {
            let loss = point.isCatalogText ? "\"\(point.map) | mse\"" : "\"sum(\(point.map))\""
            throw ValidationError("--order 2 checks second derivatives of a scalar map, and \(point.map) gives "
                                  + "\(map.outputShape.space); take a loss of it, for example \(loss), or check its "
                                  + "Jacobian with --order 1.")
        }
        let tolerance = Tolerance(absolute: givenAtol ?? Tolerance.default.absolute,
                                  relative: givenRtol ?? Tolerance.default.relative)
        return try HessianCommand.report(map, at: x, point: point, step: Arguments.step(step), tolerance: tolerance)
    }
}
