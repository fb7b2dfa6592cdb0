/// The probes' directions: sparse vectors u over the inputs, weights v over the outputs, and the seeded random
/// partitions and signs the block probes are drawn from. Everything is regenerated from the seed, never stored per
/// probe, so memory stays O(n + m) at any K.
extension DirectionalCheck {
    /// A direction u in Rⁿ: values on a sorted support (nil support: all n inputs, in order).
    struct Direction: Sendable {
        var support: [Int]?
        var values: [Double]

        /// How many inputs u moves.
        var count: Int { values.count }
        /// The input index of the k-th value.
        func input(_ k: Int) -> Int { support?[k] ?? k }
        /// ‖u‖∞.
        var maxAbs: Double { values.reduce(0) { max($0, abs($1)) } }

        /// u restricted to the first and the second half of its support.
        func halves() -> (Direction, Direction) {
            let mid = count / 2
            let all = support ?? Array(0..<count)
            return (Direction(support: Array(all[..<mid]), values: Array(values[..<mid])),
                    Direction(support: Array(all[mid...]), values: Array(values[mid...])))
        }

        /// u_j, or nil when j is outside the support (binary search).
        func value(atInput j: Int) -> Double? {
            guard let s = support else { return j >= 0 && j < count ? values[j] : nil }
            var lo = 0, hi = s.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if s[mid] < j { lo = mid + 1 } else { hi = mid }
            }
            return lo < s.count && s[lo] == j ? values[lo] : nil
        }

