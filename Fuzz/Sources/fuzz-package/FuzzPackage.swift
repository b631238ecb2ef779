import Foundation
import FuzzSupport
import Repo

let scratch = ScratchFile.forRepo(name: "fuzz-1-1-any.pkg.tar")

/// One input as a package file (any compression libarchive detects): read its metadata,
/// file list and checksums, print it as `pkginfo --json` does, and make the database
/// entry repo-add would. A `RepoError` is the expected answer to broken input; a crash,
/// a hang or a runaway allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackage(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    scratch.write(data, count: size)
    guard let package = try? PackageFile.read(at: scratch.path) else { return 0 }
    _ = (package.info.version, package.info.depends, package.info.missingKeys)
    _ = try? JSONEncoder().encode(package)
    if let entry = try? package.databaseEntry() {
        _ = entry.descText
        _ = entry.filesText
    }
    return 0
}
