import Foundation
import Sandbox
import Testing

/// The UML backend's run mechanics on the real image, with commands cheap enough that
/// the boot (a few seconds) is most of the cost: parallel runs over one image, a
/// timeout that stops the machine, the kernel's identity on the host, what it can write
/// there, and the disk limit.
@Suite(.enabled(if: TestRoot.canRun && FileManager.default.isExecutableFile(atPath: "/usr/bin/linux"), "needs root and user-mode-linux"))
struct UMLSandboxTests {
    let backend = UMLBackend()

    /// A job directory holding `run.sh`, and a job that runs it with `dir` as scratch parent.
    func job(_ root: BuildRoot, in dir: String, label: String, script: String, timeout: Duration = .seconds(120),
             memory: String = "256M") throws -> SandboxJob {
        let jobDirectory = dir + "/job-" + label
        try FileManager.default.createDirectory(atPath: jobDirectory, withIntermediateDirectories: true)
        try script.write(toFile: jobDirectory + "/run.sh", atomically: true, encoding: .utf8)
        return SandboxJob(root: root, jobDirectory: jobDirectory, command: ["/bin/sh", "/pacbuild/run.sh"], timeout: timeout,
                          logPath: dir + "/log-" + label, scratchParent: dir, memory: memory)
    }

    /// What the tests expect of a job directory after the run: the backend's files gone,
    /// and the directory root's again, closed to everyone else.
    static func expectHandedBack(_ jobDirectory: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: jobDirectory)
        #expect(!names.contains(".uml-command") && !names.contains(".uml-status"), "\(names)")
        var info = stat()
        #expect(lstat(jobDirectory, &info) == 0 && info.st_uid == 0 && info.st_mode & 0o777 == 0o700)
    }

    @Test func severalRunsShareOneImageEachWithItsOwnCopyOnWriteFile() async throws {
        let root = try TestRoot.debian12()
        _ = try UMLBackend.makeImage(for: root)
        let imageBefore = try FileManager.default.attributesOfItem(atPath: root.image)[.modificationDate] as? Date
        let dir = try TestRoot.temporaryDirectory("uml-parallel")
        // Each writes its own name into the root, waits for the other to have written,
        // and reads it back: a shared copy-on-write file would show the other's.
        let script = { (name: String) in """
            echo \(name) > /etc/pacbuild-who
            sleep 2
            echo "saw=$(cat /etc/pacbuild-who)"
            grep MemTotal /proc/meminfo
            """ }
        let first = try job(root, in: dir, label: "a", script: script("a"))
        // mem= is the smaller of the UML memory and the memory limit
        var second = try job(root, in: dir, label: "b", script: script("b"), memory: "2G")
        second.limits.memoryBytes = 256 << 20
        // Both COW files exist while both machines run.
        let watcher = Watcher {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.hasPrefix("pacbuild-uml") && FileManager.default.fileExists(atPath: dir + "/" + $0 + "/machine/build.cow") }.count
        }
        async let firstOutcome = backend.runDetached(first)
        async let secondOutcome = backend.runDetached(second)
        let outcomes = try await [firstOutcome, secondOutcome]
        let most = watcher.stop()
        let logs = try ["a", "b"].map { try String(contentsOfFile: dir + "/log-" + $0, encoding: .utf8) }
        #expect(outcomes.map(\.exitStatus) == [0, 0], "\(logs)")
        #expect(logs[0].contains("saw=a") && logs[1].contains("saw=b"), "\(logs)")
        #expect(most == 2)
        // mem= reached the kernel: 256M less what the kernel keeps for itself
        let kilobytes = logs.compactMap { log in
            log.components(separatedBy: "MemTotal:").dropFirst().first.flatMap { Int($0.drop { $0 == " " }.prefix { $0.isNumber }) }
        }
        #expect(kilobytes.count == 2 && kilobytes.allSatisfy { (180_000...262_144).contains($0) }, "\(logs)")
        // that both ran at once is shown by the watcher's two COW files, not by timing
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("pacbuild-uml") }
        #expect(left.isEmpty)
        // the shared image was only read
        #expect(try FileManager.default.attributesOfItem(atPath: root.image)[.modificationDate] as? Date == imageBefore)
        #expect(!FileManager.default.fileExists(atPath: root.rootfs + "/etc/pacbuild-who"))
    }

    @Test func timeoutStopsTheMachineAndLeavesNoProcess() async throws {
        let root = try TestRoot.debian12()
        let dir = try TestRoot.temporaryDirectory("uml-timeout")
        let job = try job(root, in: dir, label: "slow", script: "echo started\nsleep 600\n", timeout: .seconds(10))
        // While it runs, the machine's processes are found through its PID namespace, so
        // that finding none of that namespace afterwards means they are gone.
        let recorder = Recorder { UMLMachine.processes(scratchIn: dir) }
        let outcome = try await backend.runDetached(job)
        let seen = recorder.stop()
        #expect(Set(seen.map(\.pid)).count >= 2, "the UML kernel and at least one helper")
        let log = try String(contentsOfFile: job.logPath, encoding: .utf8)
        #expect(outcome.timedOut, "\(log)")
        #expect(outcome.exitStatus == 143)
        // stopped by the timeout, far from the job's 600 s (loose: the machine may be loaded)
        #expect(outcome.duration < .seconds(120), "\(outcome.duration)")
        let failure = FailureClassifier.classify(log: outcome.tail, exitStatus: outcome.exitStatus, timedOut: outcome.timedOut)
        #expect(failure?.failureClass == .timeout)
        // no UML kernel or helper left in the machine's namespace
        #expect(UMLMachine.processes(inNamespaces: Set(seen.map(\.namespace))).isEmpty)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("pacbuild-uml") }
        #expect(left.isEmpty)
        try Self.expectHandedBack(job.jobDirectory)
    }

    @Test func theKernelAndEveryProcessOfTheMachineRunAsTheSandboxUserWithoutCapabilities() async throws {
        let root = try TestRoot.debian12()
        let user = try SandboxUser.ensure()
        let dir = try TestRoot.temporaryDirectory("uml-identity")
        // a few processes in the machine, each a host process of UML's
        let job = try job(root, in: dir, label: "id", script: "sleep 6 & sleep 6 & id; wait\n")
        let recorder = Recorder { UMLMachine.processes(scratchIn: dir) }
        let outcome = try await backend.runDetached(job)
        let seen = recorder.stop()
        let log = try String(contentsOfFile: job.logPath, encoding: .utf8)
        #expect(outcome.exitStatus == 0, "\(log)")
        #expect(log.contains("uid=0(root)"), "root inside the machine: \(log)")
        #expect(Set(seen.map(\.pid)).count >= 4, "the kernel, its helpers and the machine's processes: \(seen)")
        let id = "\(user.uid)"
        let gid = "\(user.gid)"
        for process in seen {
            #expect(process.field("Uid") == [id, id, id, id], "\(process)")
            #expect(process.field("Gid") == [gid, gid, gid, gid], "\(process)")
            #expect(process.field("Groups") == [], "\(process)")
            for capabilities in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
                #expect(process.field(capabilities) == ["0000000000000000"], "\(capabilities): \(process)")
            }
            #expect(process.field("NoNewPrivs") == ["1"], "\(process)")
        }
        try Self.expectHandedBack(job.jobDirectory)
    }

    @Test func theMachineCannotWriteHostFilesNorItsReadOnlyBinds() async throws {
        let root = try TestRoot.debian12()
        let dir = try TestRoot.temporaryDirectory("uml-hostfs")
        // Next to the job directory: a file root may write and others read, one only root
        // reads. hostfs is no boundary: a mount of /.. climbs out of the job directory.
        try "original\n".write(toFile: dir + "/victim", atomically: true, encoding: .utf8)
        try "secret\n".write(toFile: dir + "/secret", atomically: true, encoding: .utf8)
        chmod(dir + "/victim", 0o644)
        chmod(dir + "/secret", 0o600)
        // A pool to bind read-only: a package of root's (linked), a database link to it,
        // a file of another user's (copied).
        let pool = dir + "/pool"
        try FileManager.default.createDirectory(atPath: pool + "/sub", withIntermediateDirectories: true)
        try "package\n".write(toFile: pool + "/a.pkg.tar.zst", atomically: true, encoding: .utf8)
        try "other\n".write(toFile: pool + "/sub/b", atomically: true, encoding: .utf8)
        chmod(pool + "/a.pkg.tar.zst", 0o644)
        chmod(pool + "/sub/b", 0o664)
        chown(pool + "/sub/b", 65534, 65534)
        try FileManager.default.createSymbolicLink(atPath: pool + "/pool.db", withDestinationPath: "a.pkg.tar.zst")
        let poolBefore = try TestRoot.fingerprint(pool)
        var job = try job(root, in: dir, label: "escape", script: """
            mkdir -p /mnt/up /mnt/link
            mount -t hostfs -o /.. none /mnt/up && echo mounted-parent
            ls /mnt/up
            echo pwned > /mnt/up/victim && echo ESCAPE: wrote-victim
            cat /mnt/up/secret && echo ESCAPE: read-secret
            touch /mnt/up/planted && echo ESCAPE: planted
            ln -s \(dir) /pacbuild/link
            # the link's absolute target is a path of the host's tree, which the kernel's
            # own small tree does not have: the mount fails, or finds nothing to write
            if mount -t hostfs -o /link none /mnt/link; then
                echo pwned > /mnt/link/victim && echo ESCAPE: wrote-victim-through-link
            fi
            echo tried-link
            echo "bind: $(cat /pacbuild/deps/pool/pool.db) $(cat /pacbuild/deps/pool/sub/b)"
            echo pwned > /pacbuild/deps/pool/a.pkg.tar.zst && echo ESCAPE: wrote-pool
            rm -f /pacbuild/deps/pool/a.pkg.tar.zst && echo ESCAPE: removed-pool-file
            touch /pacbuild/deps/pool/new && echo ESCAPE: added-to-pool
            chmod 666 /pacbuild/deps/pool/sub/b && echo ESCAPE: chmod-pool
            echo done
            """)
        job.readOnlyBinds = [ReadOnlyBind(host: pool, inside: "/pacbuild/deps/pool")]
        let outcome = try await backend.runDetached(job)
        let log = try String(contentsOfFile: job.logPath, encoding: .utf8)
        #expect(outcome.exitStatus == 0, "\(log)")
        #expect(log.contains("mounted-parent") && log.contains("tried-link") && log.contains("done"), "the attempts ran: \(log)")
        #expect(!log.contains("ESCAPE:"), "\(log)")
        #expect(try String(contentsOfFile: dir + "/victim", encoding: .utf8) == "original\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/planted"))
        // the bind's files were there to read
        #expect(log.contains("bind: package other"), "\(log)")
        #expect(try TestRoot.fingerprint(pool) == poolBefore)
        // and are gone from the job directory
        #expect(!FileManager.default.fileExists(atPath: job.jobDirectory + "/deps/pool"))
        try Self.expectHandedBack(job.jobDirectory)
    }

    @Test func writingPastTheDiskLimitStopsTheMachineAsLimits() async throws {
        let root = try TestRoot.debian12()
        let dir = try TestRoot.temporaryDirectory("uml-disk")
        var job = try job(root, in: dir, label: "fill", script: """
            dd if=/dev/zero of=/pacbuild/fill bs=1M count=4096 2>&1
            echo finished
            """)
        job.limits.diskBytes = 64 << 20
        let outcome = try await backend.runDetached(job)
        let log = try String(contentsOfFile: job.logPath, encoding: .utf8)
        let limit = try #require(outcome.limitHit, "\(log)")
        #expect(limit.hasPrefix("disk limit of 64 MiB reached"), "\(limit)")
        #expect(!outcome.timedOut && outcome.exitStatus != 0)
        #expect(!log.contains("finished"), "stopped before the job's end: \(log)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("pacbuild-uml") }
        #expect(left.isEmpty)
        try Self.expectHandedBack(job.jobDirectory)
    }
}

