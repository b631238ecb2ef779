import Foundation
import Sandbox
import Scheduler
import Testing

extension ContainmentTests {
    /// The attacks that apply to User Mode Linux, where the kernel runs as the
    /// unprivileged `pacbuild-sandbox` and reaches the host through hostfs with that
    /// user's rights (a mount of `/..` climbs out of the job directory; docs/sandbox.md
    /// calls the kernel's user, not hostfs, the boundary). UML builds are slow: a
    /// scriptlet escape as a real build, the rest as plain runs.
    @Suite(.enabled(if: ContainmentRoot.canRunUML, "needs user-mode-linux"))
    struct UMLAttackTests {
        /// Where a run's job directory is: in a work directory as ``SandboxBuild`` makes it
        /// (`WORK/job`, WORK root's and 0700, so hostfs cannot climb past it), or in a plain
        /// directory any user may traverse, as another caller of the backend may give it
        /// (`pacbuild sandbox shell --backend uml` in a person's directory). The backend's
        /// own account (docs/sandbox.md: hostfs "finds nothing of the host's but /usr") holds
        /// for both or for neither.
        enum Layout: String, CaseIterable, Sendable {
            case buildWorkspace, plainDirectory
        }

        /// A run of `script` as root in a UML machine, with `dir/work-LABEL/job` as job directory.
        static func job(_ root: BuildRoot, in directory: String, label: String, script: String, layout: Layout,
                        limits: SandboxLimits = SandboxLimits()) throws -> SandboxJob {
            let work = directory + "/work-" + label
            let jobDirectory = work + "/job"
            try FileManager.default.createDirectory(atPath: jobDirectory + "/out", withIntermediateDirectories: true)
            chmod(work, layout == .buildWorkspace ? 0o700 : 0o755)
            try script.write(toFile: jobDirectory + "/run.sh", atomically: true, encoding: .utf8)
            var job = SandboxJob(root: root, jobDirectory: jobDirectory, command: ["/bin/sh", "/pacbuild/run.sh"], timeout: .seconds(240),
                                 logPath: directory + "/log-" + label, scratchParent: directory + "/scratch", memory: "256M")
            job.limits = limits
            return job
        }

        /// Runs `job` in a machine, watching `directory/scratch`: the outcome, the log and the
        /// scratch directories seen.
        static func run(_ job: SandboxJob, in directory: String) async throws -> (SandboxOutcome, String, [String]) {
            try FileManager.default.createDirectory(atPath: directory + "/scratch", withIntermediateDirectories: true)
            let watcher = ScratchWatcher(directory + "/scratch")
            let outcome: SandboxOutcome
            do { outcome = try await UMLBackend().runDetached(job) } catch {
                _ = watcher.stop()
                throw error
            }
            return (outcome, (try? String(contentsOfFile: job.logPath, encoding: .utf8)) ?? "", watcher.stop())
        }

        /// hostfs's mount of the host's `/` from inside the machine: many `/..` climb
        /// from the job directory to the root.
        static let mountHost = """
            mkdir -p /mnt/host
            mount -t hostfs -o /../../../../../../../../../../.. none /mnt/host && echo "mounted the host's /" || echo "hostfs refused"
            """

        /// evil-dep's post_install runs every attack of the program as root of the machine
        /// (hostfs mounts of `/..` toward the 0600 canary and its directory included), the
        /// victim's build() again as the builder. File handles and core_pattern are the
        /// machine's own kernel's here; what counts is the host's canary, core_pattern and pool.
        @Test func scriptletAttacksInAMachineReachNothingOfTheHost() throws {
            let attack = try ScriptletAttack.run("all", backend: UMLBackend(), label: "uml-scriptlet", timeout: .seconds(600))
            let run = attack.run
            #expect(run.log.contains("ATTACK start all"), "\(run.log)")
            #expect(run.log.contains("ATTACK hostfs-mount"), "\(run.log)")
            #expect(run.log.contains("ATTACK hostfs-canary") && run.log.contains("refused (Permission denied)"), "\(run.log)")
            let problems = try attack.containment.problems(log: run.log, scratchNames: run.scratchNames, ownKernel: true)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n--- log:\n\(run.log)")
            let listing = try attack.listingProblems()
            #expect(listing.isEmpty, "\(listing)")
            #expect(attack.containment.removal().isEmpty)
        }

