import Foundation
import Graph

/// The `.SRCINFO` of a PKGBUILD the native reader cannot evaluate, from the real
/// `makepkg --printsrcinfo`: run in a namespace sandbox without network, as the
/// unprivileged `builder`, on a fresh copy of the PKGBUILD directory, with one makepkg.conf
/// and CARCH, and cached by the content of all of those (see ``SrcInfoFallbackCache``).
///
/// A PKGBUILD is a program: sourcing it runs whatever its top level says (`$(sed ...)`,
/// `source helper.sh`, a file test). Only makepkg gives the exact answer, and the sandbox
/// makes running an untrusted tree's top level harmless.
public struct SrcInfoFallback: Sendable {
    public var backend: any SandboxBackend
    public var root: BuildRoot
    /// The makepkg.conf text, CARCH already applied (see ``init(backend:root:makepkgConf:carch:cacheDirectory:workParent:timeout:)``).
    public let makepkgConf: String
    public var cache: SrcInfoFallbackCache
    /// Where each run's work directory (the copy, the script, makepkg's output) is made and removed.
    public var workParent: String
    /// makepkg sourcing a PKGBUILD takes about a second; one that hangs is stopped.
    public var timeout: Duration
    /// The most bytes read back of makepkg's stdout or stderr (a .SRCINFO is a few KiB).
    static let outputLimit = 16 << 20

    /// `makepkgConf` is a file on the host; nil means the build root's own
    /// `/etc/makepkg.conf`. With a `carch` other than the conf's, `CARCH` (and `CHOST`
    /// when it names another architecture) are appended, as the native reader's
    /// ``MakepkgEnvironment`` applies them.
    public init(backend: any SandboxBackend = NamespaceBackend(), root: BuildRoot, makepkgConf: String?, carch: String?,
                cacheDirectory: String, workParent: String, timeout: Duration = .seconds(60)) throws(SandboxError) {
        let path = makepkgConf ?? root.rootfs + "/etc/makepkg.conf"
        guard let data = FileManager.default.contents(atPath: path) else { throw .io(path: path, reason: "cannot read the makepkg.conf") }
        self.backend = backend
        self.root = root
        self.makepkgConf = Self.applying(carch: carch, to: String(decoding: data, as: UTF8.self))
        self.cache = SrcInfoFallbackCache(directory: cacheDirectory)
        self.workParent = workParent
        self.timeout = timeout
    }

    /// `conf` with `carch` forced when it differs from the conf's own CARCH.
    static func applying(carch: String?, to conf: String) -> String {
        guard let carch, MakepkgEnvironment(makepkgConf: conf).carch != carch else { return conf }
        let chost = MakepkgEnvironment(makepkgConf: conf, carch: carch).chost ?? "\(carch)-unknown-linux-gnu"
        return conf + "\n# pacbuild: the repo's CARCH\nCARCH=\(shellQuoted(carch))\nCHOST=\(shellQuoted(chost))\n"
    }

    /// The `.SRCINFO` of the PKGBUILD in `directory`: from the cache when the directory,
    /// the makepkg.conf and the build root are as they were, otherwise from a sandbox run,
    /// which is then cached whatever it ended with: a `.SRCINFO`, makepkg's error, a
    /// sandbox that ended first, or the time limit (kept with the limit, so a longer
    /// limit tries again). Only a sandbox that could not be started is not cached: that
    /// is this machine's problem, not the PKGBUILD's. Blocking.
    public func read(directory: String) -> SrcInfoFallbackResult {
        let start = ContinuousClock.now
        let key: String
        do { key = try cache.key(directory: directory, makepkgConf: makepkgConf, root: root) } catch {
            return SrcInfoFallbackResult(directory: directory, run: nil, failure: "\(error)", fromCache: false, seconds: 0)
        }
        if let run = cache.load(key), run.answers(timeout: timeout) {
            var result = SrcInfoFallbackResult(directory: directory, run: run, fromCache: true, seconds: start.duration(to: .now).seconds)
            result.failure = result.failure.map { "\($0) (remembered from an earlier run: \(cache.file(key)))" }
            return result
        }
        let outcome: Result<MakepkgRun, SandboxError> = Result { () throws(SandboxError) in try runSandboxed(directory) }
        switch outcome {
        case .success(let run):
            cache.store(run, for: key)
            return SrcInfoFallbackResult(directory: directory, run: run, fromCache: false, seconds: start.duration(to: .now).seconds)
        case .failure(let error):
            return SrcInfoFallbackResult(directory: directory, run: nil, failure: "\(error)", fromCache: false,
                                         seconds: start.duration(to: .now).seconds)
        }
    }

