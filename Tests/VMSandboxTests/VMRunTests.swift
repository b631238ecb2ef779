import Foundation
import Sandbox
import Synchronization
import Testing

/// Single commands in a VM, each a whole boot: how a run ends (status, failure, a
/// panicked guest at the timeout), what the guest sees, and its limits. Every run's
/// scratch (the overlay among it) must be gone afterwards.
@Suite(.enabled(if: VMTestRoot.canRun, "needs root"), .serialized)
struct VMRunTests {
    struct Run {
        var outcome: SandboxOutcome
        var log: String
        var scratchLeft: [String]
    }

    /// Runs `script` with `sh -c` in a VM over the test root.
    static func run(_ script: String, limits: SandboxLimits = SandboxLimits(memoryBytes: 512 << 20, maxProcesses: 256, diskBytes: 256 << 20),
                    timeout: Duration = .seconds(240)) throws -> Run {
        let root = try VMTestRoot.debian12()
        let work = try VMTestRoot.temporaryDirectory("run")
        let jobDirectory = work + "/job"
        try FileManager.default.createDirectory(atPath: jobDirectory + "/out", withIntermediateDirectories: true)
        var job = SandboxJob(root: root, jobDirectory: jobDirectory, command: ["/bin/sh", "-c", script], timeout: timeout,
                             logPath: work + "/build.log", scratchParent: work)
        job.limits = limits
        let outcome = try VMTestRoot.backend().run(job)
        let log = (try? String(contentsOfFile: work + "/build.log", encoding: .utf8)) ?? ""
        return Run(outcome: outcome, log: log, scratchLeft: VMTestRoot.scratchLeft(in: work))
    }

