import Foundation
import JacobianKit
import Testing

private let misbehave = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("fixtures/exec/misbehave.py").path

/// Whether `pid` is gone from the process table: not running and not an unreaped zombie of this process.
private func reaped(_ pid: Int32) -> Bool {
    var status: Int32 = 0
    return waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD && kill(pid, 0) == -1
}

@Suite("ExecMap")
struct ExecMapTests {
    @Test("checking a program at n = 200 takes two eval requests: value and Jacobian, then all 400 probes at once")
    func batchedRoundTrips() throws {
        // A generous timeout: other builds may share the machine's two cores.
        let map = try ExecMap(command: "python3 \(misbehave) ok", inputShape: .vector(200), timeout: 120)
        var rng = SplitMix64(seed: 1)
        let report = try GradientCheck().run(map, at: map.samplePoint(using: &rng))
        #expect(report.passed)
        #expect(report.evaluations == 400)
        #expect(map.requests == 2)
        map.stop()
        #expect(reaped(map.processID))
    }

    @Test("Richardson sends its 6n probes in one request too, and agrees with the in-process map's check")
    func richardsonBatched() throws {
        let map = try ExecMap(command: "python3 \(misbehave) ok", inputShape: .vector(20), timeout: 120)
        var rng = SplitMix64(seed: 2)
        let x = map.samplePoint(using: &rng)
        let report = try GradientCheck(method: .richardson).run(map, at: x)
        #expect(report.passed)
        #expect(report.evaluations == 120)
        #expect(map.requests == 2)
        let square = ClosureMap(name: "square", input: .vector(20), output: .vector(20)) { x in
            (x.map { $0 * $0 }, Matrix(diagonal: x.map { 2 * $0 }))
        }
        let local = try GradientCheck(method: .richardson).run(square, at: x)
        #expect(report.finiteDifferences.matrix == local.finiteDifferences.matrix)
    }

    @Test("a failing program is reaped by the time the error is thrown",
          arguments: ["exit", "crash", "hang", "garbage"])
    func failureLeavesNoZombie(mode: String) throws {
        // Only the hang waits for its timeout; a longer one elsewhere keeps a loaded machine from failing the test.
        let map = try ExecMap(command: "python3 \(misbehave) \(mode)", timeout: mode == "hang" ? 5 : 60)
        let error = #expect(throws: JacobianError.self) { try GradientCheck().run(map, at: [0.1, 0.2, 0.3]) }
        #expect(error?.localizedDescription.hasPrefix("The program 'python3 \(misbehave) \(mode)' ") == true)
        map.stop()
        #expect(reaped(map.processID))
    }

    @Test("a program's declared input size is used when none is given, and the map's values batch")
    func declaredSizes() throws {
        let map = try ExecMap(command: "python3 \(misbehave) ok")
        #expect(map.inputShape == .vector(3) && map.outputShape == .vector(3))
        #expect(try map.values(at: [[1, 2, 3], [-1, 0, 0.5]]) == [[1, 4, 9], [1, 0, 0.25]])
        #expect(map.jacobianLayout == .numerator)
        #expect(map.layoutSource.hasPrefix("assumed"))
    }
}

@Suite("ExecMap binary encoding")
struct ExecMapBinaryTests {
    private static let softmax = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("bench/softmax_exec.py").path

    @Test("raw float64 payloads give exactly the values of JSON numbers, and the check takes two requests")
    func binaryMatchesJSON() throws {
        let binary = try ExecMap(command: "python3 \(Self.softmax)", inputShape: .vector(50))
        let json = try ExecMap(command: "python3 \(Self.softmax) json", inputShape: .vector(50))
        var rng = SplitMix64(seed: 3)
        let points = (0..<7).map { _ in rng.uniform(count: 50, -2, 2) }
        #expect(try binary.values(at: points) == json.values(at: points))
        // One request learned the undeclared output size, one carried the seven points.
        #expect(binary.requests == 2)
        let report = try GradientCheck().run(binary, at: points[0])
        #expect(report.passed)
        #expect(binary.requests == 4)
    }
}
