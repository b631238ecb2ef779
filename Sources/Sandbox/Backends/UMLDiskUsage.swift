import Foundation

/// What a UML machine wrote to the host through hostfs, against the job's disk limit.
///
/// Everything the machine writes there is a file of the sandbox user's (hostfs works
/// with the kernel's own identity), so the usage is the space of the job directory's
/// entries that user owns, found by walking the directories it owns (a directory of
/// root's, such as a read-only bind, holds nothing of the machine's). Its root file
/// system needs no such count: the copy-on-write file cannot grow past the image's size
/// (``UMLImage/headroomBytes`` above the root's own), and `/tmp` in the machine lives in
/// its memory (`mem=`).
///
/// The walk costs time in proportion to the files, so ``check()`` walks at most every
/// second and no more than a twentieth of the time: a build can overshoot the limit by
/// what it writes meanwhile, and is stopped then.
final class UMLDiskUsage {
    let directory: String
    let owner: uid_t
    let limit: UInt64
    private var next: ContinuousClock.Instant

    init(directory: String, owner: uid_t, limit: UInt64) {
        self.directory = directory
        self.owner = owner
        self.limit = limit
        next = .now + .seconds(1)
    }

    /// ``measure()`` when its time has come, else `nil`.
    func check() -> String? {
        let start = ContinuousClock.now
        guard start >= next else { return nil }
        let verdict = measure()
        let took = start.duration(to: .now)
        next = .now + max(.seconds(1), took * 20)
        return verdict
    }

    /// The limit as a sentence when the machine's files exceed it (or nest too deep to
    /// be measured), else `nil`.
    func measure() -> String? {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        guard let bytes = usage(of: fd, device: info.st_dev, depth: 0) else {
            return "disk limit of \(Cgroup.mebibytes(limit)) not measurable: the build nested directories deeper than \(UMLHostFiles.maxDepth) levels in its job directory"
        }
        let total = bytes + UInt64(max(info.st_blocks, 0)) * 512
        guard total > limit else { return nil }
        return "disk limit of \(Cgroup.mebibytes(limit)) reached: the build wrote \(Cgroup.mebibytes(total)) to its job directory"
    }

    /// The space of the entries below `fd` that ``owner`` owns; `nil` past ``UMLHostFiles/maxDepth``.
    private func usage(of fd: Int32, device: dev_t, depth: Int) -> UInt64? {
        guard depth < UMLHostFiles.maxDepth else { return nil }
        var total: UInt64 = 0
        for name in (try? DirectoryEntries.names(fd: fd, path: directory)) ?? [] {
            var info = stat()
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_uid == owner else { continue }
            total += UInt64(max(info.st_blocks, 0)) * 512
            guard info.st_mode & S_IFMT == S_IFDIR, info.st_dev == device else { continue }
            let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { continue }
            defer { close(child) }
            guard let below = usage(of: child, device: device, depth: depth + 1) else { return nil }
            total += below
        }
        return total
    }
}
