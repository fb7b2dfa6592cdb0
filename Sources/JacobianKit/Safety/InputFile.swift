import Foundation

/// Files the user names for reading (MNIST data, models, --init weights): only regular files are opened, so a
/// FIFO cannot block for ever and /dev/zero cannot be read until memory runs out; reads are bounded.
public enum InputFile {
    /// A read-only descriptor of `path` once it is known to be a regular file, and its size in bytes; the caller
    /// closes it. `what` starts each message ("Cannot load 'm.jcb'"), which goes on ": it is a FIFO, …".
    public static func openRegular(_ path: String, what: String) throws -> (descriptor: Int32, size: Int) {
        // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting; it is then refused.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT || errno == EACCES ? "missing or unreadable" : String(cString: strerror(errno))
            throw JacobianError.badFile("\(what): it is \(reason).")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw JacobianError.badFile("\(what): it cannot be examined.")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw JacobianError.badFile("\(what): it is \(kind(info.st_mode)), not a regular file.")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return (fd, Int(info.st_size))
    }

    /// The bytes of the regular file `path`, refused when it is larger than `limit` bytes.
    public static func read(_ path: String, what: String, limit: Int) throws -> [UInt8] {
        let (fd, size) = try openRegular(path, what: what)
        defer { close(fd) }
        guard size <= limit else {
            throw JacobianError.badFile("\(what): it is \(size) bytes, more than the \(limit) such a file can be.")
        }
        var out = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = out.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + done, size - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return Array(out[0..<done])
    }

    /// "a FIFO", "a folder", "a device" for the message.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFDIR: return "a folder"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}
