import Foundation

/// An ABS tree: every directory below a root that holds a PKGBUILD, read in parallel.
/// One unreadable or broken PKGBUILD never stops the others: each directory gets its
/// own result with its diagnostics.
///
/// The tree is untrusted input read by a process that may run as root, so nothing
/// outside it is ever read: a directory or PKGBUILD that is a symlink resolving outside
/// the root (its real path, `realpath`) is not followed but reported, and the file
/// actually opened is checked again through `/proc/self/fd` (a path swapped for a
/// symlink between the check and the open is refused, not read). Symlinks that stay
/// inside the tree are followed; a loop of them is entered once.
public struct PKGBUILDTree: Sendable {
    public let root: String
    /// The PKGBUILD directories, sorted by path (and directory symlinks that point out of
    /// the tree, which read as a diagnostic).
    public let directories: [String]

    /// Finds the PKGBUILD directories under `root` (or `root` itself). Hidden
    /// directories and makepkg's `src`/`pkg` work directories are skipped, and the search
    /// does not descend below a directory that has a PKGBUILD.
    public init(root: String) throws(GraphError) {
        self.root = root
        guard let realRoot = Self.realPath(root), Self.isDirectory(realRoot) else {
            throw GraphError.unreadable(file: root, reason: "no such directory")
        }
        var found: [String] = []
        var visited: Set<String> = [realRoot]
        var stack = [root]
        while let dir = stack.popLast() {
            var info = stat()
            if lstat(dir + "/PKGBUILD", &info) == 0 {
                found.append(dir)
                continue
            }
            for entry in Self.subdirectories(of: dir) where !entry.name.hasPrefix(".") && entry.name != "src" && entry.name != "pkg" {
                let path = dir + "/" + entry.name
                guard entry.isSymlink else { stack.append(path); continue }
                guard let real = Self.realPath(path), Self.isDirectory(real) else { continue }
                if !Self.contains(realRoot, real) {
                    found.append(path)  // read as "points outside the tree"
                } else if visited.insert(real).inserted {
                    stack.append(path)
                }
            }
        }
        directories = found.sorted()
    }

    /// An entry of a directory that is, or may be, a directory.
    struct Entry: Equatable {
        var name: String
        var isSymlink: Bool
    }

