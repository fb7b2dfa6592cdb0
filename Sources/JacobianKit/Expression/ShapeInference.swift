import Foundation

/// Infers the shape (rows × columns; vectors are n×1 columns, scalars 1×1) of every sub-expression and every
/// variable from what is given (`--dim`, `--shape`, the count of a given value) and from the operators.
///
/// Rules are applied until nothing changes; where the operators leave a choice, defaults apply in this order:
/// the two sides of `+ - .* ./` have one shape unless one is a known scalar; the argument of a vector function
/// is a column; a variable with known rows is a column; a bare `--at` fills free inputs in order; a variable
/// about which nothing is known is a scalar. A variable with one dimension still unknown after that is an error.
final class ShapeInference {
    /// How a slot's shape relates to its arguments'.
    enum Rule: Equatable {
        case number(Double)
        case variable(String)
        case negate
        case transpose
        case elementwise(BinaryOperator)
        case multiply
        case divide
        case power(Double)
        case bracket(rowLengths: [Int])
        case call(ExpressionFunction, constants: [Double])
    }

    /// One sub-expression: its syntax, rule, arguments (slot indices) and shape terms.
    struct Slot {
        let syntax: ExpressionSyntax
        let rule: Rule
        let args: [Int]
        let rows: Int
        let columns: Int
    }

    private(set) var slots: [Slot] = []
    private var parent: [Int] = []
    private var bound: [Int?] = []
    private var variableDims: [String: (Int, Int)] = [:]
    private let text: String
    private let counts: [String: Int]

    /// The solved shape of slot `k`.
    func shape(_ k: Int) -> NodeShape { NodeShape(rows: value(slots[k].rows)!, columns: value(slots[k].columns)!) }

    /// The solved shape of every variable.
    var variableShapes: [String: NodeShape] {
        variableDims.mapValues { NodeShape(rows: value($0.0)!, columns: value($0.1)!) }
    }

    /// Builds the slots of `syntax` and solves their shapes.
    /// - Parameters:
    ///   - known: shapes given for variables (flags or value counts).
    ///   - counts: how many numbers a variable's given value has (its rows·columns).
    ///   - inputs: the input variables, in order (for the bare-point rule).
    ///   - barePointCount: the count of a bare `--at`, when one is given.
    init(_ syntax: ExpressionSyntax, text: String, known: [String: NodeShape], counts: [String: Int] = [:],
         inputs: [String], barePointCount: Int?) throws {
        self.text = text
        self.counts = counts
        _ = try build(syntax)
        for (name, n) in counts where n == 1 {
            guard let dims = variableDims[name] else { continue }
            try unify(dims.0, constant(1)) { "\(name) is given one number but is used as \(self.describe(dims))" }
            try unify(dims.1, constant(1)) { "\(name) is given one number but is used as \(self.describe(dims))" }
        }
        for (name, s) in known {
            guard let dims = variableDims[name] else { continue }
            try unify(dims.0, constant(s.rows)) { "\(name) is given as \(s) but is used as \(self.describe(dims))" }
            try unify(dims.1, constant(s.columns)) { "\(name) is given as \(s) but is used as \(self.describe(dims))" }
        }
        try solve(inputs: inputs, barePointCount: barePointCount)
    }

    // MARK: Union-find over dimensions

    private func newDim() -> Int {
        parent.append(parent.count)
        bound.append(nil)
        return parent.count - 1
    }

    private func constant(_ v: Int) -> Int {
        let d = newDim()
        bound[d] = v
        return d
    }

    private func find(_ d: Int) -> Int {
        var d = d
        while parent[d] != d { d = parent[d] }
        return d
    }

    private func value(_ d: Int) -> Int? { bound[find(d)] }

