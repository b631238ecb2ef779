import Foundation

/// The build root as the namespace backend's user namespace sees it: a copy of
/// ``BuildRoot/rootfs`` whose owners are moved into the sandbox user's subordinate
/// range (uid 0 becomes the range's first id, uid 1000 the 1000th), so that root
/// inside owns `/usr` as root owns it in the original. Builds only read it, through an
/// overlay. Its `/dev` holds the mount points of the namespace backend's device binds,
/// and the root the mount points of `/pacbuild` and the old root, so a run creates none.
///
/// One generation per root version, ids and layout, `STATE/roots/NAME/shifted/GEN/`,
/// made once under a lock. A run holds a shared lock on its generation
/// (``ShiftedRoot/Use``); a generation is removed only when a newer one is made and no
/// run holds it, so replacing a root never pulls the lower layer from under a build.
enum ShiftedRoot {
    /// Part of the generation: a change of what ``prepareMountPoints(_:)`` makes needs a new copy.
    static let layoutVersion = "2"

    /// A generation in use by one run: its path, and the shared lock kept until `close`.
    final class Use: Sendable {
        let path: String
        private let lock: Int32
        init(path: String, lock: Int32) {
            self.path = path
            self.lock = lock
        }
        deinit { close(lock) }
    }

    static func directory(_ root: BuildRoot) -> String { root.directory + "/shifted" }

    /// The current generation, made first when missing, held (shared) for one run.
    static func use(_ root: BuildRoot, user: SandboxUser) throws(SandboxError) -> Use {
        let stamp = (try? FileManager.default.attributesOfItem(atPath: root.stampPath))?[.modificationDate] as? Date
        let generation = "\(user.firstSubordinateUID)-\(user.firstSubordinateGID)-v\(layoutVersion)-"
            + String(Int64((stamp?.timeIntervalSince1970 ?? 0) * 1_000_000))
        let base = directory(root), path = base + "/" + generation
        try makeDirectory(base)
        if let use = held(path) { return use }
        let creation = try locked(base + "/.create.lock", LOCK_EX)
        defer { close(creation) }
        if let use = held(path) { return use }
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        try HostCommand.run(["cp", "-a", "--reflink=auto", root.rootfs, partial])
        try prepareMountPoints(partial)
        try shift(partial, uid: user.firstSubordinateUID, gid: user.firstSubordinateGID)
        guard rename(partial, path) == 0 else {
            throw .io(path: path, reason: "cannot move the shifted root in place: \(String(cString: strerror(errno)))")
        }
        guard FileManager.default.createFile(atPath: path + ".complete", contents: nil) else {
            throw .io(path: path + ".complete", reason: "cannot write")
        }
        guard let use = held(path) else { throw .io(path: path, reason: "cannot use the shifted root just made") }
        removeUnused(in: base, except: generation)
        return use
    }

    /// The generation at `path`, if complete, with a shared lock on it.
    private static func held(_ path: String) -> Use? {
        guard access(path + ".complete", F_OK) == 0, let lock = try? locked(path + ".lock", LOCK_SH) else { return nil }
        return Use(path: path, lock: lock)
    }

    /// Older generations no run holds, removed (a run holding one keeps it).
    private static func removeUnused(in base: String, except current: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        for name in names where !name.hasPrefix(".") && !name.contains(".") && name != current {
            guard let lock = try? locked(base + "/" + name + ".lock", LOCK_EX | LOCK_NB) else { continue }
            defer { close(lock) }
            unlink(base + "/" + name + ".complete")
            try? FileManager.default.removeItem(atPath: base + "/" + name)
            unlink(base + "/" + name + ".lock")
        }
    }