/// The host processes of UML machines, found through their PID namespaces: each
/// kernel is PID 1 of a namespace of its own and names its scratch directory in `umid=`.
enum UMLMachine {
    /// One process as seen once: its PID namespace and `/proc/PID/status`.
    struct Process: Hashable, Sendable, CustomStringConvertible {
        var pid: Int32
        var namespace: String
        var status: [String]

        /// The values of a `status` line (`Uid:\t0\t0\t0\t0`).
        func field(_ name: String) -> [String] {
            status.first { $0.hasPrefix(name + ":") }.map {
                $0.dropFirst(name.count + 1).split(whereSeparator: { $0 == "\t" || $0 == " " }).map(String.init)
            } ?? ["missing"]
        }

        var description: String { "\(pid): " + status.filter { $0.hasPrefix("Name") || $0.hasPrefix("Uid") || $0.hasPrefix("Gid") || $0.hasPrefix("Cap") || $0.hasPrefix("Groups") || $0.hasPrefix("NoNewPrivs") }.joined(separator: " | ") }
    }

    static let kernel = URL(fileURLWithPath: "/usr/bin/linux").resolvingSymlinksInPath().path

    /// Every running kernel process (the kernel, its helpers, the processes behind the
    /// machine's own) of the machines whose scratch directories are in `dir`.
    static func processes(scratchIn dir: String) -> [Process] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("pacbuild-uml.") }
        let own = namespace(of: getpid())
        let namespaces = Set(names.flatMap { name in pids().filter { commandLine(of: $0).contains("umid=" + name) } }
            .compactMap(namespace(of:)).filter { $0 != own })
        return processes(inNamespaces: namespaces).filter {
            // the kernel binary as the machine's small tree has it bound, or as the host has it
            let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\($0.pid)/exe")
            return exe == kernel || exe == "/linux"
        }
    }

    /// Every process in one of the PID namespaces.
    static func processes(inNamespaces namespaces: Set<String>) -> [Process] {
        pids().compactMap { pid in
            guard let namespace = namespace(of: pid), namespaces.contains(namespace),
                  let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
            return Process(pid: pid, namespace: namespace, status: status.split(separator: "\n").map(String.init))
        }
    }

    static func pids() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    }

    static func namespace(of pid: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/pid")
    }

    static func commandLine(of pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }
}