    /// Makes two dimensions one; returns whether anything changed. `conflict` describes a mismatch.
    @discardableResult
    private func unify(_ a: Int, _ b: Int, _ conflict: () -> String) throws -> Bool {
        let ra = find(a), rb = find(b)
        if ra == rb { return false }
        if let va = bound[ra], let vb = bound[rb] {
            if va != vb { throw JacobianError.shapeMismatch(conflict()) }
            // Two roots with one value: merged, but nothing new is known (so rules that make fresh constants
            // cannot keep reporting a change).
            parent[rb] = ra
            return false
        }
        parent[rb] = ra
        bound[ra] = bound[ra] ?? bound[rb]
        return true
    }

    // MARK: Building slots

    private func add(_ syntax: ExpressionSyntax, _ rule: Rule, _ args: [Int], rows: Int? = nil,
                              columns: Int? = nil) -> Int {
        let r = rows ?? newDim(), c = columns ?? newDim()
        slots.append(Slot(syntax: syntax, rule: rule, args: args, rows: r, columns: c))
        return slots.count - 1
    }

    private func source(_ e: ExpressionSyntax) -> String { e.range.text(in: text) }

    private func build(_ e: ExpressionSyntax) throws -> Int {
        switch e {
        case let .number(v, _):
            return add(e, .number(v), [], rows: constant(1), columns: constant(1))
        case let .name(n, r):
            if ExpressionFunction(rawValue: n) != nil {
                throw JacobianError.syntax("'\(n)' is a function; call it as \(n)(…)", text: text, column: r.start)
            }
            let dims = variableDims[n] ?? (newDim(), newDim())
            variableDims[n] = dims
            return add(e, .variable(n), [], rows: dims.0, columns: dims.1)
        case let .negate(a, _):
            let k = try build(a)
            return add(e, .negate, [k], rows: slots[k].rows, columns: slots[k].columns)
        case let .transpose(a, _):
            let k = try build(a)
            return add(e, .transpose, [k], rows: slots[k].columns, columns: slots[k].rows)
        case let .binary(op, a, b, _):
            if op == .power {
                guard let exponent = Self.constantValue(b) else {
                    throw JacobianError.syntax(
                        "the exponent of ^ must be a constant number; for a variable power write exp(y*log(x))",
                        text: text, column: b.range.start)
                }
                let k = try build(a)
                return add(e, .power(exponent), [k], rows: slots[k].rows, columns: slots[k].columns)
            }
            let ka = try build(a), kb = try build(b)
            switch op {
            case .multiply: return add(e, .multiply, [ka, kb])
            case .divide:
                let one = constant(1)
                try unify(slots[kb].rows, one) {
                    "'/' divides by a scalar, but \(self.source(b)) is \(self.describe(kb)); "
                        + "for entry-by-entry division write ./"
                }
                try unify(slots[kb].columns, one) {
                    "'/' divides by a scalar, but \(self.source(b)) is \(self.describe(kb)); "
                        + "for entry-by-entry division write ./"
                }
                return add(e, .divide, [ka, kb], rows: slots[ka].rows, columns: slots[ka].columns)
            default: return add(e, .elementwise(op), [ka, kb])
            }
        case let .call(name, args, r):
            let f = try ExpressionFunction.named(name, text: text, column: r.start)
            guard f.arity.contains(args.count) else {
                let want = f.arity.count == 1 ? "\(f.arity.lowerBound)"
                    : "\(f.arity.lowerBound) or \(f.arity.upperBound)"
                throw JacobianError.syntax(
                    "\(name) takes \(want) argument\(f.arity.upperBound == 1 ? "" : "s") (\(f.usage)), "
                    + "but is given \(args.count)",
                    text: text, column: r.start)
            }
            var constants: [Double] = []
            var operands = args
            if f == .leaky_relu, args.count == 2 {
                guard let slope = Self.constantValue(args[1]) else {
                    throw JacobianError.syntax("the slope of leaky_relu must be a constant number",
                                               text: text, column: args[1].range.start)
                }
                constants = [slope]
                operands = [args[0]]
            }
            let ks = try operands.map { try build($0) }
            let one = constant(1)
            switch f.kind {
            case .elementwise, .vector:
                return add(e, .call(f, constants: constants), ks, rows: slots[ks[0]].rows,
                           columns: slots[ks[0]].columns)
            case .reduction:
                return add(e, .call(f, constants: constants), ks, rows: one, columns: one)
            case .loss:
                try unify(slots[ks[0]].rows, slots[ks[1]].rows) { self.lossMismatch(f, args) }
                try unify(slots[ks[0]].columns, slots[ks[1]].columns) { self.lossMismatch(f, args) }
                return add(e, .call(f, constants: constants), ks, rows: one, columns: one)
            case .square:
                return add(e, .call(f, constants: constants), ks, rows: slots[ks[0]].rows,
                           columns: slots[ks[0]].columns)
            case .squareToScalar:
                return add(e, .call(f, constants: constants), ks, rows: one, columns: one)
            }
        case let .bracket(rows, _):
            var ks: [Int] = []
            var lengths: [Int] = []
            for row in rows {
                let built = try row.map { try build($0) }
                if built.count > 1 {
                    for (k, item) in zip(built, row) {
                        let one = constant(1)
                        try unify(slots[k].rows, one) { self.notScalarEntry(item, k) }
                        try unify(slots[k].columns, one) { self.notScalarEntry(item, k) }
                    }
                }
                ks += built
                lengths.append(built.count)
            }
            if rows.count == 1 && lengths[0] > 1 {
                // [a, b, c] is a column of scalars, as the notes write f: R² → R³.
                return add(e, .bracket(rowLengths: lengths), ks, rows: constant(lengths[0]), columns: constant(1))
            }
            // Rows stacked vertically: every row has the same number of columns.
            let columns = lengths[0] > 1 ? constant(lengths[0]) : slots[ks[0]].columns
            var at = 0
            for (row, n) in zip(rows, lengths) {
                let width = n > 1 ? constant(n) : slots[ks[at]].columns
                try unify(columns, width) {
                    "the rows of \(self.source(e)) must have equal widths, but "
                        + "\(row.map(self.source).joined(separator: ", ")) does not"
                }
                at += n
            }
            return add(e, .bracket(rowLengths: lengths), ks, columns: columns)
        }
    }

