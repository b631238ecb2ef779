import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child started with `posix_spawn` in its own process group, so that a timeout can
/// signal everything it started on the host side at once. Foundation's `Process` does
/// not offer the process group, and `posix_spawn` avoids forking a large Swift process.
struct Spawned: Sendable {
    let pid: pid_t
    /// For a confined start: keeps the starting thread alive while this value lives, since
    /// the child's parent-death signal (`setpriv --pdeathsig`) follows that thread.
    var keeper: ThreadKeeper? = nil

    /// Starts `arguments[0]` (a path, or a name looked up in `PATH`) with `environment`.
    /// `output` receives stdout and stderr (`nil`: inherit the caller's); stdin is
    /// `/dev/null` unless `interactive`, when all three are inherited. `confined`: the
    /// child and everything it starts run with `no_new_privs` under ``SyscallFilter``.
    /// `errorOutput`, when given, receives stderr apart from stdout.
    static func start(_ arguments: [String], environment: [String: String]? = nil, output: Int32?,
                      errorOutput: Int32? = nil, interactive: Bool = false, confined: Bool = false) throws(SandboxError) -> Spawned {
        guard let program = arguments.first else { throw .invalidJob("empty command") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if !interactive { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        if let output {
            posix_spawn_file_actions_adddup2(&actions, output, 1)
            posix_spawn_file_actions_adddup2(&actions, output, 2)
        }
        if let errorOutput { posix_spawn_file_actions_adddup2(&actions, errorOutput, 2) }
        // Nothing else of this process reaches the child: not the store's or the log's
        // descriptors, not a file another thread is writing (whose inherited write end
        // would make its exec fail with ETXTBSY).
        pacbuild_spawn_close_from(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        // A session of its own (so also a process group of its own, signalled as one): no
        // controlling terminal, so nothing it starts can type into the terminal pacbuild
        // runs on (TIOCSTI) or read from it. Interactive shells keep the person's terminal.
        if !interactive { flags |= Int32(pacbuild_spawn_setsid_flag()) }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let spawn = { () -> (pid_t, Int32) in
            var pid: pid_t = 0
            let status = withCStrings(arguments) { argv in
                withCStrings(env) { envp in posix_spawnp(&pid, program, &actions, &attributes, argv, envp) }
            }
            return (pid, status)
        }
        if !confined {
            let (pid, status) = spawn()
            guard status == 0 else { throw .io(path: program, reason: "cannot start: \(String(cString: strerror(status)))") }
            return Spawned(pid: pid)
        }
        let keeper = ThreadKeeper()
        let (pid, status) = try onConfinedThread(keeper, spawn)
        guard status == 0 else { throw .io(path: program, reason: "cannot start: \(String(cString: strerror(status)))") }
        return Spawned(pid: pid, keeper: keeper)
    }

    /// Runs `body` on a thread of its own that first sets `no_new_privs` and installs the
    /// sandbox's system call filter: seccomp filters belong to a thread and pass to the
    /// processes it starts, so the caller's other threads stay unfiltered. The thread
    /// lives on until `keeper` is released.
    private static func onConfinedThread(_ keeper: ThreadKeeper, _ body: @escaping () -> (pid_t, Int32)) throws(SandboxError) -> (pid_t, Int32) {
        final class Outcome: @unchecked Sendable { var value: Result<(pid_t, Int32), SandboxError> = .failure(.invalidJob("not started")) }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let released = keeper.released  // not the keeper itself: its end is the signal
        nonisolated(unsafe) let body = body
        let thread = Thread {
            do throws(SandboxError) {
                try SyscallFilter.installOnCurrentThread()
                outcome.value = .success(body())
            } catch { outcome.value = .failure(error) }
            done.signal()
            released.wait()
        }
        thread.start()
        done.wait()
        return try outcome.value.get()
    }

    /// Starts the command with stdout and stderr into a new pipe; returns the pipe's
    /// read end, which the caller closes.
    static func startPiped(_ arguments: [String], environment: [String: String]?, confined: Bool = false) throws(SandboxError) -> (Spawned, Int32) {
        var fds: [Int32] = [0, 0]
        guard makePipe(&fds) else { throw .io(path: "pipe", reason: String(cString: strerror(errno))) }
        defer { close(fds[1]) }
        do { return (try start(arguments, environment: environment, output: fds[1], confined: confined), fds[0]) } catch {
            close(fds[0])
            throw error
        }
    }

    /// Waits for the child; the status the shell would report (`128 + signal` when killed).
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Self.exitCode(status)
    }

    /// The exit code, or `nil` while the child runs.
    func poll() -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid ? Self.exitCode(status) : nil
    }

    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// Holds a thread until the last copy of the ``Spawned`` it started is gone.
final class ThreadKeeper: Sendable {
    let released = DispatchSemaphore(value: 0)
    deinit { released.signal() }
}

/// Runs `body` with a NULL-terminated C array of the strings.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}

/// The processes whose parent is `pid`, found through `/proc` (a namespace's init is
/// the child of the `unshare` we started).
func childProcesses(of pid: pid_t) -> [pid_t] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.compactMap { entry -> pid_t? in
        guard let candidate = pid_t(entry),
              let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let close = stat.range(of: ")", options: .backwards) else { return nil }
        let fields = stat[close.upperBound...].split(separator: " ")
        return fields.count > 1 && pid_t(fields[1]) == pid ? candidate : nil
    }
}

/// A pipe whose ends are not inherited by other children spawned meanwhile (the child
/// gets the write end as its stdout and stderr through `dup2`, which clears the flag).
func makePipe(_ fds: inout [Int32]) -> Bool {
    guard pipe(&fds) == 0 else { return false }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    return true
}
