import Foundation

/// Refreshes the packages inside a build root (`pacbuild sandbox update NAME`): a Debian
/// root (debootstrap) by `apt-get update` and `apt-get upgrade`, any other root with
/// pacman (an Arch-family bootstrap tarball) by `pacman -Syu`, each run in the root by
/// `chroot` with the host's network, as its creation was. Then the stamp is written
/// again (same source, `updated` set, the architecture read anew): the namespace
/// backend's shifted copy and UML's image are keyed on the stamp, so builds started
/// after the update use the new packages, while running ones keep the copy they hold.
struct BuildRootUpdater {
    let root: BuildRoot

    /// The commands run in the root, for the one that applies.
    static let aptCommands = [["apt-get", "update", "-q"],
                              ["apt-get", "-y", "-q", "-o", "Dpkg::Options::=--force-confold", "upgrade"],
                              ["apt-get", "clean"]]
    static let pacmanCommands = [["pacman", "-Syu", "--noconfirm", "--noprogressbar"], ["pacman", "-Scc", "--noconfirm"]]

    /// Returns the commands that ran.
    func update() throws(SandboxError) -> [[String]] {
        guard let old = root.stamp() else { throw .rootIncomplete(name: root.name, directory: root.directory) }
        let rootfs = root.rootfs
        let commands: [[String]]
        if FileManager.default.isExecutableFile(atPath: rootfs + "/usr/bin/apt-get") {
            commands = Self.aptCommands
        } else if FileManager.default.isExecutableFile(atPath: rootfs + "/usr/bin/pacman") {
            commands = Self.pacmanCommands
        } else {
            throw .io(path: rootfs, reason: "neither apt-get nor pacman in the root: it cannot be updated in place; make it again")
        }
        let environment = ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                           "DEBIAN_FRONTEND": "noninteractive", "LANG": "C.UTF-8"]
        for command in commands {
            try HostCommand.run(Self.personality(old) + ["chroot", rootfs] + command, environment: environment)
        }
        var stamp = old
        stamp.updated = Date().timeIntervalSince1970
        stamp.architecture = RootArchitecture.detect(rootfs) ?? old.architecture
        try stamp.write(to: root.stampPath)
        return commands
    }

    /// A 32-bit root's package manager sees a 32-bit machine (`uname -m` says i686), as
    /// its builds do.
    static func personality(_ stamp: BuildRootStamp) -> [String] {
        stamp.architecture == "i386" ? Personality.linux32.prefix : []
    }
}
