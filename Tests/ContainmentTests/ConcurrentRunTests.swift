import Foundation
import Sandbox
import Testing

extension ContainmentTests {
    /// A waka runs several builds at once (`--jobs N`), each on a thread of its own: a run
    /// must neither fail because another starts at the same moment nor inherit anything of
    /// it. Today each run writes its id map helpers (`newuidmap`, `newgidmap`, which the
    /// host's root runs) through descriptors without close-on-exec, so a run started at
    /// that moment inherits them, writable, into its sandbox, and the writer's exec of its
    /// helper fails with ETXTBSY while the other run lives.
    @Suite struct ConcurrentRunTests {
        @Test func runsStartedTogetherAllSucceed() async throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("concurrent")
            let scratch = directory + "/scratch"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let jobs = try (0..<6).map { index -> SandboxJob in
                let jobDirectory = directory + "/job-\(index)"
                try FileManager.default.createDirectory(atPath: jobDirectory, withIntermediateDirectories: true)
                try """
                echo run-\(index)
                for fd in /proc/self/fd/*; do [ "${fd##*/}" -gt 2 ] && echo "inherited ${fd##*/} -> $(readlink "$fd") $(grep flags /proc/self/fdinfo/${fd##*/})"; done
                true
                """.write(toFile: jobDirectory + "/run.sh", atomically: true, encoding: .utf8)
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
            // another run's scratch files (its id map helpers, which the host's root runs) held open inside this one
            let foreign = log.split(separator: "\n").filter { $0.contains("inherited") && $0.contains("pacbuild-ns.") }
            #expect(foreign.isEmpty, "run \(index) holds files of other runs: \(foreign)")
            }
            let left = Leftovers.all(directory: directory, scratchNames: names)
            #expect(left.isEmpty, "\(left)")
            #expect(Leftovers.removal(of: directory).isEmpty)
        }
    }
}
