import Foundation
import Graph
import Repo

/// Where a claimed build's PKGBUILD is now, read again: the store records only repo,
/// pkgbase and version, and the tree may have moved on since catchup, so the waka looks
/// the pkgbase up in its repo's ABS trees and checks that the version is still the one
/// queued (building another version under this build's id would publish a surprise).
public struct BuildSource: Sendable {
    /// The pkgbase directory holding the PKGBUILD.
    public var directory: String
    public var srcinfo: SrcInfo

    /// Finds `package` at `version` in `repo`'s trees: first the directory named after
    /// the pkgbase (the usual layout), then, failing that, every PKGBUILD of the trees.
    public static func locate(_ package: PackageBaseID, version: String, in repo: RepoConfig) throws(SchedulerError) -> BuildSource {
        let found = try current(package, in: repo)
        guard found.srcinfo.fullVersion == version || (RebuildNumber.number(of: version, over: found.srcinfo.fullVersion) ?? 0) > 0 else {
            throw .versionChanged(package: package.description, queued: version, found: found.srcinfo.fullVersion, directory: found.directory)
        }
        return found
    }

    /// Finds `package` in `repo`'s trees at whatever version its PKGBUILD has now.
    public static func current(_ package: PackageBaseID, in repo: RepoConfig) throws(SchedulerError) -> BuildSource {
        try checkPkgbase(package)
        let reader = repo.reader().reader
        var found: (String, SrcInfo)?
        var unreadable: (String, [String])?
        let direct = repo.abs.map { $0 + "/" + package.pkgbase }.filter { FileManager.default.fileExists(atPath: $0 + "/PKGBUILD") }
        for directory in direct where found == nil {
            let result = PKGBUILDTree.readOne(directory, with: reader)
            if let srcinfo = result.srcinfo, srcinfo.pkgbase == package.pkgbase, !result.hasErrors {
                found = (directory, srcinfo)
            } else if result.hasErrors {
                unreadable = (directory, result.diagnostics.map(\.description))
            }
        }
        if found == nil {
            for root in repo.abs {
                guard let tree = try? PKGBUILDTree(root: root) else { continue }
                for result in tree.read(with: reader) where result.srcinfo?.pkgbase == package.pkgbase && !result.hasErrors {
                    found = ((result.file as NSString).deletingLastPathComponent, result.srcinfo!)
                }
            }
        }
        guard let (directory, srcinfo) = found else {
            if let (directory, diagnostics) = unreadable { throw .pkgbuildUnreadable(directory: directory, diagnostics: diagnostics) }
            throw .pkgbuildNotFound(package: package.description, trees: repo.abs)
        }
        return BuildSource(directory: directory, srcinfo: srcinfo)
    }

    /// A rebuild (`1.0-2.1` of a PKGBUILD at `1.0-2`, docs/review.md#rebuild-numbers) is
    /// built from a copy of the pkgbase directory under `work/rebuild/` whose PKGBUILD
    /// sets that pkgrel last: the tree itself is never edited. The copy is read again and
    /// must give the queued version. Any other build is built where it is.
    func forBuilding(_ version: String, work: String, reader: PKGBUILDReader) throws(SchedulerError) -> BuildSource {
        guard srcinfo.fullVersion != version, let pkgrel = RebuildNumber.pkgrel(of: version) else { return self }
        let copy = work + "/rebuild/" + srcinfo.pkgbase
        do {
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.createDirectory(atPath: work + "/rebuild", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: directory, toPath: copy)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: copy + "/PKGBUILD"))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\n# pacbuild: a rebuild of \(srcinfo.fullVersion) (docs/review.md#rebuild-numbers)\npkgrel=\(pkgrel)\n".utf8))
        } catch {
            throw .io(path: copy, reason: "cannot make the rebuild's copy of \(directory): \(error.localizedDescription)")
        }
        let result = PKGBUILDTree.readOne(copy, with: reader)
        guard let read = result.srcinfo, !result.hasErrors, read.fullVersion == version else {
            throw .versionChanged(package: srcinfo.pkgbase, queued: version, found: result.srcinfo?.fullVersion ?? "unreadable", directory: copy)
        }
        return BuildSource(directory: copy, srcinfo: read)
    }

    /// The claimed build's PKGBUILD: from the repo's ABS trees when one of them is on
    /// this machine, otherwise from the archive catchup recorded in the store, unpacked
    /// under `work/source` (a remote waka without the trees; docs/distributed.md). An
    /// empty tree directory counts as no tree: the configuration requires `abs` to name
    /// existing directories, so a remote waka's copy of `repos.d` names empty ones.
    static func find(_ build: BuildRecord, in repo: RepoConfig, store: any BuildStore, work: String) throws -> BuildSource {
        let haveTree = repo.abs.contains { !((try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? []).isEmpty }
        if haveTree { return try locate(build.package, version: build.version, in: repo).forBuilding(build.version, work: work, reader: repo.reader().reader) }
        try checkPkgbase(build.package)
        let directory = work + "/source/" + build.package.pkgbase
        let fetched: Bool
        do { fetched = try store.fetchSource(build.id, into: directory) } catch {
            throw SchedulerError.io(path: directory, reason: "cannot unpack the PKGBUILD directory from the store: \(error)")
        }
        guard fetched else { throw SchedulerError.pkgbuildNotFound(package: build.package.description, trees: repo.abs) }
        let result = PKGBUILDTree.readOne(directory, with: repo.reader().reader)
        guard let srcinfo = result.srcinfo, !result.hasErrors else {
            throw SchedulerError.pkgbuildUnreadable(directory: directory, diagnostics: result.diagnostics.map(\.description))
        }
        guard srcinfo.pkgbase == build.package.pkgbase,
              srcinfo.fullVersion == build.version || (RebuildNumber.number(of: build.version, over: srcinfo.fullVersion) ?? 0) > 0 else {
            throw SchedulerError.versionChanged(package: build.package.description, queued: build.version,
                                                found: srcinfo.fullVersion, directory: directory)
        }
        return try BuildSource(directory: directory, srcinfo: srcinfo).forBuilding(build.version, work: work, reader: repo.reader().reader)
    }

    /// The pkgbase names a directory below a tree and the work directory: makepkg's
    /// rule first, so a queued `../x` is never looked for (or unpacked) there.
    private static func checkPkgbase(_ package: PackageBaseID) throws(SchedulerError) {
        if let reason = PackageNameRules.nameProblem(package.pkgbase, field: "pkgbase") {
            throw .repo(.refusedValue(file: package.description, field: "pkgbase", value: package.pkgbase, reason: reason))
        }
    }
}
