import Foundation

/// The NumPy `.npy` format (version 1.0): magic "\u{93}NUMPY", a header dict padded with spaces to a
/// 64-byte boundary, then the float64 entries little-endian in C (row-major) order — what `np.load` reads.
extension Matrix {
    /// The `.npy` bytes of this matrix: shape (rows, columns), dtype '<f8', C order.
    public var npyBytes: [UInt8] {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let prefix = 10  // magic (6) + version (2) + header length (2)
        let padding = (64 - (prefix + header.utf8.count + 1) % 64) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(header.utf8.count)
        out += [UInt8(length & 0xFF), UInt8(length >> 8)]
        out += Array(header.utf8)
        out.reserveCapacity(out.count + 8 * elements.count)
        for v in elements { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    /// Writes the `.npy` file atomically (see `AtomicFile`).
    public func writeNPY(to path: String) throws { try AtomicFile.write(npyBytes, to: path) }
}
