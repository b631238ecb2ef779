import Foundation

/// A job's read-only binds for a machine whose hostfs shows one directory: each host
/// directory put at its place in the job directory before the boot, root's and
/// read-only (directories 0555), and removed after the run. A regular file is
/// hard-linked when it is root's and no one else may write it (the machine's user can
/// then neither change nor re-own it, and a pool of thousands of packages costs no
/// copy), copied otherwise (root's, with the original's read permissions only); so the
/// machine reads what a read-only bind mount would show it. A symbolic link is made
/// again as a link (it resolves inside the machine); anything else is left out.
struct UMLReadOnlyBinds {
    /// One materialized bind: where it is in the job directory, and whether an empty
    /// directory (a mount point prepared for the namespace backend) was there before.
    private struct Placed {
        var components: [String]
        var replacedEmptyDirectory: Bool
    }

    let jobDirectory: String
    private var placed: [Placed] = []

    private init(jobDirectory: String) { self.jobDirectory = jobDirectory }

    /// Puts every bind in place; on an error, what was placed is removed again.
    static func materialize(_ binds: [ReadOnlyBind], in jobDirectory: String) throws(SandboxError) -> UMLReadOnlyBinds {
        var result = UMLReadOnlyBinds(jobDirectory: jobDirectory)
        do {
            for bind in binds { result.placed.append(try place(bind, in: jobDirectory)) }
        } catch {
            result.remove()
            throw error
        }
        return result
    }

    /// The path components of `inside` below ``SandboxJob/mountPoint``.
    static func components(of inside: String) throws(SandboxError) -> [String] {
        let prefix = SandboxJob.mountPoint + "/"
        let components = inside.hasPrefix(prefix) ? inside.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init) : []
        guard !components.isEmpty, components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw .invalidJob("a read-only bind must be a plain path below \(SandboxJob.mountPoint): \(inside)")
        }
        return components
    }

    private static func place(_ bind: ReadOnlyBind, in jobDirectory: String) throws(SandboxError) -> Placed {
        let components = try components(of: bind.inside)
        let source = open(bind.host, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard source >= 0 else { throw .io(path: bind.host, reason: "cannot open the read-only bind's directory: \(String(cString: strerror(errno)))") }
        defer { close(source) }
        let parent = try openParent(of: components, in: jobDirectory, create: true)
        defer { close(parent) }
        let name = components[components.count - 1]
        var replaced = false
        var info = stat()
        if fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR, unlinkat(parent, name, AT_REMOVEDIR) == 0 else {
                throw .invalidJob("the read-only bind \(bind.inside) is already taken in the job directory")
            }
            replaced = true
        }
        let placed = Placed(components: components, replacedEmptyDirectory: replaced)
        do { try copyDirectory(source, path: bind.host, named: name, into: parent, depth: 0) } catch {
            UMLHostFiles.removeTree(named: name, in: parent)
            throw error
        }
        return placed
    }

    /// Opens the directory that holds the last of `components`, below the job directory,
    /// making missing directories (root's) when `create`.
    private static func openParent(of components: [String], in jobDirectory: String, create: Bool) throws(SandboxError) -> Int32 {
        var fd = open(jobDirectory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        for component in components.dropLast() where fd >= 0 {
            let next = UMLHostFiles.directory(component, in: fd, create: create)
            close(fd)
            fd = next
        }
        guard fd >= 0 else {
            throw .io(path: jobDirectory + "/" + components.joined(separator: "/"), reason: "cannot make the read-only bind's place: \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// Copies the directory `source` (at `path` on the host) to `name` in `parent`.
    private static func copyDirectory(_ source: Int32, path: String, named name: String, into parent: Int32, depth: Int) throws(SandboxError) {
        guard mkdirat(parent, name, 0o755) == 0 else {
            throw .io(path: path, reason: "cannot make its copy in the job directory: \(String(cString: strerror(errno)))")
        }
        let target = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard target >= 0 else { throw .io(path: path, reason: "cannot open its copy: \(String(cString: strerror(errno)))") }
        defer { close(target) }
        for entry in try DirectoryEntries.names(fd: source, path: path) {
            var info = stat()
            guard fstatat(source, entry, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                try copyFile(entry, of: source, path: path + "/" + entry, info: info, into: target)
            case S_IFDIR where depth < UMLHostFiles.maxDepth:
                let child = openat(source, entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else { continue }
                defer { close(child) }
                try copyDirectory(child, path: path + "/" + entry, named: entry, into: target, depth: depth + 1)
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
                let count = readlinkat(source, entry, &buffer, buffer.count)
                if count > 0 { symlinkat(String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self), target, entry) }
            default:
                continue
            }
        }
        fchmod(target, 0o555)
    }

    private static func copyFile(_ name: String, of source: Int32, path: String, info: stat, into target: Int32) throws(SandboxError) {
        if info.st_uid == 0 && info.st_mode & 0o022 == 0 && linkat(source, name, target, name, 0) == 0 { return }
        let input = openat(source, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard input >= 0 else { throw .io(path: path, reason: "cannot read for the read-only bind: \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let output = openat(target, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, info.st_mode & 0o444)
        guard output >= 0 else { throw .io(path: path, reason: "cannot copy into the job directory: \(String(cString: strerror(errno)))") }
        defer { close(output) }
        fchmod(output, info.st_mode & 0o444)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = read(input, &buffer, buffer.count)
            if count == 0 { return }
            guard count > 0, buffer.withUnsafeBytes({ write(output, $0.baseAddress, count) }) == count else {
                throw .io(path: path, reason: "cannot copy into the job directory: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Removes every placed bind (whatever the machine left at its place), and puts back
    /// the empty directories that were there.
    func remove() {
        for bind in placed {
            guard let parent = try? Self.openParent(of: bind.components, in: jobDirectory, create: false) else { continue }
            let name = bind.components[bind.components.count - 1]
            UMLHostFiles.removeTree(named: name, in: parent)
            if bind.replacedEmptyDirectory { mkdirat(parent, name, 0o755) }
            close(parent)
        }
    }
}
