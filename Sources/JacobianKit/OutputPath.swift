import Foundation

/// Checks on paths the tool will write.
public enum OutputPath {
    /// Throws one sentence when `path`'s folder is missing or not writable, or `path` is a folder.
    public static func ensureWritable(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw JacobianError.badFile("Cannot save to '\(path)': the folder '\(folder)' does not exist.")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw JacobianError.badFile("Cannot save to '\(path)': it is a folder.")
        }
        let probe = url.deletingLastPathComponent().appendingPathComponent(".jacobian-write-test-\(getpid())")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            throw JacobianError.badFile("Cannot save to '\(path)': the folder '\(folder)' is not writable.")
        }
        try? FileManager.default.removeItem(at: probe)
    }
}
