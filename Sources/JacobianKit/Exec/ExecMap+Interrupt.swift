import Dispatch
import Foundation

extension ExecMap {
    /// For a command-line tool: on SIGINT (Ctrl-C) or SIGTERM, every running program is stopped (its whole
    /// process group killed and reaped) and this process exits with status 128 + the signal number.
    /// The programs run in their own process groups, so a terminal's Ctrl-C reaches them only through this.
    public static func stopProgramsOnInterrupt() {
        InterruptHandlers.shared.install()
    }
}

/// The signal sources, kept alive for the life of the process.
private final class InterruptHandlers: @unchecked Sendable {
    static let shared = InterruptHandlers()
    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []

    func install() {
        lock.lock()
        defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for s in [SIGINT, SIGTERM] {
            signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
            source.setEventHandler {
                Coprocess.registry.killAll()
                _exit(128 + s)
            }
            source.resume()
            sources.append(source)
        }
    }
}
