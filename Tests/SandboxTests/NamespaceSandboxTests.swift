import Foundation
import Sandbox
import Testing

/// The namespace backend on the real Debian root: what a command inside sees, and that
/// nothing it does reaches the host or the root.
@Suite(.enabled(if: TestRoot.canRun, "needs root"), .serialized)
struct NamespaceSandboxTests {
    func run(_ script: String, network: Bool = false, timeout: Duration = .seconds(60)) throws -> (SandboxOutcome, String, String) {
        let root = try TestRoot.debian12()
        let dir = try TestRoot.temporaryDirectory("ns")
        try FileManager.default.createDirectory(atPath: dir + "/job", withIntermediateDirectories: true)
        try script.write(toFile: dir + "/job/run.sh", atomically: true, encoding: .utf8)
        let job = SandboxJob(root: root, jobDirectory: dir + "/job", command: ["/bin/sh", "/pacbuild/run.sh"], network: network,
                             timeout: timeout, logPath: dir + "/log", scratchParent: dir)
        let outcome = try NamespaceBackend().run(job)
        return (outcome, try String(contentsOfFile: dir + "/log", encoding: .utf8), dir)
    }

    @Test func commandSeesAMinimalSystem() throws {
        let (outcome, log, _) = try run("""
            echo "init=$(cat /proc/1/comm) host=$(hostname) user=$(id -u) processes=$(ls /proc | grep -c '^[0-9]')"
            ls /dev | tr '\\n' ' '; echo
            readlink /dev/fd
            tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '
            mount | grep -c ' / type overlay'
            echo written > /pacbuild/out.txt
            """)
        #expect(outcome.exitStatus == 0, "\(log)")
        #expect(log.contains("init=sh host=pacbuild user=0 processes="))
        // init, the job's shell, and the few commands of that line: no host process
        #expect(Int(log.split(separator: "processes=").last?.prefix(while: \.isNumber) ?? "") ?? 99 < 8)
        #expect(log.contains("full null ptmx pts random shm stderr stdin stdout tty urandom zero"))
        #expect(log.contains("/proc/self/fd"))
        #expect(outcome.tail.contains("lo") && !outcome.tail.contains { $0.hasPrefix("eth") })
        #expect(outcome.tail.contains("1"))
        #expect(outcome.duration < .seconds(5))
    }

    @Test func writesOutsideTheJobStayInsideAndNetworkIsUnreachable() throws {
        let root = try TestRoot.debian12()
        let before = try TestRoot.fingerprint(root.rootfs)
        // A listener on the host's loopback: inside, 127.0.0.1 is the sandbox's own.
        let listener = try TestRoot.temporaryDirectory("listener")
        let port = 20000 + Int.random(in: 0..<20000)
        try TestRoot.listen(on: port, marker: listener + "/reached")
        let (outcome, log, _) = try run("""
            echo evil > /etc/pacbuild-escape && echo wrote-etc
            echo evil > /pacbuild-escape && echo wrote-root
            rm -f /usr/bin/pacman && echo removed-pacman
            mount -t tmpfs none /mnt 2>/dev/null && echo mounted || echo mount-refused
            mknod /tmp/disk b 254 0 2>/dev/null && echo mknod-ok || echo mknod-refused
            bash -c 'exec 3<>/dev/tcp/127.0.0.1/\(port)' 2>/dev/null && echo reached-host || echo host-unreachable
            """)
        #expect(outcome.exitStatus == 0, "\(log)")
        #expect(log.contains("wrote-etc") && log.contains("wrote-root") && log.contains("removed-pacman"))
        #expect(log.contains("mount-refused") && log.contains("mknod-refused") && log.contains("host-unreachable"))
        #expect(!FileManager.default.fileExists(atPath: "/etc/pacbuild-escape"))
        #expect(!FileManager.default.fileExists(atPath: "/pacbuild-escape"))
        #expect(!FileManager.default.fileExists(atPath: root.rootfs + "/etc/pacbuild-escape"))
        #expect(FileManager.default.fileExists(atPath: root.rootfs + "/usr/bin/pacman"))
        #expect(!FileManager.default.fileExists(atPath: listener + "/reached"))
        #expect(try TestRoot.reachFromHost(port: port, marker: listener + "/reached"))
        #expect(try TestRoot.fingerprint(root.rootfs) == before)
    }

    @Test func timeoutKillsEveryProcessInTheSandbox() throws {
        let marker = "pacbuild-timeout-\(UUID().uuidString.prefix(8))"
        let (outcome, log, dir) = try run("""
            (trap '' TERM; exec -a \(marker) sleep 300) &
            sh -c 'trap "" TERM; while :; do sleep 1; done' &
            echo started; wait
            """, timeout: .seconds(2))
        #expect(outcome.timedOut)
        #expect(outcome.duration < .seconds(12), "\(log)")
        let (_, processes) = try TestRoot.shell("ps -eo args | grep -c '^\(marker)' || true")
        #expect(processes.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        // the overlay's scratch is gone with the sandbox
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("pacbuild-ns") }
        #expect(left.isEmpty)
    }
}
