import Foundation
import Sandbox
import Testing

extension ContainmentTests {
    /// The findings had no limits: 1.5 GB written to the host's disk, 12 GB in /tmp, 96,362
    /// processes allowed. Each run here has small limits and an attack far past them; it
    /// must be stopped within seconds with ``SandboxOutcome/limitHit`` naming the limit,
    /// while a run with normal limits next to it (another thread) completes.
    @Suite struct LimitTests {
        struct Runs {
            var attack: SandboxOutcome
            var attackLog: String
            var neighbour: SandboxOutcome
            var neighbourLog: String
            var scratchNames: [String]
            var directory: String
        }

        /// Runs `script` under `limits` and, at the same time, a normal run that needs a few seconds.
        func run(_ script: String, limits: SandboxLimits, label: String) async throws -> Runs {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory(label)
            let scratch = directory + "/scratch"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            func job(_ name: String, _ script: String) throws -> SandboxJob {
                let jobDirectory = directory + "/job-" + name
                try FileManager.default.createDirectory(atPath: jobDirectory + "/out", withIntermediateDirectories: true)
                try script.write(toFile: jobDirectory + "/run.sh", atomically: true, encoding: .utf8)
                return SandboxJob(root: root, jobDirectory: jobDirectory, command: ["/bin/sh", "/pacbuild/run.sh"],
                                  timeout: .seconds(180), logPath: directory + "/log-" + name, scratchParent: scratch)
            }
            var attack = try job("attack", script)
            attack.limits = limits
            let neighbour = try job("neighbour", """
                echo neighbour-start
                i=0; while [ $i -lt 20 ]; do echo line $i >>/tmp/n; sleep 0.25; i=$((i + 1)); done
                dd if=/dev/zero of=/pacbuild/n bs=1M count=64 2>&1 | tail -n 1
                echo neighbour-done
                """)
            let watcher = ScratchWatcher(scratch)
            let backend = NamespaceBackend()
            async let attacked = backend.runDetached(attack)
            async let other = backend.runDetached(neighbour)
            let (attackOutcome, neighbourOutcome) = try await (attacked, other)
            let names = watcher.stop()
            return Runs(attack: attackOutcome, attackLog: (try? String(contentsOfFile: attack.logPath, encoding: .utf8)) ?? "",
                        neighbour: neighbourOutcome, neighbourLog: (try? String(contentsOfFile: neighbour.logPath, encoding: .utf8)) ?? "",
                        scratchNames: names, directory: directory)
        }

        func expectStopped(_ runs: Runs, by limit: String, markers: [String] = []) {
            #expect(runs.attack.limitHit?.contains(limit) == true, "limitHit: \(String(describing: runs.attack.limitHit))\n\(runs.attackLog)")
            #expect(!runs.attack.timedOut, "stopped by the limit, not the timeout:\n\(runs.attackLog)")
            #expect(runs.attack.duration < .seconds(60), "\(runs.attack.duration)")
            #expect(runs.neighbour.exitStatus == 0 && runs.neighbour.limitHit == nil && runs.neighbourLog.contains("neighbour-done"),
                    "the run next to it: \(runs.neighbour)\n\(runs.neighbourLog)")
            let left = Leftovers.all(directory: runs.directory, markers: markers, scratchNames: runs.scratchNames)
            #expect(left.isEmpty, "\(left)")
            #expect(Leftovers.removal(of: runs.directory).isEmpty)
        }

        /// A shell fork bomb against 200 processes.
        @Test func forkBombIsStoppedByTheProcessLimit() async throws {
            let marker = "pacbuild-bomb-\(UUID().uuidString.prefix(8))"
            let runs = try await run("""
                echo bomb-start
                bash -c 'b() { b | b & }; b' \(marker) &
                b() { b | b & }
                b
                sleep 100
                """, limits: SandboxLimits(maxProcesses: 200), label: "forkbomb")
            expectStopped(runs, by: "process limit", markers: [marker])
        }

        /// `head -c 4G /dev/zero | tail` keeps the whole line (no newline) in memory: 4 GiB
        /// against a 512 MiB limit (no swap beyond it).
        @Test func memoryHogIsStoppedByTheMemoryLimit() async throws {
            let runs = try await run("""
                echo hog-start
                head -c 4G /dev/zero | tail | wc -c
                echo hog-survived
                """, limits: SandboxLimits(memoryBytes: 512 << 20), label: "memhog")
            expectStopped(runs, by: "memory limit")
        }