    /// The value of a constant sub-expression (numbers, + − * / ^ of numbers), nil when it has a variable.
    static func constantValue(_ e: ExpressionSyntax) -> Double? {
        switch e {
        case let .number(v, _): return v
        case let .negate(a, _): return constantValue(a).map { -$0 }
        case let .transpose(a, _): return constantValue(a)
        case let .binary(op, a, b, _):
            guard let x = constantValue(a), let y = constantValue(b) else { return nil }
            switch op {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply, .hadamard: return x * y
            case .divide, .elementwiseDivide: return x / y
            case .power: return Foundation.pow(x, y)
            }
        default: return nil
        }
    }

    // MARK: Solving

    private func isScalar(_ k: Int) -> Bool { value(slots[k].rows) == 1 && value(slots[k].columns) == 1 }

    private func isNonScalar(_ k: Int) -> Bool {
        (value(slots[k].rows).map { $0 != 1 } ?? false) || (value(slots[k].columns).map { $0 != 1 } ?? false)
    }

    private func unifyShapes(_ a: Int, _ b: Int, _ conflict: () -> String) throws -> Bool {
        let r = try unify(slots[a].rows, slots[b].rows, conflict)
        let c = try unify(slots[a].columns, slots[b].columns, conflict)
        return r || c
    }