    /// ``read(directory:)`` of each directory with `width` sandboxes at a time, in order.
    public func read(directories: [String], width: Int = 2) -> [SrcInfoFallbackResult] {
        directories.concurrentMap(width: width) { read(directory: $0) }
    }

    /// Copies the directory into a fresh workspace, runs the script there, and collects
    /// makepkg's stdout, stderr and status; the workspace is removed afterwards.
    private func runSandboxed(_ directory: String) throws(SandboxError) -> MakepkgRun {
        guard backend.kind != .host else { throw .invalidJob("the makepkg fallback runs untrusted PKGBUILDs; it needs an isolating backend") }
        let work = try makeScratchDirectory(in: workParent, prefix: "srcinfo")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let workspace = try BuildWorkspace.make(at: work)
        try workspace.copySources(from: directory)
        try workspace.write(makepkgConf, to: "makepkg.conf")
        try workspace.write(PrintSrcInfoScript.text, to: "printsrcinfo.sh", mode: 0o755)
        let job = SandboxJob(root: root, jobDirectory: workspace.job, command: ["/bin/sh", SandboxJob.mountPoint + "/printsrcinfo.sh"],
                             network: false, timeout: timeout, logPath: workspace.log, scratchParent: workParent)
        let outcome = try backend.run(job)
        // written inside the sandbox: no link followed, no FIFO waited on, nothing huge
        let read = { (name: String) in
            (try? SafeRead.smallFile(at: workspace.job + "/" + name, limit: Self.outputLimit)).map { String(decoding: $0, as: UTF8.self) }
        }
        let status = read(PrintSrcInfoScript.statusFile).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if outcome.timedOut {
            return MakepkgRun(status: nil, stdout: "", stderr: "makepkg --printsrcinfo did not finish within \(timeout)",
                              timeLimit: timeout.seconds)
        }
        guard let status else {
            let tail = outcome.tail.suffix(5).joined(separator: "\n")
            return MakepkgRun(status: nil, stdout: "", stderr: "the sandbox ended with status \(outcome.exitStatus) before makepkg did\(tail.isEmpty ? "" : ":\n" + tail)")
        }
        return MakepkgRun(status: status, stdout: read(PrintSrcInfoScript.stdoutFile) ?? "", stderr: read(PrintSrcInfoScript.stderrFile) ?? "")
    }
}

/// What one `makepkg --printsrcinfo` printed, as the cache keeps it.
public struct MakepkgRun: Sendable, Codable, Equatable {
    /// makepkg's exit status; nil when it never finished (timeout, sandbox failure).
    public var status: Int32?
    public var stdout: String
    public var stderr: String
    /// The time limit, in seconds, that a run which did not finish ran out of; nil when
    /// it ended by itself (or the sandbox ended it).
    public var timeLimit: Double? = nil

    /// Whether this cached run is the answer with `timeout`: a run that ended says the
    /// same next time; one that ran out of time, only under a limit no longer than its.
    func answers(timeout: Duration) -> Bool { timeLimit.map { timeout.seconds <= $0 } ?? true }
}

/// The fallback's answer for one PKGBUILD directory.
public struct SrcInfoFallbackResult: Sendable {
    public var directory: String
    /// The `.SRCINFO` makepkg printed; nil when it failed (see ``failure``).
    public var srcinfo: SrcInfo?
    /// makepkg's raw stdout, byte for byte.
    public var text: String?
    /// makepkg's stderr: its warnings on success, its error otherwise.
    public var stderr: String
    /// Why there is no `.SRCINFO`: makepkg's error, a timeout, or a sandbox that could not run.
    public var failure: String?
    /// Whether the answer came from the cache, without a sandbox.
    public var fromCache: Bool
    public var seconds: Double

    init(directory: String, run: MakepkgRun?, failure: String? = nil, fromCache: Bool, seconds: Double) {
        self.directory = directory
        self.fromCache = fromCache
        self.seconds = seconds
        stderr = run?.stderr ?? ""
        guard let run, run.status == 0 else {
            let stderr = run?.stderr.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            self.failure = failure ?? run.map { run in
                run.status.map { "makepkg --printsrcinfo failed with status \($0)" + (stderr.isEmpty ? "" : ": " + stderr) } ?? stderr
            } ?? "the makepkg fallback could not run"
            return
        }
        do {
            srcinfo = try SrcInfo(parsing: run.stdout, file: directory + "/.SRCINFO (makepkg)")
            text = run.stdout
        } catch {
            self.failure = "makepkg printed a .SRCINFO that cannot be read: \(error)"
        }
    }
}
