import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program started once through `/bin/sh -c COMMAND`, spoken to line by line over pipes: the only file that
/// makes process and pipe system calls. The child runs in its own process group, so stopping it stops anything
/// it started; its standard error is drained all the time (a chatty program cannot block) and its last lines
/// are kept for error messages. Every child is reaped: none is left as a zombie.
final class Coprocess: @unchecked Sendable {
    /// Why an exchange failed, in terms of the process.
    enum Failure: Error {
        /// posix_spawn itself failed (errno).
        case spawn(Int32)
        /// The child exited (status) or was killed (signal) before a full line came back.
        case ended(status: Int32?, signal: Int32?)
        /// No full line within the timeout; the child has been stopped.
        case timedOut
        /// More than `limit` bytes of output without a full answer; the child has been stopped.
        case tooMuchOutput(limit: Int)
    }

    let command: String
    let pid: pid_t
    private var input: Int32, output: Int32, errors: Int32
    private var pending: [UInt8] = []      // stdout bytes after the last full line
    private var stderrTail: [UInt8] = []   // the last 8 KiB of stderr
    private var reaped: (status: Int32?, signal: Int32?)?
    private let lock = NSLock()

    /// Starts `command` under /bin/sh with stdin, stdout and stderr on pipes.
    init(command: String, environment: [String: String]? = nil) throws {
        // A write to a program that has exited must be an error we report, not a SIGPIPE that kills us.
        signal(SIGPIPE, SIG_IGN)
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0], errChild: [Int32] = [0, 0]
        guard makePipe(&toChild) == 0 else { throw Failure.spawn(errno) }
        guard makePipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1]); throw Failure.spawn(errno)
        }
        guard makePipe(&errChild) == 0 else {
            [toChild[0], toChild[1], fromChild[0], fromChild[1]].forEach { close($0) }
            throw Failure.spawn(errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errChild[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults)
        sigemptyset(&empty)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        posix_spawnattr_setflags(&attributes, Int16(flags))
        // A simple command is exec'd by the shell, so the program itself is our child: its exit status and
        // signal are its own, and we reap it directly. Anything with shell syntax keeps the shell in between.
        let simple = !command.contains { ";&|<>()$`\\\n*?[]{}~#=!".contains($0) }
        let arguments = ["/bin/sh", "-c", simple ? "exec " + command : command]
        var env: [String]
        if let environment {
            env = environment.map { "\($0)=\($1)" }
        } else {
            env = ProcessInfo.processInfo.environment.map { "\($0)=\($1)" }
        }
        var child: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(env) { envp in posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp) }
        }
        close(toChild[0]); close(fromChild[1]); close(errChild[1])
        guard result == 0 else {
            close(toChild[1]); close(fromChild[0]); close(errChild[0])
            throw Failure.spawn(result)
        }
        self.command = command
        self.pid = child
        self.input = toChild[1]
        self.output = fromChild[0]
        self.errors = errChild[0]
        for fd in [input, output, errors] { _ = fcntl(fd, F_SETFL, O_NONBLOCK) }
        Coprocess.registry.add(child)
    }

    deinit { stop() }

    /// The last `count` non-empty lines the program wrote to standard error.
    func stderrLines(_ count: Int = 5) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let lines = String(decoding: stderrTail, as: UTF8.self).split(separator: "\n").map(String.init)
        return Array(lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.suffix(count))
    }

    /// Writes `line` (a newline is appended) and returns the program's next line of standard output, without
    /// its newline. Reads and writes are interleaved, so neither side can block the other on a full pipe.
    func exchange(_ line: [UInt8], payload: [UInt8] = [], timeout: Double) throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        var request = line
        request.append(0x0A)
        request += payload
        var scanned = 0
        return try pump(request, deadline: Coprocess.now() + timeout, limit: Coprocess.lineLimit) { pending in
            guard let newline = pending[scanned...].firstIndex(of: 0x0A) else {
                scanned = pending.count
                return nil
            }
            let answer = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            return answer
        }
    }

    /// The next `count` bytes of the program's output (a binary payload after an answer line).
    func readBytes(_ count: Int, timeout: Double) throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return try pump([], deadline: Coprocess.now() + timeout, limit: count + (1 << 20)) { pending in
            guard pending.count >= count else { return nil }
            let bytes = Array(pending[..<count])
            pending.removeSubrange(..<count)
            return bytes
        }
    }

    /// Writes `request` while reading output and stderr, until `take` finds what it wants in the output.
    private func pump(_ request: [UInt8], deadline: Double, limit: Int, take: (inout [UInt8]) -> [UInt8]?) throws
        -> [UInt8]
    {
        if let r = reaped { throw Failure.ended(status: r.status, signal: r.signal) }
        var written = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            if let result = take(&pending) { return result }
            if pending.count > limit {
                stopLocked()
                throw Failure.tooMuchOutput(limit: limit)
            }
            let remaining = deadline - Coprocess.now()
            if remaining <= 0 {
                stopLocked()
                throw Failure.timedOut
            }
            var fds = [pollfd(fd: output, events: Int16(POLLIN), revents: 0)]
            if errors >= 0 { fds.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            let writing = written < request.count && input >= 0
            if writing { fds.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining * 1000 + 1, 1_000_000)))
            if ready < 0 && errno != EINTR { stopLocked(); throw Failure.ended(status: nil, signal: nil) }
            if ready <= 0 { continue }
            for p in fds where p.revents != 0 {
                if p.fd == input {
                    let n = request.withUnsafeBytes { write(input, $0.baseAddress! + written, $0.count - written) }
                    if n > 0 { written += n } else if n < 0 && errno != EAGAIN && errno != EINTR {
                        // EPIPE: the program closed its input; what it does next (exit, crash) is read below.
                        written = request.count
                    }
                } else if p.fd == errors {
                    drainErrors(&chunk)
                } else if p.fd == output {
                    let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress!, $0.count) }
                    if n > 0 {
                        pending.append(contentsOf: chunk[0..<n])
                    } else if n == 0 {
                        // End of output: the program is gone or going. Collect its stderr and its status.
                        let r = reapLocked(waitSeconds: 2)
                        throw Failure.ended(status: r.status, signal: r.signal)
                    }
                }
            }
        }
    }

    /// Closes the program's input, gives it a moment to finish, then stops its process group; reaps it.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        stopLocked()
    }

    private func stopLocked() {
        if input >= 0 { close(input); input = -1 }
        if reaped == nil { _ = reapLocked(waitSeconds: 0.5) }
        // Anything the program started in its group goes too.
        kill(-pid, SIGKILL)
        if output >= 0 { close(output); output = -1 }
        if errors >= 0 { close(errors); errors = -1 }
    }

    /// Waits up to `waitSeconds` for the child to exit on its own (draining stderr), then SIGTERM, then
    /// SIGKILL to its group, and reaps it.
    private func reapLocked(waitSeconds: Double) -> (status: Int32?, signal: Int32?) {
        if let r = reaped { return r }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = 0
        let phases: [(Int32?, Double)] = [(nil, waitSeconds), (SIGTERM, 0.5), (SIGKILL, 5)]
        for (sig, seconds) in phases {
            if let sig { kill(-pid, sig) }
            let deadline = Coprocess.now() + seconds
            repeat {
                if waitpid(pid, &status, WNOHANG) == pid {
                    drainErrors(&chunk)
                    let code = status & 0x7f
                    let r: (Int32?, Int32?) = code == 0 ? ((status >> 8) & 0xff, nil) : (nil, code)
                    reaped = r
                    Coprocess.registry.remove(pid)
                    return r
                }
                if errors >= 0 {
                    var p = pollfd(fd: errors, events: Int16(POLLIN), revents: 0)
                    if poll(&p, 1, 10) > 0 { drainErrors(&chunk) }
                } else {
                    usleep(10_000)
                }
            } while Coprocess.now() < deadline
        }
        waitpid(pid, &status, 0)
        Coprocess.registry.remove(pid)
        reaped = (nil, SIGKILL)
        return reaped!
    }

    private func drainErrors(_ chunk: inout [UInt8]) {
        guard errors >= 0 else { return }
        while true {
            let n = chunk.withUnsafeMutableBytes { read(errors, $0.baseAddress!, $0.count) }
            if n > 0 {
                stderrTail.append(contentsOf: chunk[0..<n])
                if stderrTail.count > 8192 { stderrTail.removeFirst(stderrTail.count - 8192) }
            } else {
                if n == 0 { close(errors); errors = -1 }
                return
            }
        }
    }

    /// The longest answer line read (JSON text of about 10⁸ numbers); a longer one stops the program.
    static let lineLimit = 2 << 30

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Every live child, so that an interrupt can stop them all.
    static let registry = Registry()

    /// The process ids of running children.
    final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var pids: Set<pid_t> = []
        private var interrupted = false

        /// Set once an interrupt has begun stopping every child: their failures are then not the program's fault.
        var isInterrupted: Bool { lock.withLock { interrupted } }

        func add(_ pid: pid_t) { lock.lock(); pids.insert(pid); lock.unlock() }
        func remove(_ pid: pid_t) { lock.lock(); pids.remove(pid); lock.unlock() }

        /// SIGKILL to each child's process group, then reap it.
        func killAll() {
            lock.lock()
            interrupted = true
            let all = pids
            pids.removeAll()
            lock.unlock()
            for pid in all {
                kill(-pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
        }
    }
}

/// pipe(2) with both ends close-on-exec, so a child only inherits the ends dup2 gives it.
private func makePipe(_ fds: inout [Int32]) -> Int32 {
    guard pipe(&fds) == 0 else { return -1 }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return 0
}

/// Calls `body` with a NULL-terminated C array of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Signal names for messages.
func signalName(_ s: Int32) -> String {
    let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM",
                                  SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGILL: "SIGILL", SIGINT: "SIGINT",
                                  SIGPIPE: "SIGPIPE", SIGHUP: "SIGHUP"]
    return names[s].map { "signal \(s) (\($0))" } ?? "signal \(s)"
}
