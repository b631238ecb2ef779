import Foundation

/// The build root as the namespace backend's user namespace sees it: a copy of
/// ``BuildRoot/rootfs`` whose owners are moved into the sandbox user's subordinate
/// range (uid 0 becomes the range's first id, uid 1000 the 1000th), so that root
/// inside owns `/usr` as root owns it in the original. Made once per root version
/// (the root's stamp) next to it, `STATE/roots/NAME/root-shifted`, under a lock;
/// builds only read it, through an overlay. Its `/dev` holds the mount points of the
/// namespace backend's device binds, and the root the mount points of `/pacbuild` and
/// the old root, so a run creates none.
enum ShiftedRoot {
    /// Part of the stamp: a change of what ``prepareMountPoints(_:)`` makes needs a new copy.
    static let layoutVersion = "2"

    static func path(_ root: BuildRoot) -> String { root.directory + "/root-shifted" }
    static func stampPath(_ root: BuildRoot) -> String { root.directory + "/root-shifted.stamp" }

    /// The shifted root, made first when missing, made for other ids, or older than the root's stamp.
    static func ensure(_ root: BuildRoot, user: SandboxUser) throws(SandboxError) -> String {
        let marker = "\(user.firstSubordinateUID):\(user.firstSubordinateGID):\(layoutVersion)"
        if isCurrent(root, marker: marker) { return path(root) }
        let lockPath = root.directory + "/.root-shifted.lock"
        let lock = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw .io(path: lockPath, reason: String(cString: strerror(errno))) }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        if isCurrent(root, marker: marker) { return path(root) }
        let partial = path(root) + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        try HostCommand.run(["cp", "-a", "--reflink=auto", root.rootfs, partial])
        try prepareMountPoints(partial)
        try shift(partial, uid: user.firstSubordinateUID, gid: user.firstSubordinateGID)
        unlink(stampPath(root))
        try? FileManager.default.removeItem(atPath: path(root))
        guard rename(partial, path(root)) == 0 else {
            throw .io(path: path(root), reason: "cannot move the shifted root in place: \(String(cString: strerror(errno)))")
        }
        guard FileManager.default.createFile(atPath: stampPath(root), contents: Data(marker.utf8)) else {
            throw .io(path: stampPath(root), reason: "cannot write")
        }
        return path(root)
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

    private static func isCurrent(_ root: BuildRoot, marker: String) -> Bool {
        let manager = FileManager.default
        guard let text = manager.contents(atPath: stampPath(root)), String(decoding: text, as: UTF8.self) == marker,
              let shifted = (try? manager.attributesOfItem(atPath: stampPath(root)))?[.modificationDate] as? Date,
              let made = (try? manager.attributesOfItem(atPath: root.stampPath))?[.modificationDate] as? Date else { return false }
        return shifted >= made
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