        /// 3 GiB into the job directory, /tmp and the root's writable layer against a 512 MiB
        /// disk: the writes fail on the run's own disk, and the host's free space does not
        /// drop by what the run tried to write.
        @Test func diskFillerIsStoppedByTheDiskLimit() async throws {
            let free: @Sendable () -> UInt64 = {
                var info = statvfs()
                statvfs(ContainmentRoot.stateDirectory, &info)
                return UInt64(info.f_bavail) * UInt64(info.f_frsize)
            }
            let before = free()
            let lowest = LowestValue(free)
            let runs = try await run("""
                echo filler-start
                dd if=/dev/zero of=/pacbuild/fill bs=1M count=3072 2>&1 | tail -n 2
                dd if=/dev/zero of=/tmp/fill bs=1M count=3072 2>&1 | tail -n 2
                dd if=/dev/zero of=/var/fill bs=1M count=3072 2>&1 | tail -n 2
                yes pacbuild >/pacbuild/yes
                sleep 100
                """, limits: SandboxLimits(diskBytes: 512 << 20), label: "diskfill")
            let least = lowest.stop()
            expectStopped(runs, by: "disk limit")
            // loose: other builds may write on this disk meanwhile; the attack alone wanted 9 GiB
            #expect(before < least || before - least < 1536 << 20, "the host's free space dropped by \((before - least) >> 20) MiB")
        }

        /// Only out/'s regular files come back, copied by the host: 40 hard links to one
        /// 16 MiB file take 16 MiB of the run's 128 MiB disk, but 656 MiB once copied one
        /// by one. What comes back must stay within the run's disk limit.
        @Test func hardLinksInOutDoNotMultiplyOnTheHostsDisk() async throws {
            let runs = try await run("""
                head -c 16M /dev/urandom >/pacbuild/out/big
                i=0; while [ $i -lt 40 ]; do ln /pacbuild/out/big /pacbuild/out/link$i; i=$((i + 1)); done
                df -h /pacbuild | tail -n 1
                """, limits: SandboxLimits(diskBytes: 128 << 20), label: "hardlinks")
            #expect(runs.attack.exitStatus == 0, "\(runs.attackLog)")
            let copied = try ContainmentRoot.run("du -sb \(quoted(runs.directory + "/job-attack/out")) | cut -f1")
            let bytes = UInt64(copied.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            #expect(bytes <= 128 << 20, "out/ took \(bytes >> 20) MiB of the host's disk after a run with a 128 MiB disk limit")
            let left = Leftovers.all(directory: runs.directory, scratchNames: runs.scratchNames)
            #expect(left.isEmpty, "\(left)")
            #expect(Leftovers.removal(of: runs.directory).isEmpty)
        }

        /// The same attacks as builds (in build(), as the builder) with the job's limits:
        /// each fails as class `limits` naming the limit, within seconds.
        @Test(arguments: [
            ("memory", "head -c 4G /dev/zero | tail | wc -c", SandboxLimits(memoryBytes: 512 << 20), "memory limit"),
            ("processes", "b() { b | b & }; b; sleep 100", SandboxLimits(maxProcesses: 200), "process limit"),
            ("disk", "dd if=/dev/zero of=fill bs=1M count=3072; dd if=/dev/zero of=/tmp/fill bs=1M count=3072; sleep 100",
             SandboxLimits(diskBytes: 512 << 20), "disk limit"),
        ])
        func aBuildPastALimitFailsAsLimits(_ label: String, _ attack: String, _ limits: SandboxLimits, _ limit: String) throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("build-" + label)
            let containment = try Containment(directory: directory)
            let run = try ContainmentBuilder(root: root, directory: directory).build("ex-\(label)", pkgbuild: """
                pkgname=ex-\(label)
                pkgver=1.0
                pkgrel=1
                arch=('any')
                build() {
                  \(attack)
                }
                package() { install -d "$pkgdir/usr/share/ex-\(label)"; }
                """, timeout: .seconds(240)) { $0.limits = limits }
            #expect(run.result.failure?.failureClass == .limits, "\(String(describing: run.result.failure))\n\(run.log)")
            #expect(run.result.failure?.reason.contains(limit) == true, "\(String(describing: run.result.failure))")
            #expect(run.seconds < 60, "\(run.seconds) s")
            let problems = try containment.problems(log: run.log, scratchNames: run.scratchNames)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(containment.removal().isEmpty)
        }
    }
}
