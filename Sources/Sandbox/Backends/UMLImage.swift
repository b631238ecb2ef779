import Foundation

/// The ext4 image of a build root that UML boots from, made by `mkfs.ext4 -d` (no
/// loop mount, no root needed) and shared read-only by every UML build, each writing
/// to its own copy-on-write file.
///
/// The image is root's, mode 0640, its group the sandbox user's: the kernel, running as
/// that user, opens it read-only (UML opens the backing file of a copy-on-write file
/// without write access), and no one else reads it.
enum UMLImage {
    /// Free space the image offers builds beyond the root's own size (sparse: it costs
    /// nothing until written, and writes land in the copy-on-write file anyway). It also
    /// bounds that file: a build can write at most this much more to its root file
    /// system than the root holds, whatever its disk limit (`/tmp` is in its memory, the
    /// job directory under the disk limit).
    static let headroomBytes: Int64 = 6 << 30

    /// Returns the root's image, making it first when missing or older than the stamp,
    /// readable by the group `readableBy` when given. Runs that start at once wait for
    /// one of them to make it.
    static func ensure(_ root: BuildRoot, readableBy group: gid_t? = nil) throws(SandboxError) -> String {
        let lock = open(root.directory + "/.image.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw .io(path: root.directory + "/.image.lock", reason: String(cString: strerror(errno))) }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 && errno == EINTR {}
        try make(root)
        if let group {
            guard chown(root.image, 0, group) == 0, chmod(root.image, 0o640) == 0 else {
                throw .io(path: root.image, reason: "cannot give the image to the sandbox user's group: \(String(cString: strerror(errno)))")
            }
        }
        return root.image
    }

    private static func make(_ root: BuildRoot) throws(SandboxError) {
        let manager = FileManager.default
        let imageDate = (try? manager.attributesOfItem(atPath: root.image)[.modificationDate]) as? Date
        let stampDate = (try? manager.attributesOfItem(atPath: root.stampPath)[.modificationDate]) as? Date
        if let imageDate, let stampDate, imageDate >= stampDate { return }
        try HostCommand.require("mkfs.ext4", package: "e2fsprogs")
        let used = try HostCommand.run(["du", "-sxb", root.rootfs]).split(separator: "\t").first.flatMap { Int64($0) } ?? 0
        let megabytes = (used + headroomBytes) >> 20
        let partial = root.image + ".partial"
        unlink(partial)
        try HostCommand.run(["mkfs.ext4", "-q", "-F", "-L", "pacbuild-root", "-d", root.rootfs, partial, "\(megabytes)M"])
        chmod(partial, 0o600)
        try renameDirectory(partial, to: root.image)
    }
}
