import Foundation
import Sandbox
import Testing

extension ContainmentTests {
    /// Whatever the host process has open without close-on-exec (a file another thread of a
    /// waka is writing, a log, a store) is inherited by every process it starts unless the
    /// start closes it: the sandbox must begin with stdin, stdout and stderr only. The test
    /// opens the canary for reading and a host file for writing without `O_CLOEXEC`, as
    /// Foundation's `FileManager.createFile` and `FileHandle` do on another thread, then
    /// starts a run that reads and writes every descriptor it has beyond the three.
    @Suite struct FileDescriptorTests {
        @Test func theSandboxInheritsNoDescriptorOfTheHostProcess() throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("fds")
            let containment = try Containment(directory: directory)
            let writable = directory + "/host-writable"
            let reading = open(containment.canary.path, O_RDONLY)
            let writing = open(writable, O_WRONLY | O_CREAT, 0o600)
            defer { close(reading); close(writing) }
            let jobDirectory = directory + "/job"
            try FileManager.default.createDirectory(atPath: jobDirectory, withIntermediateDirectories: true)
            try """
                for fd in /proc/self/fd/*; do
                  n=${fd##*/}
                  [ "$n" -gt 2 ] || continue
                  echo "ATTACK fd $n -> $(readlink "$fd")"
                  if [ "$n" -lt 10 ]; then
                    eval "head -c 200 <&$n" 2>/dev/null | sed 's/^/ATTACK fd-read: LEAKED </'
                    eval "echo pwned-by-sandbox >&$n" 2>/dev/null && echo "ATTACK fd-write $n: WRITABLE"
                  fi
                done
                true
                """.write(toFile: jobDirectory + "/run.sh", atomically: true, encoding: .utf8)
            let scratch = directory + "/scratch"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let watcher = ScratchWatcher(scratch)
            let outcome = try NamespaceBackend().run(SandboxJob(root: root, jobDirectory: jobDirectory, command: ["/bin/sh", "/pacbuild/run.sh"],
                                                                timeout: .seconds(60), logPath: directory + "/log", scratchParent: scratch))
            let names = watcher.stop()
            let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
            #expect(outcome.exitStatus == 0, "\(log)")
            #expect(!log.contains("ATTACK fd "), "descriptors of the host process inside the sandbox:\n\(log)")
            let written = (try? String(contentsOfFile: writable, encoding: .utf8)) ?? ""
            #expect(written.isEmpty, "the sandbox wrote into a host file through an inherited descriptor: \(written)")
            try FileManager.default.removeItem(atPath: writable)
            close(reading)
            let problems = try containment.problems(log: log, scratchNames: names).filter { !$0.contains("was read: atime") }
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(containment.removal().isEmpty)
        }
    }
}