    /// The directories in `dir` and the symlinks to directories, from `readdir`'s entry
    /// types: a tree of 12,000 pkgbases is listed without a `stat` per entry. Only an
    /// entry whose type the filesystem does not give is `lstat`ed. The name is read
    /// through the entry pointer up to its NUL: `readdir` returns records only
    /// `d_reclen` bytes long, so copying a whole `struct dirent` (`pointee`) would read
    /// past the end of the buffer.
    static func subdirectories(of dir: String) -> [Entry] {
        guard let handle = opendir(dir) else { return [] }
        defer { closedir(handle) }
        var entries: [Entry] = []
        while let entry = readdir(handle) {
            let record = UnsafeRawPointer(entry)
            let type = record.load(fromByteOffset: MemoryLayout<dirent>.offset(of: \.d_type)!, as: UInt8.self)
            let name = String(cString: (record + MemoryLayout<dirent>.offset(of: \.d_name)!).assumingMemoryBound(to: CChar.self))
            guard name != ".", name != ".." else { continue }
            switch Int32(type) {
            case Int32(DT_DIR):
                entries.append(Entry(name: name, isSymlink: false))
            case Int32(DT_LNK):
                entries.append(Entry(name: name, isSymlink: true))
            case Int32(DT_UNKNOWN):
                var info = stat()
                guard lstat(dir + "/" + name, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR { entries.append(Entry(name: name, isSymlink: false)) }
                if info.st_mode & S_IFMT == S_IFLNK { entries.append(Entry(name: name, isSymlink: true)) }
            default:
                break
            }
        }
        return entries
    }

    /// Reads every PKGBUILD with `reader`, on all cores, results in `directories` order;
    /// `checkingFiles`: with makepkg's check of install and changelog files
    /// (``checkFiles(of:directory:root:)``).
    public func read(with reader: PKGBUILDReader, checkingFiles: Bool = true) -> [PKGBUILDReader.Result] {
        Self.read(directories: directories, with: reader, root: root, checkingFiles: checkingFiles)
    }

    /// Reads the PKGBUILDs of `directories` (each a directory or a PKGBUILD file), none
    /// outside `root` (nil: each its own directory).
    public static func read(directories: [String], with reader: PKGBUILDReader, root: String? = nil,
                            checkingFiles: Bool = true) -> [PKGBUILDReader.Result] {
        let realRoot = root.flatMap(realPath)
        return directories.concurrentMap { readOne($0, with: reader, root: root, realRoot: realRoot, checkingFiles: checkingFiles) }
    }

    /// Reads one PKGBUILD: `path` is its directory or the file itself. Nothing outside
    /// `root` is read (nil: the PKGBUILD's own directory).
    public static func readOne(_ path: String, with reader: PKGBUILDReader, root: String? = nil,
                               checkingFiles: Bool = true) -> PKGBUILDReader.Result {
        readOne(path, with: reader, root: root, realRoot: nil, checkingFiles: checkingFiles)
    }

    /// `readOne` with `root`'s real path when the caller knows it already.
    static func readOne(_ path: String, with reader: PKGBUILDReader, root: String?, realRoot: String?,
                        checkingFiles: Bool) -> PKGBUILDReader.Result {
        let inDirectory = isDirectory(path)
        let file = inDirectory ? path + "/PKGBUILD" : path
        let dir = inDirectory ? path : split(path).directory
        let text: String
        switch load(file, root: root ?? dir, realRoot: realRoot) {
        case .bytes(let bytes): text = String(decoding: bytes, as: UTF8.self)
        case .refused(let diagnostic): return PKGBUILDReader.Result(file: file, srcinfo: nil, diagnostics: [diagnostic])
        }
        let absolute = dir.hasPrefix("/") ? dir : FileManager.default.currentDirectoryPath + "/" + dir
        let result = reader.read(text: text, file: file, startdir: absolute)
        return checkingFiles ? checkFiles(of: result, directory: dir, root: root ?? dir) : result
    }

    /// A PKGBUILD's bytes, or why it is not read.
    public enum Loaded: Sendable {
        case bytes([UInt8])
        case refused(Diagnostic)
    }

    /// Reads `file` if it is a regular file whose real path is inside `root`'s, at most
    /// ``PKGBUILDReader/sizeLimit`` (+1, so that a bigger one is seen as such) bytes.
    ///
    /// The directory is opened first and its real path taken from the descriptor
    /// (`/proc/self/fd`): one out of the tree is not looked into at all. The file is then
    /// opened relative to that descriptor without following a symlink, so it is the file
    /// in the checked directory whatever happens to the path meanwhile; a PKGBUILD that is
    /// itself a symlink is resolved, checked, opened, and what was opened checked again.
    public static func load(_ file: String, root: String, realRoot knownRoot: String? = nil) -> Loaded {
        let refuse = { (severity: Diagnostic.Severity, message: String) in
            Loaded.refused(Diagnostic(file: file, line: 0, column: 0, severity: severity, message: message))
        }
        let outside = "resolves outside the tree \(root) (a symlink); pacbuild does not follow it"
        let unreadable = "cannot be read (missing or not a file)"
        let (directory, name) = split(file)
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { return refuse(.error, unreadable) }
        defer { close(directoryFD) }
        guard let realDirectory = openedPath(directoryFD) else { return refuse(.error, unreadable) }
        guard let realRoot = knownRoot ?? (root == directory ? realDirectory : realPath(root)) else {
            return refuse(.error, "cannot be read (its tree \(root) is missing)")
        }
        guard contains(realRoot, realDirectory) else { return refuse(.invalid, outside) }
        let flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY
        var fd = openat(directoryFD, name, flags)
        if fd < 0 && errno == ELOOP {
            // the PKGBUILD is a symlink: followed only to a file inside the tree
            guard let real = realPath(file) else {
                return refuse(.invalid, "is a symlink that does not resolve (pacbuild reads no file outside the tree \(root))")
            }
            guard contains(realRoot, real) else { return refuse(.invalid, outside) }
            fd = open(real, flags)
            guard fd >= 0 else { return refuse(.error, unreadable) }
            // what was opened, whatever happened to the path since realpath
            guard let opened = openedPath(fd), contains(realRoot, opened) else {
                close(fd)
                return refuse(.invalid, outside)
            }
        }
        guard fd >= 0 else { return refuse(.error, unreadable) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return refuse(.invalid, "is not a regular file (makepkg: PKGBUILD does not exist.)")
        }
        let limit = PKGBUILDReader.sizeLimit + 1
        var bytes = [UInt8](repeating: 0, count: min(Int(info.st_size), limit))
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            count += n
        }
        if count < bytes.count { bytes.removeSubrange(count...) }
        return .bytes(bytes)
    }

