import CSystem
import Foundation

/// Standard output and error that never trap and never lose lines: stdout is line-buffered (so Ctrl-C with
/// stdout redirected keeps every line printed so far), errors go through C stdio (an unwritable stderr is
/// ignored, not a trap), and a failed write to stdout (a full disk) turns exit status 0 into 1 with a sentence.
public enum StandardStreams {
    /// Call once, first thing in `main`.
    public static func install() {
        setvbuf(jacobian_stdout(), nil, _IOLBF, 0)
        atexit {
            var failed = fflush(jacobian_stdout()) != 0
            let code = errno
            failed = failed || ferror(jacobian_stdout()) != 0
            if failed {
                fputs("Error: Cannot write standard output: \(String(cString: strerror(code))).\n", jacobian_stderr())
                _exit(1)
            }
        }
    }

    /// Writes `text` to standard error; an unwritable stderr is ignored.
    public static func error(_ text: String) {
        fputs(text, jacobian_stderr())
        fflush(jacobian_stderr())
    }

    /// Writes bytes to standard output as they are, in one call (large JSON); a failure is reported at exit.
    package static func write(bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        _ = fwrite(base, 1, bytes.count, jacobian_stdout())
    }

    /// Writes `text` to standard output without a newline and flushes it (progress bars, prompts).
    public static func write(_ text: String) {
        fputs(text, jacobian_stdout())
        fflush(jacobian_stdout())
    }
}
