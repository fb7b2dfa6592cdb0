import JacobianKit
import Testing

/// One instance of every structure (square 6×6 ones and a few rectangular ones), built from a seed.
func structuredSamples(seed: UInt64) -> [(String, Jacobian)] {
    var rng = SplitMix64(seed: seed)
    let d = rng.uniform(count: 6, -1, 1), u = rng.uniform(count: 6, -1, 1), v = rng.uniform(count: 6, -1, 1)
    let m2 = randomMatrix(2, 2, &rng), m3 = randomMatrix(3, 3, &rng)
    let row3 = randomMatrix(1, 3, &rng), row2 = randomMatrix(1, 2, &rng)
    return [
        ("zero 6×6", .zero(rows: 6, columns: 6)),
        ("identity 6", .identity(6)),
        ("diagonal 6", .diagonal(d)),
        ("diag + u·vᵀ 6", .diagonalPlusOuter(diagonal: d, u: u, v: v)),
        ("I₂⊗M₃", .kronecker(.identity(2), .matrix(m3))),
        ("M₂⊗I₃", .kronecker(.matrix(m2), .identity(3))),
        ("M₂⊗M₃", .kronecker(.matrix(m2), .matrix(m3))),
        ("selection 6×6", .selection(source: [3, -1, 0, 5, 1, 2], scale: rng.uniform(count: 6, -1, 1), columns: 6)),
        ("dense 6×6", .dense(randomMatrix(6, 6, &rng))),
        ("I₂⊗xᵀ 2×6", .kronecker(.identity(2), .matrix(row3))),
        ("xᵀ⊗I₃ 3×6", .kronecker(.matrix(row2), .identity(3))),
        ("[0ᵀ; I₅] 6×5", .prependingOne(5)),
        ("zero 6×4", .zero(rows: 6, columns: 4)),
        ("dense 6×4", .dense(randomMatrix(6, 4, &rng))),
        ("dense row 1×6", .dense(randomMatrix(1, 6, &rng))),
        ("dense column 6×1", .dense(randomMatrix(6, 1, &rng))),
    ]
}

@Suite("Structured Jacobians")
struct StructuredJacobianTests {
    @Test("the transpose keeps structure and equals the dense transpose; denominator = numeratorᵀ",
          arguments: testSeeds)
    func transposeEqualsDense(seed: UInt64) {
        for (name, j) in structuredSamples(seed: seed) {
            #expect(j.transposed().matrix == j.matrix.transposed(), "\(name)")
            #expect(j.dense(in: .denominator) == j.matrix.transposed(), "\(name)")
            #expect(j.dense(in: .numerator) == j.matrix, "\(name)")
            #expect(j.transposed().transposed().matrix == j.matrix, "\(name)")
        }
    }

    @Test("vjp, jvp, J·M and M·J equal the dense products", arguments: testSeeds)
    func vectorProductsEqualDense(seed: UInt64) {
        var rng = SplitMix64(seed: seed &+ 100)
        for (name, j) in structuredSamples(seed: seed) {
            let dense = j.matrix
            let v = rng.uniform(count: j.rows, -1, 1), x = rng.uniform(count: j.columns, -1, 1)
            #expect(close(j.vjp(v), naiveProduct(try! Matrix(rows: 1, columns: v.count, elements: v), dense).elements),
                    "\(name) vjp")
            #expect(close(j.jvp(x), naiveProduct(dense, try! Matrix(rows: x.count, columns: 1, elements: x)).elements),
                    "\(name) jvp")
            let right = randomMatrix(j.columns, 3, &rng), left = randomMatrix(4, j.rows, &rng)
            #expect(close(j.times(right), naiveProduct(dense, right)), "\(name) J·M")
            #expect(close(j.leftTimes(left), naiveProduct(left, dense)), "\(name) M·J")
        }
    }

    @Test("every product of two structures equals the dense product", arguments: testSeeds)
    func everyProductPairEqualsDense(seed: UInt64) {
        let samples = structuredSamples(seed: seed)
        var pairs = 0
        for (nameA, a) in samples {
            for (nameB, b) in samples where a.columns == b.rows {
                let product = a.multiplied(by: b)
                let reference = naiveProduct(a.matrix, b.matrix)
                #expect(close(product.matrix, reference),
                        "\(nameA) · \(nameB): max diff \(maxDifference(product.matrix, reference))")
                #expect(product.rows == a.rows && product.columns == b.columns)
                pairs += 1
            }
        }
        #expect(pairs > 100)
    }

    @Test("structured products keep their structure")
    func productsKeepStructure() {
        var rng = SplitMix64(seed: 7)
        let d1 = Jacobian.diagonal(rng.uniform(count: 4, -1, 1)), d2 = Jacobian.diagonal(rng.uniform(count: 4, -1, 1))
        let p = rng.uniform(count: 4, 0, 1)
        let softmax = Jacobian.diagonalPlusOuter(diagonal: p, u: p.map { -$0 }, v: p)
        #expect(d1.multiplied(by: d2).structureName == "diagonal")
        #expect(d1.multiplied(by: softmax).structureName == "diagonal + outer product")
        #expect(softmax.multiplied(by: d1).structureName == "diagonal + outer product")
        #expect(Jacobian.prependingOne(4).multiplied(by: d1).structureName == "selection")
        let k = Jacobian.kronecker(.identity(2), .matrix(randomMatrix(3, 3, &rng)))
        #expect(k.multiplied(by: k).structureName.contains("I⊗B"))
    }

    @Test("the bias node [1; x] has a zero first row over the identity")
    func prependingOneIsPadding() throws {
        let expected = try Matrix([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
        #expect(Jacobian.prependingOne(3).matrix == expected)
    }
}
