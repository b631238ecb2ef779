import Foundation
import Sandbox
import Testing

extension ContainmentTests {
    /// Every run has a network namespace of its own: it reaches nothing the host offers
    /// only to itself, services on 127.0.0.1 (a store's PostgreSQL, a mirror's admin
    /// port) and abstract unix sockets (a container runtime's shim, the escape of
    /// CVE-2020-15257). Here a TCP listener on the host's 127.0.0.1 and an abstract socket
    /// each write a marker when reached; the attack (as root inside) connects to both.
    /// With `network = true` the run reaches the network through slirp4netns's NAT (here:
    /// a listener on the host's own network address, as a mirror on the LAN would be),
    /// still not the host's loopback; without, it reaches nothing.
    @Suite struct NetworkTests {
        @Test(arguments: [false, true])
        func theHostsLoopbackServicesAreOutOfReach(network: Bool) throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("net")
            let containment = try Containment(directory: directory)
            let port = 20000 + Int.random(in: 0..<20000)
            let name = "pacbuild-test-" + UUID().uuidString.prefix(8)
            // the host's own address on its network (not loopback)
            let address = try ContainmentRoot.run("ip -4 -o route get 192.0.2.1 | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p'")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(!address.isEmpty && !address.hasPrefix("127."), "no network address on this host: '\(address)'")
            // python3 ends by itself after a minute (the test process's children may have signals blocked)
            let listener = try Process.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", "-c", """
                import select, socket, sys, time
                t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                t.bind(("127.0.0.1", int(sys.argv[1]))); t.listen()
                u = socket.socket(socket.AF_UNIX); u.bind("\\0" + sys.argv[2]); u.listen()
                n = socket.socket(); n.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                n.bind((sys.argv[4], int(sys.argv[1]) + 1)); n.listen()
                open(sys.argv[3] + "/listening", "w").write("yes")
                end = time.time() + 60
                names = {t: "/reached-tcp", u: "/reached-abstract", n: "/reached-network"}
                while time.time() < end and len(sys.argv) > 3:
                    for s in select.select([t, u, n], [], [], 0.2)[0]:
                        c, _ = s.accept(); open(sys.argv[3] + names[s], "w").write("reached")
                """, String(port), name, directory, address])
            defer { kill(listener.processIdentifier, SIGKILL) }
            for _ in 0..<50 where !FileManager.default.fileExists(atPath: directory + "/listening") { usleep(100_000) }
            let jobDirectory = directory + "/job"
            try FileManager.default.createDirectory(atPath: jobDirectory + "/out", withIntermediateDirectories: true)
            try AttackProgram.compile(canary: containment.canary, to: jobDirectory + "/pacbuild-attack")
            let scratch = directory + "/scratch"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let watcher = ScratchWatcher(scratch)
            let outcome = try NamespaceBackend().run(SandboxJob(root: root, jobDirectory: jobDirectory,
                                                                command: ["/bin/sh", "-c", """
                                                                    /pacbuild/pacbuild-attack net \(port) \(name)
                                                                    bash -c 'exec 3<>/dev/tcp/\(address)/\(port + 1)' && echo network-reached || echo network-unreachable
                                                                    """],
                                                                network: network, timeout: .seconds(60), logPath: directory + "/log",
                                                                scratchParent: scratch))
            let names = watcher.stop()
            let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
            #expect(outcome.exitStatus == 0 && log.contains("ATTACK start net"), "\(log)")
            #expect(log.contains(network ? "network-reached" : "network-unreachable"), "\(log)")
            // the listener writes its marker after the accept: a moment later
            for _ in 0..<30 where network && !FileManager.default.fileExists(atPath: directory + "/reached-network") { usleep(100_000) }
            #expect(FileManager.default.fileExists(atPath: directory + "/reached-network") == network, "\(log)")
            for marker in ["reached-tcp", "reached-abstract"] {
                #expect(!FileManager.default.fileExists(atPath: directory + "/" + marker),
                        "with network \(network), the sandbox reached the host's \(marker.dropFirst(8)) listener:\n\(log)")
            }
            // the listeners were alive: the host itself reaches them
            try ContainmentRoot.run("bash -c 'exec 3<>/dev/tcp/127.0.0.1/\(port)'; sleep 0.3")
            #expect(FileManager.default.fileExists(atPath: directory + "/reached-tcp"))
            kill(listener.processIdentifier, SIGKILL)
            listener.waitUntilExit()
            let problems = try containment.problems(log: log, scratchNames: names)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(containment.removal().isEmpty)
        }
    }
}
