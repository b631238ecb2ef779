/// One command to run isolated over a build root: what the backends are given.
///
/// The job directory is the only host directory the sandbox sees, read-write, at
/// ``mountPoint``; everything else the command writes lands in a throw-away layer.
public struct SandboxJob: Sendable {
    /// Where the job directory appears inside every backend.
    public static let mountPoint = "/pacbuild"

    /// The build root the sandbox starts from; never modified.
    public var root: BuildRoot
    /// The host directory shared at ``mountPoint``.
    public var jobDirectory: String
    /// The command, run as root inside the sandbox with ``mountPoint`` as its directory.
    public var command: [String]
    /// Whether the sandbox may reach the network (otherwise: loopback only, or none).
    public var network: Bool
    /// After this long the whole sandbox is stopped and the outcome says `timedOut`.
    public var timeout: Duration
    /// The build log; ignored by interactive jobs, whose output goes to the terminal.
    public var logPath: String
    /// A shell for a person: the terminal is passed through, nothing is logged.
    public var interactive: Bool
    /// Where per-run scratch (overlay layers, UML's copy-on-write file) is made and removed.
    public var scratchParent: String
    /// UML's memory, `mem=` (ignored by the other backends).
    public var memory: String
    /// Host directories the sandbox sees read-only, each at a path below ``mountPoint``
    /// (the dependency repositories' pools). Never a path of the store, the state
    /// directory or an ABS tree.
    public var readOnlyBinds: [ReadOnlyBind] = []
    /// Resource limits of the run (namespace backend: a cgroup and sized file systems).
    public var limits: SandboxLimits = SandboxLimits()
    /// The execution domain the command runs in: ``Personality/linux32`` makes
    /// `uname -m` say `i686` (as `linux32` does), for builds of 32-bit x86 repos.
    public var personality: Personality = .native
    /// Asked a few times a second while the job runs; `true` stops the sandbox as a
    /// timeout does (a waka shutting down takes its unfinished builds back this way).
    public var shouldStop: (@Sendable () -> Bool)?

    public init(root: BuildRoot, jobDirectory: String, command: [String], network: Bool = false,
                timeout: Duration = .seconds(3600), logPath: String, interactive: Bool = false,
                scratchParent: String = "/var/tmp", memory: String = "1024M", shouldStop: (@Sendable () -> Bool)? = nil) {
        self.root = root
        self.jobDirectory = jobDirectory
        self.command = command
        self.network = network
        self.timeout = timeout
        self.logPath = logPath
        self.interactive = interactive
        self.scratchParent = scratchParent
        self.memory = memory
        self.shouldStop = shouldStop
    }
}

/// A host directory shown read-only inside the sandbox.
public struct ReadOnlyBind: Sendable, Hashable, Codable {
    /// The directory on the host.
    public var host: String
    /// Where it appears inside, an absolute path below ``SandboxJob/mountPoint``.
    public var inside: String

    public init(host: String, inside: String) {
        self.host = host
        self.inside = inside
    }
}

/// How a sandboxed command ended.
public struct SandboxOutcome: Sendable, Equatable {
    /// The command's exit status (`128 + N` for signal N); ``setupFailedStatus`` when
    /// the sandbox itself could not be set up.
    public var exitStatus: Int32
    /// Whether the deadline passed and the sandbox was stopped.
    public var timedOut: Bool
    /// From start to the last process gone, set-up and tear-down included.
    public var duration: Duration
    /// The last lines of the log.
    public var tail: [String]
    /// The resource limit the run hit, as a sentence naming it (`memory limit of 512 MiB
    /// reached`); the build then fails as ``FailureClass/limits``.
    public var limitHit: String?
    /// Entries the build left in `out/` that the backend would not take out (a link, a
    /// FIFO, a device, a directory, a hard link), as `NAME (KIND, N links)`; the build
    /// then fails verification.
    public var rejectedOutput: [String] = []

    /// The status the backends' set-up scripts exit with when a mount or a device fails.
    public static let setupFailedStatus: Int32 = 125

    public init(exitStatus: Int32, timedOut: Bool, duration: Duration, tail: [String], limitHit: String? = nil) {
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.duration = duration
        self.tail = tail
        self.limitHit = limitHit
    }
}

extension Duration {
    /// The duration in seconds, for results and logs.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
