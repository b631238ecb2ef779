import Foundation
import Sandbox
import Testing

/// The UML backend's run mechanics on the real image, with commands cheap enough that
/// the boot (a few seconds) is most of the cost: parallel runs over one image, and a
/// timeout that stops the machine.
@Suite(.enabled(if: TestRoot.canRun && FileManager.default.isExecutableFile(atPath: "/usr/bin/linux"), "needs root and user-mode-linux"))
struct UMLSandboxTests {
    let backend = UMLBackend(umlDirectory: TestRoot.stateDirectory + "/uml")

    /// A job directory holding `run.sh`, and a job that runs it with `dir` as scratch parent.
    func job(_ root: BuildRoot, in dir: String, label: String, script: String, timeout: Duration = .seconds(120),
             memory: String = "256M") throws -> SandboxJob {
        let jobDirectory = dir + "/job-" + label
        try FileManager.default.createDirectory(atPath: jobDirectory, withIntermediateDirectories: true)
        try script.write(toFile: jobDirectory + "/run.sh", atomically: true, encoding: .utf8)
        return SandboxJob(root: root, jobDirectory: jobDirectory, command: ["/bin/sh", "/pacbuild/run.sh"], timeout: timeout,
                          logPath: dir + "/log-" + label, scratchParent: dir, memory: memory)
    }

    /// Host processes whose command line mentions `text` (a UML kernel names its COW file there).
    static func processes(mentioning text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text)
        }
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
        let jobs = try ["a", "b"].map { try job(root, in: dir, label: $0, script: script($0)) }
        // Both COW files exist while both machines run.
        let watcher = Watcher {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.hasPrefix("pacbuild-uml") && FileManager.default.fileExists(atPath: dir + "/" + $0 + "/build.cow") }.count
        }
        async let first = backend.runDetached(jobs[0])
        async let second = backend.runDetached(jobs[1])
        let outcomes = try await [first, second]
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
        // While it runs, the kernel and its helpers are found by their command line, so
        // that finding none afterwards means they are gone.
        let watcher = Watcher { Self.processes(mentioning: dir).count }
        let outcome = try await backend.runDetached(job)
        #expect(watcher.stop() >= 2, "the UML kernel and at least one helper")
        let log = try String(contentsOfFile: job.logPath, encoding: .utf8)
        #expect(outcome.timedOut, "\(log)")
        #expect(outcome.exitStatus == 143)
        // stopped by the timeout, far from the job's 600 s (loose: the machine may be loaded)
        #expect(outcome.duration < .seconds(120), "\(outcome.duration)")
        let failure = FailureClassifier.classify(log: outcome.tail, exitStatus: outcome.exitStatus, timedOut: outcome.timedOut)
        #expect(failure?.failureClass == .timeout)
        // no UML kernel or helper left: every one of them names the COW file under `dir`
        #expect(Self.processes(mentioning: dir).isEmpty)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("pacbuild-uml") }
        #expect(left.isEmpty)
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
