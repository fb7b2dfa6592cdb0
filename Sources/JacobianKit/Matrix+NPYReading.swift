import Foundation

/// The bytes of a regular file of at most `limit` bytes; a directory, a device (/dev/zero), a FIFO or a file too
/// large is refused before it is read.
func readRegularFile(_ path: String, limit: Int = 8 << 30) throws -> Data {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
        throw JacobianError.badFile("Cannot read '\(path)': no such readable file.")
    }
    guard attributes[.type] as? FileAttributeType == .typeRegular else {
        throw JacobianError.badFile("'\(path)' is not a regular file.")
    }
    let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
    guard size <= limit else {
        throw JacobianError.badFile("'\(path)' has \(size) bytes, more than the \(limit >> 30) GiB a Jacobian file "
            + "may have.")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw JacobianError.badFile("Cannot read '\(path)': no such readable file.")
    }
    return data
}

extension Matrix {
    /// Reads a `.npy` file of float64 (little-endian, C order) with shape (r, c), or (n,) read as one row.
    /// Sizes are checked against the file's length before anything is allocated.
    public static func readNPY(path: String) throws -> Matrix {
        let bytes = [UInt8](try readRegularFile(path))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw JacobianError.badFile("'\(path)' is not a NumPy .npy file (it does not start with \\x93NUMPY).")
        }
        let major = bytes[6]
        let lengthBytes = major == 1 ? 2 : 4
        guard major >= 1 && major <= 3, bytes.count >= 8 + lengthBytes else {
            throw JacobianError.badFile("'\(path)' is a .npy file of an unknown version \(major).")
        }
        var headerLength = 0
        for k in 0..<lengthBytes { headerLength |= Int(bytes[8 + k]) << (8 * k) }
        let start = 8 + lengthBytes
        guard start + headerLength <= bytes.count else { throw JacobianError.badFile("'\(path)' is truncated.") }
        let header = String(decoding: bytes[start..<start + headerLength], as: UTF8.self)
        guard header.contains("'descr': '<f8'") || header.contains("'descr': '<d'") else {
            throw JacobianError.badFile("'\(path)' does not hold float64 ('<f8'); save it with np.save(path, "
                + "J.astype(np.float64)).")
        }
        guard header.contains("'fortran_order': False") else {
            throw JacobianError.badFile("'\(path)' is in Fortran order; save it with np.save(path, "
                + "np.ascontiguousarray(J)).")
        }
        guard let open = header.range(of: "'shape': ("),
              let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw JacobianError.badFile("'\(path)' has no shape in its header.")
        }
        let dims = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard dims.count == 1 || dims.count == 2, dims.allSatisfy({ $0 >= 0 }) else {
            throw JacobianError.badFile("'\(path)' has shape (\(header[open.upperBound..<close])); a Jacobian is 2-D.")
        }
        let (rows, columns) = dims.count == 2 ? (dims[0], dims[1]) : (1, dims[0])
        let count = rows.multipliedReportingOverflow(by: columns)
        let body = start + headerLength
        guard !count.overflow, count.partialValue <= (bytes.count - body) / 8,
              bytes.count - body == 8 * count.partialValue else {
            throw JacobianError.badFile("'\(path)' says \(rows)×\(columns) but holds \((bytes.count - body) / 8) "
                + "numbers.")
        }
        var elements = [Double](repeating: 0, count: count.partialValue)
        for k in 0..<elements.count {
            var bits: UInt64 = 0
            for b in 0..<8 { bits |= UInt64(bytes[body + 8 * k + b]) << (8 * b) }
            elements[k] = Double(bitPattern: bits)
        }
        return Matrix(unchecked: rows, columns, elements)
    }
}
