import Foundation
import Sandbox

/// One scriptlet attack: the repository `evil` with `evil-dep` (its post_install runs the
/// attack program in a mode, then `extra` shell lines) next to an innocent `pub-lib`, and
/// a victim depending on `evil-dep` whose build() runs the same attack as the builder,
/// built on `backend`.
struct ScriptletAttack {
    var containment: Containment
    var run: ContainmentBuilder.Run
    var repository: PublishedRepository
    var builder: ContainmentBuilder

    static func run(_ mode: String, extra: String = "", backend: any SandboxBackend = NamespaceBackend(),
                    label: String? = nil, timeout: Duration = .seconds(300)) throws -> ScriptletAttack {
        let root = try ContainmentRoot.debian12()
        let directory = try ContainmentRoot.temporaryDirectory(label ?? mode)
        let canary = try Canary(in: directory + "/canary")
        let program = directory + "/pacbuild-attack"
        try AttackProgram.compile(canary: canary, to: program)
        let repository = try PublishedRepository.make("evil", in: directory + "/repo", packages: [
            CraftedPackage.attacking("evil-dep", program: program, mode: mode, extra: extra),
            try CraftedPackage.innocent("pub-lib", in: directory),
        ])
        let containment = Containment(directory: directory, canary: canary, snapshot: try HostSnapshot.take(pools: [repository.directory]))
        let builder = ContainmentBuilder(root: root, directory: directory, backend: backend)
        let run = try builder.build("victim", pkgbuild: """
            pkgname=victim
            pkgver=1.0
            pkgrel=1
            arch=('any')
            depends=('evil-dep')
            build() {
              pacbuild-attack \(mode) || true
            }
            package() { install -d "$pkgdir/usr/share/victim"; }
            """, repositories: [repository.local], timeout: timeout)
        return ScriptletAttack(containment: containment, run: run, repository: repository, builder: builder)
    }

    /// What the real pacman lists of the repository, missing one of its two packages.
    func listingProblems() throws -> [String] {
        try pacmanListing([("evil", repository.directory)], scratch: containment.directory + "/pacman",
                          expected: ["evil evil-dep 1.0-1", "evil pub-lib 1.0-1"])
    }
}
