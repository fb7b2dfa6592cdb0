import Foundation

/// What one pass of a check found over some stored rows (inputs) of Jᵀ: verdict counts, the extremes, the worst
/// entries, kinks and undecided columns. Tallies of disjoint row ranges merge, in row order, into the same result
/// one pass over all rows gives, so the pass can be split over the machine's cores.
struct ComparisonTally {
    var counts = VerdictCounts()
    var maxAbs = 0.0, maxRel = 0.0
    var worstFail: (j: Int, i: Int, ratio: Double)?
    var worstPass: (j: Int, i: Int, rel: Double, size: Double)?
    var worstOpen: (j: Int, i: Int, d: Double)?
    var failing: [(j: Int, i: Int, ratio: Double)] = []
    var undecided: [(j: Int, i: Int, d: Double)] = []
    var kinks: [(j: Int, i: Int, left: Double, right: Double, analytic: Double, inside: Bool)] = []
    var undecidedEscalated = 0
    var undecidedColumns: [Int] = []
    var undecidedEntries = 0
    /// Escalated columns holding a failed entry (for a second opinion).
    var failedEscalatedColumns: [Int] = []
    /// Entries whose two references disagreed.
    var disagreements = 0

    /// Adds a failed entry.
    mutating func fail(_ j: Int, _ i: Int, ratio: Double) {
        counts.fail += 1
        if worstFail == nil || ratio > worstFail!.ratio { worstFail = (j, i, ratio) }
        Self.keep(&failing, (j, i, ratio)) { $0.ratio > $1.ratio }
    }

    /// Adds a passed entry with its relative error; ties go to the largest entry, not to a structural zero.
    mutating func pass(_ j: Int, _ i: Int, rel: Double, size: Double) {
        counts.pass += 1
        if let w = worstPass, rel < w.rel || (rel == w.rel && size <= w.size) { return }
        worstPass = (j, i, rel, size)
    }

    /// Adds an entry no method decided.
    mutating func open(_ j: Int, _ i: Int, d: Double) {
        counts.inconclusive += 1
        if worstOpen == nil || d > worstOpen!.d { worstOpen = (j, i, d) }
        Self.keep(&undecided, (j, i, d)) { $0.d > $1.d }
    }

    /// Folds in the tally of the rows after these.
    mutating func merge(_ o: ComparisonTally) {
        counts.pass += o.counts.pass
        counts.fail += o.counts.fail
        counts.inconclusive += o.counts.inconclusive
        if o.maxAbs > maxAbs || o.maxAbs.isNaN { maxAbs = o.maxAbs }
        if o.maxRel > maxRel || o.maxRel.isNaN { maxRel = o.maxRel }
        if let w = o.worstFail, worstFail == nil || w.ratio > worstFail!.ratio { worstFail = w }
        if let w = o.worstPass {
            if let v = worstPass, w.rel < v.rel || (w.rel == v.rel && w.size <= v.size) {} else { worstPass = w }
        }
        if let w = o.worstOpen, worstOpen == nil || w.d > worstOpen!.d { worstOpen = w }
        for f in o.failing { Self.keep(&failing, f) { $0.ratio > $1.ratio } }
        for u in o.undecided { Self.keep(&undecided, u) { $0.d > $1.d } }
        kinks += o.kinks
        undecidedEscalated += o.undecidedEscalated
        undecidedColumns += o.undecidedColumns
        undecidedEntries += o.undecidedEntries
        failedEscalatedColumns += o.failedEscalatedColumns
        disagreements += o.disagreements
    }

    /// Keeps the 8 largest items by `larger`, largest first.
    static func keep<T>(_ list: inout [T], _ item: T, by larger: (T, T) -> Bool) {
        if list.count == 8, let last = list.last, !larger(item, last) { return }
        let at = list.firstIndex { larger(item, $0) } ?? list.count
        list.insert(item, at: at)
        if list.count > 8 { list.removeLast() }
    }
}

/// Results computed on several threads, each written to its own index under a lock; nil where none was set.
final class IndexedResults<Value>: @unchecked Sendable {
    private var items: [Value?]
    private let lock = NSLock()

    init(count: Int) { items = Array(repeating: nil, count: count) }

    func set(_ k: Int, _ v: Value) {
        lock.lock()
        items[k] = v
        lock.unlock()
    }

    /// Every slot, in index order.
    var all: [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}
