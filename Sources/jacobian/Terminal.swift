import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The width text output must fit: the terminal's (TIOCGWINSZ on standard output), else $COLUMNS, else 80.
enum Terminal {
    static let width: Int = {
        if isatty(STDOUT_FILENO) == 1 {
            var size = winsize()
            // TIOCGWINSZ is 0x5413 on Linux; the Glibc module does not export the macro.
            if ioctl(STDOUT_FILENO, 0x5413, &size) == 0, size.ws_col > 0 { return max(20, Int(size.ws_col)) }
        }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(c), n > 0 { return max(20, n) }
        return 80
    }()

    /// The width of standard error's terminal (for the progress bar), 80 when it is not one.
    static let errorWidth: Int = {
        var size = winsize()
        if isatty(STDERR_FILENO) == 1, ioctl(STDERR_FILENO, 0x5413, &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return 80
    }()
}
