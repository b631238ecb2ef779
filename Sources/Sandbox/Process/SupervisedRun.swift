import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a backend stops its sandbox when the time is up. The namespace backend signals
/// the namespace's init (whose death takes every process in the namespace with it);
/// UML is stopped with SIGTERM only, since SIGKILL leaves its helpers behind.
struct Termination: Sendable {
    /// Called once at the deadline with the spawned process; blocking is fine.
    var stop: @Sendable (_ pid: pid_t) -> Void

    /// SIGTERM to the group, then SIGKILL after `grace`.
    static func processGroup(grace: Duration = .seconds(3)) -> Termination {
        Termination { pid in
            kill(-pid, SIGTERM)
            if waitForExit(pid, within: grace) { return }
            kill(-pid, SIGKILL)
        }
    }
}

/// Waits until `pid` is a zombie or gone, without reaping it (the reader reaps it).
func waitForExit(_ pid: pid_t, within limit: Duration) -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if !isRunning(pid) { return true }
        usleep(20_000)
    }
    return false
}

/// Whether `pid` exists and is not a zombie, from `/proc/PID/stat`.
func isRunning(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.range(of: ")", options: .backwards) else { return false }
    return stat[close.upperBound...].split(separator: " ").first != "Z"
}

/// What a supervised run ended with.
struct SupervisedOutcome: Sendable {
    var exitStatus: Int32
    var timedOut: Bool
    var duration: Duration
    var tail: [String]
    /// The limit that stopped the run (see ``SupervisedRun/run``'s `limitCheck`).
    var limitHit: String?
}

/// Runs a command with its output streamed into a ``BuildLog`` and a deadline.
///
/// Reads the pipe with `poll` on the calling thread, so there is no second thread to
/// synchronize; callers run it off the cooperative pool (``SandboxBackend`` wraps it).
enum SupervisedRun {
    static func run(_ arguments: [String], environment: [String: String]? = nil, log: BuildLog,
                    timeout: Duration, termination: Termination,
                    shouldStop: (@Sendable () -> Bool)? = nil, confined: Bool = false,
                    limitCheck: ((pid_t) -> String?)? = nil) throws(SandboxError) -> SupervisedOutcome {
        let start = ContinuousClock.now
        let (child, output) = try Spawned.startPiped(arguments, environment: environment, confined: confined)
        defer { close(output) }
        let deadline = start + timeout
        var timedOut = false, stopped = false
        var exited: Int32?
        var limitHit: String?
        var lastLimitCheck = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if !timedOut && ContinuousClock.now >= deadline {
                timedOut = true
                log.note("timeout after \(timeout); stopping the sandbox")
                termination.stop(child.pid)
            }
            if !timedOut && !stopped && limitHit == nil, let limitCheck, ContinuousClock.now - lastLimitCheck >= .milliseconds(250) {
                lastLimitCheck = .now
                if let hit = limitCheck(child.pid) {
                    limitHit = hit
                    log.note("\(hit); stopping the sandbox")
                    termination.stop(child.pid)
                }
            }
            if !timedOut && !stopped, let shouldStop, shouldStop() {
                stopped = true
                log.note("stopped on request; stopping the sandbox")
                termination.stop(child.pid)
            }
            var pollfd = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = Glibc.poll(&pollfd, 1, 200)
            if ready > 0 {
                let count = read(output, &buffer, buffer.count)
                if count > 0 { log.append(Data(buffer[0..<count])); continue }
                if count == 0 { break }
                if errno == EINTR { continue }
                break
            }
            // The command is gone but something it left holds the pipe: stop reading soon.
            if exited == nil, let status = child.poll() { exited = status; continue }
            if exited != nil { break }
        }
        let status = exited ?? child.wait()
        log.finish()
        return SupervisedOutcome(exitStatus: status, timedOut: timedOut, duration: start.duration(to: .now), tail: log.tail,
                                 limitHit: limitHit)
    }
}