    private static func locked(_ path: String, _ operation: Int32) throws(SandboxError) -> Int32 {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, operation) == 0 else {
            close(fd)
            throw .io(path: path, reason: "locked")
        }
        return fd
    }

    /// `/dev` as the sandbox shows it (empty files the host's nodes are bound on, the
    /// `/proc/self/fd` links, `pts` and `shm`), and `/pacbuild`, `/.pivot`, `/proc`,
    /// `/sys`, `/tmp`.
    static func prepareMountPoints(_ top: String) throws(SandboxError) {
        let manager = FileManager.default
        try? manager.removeItem(atPath: top + "/dev")
        do {
            for directory in ["dev", "dev/pts", "dev/shm", String(SandboxJob.mountPoint.dropFirst()), ".pivot", "proc", "sys", "tmp"] {
                try manager.createDirectory(atPath: top + "/" + directory, withIntermediateDirectories: true)
            }
            for device in NamespaceScripts.devices {
                guard manager.createFile(atPath: top + "/dev/" + device, contents: nil, attributes: [.posixPermissions: 0o666]) else {
                    throw SandboxError.io(path: top + "/dev/" + device, reason: "cannot create the mount point")
                }
            }
            let links = ["fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1",
                         "stderr": "/proc/self/fd/2", "ptmx": "pts/ptmx"]
            for (name, target) in links { try manager.createSymbolicLink(atPath: top + "/dev/" + name, withDestinationPath: target) }
            chmod(top + "/tmp", 0o1777)
        } catch let error as SandboxError {
            throw error
        } catch {
            throw .io(path: top, reason: "cannot prepare the shifted root's mount points: \(error.localizedDescription)")
        }
    }

    /// Moves every owner below 65536 in the tree at `top` up by `uid`/`gid`, without
    /// following links (`lchown` through directory descriptors); ids already moved stay,
    /// so hard links are moved once. chown clears set-user-ID and set-group-ID bits, so
    /// they are put back.
    static func shift(_ top: String, uid: UInt32, gid: UInt32) throws(SandboxError) {
        let root = open(top, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard root >= 0 else { throw .io(path: top, reason: "cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(root, &info) == 0, fchown(root, moved(info.st_uid, uid), moved(info.st_gid, gid)) == 0 else {
            close(root)
            throw .io(path: top, reason: "cannot change the owner: \(String(cString: strerror(errno)))")
        }
        var pending: [(fd: Int32, path: String)] = [(root, top)]
        while let (directory, path) = pending.popLast() {
            defer { close(directory) }
            for name in try DirectoryEntries.names(fd: directory, path: path) {
                var entry = stat()
                guard fstatat(directory, name, &entry, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                let newUID = moved(entry.st_uid, uid), newGID = moved(entry.st_gid, gid)
                if newUID != entry.st_uid || newGID != entry.st_gid {
                    guard fchownat(directory, name, newUID, newGID, AT_SYMLINK_NOFOLLOW) == 0 else {
                        throw .io(path: path + "/" + name, reason: "cannot change the owner: \(String(cString: strerror(errno)))")
                    }
                    let kind = entry.st_mode & S_IFMT
                    if kind == S_IFREG, entry.st_mode & (S_ISUID | S_ISGID) != 0 {
                        fchmodat(directory, name, entry.st_mode & 0o7777, 0)
                    }
                }
                if entry.st_mode & S_IFMT == S_IFDIR {
                    let child = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    if child >= 0 { pending.append((child, path + "/" + name)) }
                }
            }
        }
    }

    private static func moved(_ id: UInt32, _ base: UInt32) -> UInt32 { id < SandboxUser.rangeCount ? base + id : id }
}

/// Directory listings through a descriptor, reading each `d_name` through the record's
/// pointer (records are `d_reclen` long, shorter than `struct dirent`: never copied whole).
enum DirectoryEntries {
    /// The names in the directory `fd` (not `.` and `..`); `fd` stays open and owned by the caller.
    static func names(fd: Int32, path: String) throws(SandboxError) -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else {
            throw .io(path: path, reason: "cannot list: \(String(cString: strerror(errno)))")
        }
        defer { closedir(stream) }
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        var names: [String] = []
        while let record = readdir(stream) {
            let name = String(cString: UnsafeRawPointer(record).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

extension ShiftedRoot {
    /// Moves the trees at `paths` (those that exist) to `uid`/`gid` whole, without following
    /// links: the parts of a job directory root inside a sandbox owns.
    static func chown(_ paths: [String], uid: UInt32, gid: UInt32) throws(SandboxError) {
        for path in paths {
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            guard lchown(path, uid, gid) == 0 else {
                throw .io(path: path, reason: "cannot hand to the sandbox: \(String(cString: strerror(errno)))")
            }
            guard info.st_mode & S_IFMT == S_IFDIR else { continue }
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            for name in try DirectoryEntries.names(fd: fd, path: path) { try chown([path + "/" + name], uid: uid, gid: gid) }
        }
    }
}
