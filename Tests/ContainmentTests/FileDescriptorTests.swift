import Foundation
import Sandbox
import Testing

extension ContainmentTests {
    /// Whatever the host process has open without close-on-exec (a file another thread of a
    /// waka is writing, a log, a store) is inherited by every process it starts unless the
    /// start closes it: the sandbox must begin with stdin, stdout and stderr only. The test
    /// opens the canary for reading and a host file for writing without `O_CLOEXEC`, as
    /// Foundation's `FileManager.createFile` and `FileHandle` do on another thread, then
    /// starts the attack program, which reads every descriptor it has beyond the three.
    @Suite struct FileDescriptorTests {
        @Test func theSandboxInheritsNoDescriptorOfTheHostProcess() throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("fds")
            let containment = try Containment(directory: directory)
            // named like a build log: the attack program truncates and forges those
            try FileManager.default.createDirectory(atPath: directory + "/host", withIntermediateDirectories: true)
            let writable = directory + "/host/build.log"
            let reading = open(containment.canary.path, O_RDONLY)
            let writing = open(writable, O_WRONLY | O_CREAT, 0o600)
            let jobDirectory = directory + "/job"
            try FileManager.default.createDirectory(atPath: jobDirectory, withIntermediateDirectories: true)
            try AttackProgram.compile(canary: containment.canary, to: jobDirectory + "/pacbuild-attack")
            let scratch = directory + "/scratch"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let watcher = ScratchWatcher(scratch)
            let outcome = try NamespaceBackend().run(SandboxJob(root: root, jobDirectory: jobDirectory, command: ["/pacbuild/pacbuild-attack", "fds"],
                                                                timeout: .seconds(60), logPath: directory + "/log", scratchParent: scratch))
            let names = watcher.stop()
            close(reading)
            close(writing)
            let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
            #expect(outcome.exitStatus == 0, "\(log)")
            #expect(log.contains("ATTACK start fds"), "\(log)")
            #expect(!log.contains("ATTACK fd "), "descriptors of the host process inside the sandbox:\n\(log)")
            let written = (try? String(contentsOfFile: writable, encoding: .utf8)) ?? ""
            #expect(written.isEmpty, "the sandbox wrote into a host file through an inherited descriptor: \(written)")
            let problems = try containment.problems(log: log, scratchNames: names)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(containment.removal().isEmpty)
        }
    }
}
