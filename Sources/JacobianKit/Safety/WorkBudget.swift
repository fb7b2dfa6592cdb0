import Foundation

/// What a command is about to do to a map f: Rⁿ → Rᵐ, for estimating its memory and time before it starts.
public enum Workload: Sendable, Equatable {
    /// Value and dense Jacobian (`eval`); `json` holds the Jacobian as text too, `npy` as file bytes.
    case evaluation(json: Bool, npy: Bool)
    /// Every entry against finite differences (`check`) by `method`.
    case check(method: CheckMethod, json: Bool, npy: Bool)
    /// vᵀJu along `count` random direction pairs and the structured probes (`check --directions`).
    case directions(Int)
}

/// An estimate of one command's peak memory and its work, made from the sizes alone.
public struct WorkEstimate: Sendable, Equatable {
    /// Peak bytes held at once.
    public var bytes: Double
    /// Floating-point operations (a lower bound: each evaluation costs at least its inputs, outputs and constants).
    public var operations: Double
    /// How the bytes come about, e.g. "3 copies of the 4×4 Jacobian".
    public var memoryReason: String
    /// How the work comes about, e.g. "2n = 8 evaluations of about 8 operations each".
    public var workReason: String

    /// An estimate given directly (training runs and other work that is not one map).
    public init(bytes: Double, operations: Double, memoryReason: String, workReason: String) {
        self.bytes = bytes
        self.operations = operations
        self.memoryReason = memoryReason
        self.workReason = workReason
    }

    /// Fixed cost of one evaluation (allocations, calls), in operations: even a tiny map costs about 100 ns.
    public static let evaluationOverhead = 200.0

    /// The estimate for `work` on a map with `inputs` (n) and `outputs` (m), one evaluation costing
    /// `evaluationCost` operations (at least n + m + its constants).
    public init(_ work: Workload, inputs n: Int, outputs m: Int, evaluationCost: Double) {
        let entries = Double(n) * Double(m), jacobian = Double(m) * Double(n) * 8
        let eval = evaluationCost + Self.evaluationOverhead
        let size = "the \(m)×\(n) Jacobian"
        switch work {
        case let .evaluation(json, npy):
            // The structured Jacobian and its dense copy; JSON keeps [[Double]] and the encoder's tree of numbers.
            let copies = (json ? 18.0 : 2.0) + (npy ? 2 : 0)
            bytes = copies * jacobian
            operations = eval + entries
            memoryReason = "\(Int(copies)) copies of \(size)" + (json ? " for --json" : "")
            workReason = "one evaluation and \(Self.count(entries)) entries"
        case let .check(method, json, npy):
            // Finite differences (n×m), the analytic Jacobian, Richardson's error estimate, and for --json both
            // matrices as text (about 25 bytes a number, built then joined).
            var copies = 2.0 + (method == .richardson ? 1 : 0) + (npy ? 2 : 0)
            copies += json ? 12 : 0
            bytes = copies * jacobian
            let (evaluations, factor, rule): (Double, Double, String)
            switch method {
            case .central: (evaluations, factor, rule) = (2 * Double(n), 1, "2n")
            case .richardson: (evaluations, factor, rule) = (6 * Double(n), 1, "6n")
            case .complexStep: (evaluations, factor, rule) = (Double(n), 4, "n complex")
            }
            operations = evaluations * eval * factor + 2 * entries
            memoryReason = "\(Int(copies)) copies of \(size)" + (json ? " for --json" : "")
            workReason = "\(rule) = \(Self.count(evaluations)) evaluations of at least \(Self.count(eval)) "
                + "operations each"
        case let .directions(k):
            // K dense pairs plus the structured probes: at least two evaluations (central differences) and one
            // Jacobian-vector product each; each probe's result is kept (120 bytes), about 12 vectors live at once.
            let probes = Double(k) + Double(DirectionalCheck.structuredProbeCount(inputs: n))
            bytes = Double(k) * 120 + 12 * 8 * Double(n + m)
            operations = probes * (3 * eval + 4 * Double(n + m))
            memoryReason = "\(Self.count(Double(k))) direction results and 12 vectors"
            workReason = "2(K + \(Int(probes) - k)) = \(Self.count(2 * probes)) evaluations of at least "
                + "\(Self.count(eval)) operations each"
        }
    }

    /// 12, 3.4e+09: an exact count while it is short.
    static func count(_ v: Double) -> String {
        v < 1e7 ? String(Int(v)) : String(format: "%.1e", v)
    }
}

/// What a command may spend: the memory available now (Linux: MemAvailable in /proc/meminfo) and a time limit.
/// Work beyond either is refused up front with an estimate, in one sentence.
public struct WorkBudget: Sendable {
    /// Bytes the command may hold at once.
    public var memoryBytes: Double
    /// Seconds the command may run.
    public var seconds: Double
    /// Operations per second assumed for estimates: optimistic, so an estimate is a lower bound on the time.
    public var operationsPerSecond: Double

    /// A budget with explicit limits.
    public init(memoryBytes: Double, seconds: Double = 1800, operationsPerSecond: Double = 2e9) {
        self.memoryBytes = memoryBytes
        self.seconds = seconds
        self.operationsPerSecond = operationsPerSecond
    }

