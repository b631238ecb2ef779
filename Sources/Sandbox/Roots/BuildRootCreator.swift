import Foundation

/// Makes one build root: fills `root.partial/` from the source, adds what builds need
/// (the `builder` user, pacman's database directory, UML's init), renames it to
/// `root/` and writes the stamp last. Anything interrupted leaves no stamp, and the
/// next `create` starts over; a source that fails is cleaned up at once.
struct BuildRootCreator {
    let root: BuildRoot
    let source: BuildRootSource

    /// The unprivileged user makepkg runs as (makepkg refuses to run as root).
    static let builderUser = "builder"

    func create() throws(SandboxError) {
        let start = ContinuousClock.now
        let partial = root.directory + "/root.partial"
        try? FileManager.default.removeItem(atPath: partial)
        try? FileManager.default.removeItem(atPath: root.rootfs)
        try? FileManager.default.removeItem(atPath: root.image)
        try makeDirectory(partial)
        let description: String
        do {
            description = try fill(partial)
            try prepareForBuilds(partial)
        } catch {
            // A source that fails (not a root, a broken tarball) leaves nothing behind:
            // no partial tree, and no directory for the name unless something else is in it.
            try? FileManager.default.removeItem(atPath: partial)
            rmdir(root.directory)
            throw error
        }
        try renameDirectory(partial, to: root.rootfs)
        let stamp = BuildRootStamp(source: description, created: Date().timeIntervalSince1970,
                                   seconds: start.duration(to: .now).seconds,
                                   architecture: RootArchitecture.detect(root.rootfs))
        try stamp.write(to: root.stampPath)
    }

    /// Puts the root file system into `target`; returns the stamp's source description.
    private func fill(_ target: String) throws(SandboxError) -> String {
        switch source {
        case .debootstrap(let mirror, let arch):
            try HostCommand.require("debootstrap", package: "debootstrap")
            let url: String
            if let mirror { url = mirror } else { url = try DebianMirror.find() }
            try HostCommand.run(["debootstrap", "--variant=minbase"] + (arch.map { ["--arch=" + $0] } ?? [])
                                + ["--include=" + BuildRootSource.debootstrapPackages.joined(separator: ","),
                                   "bookworm", target, url])
            // The downloaded .debs are not needed by builds and double the root's size.
            _ = try? HostCommand.run(["find", target + "/var/cache/apt/archives", "-name", "*.deb", "-delete"])
            return "debootstrap bookworm \(url)" + (arch.map { " --arch=" + $0 } ?? "")
        case .directory(let path):
            guard FileManager.default.fileExists(atPath: path + "/usr") else {
                throw .io(path: path, reason: "not a root file system (no usr/)")
            }
            try HostCommand.run(["cp", "-a", "--reflink=auto", path + "/.", target + "/"])
            return "dir \(path)"
        case .tarball(let file):
            try HostCommand.require("bsdtar", package: "libarchive-tools")
            try HostCommand.run(["bsdtar", "-xpf", file, "--numeric-owner", "-C", target])
            try flattenSingleTopDirectory(target)
            return "tarball \(file)"
        }
    }

    /// Arch's bootstrap tarball holds `root.x86_64/usr/...`: lift the one directory up.
    private func flattenSingleTopDirectory(_ target: String) throws(SandboxError) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        guard entries.count == 1, !FileManager.default.fileExists(atPath: target + "/usr"),
              FileManager.default.fileExists(atPath: target + "/" + entries[0] + "/usr") else { return }
        let inner = target + "/" + entries[0]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: inner)) ?? [] {
            try renameDirectory(inner + "/" + entry, to: target + "/" + entry)
        }
        try? FileManager.default.removeItem(atPath: inner)
    }

    /// The builder user, pacman's local database directory, and UML's init.
    private func prepareForBuilds(_ target: String) throws(SandboxError) {
        let passwd = (try? String(contentsOfFile: target + "/etc/passwd", encoding: .utf8)) ?? ""
        if !passwd.split(separator: "\n").contains(where: { $0.hasPrefix(Self.builderUser + ":") }) {
            try HostCommand.run(["chroot", target, "useradd", "--create-home", "--user-group", Self.builderUser])
        }
        try makeDirectory(target + "/var/lib/pacman")
        try makeDirectory(target + "/etc/pacbuild")
        let initPath = target + UMLInit.path
        guard FileManager.default.createFile(atPath: initPath, contents: Data(UMLInit.script.utf8),
                                             attributes: [.posixPermissions: 0o755]) else {
            throw .io(path: initPath, reason: "cannot write UML's init")
        }
    }
}

func makeDirectory(_ path: String) throws(SandboxError) {
    do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
        throw .io(path: path, reason: "cannot create directory: \(error.localizedDescription)")
    }
}

func renameDirectory(_ from: String, to: String) throws(SandboxError) {
    if rename(from, to) != 0 { throw .io(path: to, reason: "cannot rename \(from): \(String(cString: strerror(errno)))") }
}