    /// One pass of the rules that leave no choice; returns whether anything changed.
    private func propagate() throws -> Bool {
        var changed = false
        for k in slots.indices {
            let s = slots[k]
            switch s.rule {
            case .elementwise(let op):
                let (a, b) = (s.args[0], s.args[1])
                let clash = { self.elementwiseMismatch(op, k) }
                if isScalar(a) {
                    changed = try unifyShapes(k, b, clash) || changed
                } else if isScalar(b) {
                    changed = try unifyShapes(k, a, clash) || changed
                } else if isNonScalar(a) || isNonScalar(b) {
                    changed = try unifyShapes(k, a, clash) || changed
                    changed = try unifyShapes(k, b, clash) || changed
                }
            case .multiply:
                let (a, b) = (s.args[0], s.args[1])
                if isScalar(a) {
                    changed = try unifyShapes(k, b) { self.productMismatch(k) } || changed
                } else if isScalar(b) {
                    changed = try unifyShapes(k, a) { self.productMismatch(k) } || changed
                } else if isNonScalar(a) || isNonScalar(b) {
                    changed = try unify(slots[a].columns, slots[b].rows) { self.productMismatch(k) } || changed
                    changed = try unify(s.rows, slots[a].rows) { self.productMismatch(k) } || changed
                    changed = try unify(s.columns, slots[b].columns) { self.productMismatch(k) } || changed
                }
            case .bracket(let lengths):
                // [a, b, c] is a column whose height is fixed when it is built.
                if lengths.count == 1 && lengths[0] > 1 { continue }
                // The stacked rows add up to the result's rows: with one part unknown, that part is the rest.
                var total = 0, at = 0
                var unknown: [Int] = []
                for n in lengths {
                    if n > 1 {
                        total += 1
                    } else if let h = value(slots[s.args[at]].rows) {
                        let (sum, overflow) = total.addingReportingOverflow(h)
                        if overflow {
                            throw JacobianError.tooLarge("\(source(s.syntax)) has more rows than can be counted.")
                        }
                        total = sum
                    } else {
                        unknown.append(s.args[at])
                    }
                    at += n
                }
                let clash = {
                    "the rows of \(self.source(s.syntax)) add up to \(total), but it is used as \(self.describe(k))"
                }
                if unknown.isEmpty {
                    if let rows = value(s.rows) {
                        if rows != total { throw JacobianError.shapeMismatch(clash()) }
                    } else {
                        changed = try unify(s.rows, constant(total), clash) || changed
                    }
                } else if unknown.count == 1, let rows = value(s.rows) {
                    guard rows > total else { throw JacobianError.shapeMismatch(clash()) }
                    changed = try unify(slots[unknown[0]].rows, constant(rows - total), clash) || changed
                }
            case .call(let f, _):
                switch f.kind {
                case .square, .squareToScalar:
                    let a = s.args[0]
                    changed = try unify(slots[a].rows, slots[a].columns) {
                        self.notSquare(f, self.slots[a].syntax, a)
                    } || changed
                default: break
                }
                if case .vector = f.kind, isNonScalar(s.args[0]), let r = value(slots[s.args[0]].rows),
                   let c = value(slots[s.args[0]].columns), r != 1 && c != 1 {
                    throw JacobianError.shapeMismatch(
                        "\(f.rawValue) takes a vector, but \(source(slots[s.args[0]].syntax)) is \(r)x\(c)")
                }
                if case .loss(true) = f.kind, let r = value(slots[s.args[0]].rows),
                   let c = value(slots[s.args[0]].columns), r != 1 && c != 1 {
                    throw JacobianError.shapeMismatch(
                        "\(f.rawValue) takes vectors, but \(source(slots[s.args[0]].syntax)) is \(r)x\(c)")
                }
            default: continue
            }
        }
        for (name, n) in counts.sorted(by: { $0.key < $1.key }) {
            guard let dims = variableDims[name] else { continue }
            let clash = { "\(name) is given \(n) numbers, which do not fill \(self.describe(dims))" }
            switch (value(dims.0), value(dims.1)) {
            case (let r?, nil):
                guard r > 0, n % r == 0 else { throw JacobianError.shapeMismatch(clash()) }
                changed = try unify(dims.1, constant(n / r), clash) || changed
            case (nil, let c?):
                guard c > 0, n % c == 0 else { throw JacobianError.shapeMismatch(clash()) }
                changed = try unify(dims.0, constant(n / c), clash) || changed
            case (let r?, let c?):
                if r.multipliedReportingOverflow(by: c) != (n, false) { throw JacobianError.shapeMismatch(clash()) }
            default: break
            }
        }
        return changed
    }

