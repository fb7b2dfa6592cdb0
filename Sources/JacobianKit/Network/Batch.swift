import Dispatch

/// Turning MNIST bytes into Double batches.
extension MNISTSplit {
    /// Images at `indices` as a B×784 matrix of pixel/255, and their labels.
    public func batch(_ indices: ArraySlice<Int>) -> (x: Matrix, labels: [UInt8]) {
        let p = Self.pixelsPerImage
        let labels = indices.map { self.labels[$0] }
        let rows = Array(indices)
        let x = [Double](unsafeUninitializedCapacity: rows.count * p) { dst, count in
            pixels.withUnsafeBufferPointer { src in
                rows.withUnsafeBufferPointer { rp in
                    let ptr = BatchPointers(source: src.baseAddress!, target: dst.baseAddress!, rows: rp.baseAddress!)
                    let n = rows.count
                    // Images are independent; large batches use the workers BLAS uses (1 unless `useOwnThreads`).
                    let parts = n * p >= 65_536 ? BLAS.workers : 1
                    let body: @Sendable (Int) -> Void = { part in
                        for r in (n * part / parts)..<(n * (part + 1) / parts) {
                            let image = ptr.source + ptr.rows[r] * p, out = ptr.target + r * p
                            for k in 0..<p { out[k] = Double(image[k]) * (1.0 / 255) }
                        }
                    }
                    if parts == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: body) }
                }
            }
            count = rows.count * p
        }
        return (Matrix(unchecked: indices.count, p, x), labels)
    }
}

/// The buffers of one batch assembly, shared by workers that fill disjoint images.
private struct BatchPointers: @unchecked Sendable {
    let source: UnsafePointer<UInt8>
    let target: UnsafeMutablePointer<Double>
    let rows: UnsafePointer<Int>
}
