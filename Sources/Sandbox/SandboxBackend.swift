import Foundation

/// An isolation backend: runs a ``SandboxJob`` over a build root and returns how it
/// ended. One conformer per ``SandboxBackendKind``, as libalpm has one operations
/// table per database kind.
public protocol SandboxBackend: Sendable {
    var kind: SandboxBackendKind { get }
    /// Runs the job to its end or its timeout. Blocks the calling thread for the whole
    /// build; use ``runDetached(_:)`` from async code.
    func run(_ job: SandboxJob) throws(SandboxError) -> SandboxOutcome
}

extension SandboxBackend {
    /// ``run(_:)`` on a thread of its own, so a long build never occupies one of the
    /// cooperative pool's few threads.
    public func runDetached(_ job: SandboxJob) async throws(SandboxError) -> SandboxOutcome {
        let result: Result<SandboxOutcome, SandboxError> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { () throws(SandboxError) in try run(job) }) }.start()
        }
        return try result.get()
    }
}

/// The backend of each kind, with the settings the kinds need.
public enum SandboxBackends {
    /// `allowUnsafeHost` is the `--unsafe-host` flag: without it the host backend refuses.
    public static func make(_ kind: SandboxBackendKind, stateDirectory: String,
                            allowUnsafeHost: Bool = false) throws(SandboxError) -> any SandboxBackend {
        switch kind {
        case .namespace: return NamespaceBackend()
        case .uml: return UMLBackend()
        case .vm: return VMBackend(stateDirectory: stateDirectory)
        case .host:
            guard allowUnsafeHost else { throw .unsafeHostRefused }
            return HostBackend(acknowledgedUnsafe: true)
        }
    }
}

/// What a backend starts and how it stops it; ``execute(_:job:)`` does the rest the
/// same way for every backend.
struct Launch {
    var arguments: [String]
    var environment: [String: String]?
    var termination: Termination
    /// Start under `no_new_privs` and ``SyscallFilter``.
    var confined = false
    /// Asked a few times a second with the started process: the limit it hit, if any,
    /// which stops the sandbox.
    var limitCheck: ((pid_t) -> String?)?
}

/// Runs a launch: streamed and supervised, or handed the terminal when interactive.
func execute(_ launch: Launch, job: SandboxJob) throws(SandboxError) -> SandboxOutcome {
    if job.interactive {
        let start = ContinuousClock.now
        let child = try Spawned.start(launch.arguments, environment: launch.environment, output: nil, interactive: true,
                                      confined: launch.confined)
        return SandboxOutcome(exitStatus: child.wait(), timedOut: false, duration: start.duration(to: .now), tail: [])
    }
    let log = try BuildLog(path: job.logPath)
    let outcome = try SupervisedRun.run(launch.arguments, environment: launch.environment, log: log,
                                        timeout: job.timeout, termination: launch.termination, shouldStop: job.shouldStop,
                                        confined: launch.confined, limitCheck: launch.limitCheck)
    return SandboxOutcome(exitStatus: outcome.exitStatus, timedOut: outcome.timedOut, duration: outcome.duration,
                          tail: outcome.tail, limitHit: outcome.limitHit)
}

/// A fresh directory under `parent` for one run's scratch, removed by the caller. It
/// holds a lock (``ScratchLocks``) while this process lives and the directory exists, so
/// that a sweep after a crash (``ScratchLocks/removeAbandoned(in:)``) removes only the
/// scratch of dead processes.
func makeScratchDirectory(in parent: String, prefix: String) throws(SandboxError) -> String {
    try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    var template = Array((parent + "/" + prefix + ".XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else {
        throw .io(path: parent, reason: "cannot create a scratch directory: \(String(cString: strerror(errno)))")
    }
    let path = String(cString: made)
    ScratchLocks.shared.hold(path)
    return path
}

/// The environment every sandboxed command starts with: nothing of the caller's.
let sandboxEnvironment = [
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8", "HOME": "/root", "TERM": "xterm",
]
