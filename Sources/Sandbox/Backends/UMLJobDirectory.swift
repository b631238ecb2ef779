import Foundation

/// The job directory as a UML machine uses it: through hostfs, by a kernel that runs as
/// the unprivileged ``SandboxUser``, so every host file operation the machine makes is
/// that user's. The host (root) hands the directory over before the boot and takes it
/// back after; everything it does here works through descriptors and never follows a
/// link, since the machine may have replaced any entry it could write.
struct UMLJobDirectory {
    let path: String
    let user: SandboxUser

    /// The parts of the directory the machine may change, as the namespace backend hands
    /// them to root inside: the directory itself (where the init leaves its status) and
    /// the trees the build writes (its sources' copy and its packages). The rest (the job
    /// script, configuration, repository databases) stays the host's and is only read.
    static let handedOver = ["src", "out"]

    /// Gives the directory and its ``handedOver`` trees to the sandbox user. The machine's
    /// users join that user's group (see ``commandText(_:)``), since makepkg's `builder`
    /// must write `out/` and hostfs cannot give a file to anyone but the kernel's own
    /// user: directories become group-writable, and the directory itself 0770, so that
    /// on the host no one but root and the sandbox user reaches anything in it. No
    /// set-id bit is kept. A file with more than one link (a hard link into a pool) keeps
    /// its owner.
    func handOver() throws(SandboxError) {
        let top = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard top >= 0 else { throw .io(path: path, reason: "cannot open the job directory: \(String(cString: strerror(errno)))") }
        defer { close(top) }
        guard fchown(top, user.uid, user.gid) == 0, fchmod(top, 0o770) == 0 else {
            throw .io(path: path, reason: "cannot hand the job directory to \(SandboxUser.name): \(String(cString: strerror(errno)))")
        }
        for name in Self.handedOver { try handOver(name, in: top, depth: 0) }
    }

    private func handOver(_ name: String, in parent: Int32, depth: Int) throws(SandboxError) {
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFREG && info.st_nlink > 1 { return }
        guard fchownat(parent, name, user.uid, user.gid, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw .io(path: path + "/" + name, reason: "cannot hand to \(SandboxUser.name): \(String(cString: strerror(errno)))")
        }
        if kind == S_IFLNK { return }
        let mode = kind == S_IFDIR ? (info.st_mode & 0o777 | 0o070) & ~0o002 : info.st_mode & 0o777 & ~0o002
        fchmodat(parent, name, mode, 0)
        guard kind == S_IFDIR, depth < UMLHostFiles.maxDepth else { return }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        for child in try DirectoryEntries.names(fd: fd, path: path + "/" + name) { try handOver(child, in: fd, depth: depth + 1) }
    }

    /// Takes the directory back after the machine is gone: root's, mode 0700, so that no
    /// process of the sandbox user (another build's machine) enters it while the host
    /// reads what the build left. The host reads it as root; nothing else needs in.
    func takeBack() {
        let top = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard top >= 0 else { return }
        defer { close(top) }
        fchown(top, 0, 0)
        fchmod(top, 0o700)
    }

    /// The init's command file: the job's command, after every user of the machine but
    /// root has joined the sandbox user's group (the group of everything handed over;
    /// `/etc/group` of the machine's copy-on-write root, edited in one pass), so that a
    /// build's unprivileged user can write where root in the machine can. After the
    /// command, what the machine's kernel killed for lack of memory goes to
    /// ``UMLInit/memoryKillsFile`` (``UMLMemoryKills/report``).
    func commandText(_ command: [String]) -> String {
        """
            awk -F: -v gid=\(user.gid) 'BEGIN { OFS = ":" }
                NR == FNR { if ($3 != 0) users = users (users == "" ? "" : ",") $1; next }
                $3 == gid { $4 = $4 ($4 == "" ? "" : ",") users; found = 1 }
                { print }
                END { if (!found) print "pacbuild-job", "x", gid, users }' /etc/passwd /etc/group >/etc/group.pacbuild &&
                cat /etc/group.pacbuild >/etc/group; rm -f /etc/group.pacbuild
            cd \(SandboxJob.mountPoint)
            \(command.map(shellQuoted).joined(separator: " "))
            status=$?
            \(UMLMemoryKills.report(to: SandboxJob.mountPoint + "/" + UMLInit.memoryKillsFile))
            exit $status

            """
    }

    /// Writes the command file (root's, read-only) and removes a status file left over.
    func writeCommand(_ command: [String]) throws(SandboxError) {
        removeRunFiles()
        let file = path + "/" + UMLInit.commandFile
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o444)
        guard fd >= 0 else { throw .io(path: file, reason: "cannot write the UML command file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(commandText(command).utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw .io(path: file, reason: "cannot write the UML command file: \(String(cString: strerror(errno)))")
        }
    }

    /// The job's exit status as the init wrote it; `nil` when there is none (the machine
    /// died or was stopped first) or the file is not a short regular file.
    func status() -> Int32? {
        guard let data = try? SafeRead.smallFile(at: path + "/" + UMLInit.statusFile, limit: 32) else { return nil }
        return Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// What the machine's kernel killed for lack of memory; `nil` when it did not say
    /// (the job did not end).
    func memoryKills() -> UMLMemoryKills? {
        guard let data = try? SafeRead.smallFile(at: path + "/" + UMLInit.memoryKillsFile, limit: 64) else { return nil }
        return UMLMemoryKills(String(decoding: data, as: UTF8.self))
    }

    /// Removes the command, status and out-of-memory files (links, if the machine made
    /// them so, as links).
    func removeRunFiles() {
        for name in [UMLInit.commandFile, UMLInit.statusFile, UMLInit.memoryKillsFile] { unlink(path + "/" + name) }
    }
}

/// Descriptor-based file operations for trees the sandbox user could change while the
/// host works on them: nothing here follows a link or leaves the tree.
enum UMLHostFiles {
    /// How deep the host descends into a tree the machine wrote. Each level holds one
    /// descriptor open; a job directory of a real build is a few levels deep.
    static let maxDepth = 128

    /// Removes `path` and everything below it.
    static func removeTree(at path: String) {
        let parent = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { return }
        defer { close(parent) }
        removeTree(named: (path as NSString).lastPathComponent, in: parent)
    }

    /// Removes the entry `name` of the directory `parent` and everything below it; a tree
    /// deeper than ``maxDepth`` is left below that depth.
    static func removeTree(named name: String, in parent: Int32, depth: Int = 0) {
        if unlinkat(parent, name, 0) == 0 || errno == ENOENT { return }
        guard depth < maxDepth else { return }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        for child in (try? DirectoryEntries.names(fd: fd, path: name)) ?? [] { removeTree(named: child, in: fd, depth: depth + 1) }
        close(fd)
        unlinkat(parent, name, AT_REMOVEDIR)
    }

    /// Opens (making it, root's, mode 0755, when missing) the directory `name` of `parent`.
    static func directory(_ name: String, in parent: Int32, create: Bool) -> Int32 {
        if create { mkdirat(parent, name, 0o755) }
        return openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    }
}