    /// makepkg's `lint_changelog` and `lint_install`: each `changelog` and `install` file
    /// named (base and packages) must be a regular file, relative to the PKGBUILD's
    /// directory. A name leading out of `root` (absolute, `..`, a symlink) is not looked
    /// at: only makepkg in the sandbox can check it.
    public static func checkFiles(of result: PKGBUILDReader.Result, directory: String, root: String) -> PKGBUILDReader.Result {
        guard let srcinfo = result.srcinfo, !result.needsFallback else { return result }
        var result = result
        let sections = [srcinfo.base] + srcinfo.packages.map(\.section)
        var seen = Set<String>()
        for kind in ["changelog", "install"] {
            for name in sections.compactMap({ $0[kind]?.first }) where !name.isEmpty && seen.insert(kind + "\0" + name).inserted {
                let diagnostic = { (severity: Diagnostic.Severity, message: String) in
                    result.diagnostics.append(Diagnostic(file: result.file, line: 0, column: 0, severity: severity, message: message))
                }
                if name.hasPrefix("/") {
                    diagnostic(.fallback, "names the \(kind) file '\(name)' outside its directory: only makepkg in the sandbox can check it")
                    continue
                }
                guard let realRoot = realPath(root), let real = realPath(directory + "/" + name) else {
                    diagnostic(.invalid, "\(kind) file (\(name)) does not exist or is not a regular file.")
                    continue
                }
                guard contains(realRoot, real) else {
                    diagnostic(.fallback, "names the \(kind) file '\(name)' outside the tree \(root): only makepkg in the sandbox can check it")
                    continue
                }
                var info = stat()
                if stat(real, &info) != 0 || info.st_mode & S_IFMT != S_IFREG {
                    diagnostic(.invalid, "\(kind) file (\(name)) does not exist or is not a regular file.")
                }
            }
        }
        return result
    }

    // MARK: paths

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether real path `path` is `root` or below it.
    static func contains(_ root: String, _ path: String) -> Bool {
        path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }

    /// The path the kernel has for an open descriptor.
    static func openedPath(_ fd: Int32) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(PATH_MAX) + 1) { buffer in
            let n = readlink("/proc/self/fd/" + String(fd), buffer.baseAddress!, buffer.count - 1)
            guard n > 0 else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<n]), as: UTF8.self)
        }
    }

    /// `path`'s directory and last component, as `NSString`'s `deletingLastPathComponent`
    /// and `lastPathComponent` give them; a path with `//` or a trailing `/` is left to
    /// `NSString`, the few others are split at their last `/` without Foundation.
    static func split(_ path: String) -> (directory: String, name: String) {
        let bytes = path.utf8
        let slash = UInt8(ascii: "/")
        guard let last = bytes.lastIndex(of: slash), last != bytes.index(before: bytes.endIndex),
              !zip(bytes, bytes.dropFirst()).contains(where: { $0 == slash && $1 == slash }) else {
            if bytes.contains(slash) { return ((path as NSString).deletingLastPathComponent, (path as NSString).lastPathComponent) }
            return ("", path)
        }
        let name = String(Substring(bytes[bytes.index(after: last)...]))
        return (last == bytes.startIndex ? "/" : String(Substring(bytes[..<last])), name)
    }
}