    /// A variable with a given value of n numbers, and no known dimension, is a vector of n (a scalar for 1).
    private func defaultCounts() throws -> Bool {
        for (name, n) in counts.sorted(by: { $0.key < $1.key }) {
            guard let dims = variableDims[name], value(dims.0) == nil, value(dims.1) == nil else { continue }
            try unify(dims.0, constant(n)) { "" }
            try unify(dims.1, constant(1)) { "" }
            return true
        }
        return false
    }

    private func propagateFully() throws {
        while try propagate() {}
    }

    private func solve(inputs: [String], barePointCount: Int?) throws {
        try propagateFully()
        while true {
            if try defaultElementwise() || defaultVectorArguments() || defaultCounts() || defaultColumns()
                || defaultFromBarePoint(inputs: inputs, count: barePointCount) || defaultScalar() {
                try propagateFully()
                continue
            }
            break
        }
        for (name, dims) in variableDims.sorted(by: { $0.key < $1.key }) {
            let r = value(dims.0), c = value(dims.1)
            if r != nil && c != nil { continue }
            let flag: String
            switch (r, c) {
            case (nil, let c?): flag = "--shape \(name)=Rx\(c)"
            case (let r?, nil): flag = "--shape \(name)=\(r)xC"
            default: flag = "--dim \(name)=N or --shape \(name)=RxC"
            }
            throw JacobianError.invalidArgument(
                "The shape of \(name) cannot be inferred from the expression (it is \(describe(dims))); "
                + "give it with \(flag).")
        }
    }

    /// Both sides of `+ - .* ./` take the result's shape unless one is a known scalar.
    private func defaultElementwise() throws -> Bool {
        var changed = false
        for k in slots.indices {
            guard case .elementwise(let op) = slots[k].rule else { continue }
            let (a, b) = (slots[k].args[0], slots[k].args[1])
            if isScalar(a) || isScalar(b) { continue }
            changed = try unifyShapes(k, a) { self.elementwiseMismatch(op, k) } || changed
            changed = try unifyShapes(k, b) { self.elementwiseMismatch(op, k) } || changed
        }
        return changed
    }

    /// The argument of softmax, log_softmax, softmax_ce and hinge is a column unless known to be a row.
    private func defaultVectorArguments() throws -> Bool {
        var changed = false
        for s in slots {
            guard case .call(let f, _) = s.rule else { continue }
            switch f.kind {
            case .vector, .loss(vectorOnly: true):
                let a = s.args[0]
                if value(slots[a].columns) == nil && value(slots[a].rows) != 1 {
                    changed = try unify(slots[a].columns, constant(1)) { "" } || changed
                }
            default: continue
            }
        }
        return changed
    }

    /// A variable whose rows are known and columns are not is a column vector.
    private func defaultColumns() throws -> Bool {
        for (_, dims) in variableDims.sorted(by: { $0.key < $1.key })
            where value(dims.0) != nil && value(dims.1) == nil {
            return try unify(dims.1, constant(1)) { "" }
        }
        return false
    }

    /// A bare point fills free inputs: one free input takes what the others leave; several take one each.
    private func defaultFromBarePoint(inputs: [String], count: Int?) throws -> Bool {
        guard let count else { return false }
        var free: [String] = []
        var used = 0
        for name in inputs {
            guard let dims = variableDims[name] else { continue }
            if let r = value(dims.0), let c = value(dims.1) { used += r * c } else { free.append(name) }
        }
        guard !free.isEmpty, count > used else { return false }
        let left = count - used
        if free.count == 1, let dims = variableDims[free[0]], value(dims.0) == nil || value(dims.1) == nil {
            let rows = value(dims.0), columns = value(dims.1)
            switch (rows, columns) {
            case (nil, nil):
                try unify(dims.0, constant(left)) { "" }
                try unify(dims.1, constant(1)) { "" }
                return true
            case (let r?, nil) where left % r == 0: return try unify(dims.1, constant(left / r)) { "" }
            case (nil, let c?) where left % c == 0: return try unify(dims.0, constant(left / c)) { "" }
            default: return false
            }
        }
        guard left == free.count else { return false }
        var changed = false
        for name in free {
            let dims = variableDims[name]!
            changed = try unify(dims.0, constant(1)) { "" } || changed
            changed = try unify(dims.1, constant(1)) { "" } || changed
        }
        return changed
    }

