import Foundation

/// A pkgbase directory as the tar archive the store keeps with a build (kind `source`,
/// name ``name``), made and unpacked with bsdtar (libarchive's own tool, installed with
/// libarchive). makepkg's `src/` and `pkg/` work directories are left out.
public enum SourceArchive {
    public static let name = "source.tar"

    public static func create(directory: String, at archive: String) throws {
        try bsdtar(["-cf", archive, "--exclude", "./src", "--exclude", "./pkg", "-C", directory, "."])
    }

    /// Unpacks into `directory` (created), without absolute paths or `..` (bsdtar's
    /// default refusals) and without restoring owners.
    public static func extract(_ archive: String, into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try bsdtar(["-xf", archive, "--no-same-owner", "-C", directory])
    }

    private static func bsdtar(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/bsdtar")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw StoreError.fileIO(path: arguments.joined(separator: " "),
                                    reason: "bsdtar failed: " + String(decoding: message, as: UTF8.self))
        }
    }
}

extension BuildStore {
    /// Records `directory` as `build`'s source archive.
    public func putSource(_ build: BuildID, directory: String) throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-source-\(UUID().uuidString).tar").path
        defer { unlink(temporary) }
        try SourceArchive.create(directory: directory, at: temporary)
        try putFile(build, kind: .source, name: SourceArchive.name, from: temporary)
    }

    /// Unpacks `build`'s source archive into `directory`; false when the store has none.
    public func fetchSource(_ build: BuildID, into directory: String) throws -> Bool {
        guard try files(of: build).contains(where: { $0.kind == .source && $0.name == SourceArchive.name }) else { return false }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-source-\(UUID().uuidString).tar").path
        defer { unlink(temporary) }
        try fetchFile(build, kind: .source, name: SourceArchive.name, to: temporary)
        try SourceArchive.extract(temporary, into: directory)
        return true
    }
}