        /// The store pacbuild makes (`STATE/pacbuild.sqlite` through `Store.open`, the state
        /// directory made with the defaults pacbuild's code uses): the finding read the
        /// store's SQLite file; a machine's hostfs reads what any host user may.
        @Test(arguments: Layout.allCases)
        func aMachineCannotReadTheStore(layout: Layout) async throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("uml-store")
            let state = directory + "/state"
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            let storePath = state + "/" + GlobalConfig.defaultStoreFile
            _ = try Store.open(url: storePath)
            var times = [Canary.past, Canary.past]
            utimensat(AT_FDCWD, storePath, &times, 0)
            let mode = (try FileManager.default.attributesOfItem(atPath: storePath)[.posixPermissions] as? Int) ?? 0
            let job = try Self.job(root, in: directory, label: "reader", script: """
                \(Self.mountHost)
                head -c 16 /mnt/host\(storePath) | tr -c '[:print:]' . | sed 's/^/ATTACK store-read: LEAKED </'
                echo
                """, layout: layout)
            let (outcome, log, names) = try await Self.run(job, in: directory)
            #expect(outcome.exitStatus == 0, "\(log)")
            #expect(!log.contains("SQLite format"), "\(layout): the machine read the store (mode \(String(mode, radix: 8))):\n\(log)")
            var info = stat()
            stat(storePath, &info)
            #expect(info.st_atim.tv_sec == Canary.past.tv_sec, "the store was read (mode \(String(mode, radix: 8)))")
            let left = Leftovers.all(directory: directory, scratchNames: names)
            #expect(left.isEmpty, "\(left)")
            #expect(Leftovers.removal(of: directory).isEmpty)
        }

