import Foundation
import Repo

/// What the makepkg fallback printed, by content: `STATE/cache/srcinfo-fallback/KEY.json`,
/// KEY the SHA-256 of every file of the PKGBUILD directory (names, kinds and bytes,
/// symlinks by target), the makepkg.conf text (CARCH applied), the build root's stamp
/// and the script that runs makepkg.
/// The same inputs give the same `.SRCINFO`, so a second plan runs no sandbox; any edit,
/// to a `source`d helper as well as to the PKGBUILD, misses.
///
/// Entries are written to a temporary file and renamed, so parallel runs and an
/// interrupted one leave whole entries or none; an unreadable entry is a miss.
public struct SrcInfoFallbackCache: Sendable {
    /// Where the cache lives under a state directory.
    public static func directory(stateDirectory: String) -> String { stateDirectory + "/cache/srcinfo-fallback" }
    /// Bumped when what a run records changes meaning.
    static let version = "pacbuild-srcinfo-fallback/1"

    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The key of `pkgbuildDirectory` read with `makepkgConf` over `root`.
    public func key(directory pkgbuildDirectory: String, makepkgConf: String, root: BuildRoot) throws(SandboxError) -> String {
        let digest = Digest(.sha256)
        func add(_ text: String) { Array(text.utf8 + [0]).withUnsafeBytes { digest.update($0) } }
        add(Self.version)
        add(PrintSrcInfoScript.text)
        add(makepkgConf)
        // a recreated root may carry another makepkg
        add(FileManager.default.contents(atPath: root.stampPath).map { String(decoding: $0, as: UTF8.self) } ?? root.directory)
        try Self.addTree(pkgbuildDirectory, relative: "", to: digest, add: add)
        return digest.finalHex()
    }

    /// Every entry below `path`, sorted by name, without following symlinks.
    private static func addTree(_ path: String, relative: String, to digest: Digest, add: (String) -> Void) throws(SandboxError) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            throw .io(path: path, reason: "cannot list the PKGBUILD directory: \(error.localizedDescription)")
        }
        for name in names {
            let full = path + "/" + name, name = relative + name
            var info = stat()
            guard lstat(full, &info) == 0 else { throw .io(path: full, reason: String(cString: strerror(errno))) }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                add("dir \(name)")
                try addTree(full, relative: name + "/", to: digest, add: add)
            case S_IFLNK:
                add("link \(name) -> \((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "")")
            case S_IFREG:
                guard let data = FileManager.default.contents(atPath: full) else { throw .io(path: full, reason: "cannot read") }
                add("file \(name) \(info.st_mode & 0o111 != 0 ? "x" : "-") \(data.count)")
                data.withUnsafeBytes { digest.update($0) }
            default:
                add("other \(name)")
            }
        }
    }

    /// The run recorded for `key`, if any.
    func load(_ key: String) -> MakepkgRun? {
        guard let data = FileManager.default.contents(atPath: path(key)) else { return nil }
        return try? JSONDecoder().decode(MakepkgRun.self, from: data)
    }

    /// Records `run` for `key`; a failure to write only costs a sandbox run next time.
    func store(_ run: MakepkgRun, for key: String) {
        guard let data = try? JSONEncoder().encode(run) else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path(key) + ".tmp.\(getpid()).\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: temporary, contents: data), rename(temporary, path(key)) == 0 else {
            unlink(temporary)
            return
        }
    }

    /// The file of `key`'s entry: deleting it makes the next plan run makepkg again.
    public func file(_ key: String) -> String { path(key) }

    private func path(_ key: String) -> String { directory + "/" + key + ".json" }
}
