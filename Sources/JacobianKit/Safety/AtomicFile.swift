import Foundation

/// Writes a file so that a reader, a crash or Ctrl-C sees either the old file or the new one, nothing else:
/// a temporary file beside the target, flushed, given the old file's mode and owner, then renamed over it.
/// A symlink is followed (its target is replaced, the link kept); a special file such as /dev/null is written
/// in place, never replaced by a regular file. SIGINT and SIGTERM during the write remove the temporary file.
public enum AtomicFile {
    /// Writes `bytes` to `path` as described above; failures are one `JacobianError.badFile` sentence.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try OutputPath.ensureWritable(path)
        let target = resolved(path)
        if isSpecial(target) { return try writeInPlace(bytes, to: target, shownAs: path) }
        var old = stat()
        let exists = stat(target, &old) == 0
        let folder = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).jacobian-\(getpid()).tmp"
        TemporaryFiles.register(temporary)
        defer { TemporaryFiles.unregister() }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, exists ? old.st_mode & 0o7777 : 0o666)
        guard fd >= 0 else { throw failure(path, errno) }
        var ok = writeAll(fd, bytes)
        var code = errno
        if ok && exists {
            // Keep mode and owner (fchown needs privileges to give a file away; without them it is skipped).
            _ = fchmod(fd, old.st_mode & 0o7777)
            _ = fchown(fd, old.st_uid, old.st_gid)
        }
        if ok && fsync(fd) != 0 { (ok, code) = (false, errno) }
        if close(fd) != 0 && ok { (ok, code) = (false, errno) }
        if ok && rename(temporary, target) != 0 { (ok, code) = (false, errno) }
        if !ok {
            unlink(temporary)
            throw failure(path, code)
        }
    }

    /// `path` with a symlink at its end followed (a chain of them; a dangling link gives the path it points to).
    static func resolved(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = link.hasPrefix("/") ? link : ((current as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent(link)
        }
        return current
    }

    /// Whether `path` exists and is neither a regular file nor a folder (a device, a FIFO, a socket).
    static func isSpecial(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    private static func writeInPlace(_ bytes: [UInt8], to target: String, shownAs path: String) throws {
        // O_NONBLOCK: a FIFO without a reader is an error, not a hang.
        let fd = open(target, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, errno) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        let ok = writeAll(fd, bytes)
        let code = errno
        close(fd)
        if !ok { throw failure(path, code) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    private static func failure(_ path: String, _ code: Int32) -> JacobianError {
        .badFile("Cannot write '\(path)': \(String(cString: strerror(code))).")
    }
}

/// The temporary file being written, removed by SIGINT/SIGTERM before the signal takes its default effect.
enum TemporaryFiles {
    /// The path as a C string the handler can use without allocating (async-signal-safe: only unlink and raise).
    nonisolated(unsafe) private static var current: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var installed = false

    static func register(_ path: String) {
        if !installed {
            installed = true
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                let previous = signal(sig) { sig in
                    if let p = TemporaryFiles.current { unlink(p) }
                    signal(sig, SIG_DFL)
                    raise(sig)
                }
                // A signal the parent ignores (nohup, a background job) stays ignored.
                if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                    signal(sig, SIG_IGN)
                }
            }
        }
        current = strdup(path)
    }

    static func unregister() {
        let p = current
        current = nil
        free(p)
    }
}