    /// This machine now: 90% of the available memory (JACOBIAN_MEMORY_BYTES overrides it), 30 minutes.
    public static func machine() -> WorkBudget {
        let environment = ProcessInfo.processInfo.environment["JACOBIAN_MEMORY_BYTES"].flatMap(Double.init)
        let available = environment ?? availableMemory().map { 0.9 * Double($0) }
            ?? Double(ProcessInfo.processInfo.physicalMemory) / 2
        return WorkBudget(memoryBytes: available)
    }

    /// Bytes the kernel says can be allocated without swapping (MemAvailable), nil when it does not say.
    public static func availableMemory() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kB = Int(fields[1]) else { return nil }
            return kB.multipliedReportingOverflow(by: 1024).overflow ? Int.max : kB * 1024
        }
        return nil
    }

    /// Throws `JacobianError.tooLarge` when `estimate` exceeds the memory or the time; `what` names the command
    /// ("check mse"), `advice` ends the sentence ("use a smaller --dim").
    public func ensure(_ estimate: WorkEstimate, what: String, advice: String) throws {
        if estimate.bytes > memoryBytes {
            throw JacobianError.tooLarge(
                "\(what) needs about \(Self.bytes(estimate.bytes)) (\(estimate.memoryReason)), but only "
                + "\(Self.bytes(memoryBytes)) of memory is available; \(advice).")
        }
        let time = estimate.operations / operationsPerSecond
        if time > seconds {
            throw JacobianError.tooLarge(
                "\(what) would take at least \(Self.duration(time)) (\(estimate.workReason)), more than the "
                + "\(Self.duration(seconds)) allowed; \(advice).")
        }
    }

    /// Throws `JacobianError.tooLarge` when `count` Doubles (`what`, e.g. "the constant W") do not fit in memory.
    public func ensureMemory(doubles count: Int, what: String) throws {
        let bytes = Double(count) * 8
        if bytes > memoryBytes {
            throw JacobianError.tooLarge(
                "\(what) has \(count) numbers and needs \(Self.bytes(bytes)), but only \(Self.bytes(memoryBytes)) "
                + "of memory is available; use smaller sizes.")
        }
    }

    /// "3.2 GB", "512 MB".
    static func bytes(_ b: Double) -> String {
        b >= 1e12 ? String(format: "%.3g TB", b / 1e12) : b >= 1e9 ? String(format: "%.3g GB", b / 1e9)
            : String(format: "%.3g MB", b / 1e6)
    }

    /// "40 seconds", "3.1 hours", "5.7 years".
    static func duration(_ s: Double) -> String {
        if s < 120 { return String(format: "%.0f seconds", s) }
        if s < 7200 { return String(format: "%.0f minutes", s / 60) }
        if s < 2 * 86400 { return String(format: "%.1f hours", s / 3600) }
        if s < 2 * 365 * 86400 { return String(format: "%.0f days", s / 86400) }
        return String(format: "%.3g years", s / (365.25 * 86400))
    }
}

extension WorkBudget {
    /// Checks `work` on `map` as built (n, m and its constants known), naming `label` in the message.
    public func ensure(_ work: Workload, on map: any VectorMap, label: String) throws {
        let n = map.inputShape.count, m = map.outputShape.count
        let constants = map.constants.reduce(0.0) { $0 + Double($1.values.count) }
        let cost = Double(n) + Double(m) + constants
        var estimate = WorkEstimate(work, inputs: n, outputs: m, evaluationCost: cost)
        if case .check(.central, _, _) = work {
            // A map with kinks keeps both one-sided quotients (two more n×m), and entries that central differences
            // cannot decide may all be re-evaluated (one more: the new columns, or Richardson's bounds).
            let extra = (map.hasKinks ? 2.0 : 0) + 1
            estimate.bytes += extra * Double(n) * Double(m) * 8
            estimate.memoryReason += map.hasKinks ? ", the one-sided quotients of its kinks" : ""
            estimate.memoryReason += " and the columns an escalation may re-evaluate"
        }
        try ensure(estimate, what: "\(work.verb) \(label)", advice: work.advice)
    }

    /// Checks `work` before the map is built, from its input size n and a lower bound m on its output size
    /// (an evaluation reads all n inputs): refuses absurd sizes before any constant is allocated.
    public func ensure(_ work: Workload, inputs n: Int, outputs m: Int = 1, label: String) throws {
        try ensureMemory(doubles: n, what: "The point of \(label)")
        try ensure(WorkEstimate(work, inputs: n, outputs: m, evaluationCost: Double(n)), what: "\(work.verb) \(label)",
                   advice: work.advice)
    }
}

extension Workload {
    var verb: String {
        switch self {
        case .evaluation: return "eval"
        case .check, .directions: return "check"
        }
    }

    var advice: String {
        switch self {
        case .evaluation(true, _): return "use a smaller --dim or --shape, or drop --json"
        case .evaluation: return "use a smaller --dim or --shape"
        case .check: return "use a smaller --dim or --shape, or --directions K to check J along K random directions"
        case .directions: return "use fewer --directions"
        }
    }
}
