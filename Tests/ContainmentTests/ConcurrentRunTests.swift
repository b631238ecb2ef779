import Foundation
import Sandbox
import Testing

extension ContainmentTests {
    /// A waka runs several builds at once (`--jobs N`), each on a thread of its own: a run
    /// must neither fail because another starts at the same moment nor inherit anything of
    /// it (its scratch files are written while the other starts its processes).
    @Suite struct ConcurrentRunTests {
        @Test func runsStartedTogetherAllSucceed() async throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("concurrent")
            let scratch = directory + "/scratch"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let jobs = try (0..<4).map { index -> SandboxJob in
                let jobDirectory = directory + "/job-\(index)"
                try FileManager.default.createDirectory(atPath: jobDirectory, withIntermediateDirectories: true)
                try "echo run-\(index); ls -l /proc/self/fd/ | tail -n +2 | wc -l\n".write(toFile: jobDirectory + "/run.sh", atomically: true, encoding: .utf8)
                return SandboxJob(root: root, jobDirectory: jobDirectory, command: ["/bin/sh", "/pacbuild/run.sh"], timeout: .seconds(120),
                                  logPath: directory + "/log-\(index)", scratchParent: scratch)
            }
            let watcher = ScratchWatcher(scratch)
            let backend = NamespaceBackend()
            let outcomes = try await withThrowingTaskGroup(of: (Int, SandboxOutcome).self) { group in
                for (index, job) in jobs.enumerated() { group.addTask { (index, try await backend.runDetached(job)) } }
                var outcomes: [Int: SandboxOutcome] = [:]
                for try await (index, outcome) in group { outcomes[index] = outcome }
                return outcomes
            }
            let names = watcher.stop()
            for index in 0..<jobs.count {
                let log = (try? String(contentsOfFile: directory + "/log-\(index)", encoding: .utf8)) ?? ""
                #expect(outcomes[index]?.exitStatus == 0, "run \(index) of \(jobs.count) started together: \(String(describing: outcomes[index]))\n\(log)")
            }
            let left = Leftovers.all(directory: directory, scratchNames: names)
            #expect(left.isEmpty, "\(left)")
            #expect(Leftovers.removal(of: directory).isEmpty)
        }
    }
}