/// Polls `count` every 100 ms on a thread of its own (a task could wait behind the
/// cooperative pool's threads, which a loaded test run keeps busy) and keeps the most seen.
final class Watcher: @unchecked Sendable {
    // @unchecked: `most` and `done` are only touched under `lock`.
    private let lock = NSLock()
    private var most = 0
    private var done = false
    private let finished = DispatchSemaphore(value: 0)

    init(_ count: @escaping @Sendable () -> Int) {
        Thread { [self] in
            while !lock.withLock({ done }) {
                let seen = count()
                lock.withLock { most = max(most, seen) }
                usleep(100_000)
            }
            finished.signal()
        }.start()
    }

    /// Stops polling and returns the most seen at once.
    func stop() -> Int {
        lock.withLock { done = true }
        finished.wait()
        return lock.withLock { most }
    }
}

/// Polls `observe` every 100 ms on a thread of its own, as ``Watcher`` does, and keeps
/// everything it returned.
final class Recorder<Element: Hashable & Sendable>: @unchecked Sendable {
    // @unchecked: `seen` and `done` are only touched under `lock`.
    private let lock = NSLock()
    private var seen: Set<Element> = []
    private var done = false
    private let finished = DispatchSemaphore(value: 0)

    init(_ observe: @escaping @Sendable () -> [Element]) {
        Thread { [self] in
            while !lock.withLock({ done }) {
                let now = observe()
                lock.withLock { seen.formUnion(now) }
                usleep(100_000)
            }
            finished.signal()
        }.start()
    }

    /// Stops polling and returns everything seen.
    func stop() -> Set<Element> {
        lock.withLock { done = true }
        finished.wait()
        return lock.withLock { seen }
    }
}
