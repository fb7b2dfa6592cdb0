import Foundation

/// Checks on paths the tool will write, made before any work starts.
public enum OutputPath {
    /// Throws one sentence when `path` is empty, ends in '/', is a folder, or its folder is missing or not
    /// writable. An existing special file (/dev/null, a FIFO) is accepted: it is written in place, not replaced.
    public static func ensureWritable(_ path: String) throws {
        guard !path.isEmpty else { throw JacobianError.badFile("Cannot save to '': the file name is empty.") }
        guard !path.hasSuffix("/") else {
            throw JacobianError.badFile("Cannot save to '\(path)': a file name cannot end in '/'.")
        }
        let target = AtomicFile.resolved(path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
            throw JacobianError.badFile("Cannot save to '\(path)': it is a folder.")
        }
        let parent = (target as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw JacobianError.badFile("Cannot save to '\(path)': the folder '\(folder)' does not exist.")
        }
        if AtomicFile.isSpecial(target) { return }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw JacobianError.badFile("Cannot save to '\(path)': the folder '\(folder)' is not writable.")
        }
    }
}