        /// What a machine writes goes to its job directory, within the disk limit. Through
        /// hostfs it can write wherever `pacbuild-sandbox` may: the host's /var/tmp, /tmp
        /// and /dev/shm (the host's memory) are open to every user, are not counted, and
        /// outlive the run. Here 64 MiB into each, and a file in the job directory past its
        /// 64 MiB limit.
        @Test(arguments: Layout.allCases)
        func aMachineWritesOnlyItsJobDirectoryWithinTheDiskLimit(layout: Layout) async throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("uml-fill")
            let marker = "pacbuild-uml-fill-" + UUID().uuidString.prefix(8)
            let targets = ["/var/tmp", "/tmp", "/dev/shm"].map { $0 + "/" + marker }
            defer { targets.forEach { unlink($0) } }
            let job = try Self.job(root, in: directory, label: "filler", script: """
                \(Self.mountHost)
                for t in \(targets.joined(separator: " ")); do
                  dd if=/dev/zero of=/mnt/host$t bs=1M count=64 2>&1 | tail -n 1
                  [ -s /mnt/host$t ] && echo "ATTACK host-write $t: WRITABLE"
                done
                umount /mnt/host
                dd if=/dev/zero of=/pacbuild/out/fill bs=1M count=512 2>&1 | tail -n 1
                sleep 30
                """, layout: layout, limits: SandboxLimits(diskBytes: 64 << 20))
            let (outcome, log, names) = try await Self.run(job, in: directory)
            #expect(outcome.limitHit?.contains("disk limit") == true, "\(String(describing: outcome.limitHit))\n\(log)")
            #expect(outcome.duration < .seconds(120), "\(outcome.duration)")
            for target in targets {
                var info = stat()
                #expect(lstat(target, &info) != 0, "\(layout): the machine wrote \(UInt64(info.st_size) >> 20) MiB to the host's \(target) (owner \(info.st_uid)):\n\(log)")
            }
            let left = Leftovers.all(directory: directory, scratchNames: names)
            #expect(left.isEmpty, "\(left)")
            #expect(Leftovers.removal(of: directory).isEmpty)
        }

        /// Two builds in two machines at once, as a waka with `--jobs 2` runs them: while
        /// the victim's job directory is handed to `pacbuild-sandbox`, the attacker's
        /// machine (the same user) mounts it through hostfs and replaces the victim's
        /// package in out/ and a file of its sources. The victim must end with its own.
        @Test(arguments: Layout.allCases)
        func aMachineCannotReachAnotherRunsJobDirectory(layout: Layout) async throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("uml-cross")
            try FileManager.default.createDirectory(atPath: directory + "/scratch", withIntermediateDirectories: true)
            let victimDirectory = directory + "/work-victim/job"
            let victim = try Self.job(root, in: directory, label: "victim", script: """
                echo original >/pacbuild/out/victim-1.0-1-any.pkg.tar.zst
                echo ready >/pacbuild/ready
                i=0; while [ ! -e /pacbuild/attacker-done ] && [ $i -lt 180 ]; do sleep 1; i=$((i + 1)); done
                echo "victim sees: $(cat /pacbuild/out/victim-1.0-1-any.pkg.tar.zst)"
                """, layout: layout)
            try FileManager.default.createDirectory(atPath: victimDirectory + "/src", withIntermediateDirectories: true)
            try "pkgname=victim\n".write(toFile: victimDirectory + "/src/PKGBUILD", atomically: true, encoding: .utf8)
            let attacker = try Self.job(root, in: directory, label: "attacker", script: """
                \(Self.mountHost)
                v=/mnt/host\(victimDirectory)
                i=0; while [ -d $v ] && [ ! -e $v/ready ] && [ $i -lt 120 ]; do sleep 1; i=$((i + 1)); done
                ls -ld $v $v/out
                echo TROJAN >$v/out/victim-1.0-1-any.pkg.tar.zst && echo "ATTACK cross-run-write out: WRITABLE"
                echo 'pkgname=trojan' >$v/src/PKGBUILD && echo "ATTACK cross-run-write src: WRITABLE"
                cat $v/src/PKGBUILD | sed 's/^/ATTACK cross-run-read: LEAKED </'
                true
                """, layout: layout)
            let watcher = ScratchWatcher(directory + "/scratch")
            let backend = UMLBackend()
            async let victimRun = backend.runDetached(victim)
            let attackerOutcome = try await backend.runDetached(attacker)
            try "done\n".write(toFile: victimDirectory + "/attacker-done", atomically: false, encoding: .utf8)
            let victimOutcome = try await victimRun
            let names = watcher.stop()
            let attackerLog = (try? String(contentsOfFile: attacker.logPath, encoding: .utf8)) ?? ""
            let victimLog = (try? String(contentsOfFile: victim.logPath, encoding: .utf8)) ?? ""
            #expect(attackerOutcome.exitStatus == 0 && victimOutcome.exitStatus == 0, "\(attackerLog)\n\(victimLog)")
            #expect(attackerLog.contains("mounted the host's /") == false || victimLog.contains("victim sees: original"),
                    "\(layout): the attacker's machine rewrote the victim's package while it ran:\n\(attackerLog)\n--- victim:\n\(victimLog)")
            let package = (try? String(contentsOfFile: victimDirectory + "/out/victim-1.0-1-any.pkg.tar.zst", encoding: .utf8)) ?? ""
            #expect(package == "original\n", "the victim's out/ holds: \(package)")
            let sources = (try? String(contentsOfFile: victimDirectory + "/src/PKGBUILD", encoding: .utf8)) ?? ""
            #expect(sources == "pkgname=victim\n", "the victim's src/PKGBUILD holds: \(sources)")
            #expect(AttackProgram.successes(in: attackerLog).isEmpty, "\(AttackProgram.successes(in: attackerLog))")
            let left = Leftovers.all(directory: directory, scratchNames: names)
            #expect(left.isEmpty, "\(left)")
            #expect(Leftovers.removal(of: directory).isEmpty)
        }

        /// Each process of a machine is a process of the host's: a fork bomb inside is one
        /// on the host, stopped by the run's cgroup (200 processes here), named as the limit hit (a build's class `limits`)
        /// within seconds, with no process of the machine left.
        @Test func aForkBombInAMachineIsStoppedByTheProcessLimit() async throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("uml-forkbomb")
            let job = try Self.job(root, in: directory, label: "bomb", script: """
                echo bomb-start
                b() { b | b & }
                b
                # no fork here: under the full limit a `sleep` fails at once, and the run
                # must end by the limit's kill, not by reaching the next line
                while :; do :; done
                echo bomb-survived
                """, layout: .buildWorkspace, limits: SandboxLimits(maxProcesses: 200))
            let (outcome, log, names) = try await Self.run(job, in: directory)
            #expect(outcome.limitHit?.contains("process limit of 200") == true, "\(String(describing: outcome.limitHit))\n\(log)")
            #expect(!outcome.timedOut && outcome.duration < .seconds(120), "\(outcome.duration)\n\(log)")
            #expect(log.contains("bomb-start") && !log.contains("bomb-survived"), "\(log)")
            let left = Leftovers.all(directory: directory, scratchNames: names)
            #expect(left.isEmpty, "\(left)")
            #expect(Leftovers.removal(of: directory).isEmpty)
        }

        /// What a machine leaves in `$PKGDEST` is checked by the host as for the namespace
        /// backend (OutputAttackTests), though here the machine writes the host's out/
        /// itself through hostfs: a link to the canary named as the package and a FIFO
        /// named as its signature fail the build as `verification`, quickly, reading nothing.
        @Test func linksAndFIFOsAMachineLeavesInPKGDESTAreRefused() throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("uml-output")
            let containment = try Containment(directory: directory)
            var builder = ContainmentBuilder(root: root, directory: directory)
            builder.backend = UMLBackend()
            let run = try builder.build("ex-umlout", pkgbuild: OutputAttackTests.pkgbuild("ex-umlout", attack: """
                ln -s \(quoted(containment.canary.path)) "$PKGDEST/ex-umlout-1.0-1-any.pkg.tar.gz"
                  mkfifo "$PKGDEST/ex-umlout-1.0-1-any.pkg.tar.gz.sig"
                  ls -l "$PKGDEST"
                """), timeout: .seconds(400))
            #expect(run.log.contains("ex-umlout-1.0-1-any.pkg.tar.gz ->"), "the link was made:\n\(run.log)")
            #expect(run.result.failure?.failureClass == .verification, "\(String(describing: run.result.failure))\n\(run.log)")
            #expect(run.result.packages.isEmpty)
            let problems = try containment.problems(log: run.log, scratchNames: run.scratchNames, ownKernel: true)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n--- log:\n\(run.log)")
            #expect(containment.removal().isEmpty)
        }

        /// A machine's memory is its `mem=` (the smaller of the job's UML memory and its
        /// memory limit): a 4 GiB hog meets the machine kernel's own out-of-memory killer
        /// (or UML's per-process mapping bound on the host), which the host's cgroup never
        /// sees, and the pipeline swallows the kill. The machine says what its kernel
        /// killed, and the run is stopped as the memory limit (a build's class `limits`).
        @Test func aMemoryHogInAMachineIsStoppedByTheMemoryLimit() async throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("uml-memhog")
            let job = try Self.job(root, in: directory, label: "hog", script: """
                echo hog-start
                head -c 4G /dev/zero | tail | wc -c
                echo hog-survived
                """, layout: .buildWorkspace, limits: SandboxLimits(memoryBytes: 512 << 20))
            let (outcome, log, names) = try await Self.run(job, in: directory)
            #expect(outcome.limitHit?.contains("memory limit of 256 MiB") == true, "\(String(describing: outcome.limitHit))\n\(log)")
            #expect(!outcome.timedOut && outcome.duration < .seconds(120), "\(outcome.duration)\n\(log)")
            #expect(log.contains("hog-start"), "\(log)")
            let left = Leftovers.all(directory: directory, scratchNames: names)
            #expect(left.isEmpty, "\(left)")
            #expect(Leftovers.removal(of: directory).isEmpty)
        }

        /// A package whose `.PKGINFO` says `pkgname = ../../evil2`, made in the machine and
        /// left in the host's out/ through hostfs: refused as `verification`, with no file
        /// named after it outside the job and the published pool as it was for pacman.
        @Test func aDotDotPackageNameFromAMachineIsRefused() throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("uml-dotdot")
            let pool = try PublishedRepository.make("pool", in: directory + "/repo", packages: [try CraftedPackage.innocent("pub-lib", in: directory)])
            let containment = try Containment(directory: directory, pools: [pool.directory])
            var builder = ContainmentBuilder(root: root, directory: directory)
            builder.backend = UMLBackend()
            let run = try builder.build("evil3", pkgbuild: OutputAttackTests.pkgbuild("evil3", attack: """
                d=$(mktemp -d)
                  printf 'pkgname = ../../evil3\\npkgbase = evil3\\npkgver = 1.0-1\\narch = any\\nsize = 0\\n' >"$d/.PKGINFO"
                  mkdir -p "$d/usr/share/evil3"
                  bsdtar -C "$d" -czf "$PKGDEST/evil3-1.0-1-any.pkg.tar.gz" .PKGINFO usr
                  ls -l "$PKGDEST"
                """), timeout: .seconds(400))
            #expect(run.log.contains("evil3-1.0-1-any.pkg.tar.gz"), "the crafted package was made:\n\(run.log)")
            #expect(run.result.failure?.failureClass == .verification, "\(String(describing: run.result.failure))\n\(run.log)")
            #expect(run.result.failure?.reason.contains("../../evil3") == true, "\(String(describing: run.result.failure))")
            #expect(run.result.packages.isEmpty, "\(run.result.packages)")
            let problems = try containment.problems(log: run.log, scratchNames: run.scratchNames, ownKernel: true)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n--- log:\n\(run.log)")
            // the work and pkgbase directories are named after the pkgbase, evil3
            let stray = try ContainmentRoot.run("find \(quoted(directory)) -mindepth 1 -maxdepth 1 -name '*evil3*' -prune -o -name '*evil3*' -print")
            #expect(stray.isEmpty, "files named after ../../evil3 outside the job: \(stray)")
            let listing = try pacmanListing([("pool", pool.directory)], scratch: directory + "/pacman", expected: ["pool pub-lib 1.0-1"])
            #expect(listing.isEmpty, "\(listing)")
            #expect(containment.removal().isEmpty)
        }

        /// Processes a run leaves running in the machine (in the background, in a new
        /// session, ignoring SIGTERM and SIGHUP, holding the console): the run ends when
        /// its command does, the machine powers off with them in it, and no host process of
        /// the machine (each is one, its command line the kernel's, naming the run) outlives it.
        @Test func processesLeftRunningInAMachineDieWithIt() async throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("uml-background")
            let job = try Self.job(root, in: directory, label: "daemon", script: """
                bash -c 'exec -a umldaemon-plain sleep 1000' &
                bash -c 'trap "" TERM HUP; exec -a umldaemon-console sleep 1000' &
                setsid -f bash -c 'trap "" TERM HUP; exec -a umldaemon-session sleep 1000' </dev/null >/dev/null 2>&1
                nohup bash -c 'trap "" TERM HUP; while :; do echo x >>/tmp/bg; sleep 1; done' umldaemon-loop >/dev/null 2>&1 &
                sleep 1
                echo "left running: $(for p in /proc/[0-9]*; do tr '\\0' ' ' <$p/cmdline 2>/dev/null; echo; done | grep -c '^umldaemon-')"
                """, layout: .buildWorkspace)
            let (outcome, log, names) = try await Self.run(job, in: directory)
            #expect(outcome.exitStatus == 0, "\(log)")
            #expect(log.contains("left running: 3"), "the processes were started:\n\(log)")
            // the command's end is the run's end: not the 1000 s the processes would sleep
            #expect(!outcome.timedOut && outcome.duration < .seconds(60), "\(outcome.duration)\n\(log)")
            #expect(!names.isEmpty, "no scratch directory of the machine was seen")
            let left = Leftovers.all(directory: directory, scratchNames: names)
            #expect(left.isEmpty, "\(left)")
            #expect(Leftovers.removal(of: directory).isEmpty)
        }
    }
}
