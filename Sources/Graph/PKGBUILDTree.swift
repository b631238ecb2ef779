import Foundation

/// An ABS tree: every directory below a root that holds a PKGBUILD, read in parallel.
/// One unreadable or broken PKGBUILD never stops the others: each directory gets its
/// own result with its diagnostics.
public struct PKGBUILDTree: Sendable {
    public let root: String
    /// The PKGBUILD directories, sorted by path.
    public let directories: [String]

    /// Finds the PKGBUILD directories under `root` (or `root` itself). Hidden
    /// directories and makepkg's `src`/`pkg` work directories are skipped, and the search
    /// does not descend below a directory that has a PKGBUILD.
    public init(root: String) throws(GraphError) {
        self.root = root
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GraphError.unreadable(file: root, reason: "no such directory")
        }
        var found: [String] = []
        var stack = [root]
        while let dir = stack.popLast() {
            if manager.fileExists(atPath: dir + "/PKGBUILD") {
                found.append(dir)
                continue
            }
            for entry in Self.subdirectories(of: dir) where !entry.hasPrefix(".") && entry != "src" && entry != "pkg" {
                stack.append(dir + "/" + entry)
            }
        }
        directories = found.sorted()
    }

    /// The names of the directories in `dir` (following symlinks), from `readdir`'s
    /// entry types: a tree of 12,000 pkgbases is listed without a `stat` per entry.
    /// Only an entry whose type the filesystem does not give, or a symlink, is `stat`ed.
    static func subdirectories(of dir: String) -> [String] {
        guard let handle = opendir(dir) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR):
                names.append(name)
            case Int32(DT_LNK), Int32(DT_UNKNOWN):
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory), isDirectory.boolValue {
                    names.append(name)
                }
            default:
                break
            }
        }
        return names.filter { $0 != "." && $0 != ".." }
    }

    /// Reads every PKGBUILD with `reader`, on all cores, results in `directories` order.
    public func read(with reader: PKGBUILDReader) -> [PKGBUILDReader.Result] {
        Self.read(directories: directories, with: reader)
    }

    /// Reads the PKGBUILDs of `directories` (each a directory or a PKGBUILD file).
    public static func read(directories: [String], with reader: PKGBUILDReader) -> [PKGBUILDReader.Result] {
        directories.concurrentMap { readOne($0, with: reader) }
    }

    /// Reads one PKGBUILD: `path` is its directory or the file itself.
    public static func readOne(_ path: String, with reader: PKGBUILDReader) -> PKGBUILDReader.Result {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let file = exists && isDirectory.boolValue ? path + "/PKGBUILD" : path
        let dir = exists && isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
        guard let data = FileManager.default.contents(atPath: file) else {
            return PKGBUILDReader.Result(file: file, srcinfo: nil, diagnostics: [
                Diagnostic(file: file, line: 0, column: 0, severity: .error, message: "cannot be read (missing or not a file)"),
            ])
        }
        let text = String(decoding: data, as: UTF8.self)
        let absolute = dir.hasPrefix("/") ? dir : FileManager.default.currentDirectoryPath + "/" + dir
        return reader.read(text: text, file: file, startdir: absolute)
    }
}
