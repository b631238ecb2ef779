import Foundation
import Sandbox
import Testing

extension ContainmentTests {
    /// Processes a build starts and leaves running: from package() as the builder (in the
    /// background, in a new session, ignoring SIGTERM and SIGHUP, holding the log's pipe,
    /// in a nested PID namespace) and from a dependency's post_install as root. The build
    /// ends when makepkg does, and none of them outlives the sandbox.
    @Suite struct BackgroundProcessTests {
        @Test func processesLeftRunningAfterPackageDieWithTheSandbox() throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("background")
            let marker = "pacbuild-bg-\(UUID().uuidString.prefix(8))"
            let repository = try PublishedRepository.make("evil", in: directory + "/repo", packages: [
                CraftedPackage(name: "daemon-dep", install: """
                    post_install() {
                      setsid -f bash -c 'trap "" TERM HUP; exec -a \(marker)-root sleep 1000' </dev/null >/dev/null 2>&1
                      true
                    }
                    """),
            ])
            let containment = try Containment(directory: directory, pools: [repository.directory])
            let run = try ContainmentBuilder(root: root, directory: directory).build("ex-daemon", pkgbuild: """
                pkgname=ex-daemon
                pkgver=1.0
                pkgrel=1
                arch=('any')
                depends=('daemon-dep')
                package() {
                  install -d "$pkgdir/usr/share/ex-daemon"
                  (exec -a \(marker)-plain sleep 1000) &
                  (trap '' TERM HUP; exec -a \(marker)-log sleep 1000) &
                  setsid -f bash -c 'trap "" TERM HUP; exec -a \(marker)-session sleep 1000' </dev/null >/dev/null 2>&1
                  nohup bash -c 'trap "" TERM HUP; while :; do echo x >>/tmp/bg; sleep 1; done' \(marker)-loop >/dev/null 2>&1 &
                  unshare --user --map-root-user --pid --fork --mount-proc bash -c 'exec -a \(marker)-pidns sleep 1000' </dev/null >/dev/null 2>&1 &
                  sleep 1
                  ps -eo pid,args | grep -c '\(marker)' || true
                }
                """, repositories: [repository.local], timeout: .seconds(240))
            #expect(run.result.succeeded, "\(String(describing: run.result.failure))\n\(run.log)")
            // makepkg's end is the build's end: not the 1000 s the processes would sleep
            #expect(run.seconds < 60, "\(run.seconds) s")
            let problems = try containment.problems(log: run.log, scratchNames: run.scratchNames, markers: [marker])
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n--- log:\n\(run.log)")
            #expect(containment.removal().isEmpty)
        }
    }
}
