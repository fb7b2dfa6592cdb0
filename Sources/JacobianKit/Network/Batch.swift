/// Turning MNIST bytes into Double batches.
extension MNISTSplit {
    /// Images at `indices` as a B×784 matrix of pixel/255, and their labels.
    public func batch(_ indices: ArraySlice<Int>) -> (x: Matrix, labels: [UInt8]) {
        let p = Self.pixelsPerImage
        var labels = [UInt8](repeating: 0, count: indices.count)
        let x = [Double](unsafeUninitializedCapacity: indices.count * p) { dst, count in
            pixels.withUnsafeBufferPointer { src in
                for (r, i) in indices.enumerated() {
                    for k in 0..<p { dst[r * p + k] = Double(src[i * p + k]) * (1.0 / 255) }
                    labels[r] = self.labels[i]
                }
            }
            count = indices.count * p
        }
        return (Matrix(unchecked: indices.count, p, x), labels)
    }
}
