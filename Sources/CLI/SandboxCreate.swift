import ArgumentParser
import Foundation
import Sandbox

extension Pacbuild {
    /// `pacbuild sandbox create NAME --debootstrap|--from-dir DIR|--from-tarball FILE`.
    struct SandboxCreate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Make and cache a build root under STATE/roots/NAME.",
            discussion: """
                --debootstrap makes a Debian 12 minbase root with pacman, makepkg, fakeroot, bsdtar, gcc and a \
                builder user (a few minutes, from the mirror apt uses here; --arch i386 for a 32-bit root); --from-dir copies a root \
                (a pacstrap'ed Arch root); --from-tarball extracts one (a port's bootstrap tarball).
                """)

        @OptionGroup var state: StateOptions
        @Argument(help: "The root's name.") var name: String
        @Flag(help: "Make a Debian 12 root with debootstrap.") var debootstrap = false
        @Option(help: "The Debian mirror for --debootstrap (default: the one in /etc/apt/sources.list*).") var mirror: String?
        @Option(help: ArgumentHelp("Debian's architecture of the --debootstrap root (default: the host's): i386 makes a "
                                   + "32-bit root for i486/i586/i686 repos.", valueName: "arch")) var arch: String?
        @Option(name: .customLong("from-dir"), help: "Copy this root directory.") var directory: String?
        @Option(name: .customLong("from-tarball"), help: "Extract this root tarball.") var tarball: String?
        @Flag(help: "Also make the ext4 image the uml backend boots.") var image = false
        @Flag(help: "Also make what the vm backend boots: the ext4 image and the guest kernel (Debian's linux-image package, unpacked under STATE/vm).") var vm = false

        func validate() throws {
            if [debootstrap, directory != nil, tarball != nil].filter({ $0 }).count != 1 {
                throw ValidationError("give exactly one of --debootstrap, --from-dir DIR, --from-tarball FILE")
            }
            if mirror != nil && !debootstrap { throw ValidationError("--mirror goes with --debootstrap") }
            if let arch {
                guard debootstrap else { throw ValidationError("--arch goes with --debootstrap (a tarball's or directory's architecture is its own)") }
                guard BuildRootSource.debootstrapArches.contains(arch) else {
                    throw ValidationError("--arch \(arch): expected one of \(BuildRootSource.debootstrapArches.joined(separator: ", ")) (Debian's names)")
                }
            }
        }

        func run() throws {
            let source: BuildRootSource = if let directory { .directory(directory) }
                else if let tarball { .tarball(tarball) } else { .debootstrap(mirror: mirror, arch: arch) }
            try failing { () throws(SandboxError) in
                let root = try state.store.create(name, from: source)
                // the identity namespace builds run as (made once; needs root)
                if geteuid() == 0 {
                    let user = try SandboxUser.ensure()
                    print("builds run as \(SandboxUser.name) (uid \(user.uid)), root inside mapped to host id \(user.firstSubordinateUID)")
                }
                if image { _ = try UMLBackend.makeImage(for: root) }
                if vm {
                    try VMBackend.prepare(for: root, stateDirectory: state.resolved)
                    print("vm builds run with \(VMAccelerator.current)")
                }
                let seconds = root.stamp().map { String(format: " in %.1f s", $0.seconds) } ?? ""
                let machine = root.stamp()?.architecture.map { " (\($0))" } ?? ""
                print("created \(root.name) at \(root.rootfs)\(machine)\(seconds)")
            }
        }
    }
}