        /// The unit coordinate vector e_j.
        static func coordinate(_ j: Int) -> Direction { Direction(support: [j], values: [1]) }
    }

    /// The output side of a probe: weights v (m numbers), judged on all m outputs at once or on each output group.
    struct Weights: Sendable {
        var v: [Double]
        var grouped: Bool
    }

    /// A probe before it is measured: its kind, where it came from, u and v.
    struct Plan: Sendable {
        var kind: ProbeKind
        var round: Int?
        var direction: Direction
        var weights: Weights
    }

    /// The partitions, fixed for the whole check: a seeded random partition of the inputs (one block probe per group
    /// per round), and the outputs in contiguous groups (every sparse and block probe is judged on each of them).
    struct Partitions: Sendable {
        /// Input groups, each sorted; balanced, the largest has ⌈n/G⌉ inputs.
        var inputGroups: [[Int]]
        /// How many outputs m.
        var outputs: Int
        /// How many output groups; group g is outputs ⌊g·m/G⌋ ..< ⌊(g+1)·m/G⌋.
        var outputGroupCount: Int

        init(n: Int, m: Int, inputGroupCount: Int, outputGroupSize: Int, seed: UInt64) {
            var rng = SplitMix64(seed: DirectionalCheck.mix(seed, 0x9A87_1710))
            let groups = max(1, min(n, inputGroupCount))
            let inputs = Self.permutation(n, &rng)
            inputGroups = (0..<groups).map { k in
                inputs[(k * n / groups)..<((k + 1) * n / groups)].sorted()
            }
            outputs = m
            outputGroupCount = max(1, (m + outputGroupSize - 1) / outputGroupSize)
        }

        /// The largest input group, g.
        var inputsPerGroup: Int { inputGroups.map(\.count).max() ?? 0 }
        /// The largest output group, h.
        var outputsPerGroup: Int { (outputs + outputGroupCount - 1) / outputGroupCount }

        /// The outputs of group g.
        func outputRange(_ g: Int) -> Range<Int> {
            (g * outputs / outputGroupCount)..<((g + 1) * outputs / outputGroupCount)
        }

        /// The group of output i: the largest g with ⌊g·m/G⌋ ≤ i.
        func outputGroup(_ i: Int) -> Int { ((i + 1) * outputGroupCount - 1) / outputs }

        /// A seeded Fisher–Yates permutation of 0..<n.
        static func permutation(_ n: Int, _ rng: inout SplitMix64) -> [Int] {
            var p = Array(0..<n)
            if n > 1 {
                for k in stride(from: n - 1, to: 0, by: -1) { p.swapAt(k, Int(rng.next() % UInt64(k + 1))) }
            }
            return p
        }
    }

    /// One SplitMix64 step of seed ⊕ salt: independent-looking streams for each probe from one seed.
    static func mix(_ seed: UInt64, _ salt: UInt64) -> UInt64 {
        var g = SplitMix64(seed: seed ^ (salt &* 0xD6E8_FEB8_6659_FD93))
        return g.next()
    }

    /// A seeded ±1 for index k of the sign stream `salt` (one hash per index, nothing stored).
    static func sign(_ seed: UInt64, _ salt: UInt64, _ k: Int) -> Double {
        mix(seed ^ UInt64(truncatingIfNeeded: k), salt) & 1 == 0 ? 1 : -1
    }

    /// The probes in order, each made when asked for: K dense pairs, the sparse probes, then `rounds` rounds of
    /// one block probe per input group. Sparse probes share round 0's output signs.
    struct Plans: Sendable {
        let check: DirectionalCheck
        let n: Int, m: Int
        let partitions: Partitions
        /// v = ±1 of each round.
        let roundWeights: [[Double]]

        init(_ check: DirectionalCheck, n: Int, m: Int, partitions: Partitions) {
            self.check = check
            self.n = n
            self.m = m
            self.partitions = partitions
            roundWeights = (0..<max(1, check.rounds)).map { r in
                (0..<m).map { DirectionalCheck.sign(check.seed, 0xB10C_8000 + UInt64(r), $0) }
            }
        }

        /// How many probes.
        var count: Int { check.count + check.sparseProbes + check.rounds * partitions.inputGroups.count }

        /// Probe k.
        func plan(_ k: Int) -> Plan {
            let seed = check.seed
            if k < check.count {
                var rng = SplitMix64(seed: DirectionalCheck.mix(seed ^ 0xD1EC_7105, UInt64(k)))
                let u = DirectionalCheck.unit(n, &rng), v = DirectionalCheck.unit(m, &rng)
                return Plan(kind: .dense, round: nil, direction: Direction(support: nil, values: u),
                            weights: Weights(v: v, grouped: false))
            }
            let sparse = k - check.count
            if sparse < check.sparseProbes {
                var rng = SplitMix64(seed: DirectionalCheck.mix(seed ^ 0x5BA8_5E00, UInt64(sparse)))
                let s = min(n, check.sparseInputs)
                var chosen = s == n ? Set(0..<n) : Set<Int>()
                while chosen.count < s { chosen.insert(Int(rng.next() % UInt64(n))) }
                let support = chosen.sorted()
                return Plan(kind: .sparse, round: nil,
                            direction: Direction(support: support, values: DirectionalCheck.unit(s, &rng)),
                            weights: Weights(v: roundWeights[0], grouped: true))
            }
            let groups = partitions.inputGroups.count
            let block = sparse - check.sparseProbes, r = block / groups
            let group = partitions.inputGroups[block % groups]
            let u = group.map { DirectionalCheck.sign(seed, 0xB10C_0000 + UInt64(r), $0) }
            return Plan(kind: .block, round: r, direction: Direction(support: group, values: u),
                        weights: Weights(v: roundWeights[r], grouped: true))
        }
    }

    /// How many structured probes (sparse and block) a map with n inputs gets: K dense pairs come on top.
    public static func structuredProbeCount(inputs n: Int, sparse: Int = 8, inputGroups: Int = 32, rounds: Int = 2)
        -> Int
    {
        sparse + rounds * max(1, min(n, inputGroups))
    }

    /// A seeded random unit vector (Gaussian, normalized).
    static func unit(_ n: Int, _ rng: inout SplitMix64) -> [Double] {
        let g = (0..<n).map { _ in rng.normal() }
        let norm = g.dot(g).squareRoot()
        return norm > 0 ? g.map { $0 / norm } : g
    }
}
