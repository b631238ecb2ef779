import Foundation
import Repo
import Sandbox
import Testing

extension ContainmentTests {
    /// A dependency's install scriptlet runs as root inside the sandbox, where pacman
    /// installs the build's dependencies: the findings' escape started there. Each test
    /// publishes `evil-dep` (post_install runs the attack program) next to an innocent
    /// `pub-lib` in the repository `evil`, and builds a victim depending on `evil-dep` whose
    /// build() runs the same attack again as the builder.
    @Suite struct ScriptletAttackTests {
        func attack(_ mode: String, extra: String = "") throws -> ScriptletAttack {
            try ScriptletAttack.run(mode, extra: extra)
        }

        /// The evidence that the attack ran at all, as root in the scriptlet and as the builder.
        func expectRan(_ attack: ScriptletAttack, _ mode: String) {
            let log = attack.run.log
            #expect(log.components(separatedBy: "ATTACK start \(mode)").count == 3, "the attack ran twice:\n\(log)")
            #expect(log.contains("ATTACK identity: uid=0 euid=0"), "the scriptlet ran as root inside:\n\(log)")
        }

        func expectContained(_ attack: ScriptletAttack, markers: [String] = []) throws {
            let problems = try attack.containment.problems(log: attack.run.log, scratchNames: attack.run.scratchNames, markers: markers)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n--- log:\n\(attack.run.log)")
            let listing = try attack.listingProblems()
            #expect(listing.isEmpty, "\(listing)")
            let removal = attack.containment.removal()
            #expect(removal.isEmpty, "\(removal)")
        }

        /// open_by_handle_at() with ext4's root handle on every mount it sees (64-bit, x32
        /// and i386 entries), name_to_handle_at, the canary's host path, hostfs: the finding
        /// read a 0600 host file and wrote one this way.
        @Test func fileHandleEscapeFromAScriptletReachesNothingOfTheHost() throws {
            let attack = try attack("escape")
            expectRan(attack, "escape")
            #expect(attack.run.log.contains("ATTACK open_by_handle_at /pacbuild: refused"), "\(attack.run.log)")
            #expect(attack.run.result.succeeded, "attempts that fail inside let the build go on: \(String(describing: attack.run.result.failure))")
            try expectContained(attack)
        }

        /// Writes, truncates and renames every pool and database file it sees (through
        /// `repos/` and the pools' read-only views), remounts the views read-write, also from
        /// a nested user namespace: the finding overwrote a published package and the
        /// database through hard links. Afterwards a build installing `pub-lib` from the
        /// same repository gets the published package.
        @Test func scriptletWritingThePoolAndDatabaseChangesNothingPublished() throws {
            let attack = try attack("pool", extra: """
                for f in /pacbuild/repos/*/* /pacbuild/.pools/*/*; do echo "corrupt" >"$f" && echo "ATTACK shell-write $f: done"; done
                """)
            expectRan(attack, "pool")
            let consumer = try attack.builder.build("consumer", pkgbuild: """
                pkgname=consumer
                pkgver=1.0
                pkgrel=1
                arch=('any')
                depends=('pub-lib')
                build() { grep -q 'published by the containment tests' /usr/share/pub-lib/README; }
                package() { install -d "$pkgdir/usr/share/consumer"; }
                """, repositories: [attack.repository.local])
            #expect(consumer.result.succeeded, "\(String(describing: consumer.result.failure))\n\(consumer.log)")
            try expectContained(attack)
        }

        /// `kernel.core_pattern` through /proc/sys, a nested user namespace's remount or
        /// unmount of the read-only /proc/sys, a fresh proc in a nested PID namespace; also
        /// /proc/sysrq-trigger and /sys/kernel/uevent_helper: the finding rewrote core_pattern.
        @Test func corePatternStaysTheHosts() throws {
            let attack = try attack("core-pattern", extra: """
                echo '|/bin/false pacbuild-shell' >/proc/sys/kernel/core_pattern && echo "ATTACK shell-core_pattern: WRITABLE"
                """)
            expectRan(attack, "core-pattern")
            try expectContained(attack)
        }

        /// The immutable and append-only attributes on the job's files, /tmp, the root's
        /// files and the pools: the finding left a work directory the host could not delete.
        @Test func chattrLeavesNothingImmutable() throws {
            let attack = try attack("chattr", extra: """
                chattr -R +i /pacbuild /tmp 2>&1 | tail -n 3
                """)
            expectRan(attack, "chattr")
            #expect(attack.run.log.contains("ATTACK chattr+i /pacbuild/out/immutable-test"), "\(attack.run.log)")
            try expectContained(attack)
        }

        /// Every descriptor the sandbox starts with beyond stdin, stdout and stderr came from
        /// the host process: the build's log above all, which the host keeps outside the
        /// job directory so that the build cannot rewrite it. The attack truncates it and
        /// writes a forged line through such a descriptor, as root and as the builder.
        @Test func theBuildLogAndTheHostsDescriptorsAreOutOfReach() throws {
            let attack = try attack("fds")
            let log = attack.run.log
            #expect(!log.contains("FORGED-BY-THE-BUILD"), "the build rewrote its own log:\n\(log)")
            #expect(log.hasPrefix("[") && log.contains("==> pacbuild: installing dependencies"), "the log's first lines are gone:\n\(log)")
            // files only: pacman runs scriptlets with sockets of its own
            let inherited = log.split(separator: "\n").filter { $0.contains("ATTACK fd ") && $0.contains("inherited -> /") }
            #expect(inherited.isEmpty, "descriptors of the host process inside the sandbox:\n\(inherited.joined(separator: "\n"))")
            try expectContained(attack)
        }

        /// Root inside replaces `out/` with a link to a host directory (its path is easy to
        /// learn: /proc/self/mountinfo shows the overlay's host paths). Whoever copies out/
        /// back on the host must not follow it: the canary must stay unread and its secret
        /// must appear in no file of the build.
        @Test func outReplacedByALinkToAHostDirectoryCopiesNothingBack() throws {
            let attack = try attack("out-link")
            #expect(attack.run.log.contains("ATTACK out-symlink"), "\(attack.run.log)")
            #expect(!attack.run.result.succeeded)
            try expectContained(attack)
        }
    }
}
