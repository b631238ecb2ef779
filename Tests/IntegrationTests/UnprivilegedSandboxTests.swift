import Foundation
import Sandbox
import Testing

/// The namespace backend's unprivileged path: `pacbuild sandbox shell` run as the host's
/// `builder` user goes through bubblewrap, over the cached Debian root read-only, with
/// no network.
@Suite(.enabled(if: RunFixture.canRun && FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")
                    && getpwnam("builder") != nil, "needs root (to become builder), bubblewrap and a builder user"))
struct UnprivilegedSandboxTests {
    @Test func builderRunsAJobInBubblewrapWithTheRootReadOnlyAndNoNetwork() throws {
        let root = try RunFixture.buildRoot()
        let before = try RunFixture.execute("/bin/sh", ["-c", "cd \"$0\" && find . -xdev -printf '%p %s %m %T@\\n' | LC_ALL=C sort | sha256sum", root.rootfs]).1
        let job = RunFixture.testState + "/tests/bwrap-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: job, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: job) }
        let builder = getpwnam("builder")!.pointee
        chown(job, builder.pw_uid, builder.pw_gid)
        // A host listener on loopback: the sandbox must not reach it, the host must.
        let port = 20000 + Int.random(in: 0..<20000)
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        // Alive until the test ends (a loaded machine may take minutes over the sandbox).
        listener.arguments = ["900", "python3", "-c", """
            import signal, socket, sys
            signal.pthread_sigmask(signal.SIG_SETMASK, [])  # the spawning thread's blocked signals
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", \(port))); s.listen(); s.settimeout(890)
            c, _ = s.accept(); open(sys.argv[1], "w").write("reached")
            """, job + "/reached"]
        try listener.run()
        defer { if listener.isRunning { listener.terminate() }; listener.waitUntilExit() }
        usleep(300_000)
        let script = """
            echo "uid=$(id -u) host=$(hostname)"
            touch /etc/pacbuild-escape 2>/dev/null && echo wrote-etc || echo etc-read-only
            touch /pacbuild-escape 2>/dev/null && echo wrote-top || echo top-read-only
            touch /tmp/scratch && echo tmp-writable
            echo "interfaces=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\\n' ' ')"
            bash -c 'exec 3<>/dev/tcp/127.0.0.1/\(port)' 2>/dev/null && echo reached-host || echo host-unreachable
            echo out > /pacbuild/out.txt
            """
        let (status, out, err) = try RunFixture.execute("/usr/bin/setpriv", [
            "--reuid=builder", "--regid=builder", "--init-groups", "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", job,
            RunFixture.binary, "sandbox", "shell", RunFixture.rootName, "--state", RunFixture.testState, "--", "/bin/sh", "-c", script])
        #expect(status == 0, "\(out)\(err)")
        #expect(out.contains("uid=\(builder.pw_uid) host=pacbuild"), "\(out)\(err)")
        #expect(out.contains("etc-read-only") && out.contains("top-read-only") && out.contains("tmp-writable"), "\(out)")
        #expect(out.contains("interfaces=lo ") && out.contains("host-unreachable"), "\(out)")
        #expect(try String(contentsOfFile: job + "/out.txt", encoding: .utf8) == "out\n")
        #expect(!FileManager.default.fileExists(atPath: job + "/reached"))
        // the listener was alive: the host reaches it
        _ = try RunFixture.execute("/bin/bash", ["-c", "exec 3<>/dev/tcp/127.0.0.1/\(port)"])
        listener.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: job + "/reached"))
        #expect(!FileManager.default.fileExists(atPath: root.rootfs + "/etc/pacbuild-escape"))
        let after = try RunFixture.execute("/bin/sh", ["-c", "cd \"$0\" && find . -xdev -printf '%p %s %m %T@\\n' | LC_ALL=C sort | sha256sum", root.rootfs]).1
        #expect(after == before)
    }
}