    /// The lines of the log between `BEGIN` and `END` markers the command printed.
    static func section(_ log: String, _ name: String) -> [String] {
        let lines = log.split(separator: "\n").map { line -> String in
            // the log's timestamp prefix "[   1.234] "
            guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return String(line) }
            return String(line[line.index(after: close)...].drop { $0 == " " })
        }
        guard let start = lines.firstIndex(of: "BEGIN \(name)"), let end = lines[start...].firstIndex(of: "END \(name)") else { return [] }
        return Array(lines[(start + 1)..<end])
    }

    @Test func aFailingCommandsStatusComesOutAndTheOverlayGoes() throws {
        let run = try Self.run("echo failing on purpose; exit 3")
        #expect(run.outcome.exitStatus == 3, "\(run.log)")
        #expect(!run.outcome.timedOut)
        #expect(run.scratchLeft.isEmpty, "left behind: \(run.scratchLeft)")
    }

    /// A guest kernel panic hangs the machine (`panic=0`): the timeout stops it.
    @Test func aPanickedGuestIsStoppedAtTheTimeout() throws {
        let start = ContinuousClock.now
        let run = try Self.run("echo c >/proc/sysrq-trigger; sleep 600", timeout: .seconds(60))
        #expect(run.outcome.timedOut, "\(run.log)")
        #expect(run.log.contains("Kernel panic"), "\(run.log)")
        #expect(run.outcome.exitStatus != 0)
        #expect(start.duration(to: .now) < .seconds(100))
        #expect(run.scratchLeft.isEmpty, "left behind: \(run.scratchLeft)")
    }

    /// No network device but `lo`, none of the host's files, a kernel of its own, and a
    /// process left running does not keep the machine up. Meanwhile QEMU runs on the host
    /// as pacbuild-sandbox.
    @Test func theGuestSeesItsOwnMachineOnly() throws {
        let marker = "/var/tmp/pacbuild-vm-host-secret-\(UUID().uuidString.prefix(8))"
        let secret = "host-secret-\(UUID().uuidString)"
        try secret.write(toFile: marker, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let identities = QEMUIdentities()
        identities.start()
        let run = try Self.run("""
            (sleep 900 &)
            echo BEGIN net; ls /sys/class/net; echo END net
            echo BEGIN host; cat \(marker) 2>&1 || echo unreadable; ls /dev/kvm 2>&1; echo END host
            echo BEGIN kernel; uname -r; echo END kernel
            """, timeout: .seconds(200))
        let owners = identities.stop()
        #expect(run.outcome.exitStatus == 0, "\(run.log)")
        #expect(!run.outcome.timedOut, "a background process kept the machine up:\n\(run.log)")
        #expect(Self.section(run.log, "net") == ["lo"], "\(run.log)")
        #expect(!run.log.contains(secret))
        #expect(Self.section(run.log, "host").first?.contains("No such file") == true, "\(run.log)")
        let release = try String(contentsOfFile: VMTestRoot.stateDirectory + "/vm/kernel-x86_64/release", encoding: .utf8)
        #expect(Self.section(run.log, "kernel") == [release.trimmingCharacters(in: .whitespacesAndNewlines)], "\(run.log)")
        let sandboxUID = try #require(SandboxUser.lookup()?.uid)
        #expect(!owners.isEmpty, "no QEMU process was seen")
        #expect(owners.allSatisfy { $0 == [sandboxUID, sandboxUID, sandboxUID, sandboxUID] }, "QEMU's real, effective, saved, fs uids: \(owners)")
        #expect(run.scratchLeft.isEmpty)
    }

    /// Two machines at once, one per slot, each on its own overlay of the one image: what
    /// one writes to its root the other does not see.
    @Test func twoMachinesRunAtOnceOnOverlaysOfTheirOwn() throws {
        let runs = Mutex<[Int: Run]>([:])
        let errors = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { slot in
            do {
                let run = try Self.run("""
                    sleep 2; echo BEGIN before; cat /etc/pacbuild-slot 2>/dev/null || echo none; echo END before; echo \(slot) >/etc/pacbuild-slot; echo BEGIN slot; cat /etc/pacbuild-slot; echo END slot
                    """)
                runs.withLock { $0[slot] = run }
            } catch {
                errors.withLock { $0.append("\(error)") }
            }
        }
        #expect(errors.withLock { $0 }.isEmpty)
        let both = runs.withLock { $0 }
        for slot in 0..<2 {
            let run = try #require(both[slot])
            #expect(run.outcome.exitStatus == 0, "\(run.log)")
            #expect(Self.section(run.log, "slot") == ["\(slot)"], "\(run.log)")
            #expect(Self.section(run.log, "before") == ["none"], "the other machine's write shows: \(run.log)")
            #expect(run.scratchLeft.isEmpty)
        }
    }

    @Test func aForkBombEndsAsTheProcessLimit() throws {
        let run = try Self.run("f() { f | f & }; f; sleep 120",
                               limits: SandboxLimits(memoryBytes: 512 << 20, maxProcesses: 64, diskBytes: 256 << 20))
        #expect(run.outcome.limitHit?.hasPrefix("process limit of 64 reached") == true, "\(String(describing: run.outcome.limitHit))\n\(run.log)")
        #expect(!run.outcome.timedOut)
        #expect(run.scratchLeft.isEmpty)
    }

    @Test func aMemoryHogEndsAsTheMemoryLimit() throws {
        // tail keeps the last line whole in memory, and /dev/zero has no newline
        let run = try Self.run("head -c 2000M /dev/zero | tail -n 1 >/dev/null; sleep 120",
                               limits: SandboxLimits(memoryBytes: 256 << 20, maxProcesses: 256, diskBytes: 256 << 20))
        #expect(run.outcome.limitHit?.hasPrefix("memory limit of 256 MiB reached") == true, "\(String(describing: run.outcome.limitHit))\n\(run.log)")
        #expect(!run.outcome.timedOut)
        #expect(run.scratchLeft.isEmpty)
    }

    @Test func aDiskFillerEndsAsTheDiskLimit() throws {
        let run = try Self.run("dd if=/dev/zero of=/pacbuild/filler bs=1M count=1000; echo dd ended",
                               limits: SandboxLimits(memoryBytes: 512 << 20, maxProcesses: 256, diskBytes: 64 << 20))
        #expect(run.outcome.limitHit?.hasPrefix("disk limit of 64 MiB reached") == true, "\(String(describing: run.outcome.limitHit))\n\(run.log)")
        #expect(run.scratchLeft.isEmpty)
    }
}

/// Watches the host's `qemu-system-*` processes while a test runs: their uids.
final class QEMUIdentities: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [[UInt32]] = []
    private var running = true
    private var thread: Thread?

    func start() {
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(pid) != nil {
                    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                          status.hasPrefix("Name:\tqemu-system-") else { continue }
                    let uids = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?
                        .split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().compactMap { UInt32($0) } ?? []
                    lock.withLock { seen.append(uids) }
                }
                usleep(500_000)
            }
        }
        self.thread = thread
        thread.start()
    }

    func stop() -> [[UInt32]] {
        lock.withLock { running = false }
        usleep(600_000)
        return lock.withLock { seen }
    }
}
