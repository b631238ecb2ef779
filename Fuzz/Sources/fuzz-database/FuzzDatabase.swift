import Foundation
import FuzzSupport
import Repo

let scratch = ScratchFile.forRepo(name: "fuzz.db")

/// One input as a sync or files database (any compression libarchive detects): read it,
/// take every field a plan or `repo ls --json` takes, and write every entry back as
/// repo-add would. A `RepoError` is the expected answer to broken input; a crash, a hang
/// or a runaway allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDatabase(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    scratch.write(data, count: size)
    guard let database = try? SyncDatabase.read(at: scratch.path) else { return 0 }
    for entry in database.entries {
        _ = (entry.version, entry.depends, entry.provides, entry.conflicts, entry.replaces)
        _ = (entry.optDepends, entry.makeDepends, entry.checkDepends, entry.files)
        _ = entry.descText
        _ = entry.filesText
    }
    _ = try? JSONEncoder().encode(database.entries)
    _ = database.problems.map(\.description)
    return 0
}