    /// The first variable (in order of appearance) about which nothing is known is a scalar.
    private func defaultScalar() throws -> Bool {
        for name in slotsVariableOrder {
            let dims = variableDims[name]!
            if value(dims.0) == nil && value(dims.1) == nil {
                try unify(dims.0, constant(1)) { "" }
                try unify(dims.1, constant(1)) { "" }
                return true
            }
        }
        return false
    }

    private var slotsVariableOrder: [String] {
        var seen: [String] = []
        for s in slots { if case .variable(let n) = s.rule, !seen.contains(n) { seen.append(n) } }
        return seen
    }

    // MARK: Messages

    private func describe(_ dims: (Int, Int)) -> String {
        let r = value(dims.0), c = value(dims.1)
        switch (r, c) {
        case (1?, 1?): return "a scalar"
        case (let n?, 1?): return "a vector of \(n)"
        case (let r?, let c?): return "\(r)x\(c)"
        default: return "\(r.map(String.init) ?? "?")x\(c.map(String.init) ?? "?")"
        }
    }

    private func describe(_ k: Int) -> String { describe((slots[k].rows, slots[k].columns)) }

    private func elementwiseMismatch(_ op: BinaryOperator, _ k: Int) -> String {
        let (a, b) = (slots[k].args[0], slots[k].args[1])
        return "'\(op.rawValue)' in '\(source(slots[k].syntax))' needs two operands of one shape (or a scalar), "
            + "but \(source(slots[a].syntax)) is \(describe(a)) and \(source(slots[b].syntax)) is \(describe(b))"
    }

    private func productMismatch(_ k: Int) -> String {
        let (a, b) = (slots[k].args[0], slots[k].args[1])
        return "'*' in '\(source(slots[k].syntax))' is a matrix product, so the columns of \(source(slots[a].syntax)) "
            + "(\(describe(a))) must equal the rows of \(source(slots[b].syntax)) (\(describe(b)))"
    }

    private func lossMismatch(_ f: ExpressionFunction, _ args: [ExpressionSyntax]) -> String {
        "\(f.rawValue) compares two arguments of one shape, but \(source(args[0])) and \(source(args[1])) differ"
    }

    private func notSquare(_ f: ExpressionFunction, _ arg: ExpressionSyntax, _ k: Int) -> String {
        "\(f.rawValue) needs a square matrix, but \(source(arg)) is \(describe(k))"
    }

    private func notScalarEntry(_ item: ExpressionSyntax, _ k: Int) -> String {
        "the entries of a row [a, b, …] must be scalars, but \(source(item)) is \(describe(k)); stack with ; instead"
    }
}

/// The shape of a node: rows × columns; a vector is a column (n×1), a scalar 1×1.
struct NodeShape: Hashable, Sendable, CustomStringConvertible {
    var rows: Int
    var columns: Int

    /// rows·columns.
    var count: Int { rows * columns }
    /// Whether the node is 1×1.
    var isScalar: Bool { rows == 1 && columns == 1 }

    /// The public shape: a scalar or column is a vector, anything else a matrix.
    var shape: Shape { columns == 1 ? .vector(rows) : .matrix(rows: rows, columns: columns) }

    /// "a scalar", "a vector of 3", "3x4".
    var description: String {
        if isScalar { return "a scalar" }
        if columns == 1 { return "a vector of \(rows)" }
        return "\(rows)x\(columns)"
    }
}
