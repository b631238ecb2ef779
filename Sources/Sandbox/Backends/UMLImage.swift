import Foundation

/// The ext4 image of a build root that UML boots from, made by `mkfs.ext4 -d` (no
/// loop mount, no root needed) and shared read-only by every UML build, each writing
/// to its own copy-on-write file.
enum UMLImage {
    /// Free space the image offers builds beyond the root's own size (sparse: it costs
    /// nothing until written, and writes land in the copy-on-write file anyway).
    static let headroomBytes: Int64 = 6 << 30

    /// Returns the root's image, making it first when missing or older than the stamp.
    static func ensure(_ root: BuildRoot) throws(SandboxError) -> String {
        let manager = FileManager.default
        let imageDate = (try? manager.attributesOfItem(atPath: root.image)[.modificationDate]) as? Date
        let stampDate = (try? manager.attributesOfItem(atPath: root.stampPath)[.modificationDate]) as? Date
        if let imageDate, let stampDate, imageDate >= stampDate { return root.image }
        try HostCommand.require("mkfs.ext4", package: "e2fsprogs")
        let used = try HostCommand.run(["du", "-sxb", root.rootfs]).split(separator: "\t").first.flatMap { Int64($0) } ?? 0
        let megabytes = (used + headroomBytes) >> 20
        let partial = root.image + ".partial"
        unlink(partial)
        try HostCommand.run(["mkfs.ext4", "-q", "-F", "-L", "pacbuild-root", "-d", root.rootfs, partial, "\(megabytes)M"])
        try renameDirectory(partial, to: root.image)
        return root.image
    }
}
