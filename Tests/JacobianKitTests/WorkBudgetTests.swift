import Testing
import JacobianKit

@Suite("Work budget")
struct WorkBudgetTests {
    @Test("checked products and sums throw on overflow instead of trapping")
    func checkedArithmetic() throws {
        #expect(try CheckedSize.product([3, 4, 5], "x") == 60)
        #expect(throws: JacobianError.self) { try CheckedSize.product(1 << 32, 1 << 32, "x") }
        #expect(throws: JacobianError.self) { try CheckedSize.sum([Int.max, 1], "x") }
        #expect(Shape.matrix(rows: 1 << 32, columns: 1 << 32).count == Int.max)
        #expect(throws: JacobianError.self) { try Shape.matrix(rows: 1 << 32, columns: 1 << 32).checkedCount() }
        #expect(throws: JacobianError.self) {
            try Catalog.build("transpose", shape: .matrix(rows: 1 << 32, columns: 1 << 32), options: MapOptions())
        }
    }

    @Test("a plain softmax check at n = 20000 fits in 8 GB; with --json it does not")
    func copiesDependOnOutput() throws {
        let budget = WorkBudget(memoryBytes: 8e9)
        let plain = WorkEstimate(.check(method: .central, json: false, npy: false), inputs: 20_000, outputs: 20_000,
                                 evaluationCost: 40_000)
        try budget.ensure(plain, what: "check softmax", advice: "smaller")
        let json = WorkEstimate(.check(method: .central, json: true, npy: false), inputs: 20_000, outputs: 20_000,
                                evaluationCost: 40_000)
        #expect(throws: JacobianError.self) { try budget.ensure(json, what: "check softmax", advice: "smaller") }
    }

    @Test("the time estimate grows as evaluations times their cost, and absurd work is refused")
    func timeEstimate() throws {
        let budget = WorkBudget(memoryBytes: 1e12)
        let small = WorkEstimate(.check(method: .central, json: false, npy: false), inputs: 1000, outputs: 1,
                                 evaluationCost: 1000)
        try budget.ensure(small, what: "check mse", advice: "smaller")
        let huge = WorkEstimate(.check(method: .central, json: false, npy: false), inputs: 300_000_000, outputs: 1,
                                evaluationCost: 3e8)
        #expect(huge.operations > 1e17)
        #expect(throws: JacobianError.self) { try budget.ensure(huge, what: "check mse", advice: "smaller") }
        let richardson = WorkEstimate(.check(method: .richardson, json: false, npy: false), inputs: 1000, outputs: 1,
                                      evaluationCost: 1000)
        #expect(richardson.operations > 2.9 * small.operations)
    }

    @Test("a constant is checked against memory before it is drawn")
    func constantBeforeAllocation() {
        var options = MapOptions()
        options.out = 100_000
        #expect(throws: JacobianError.self) { try Catalog.build("linear", shape: .vector(100_000), options: options) }
    }

    @Test("the memory available is read from the system")
    func availableMemory() {
        #expect((WorkBudget.availableMemory() ?? 1) > 0)
        #expect(WorkBudget.machine().memoryBytes > 0)
    }
}
