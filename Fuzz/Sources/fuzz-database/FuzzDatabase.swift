import FuzzSupport
import Glibc
import Repo

/// Set once before the first input: libarchive crashes on non-ASCII names in the C
/// locale (Repo's README), as the CLI's main sets it.
let scratch: ScratchFile = {
    setlocale(LC_ALL, "C.UTF-8")
    return ScratchFile(name: "fuzz.db")
}()

/// One input as a sync or files database (any compression libarchive detects): read it
/// and write every entry back as repo-add would. A `RepoError` is the expected answer
/// to broken input; a crash, a hang or a runaway allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDatabase(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    scratch.write(data, count: size)
    guard let database = try? SyncDatabase.read(at: scratch.path) else { return 0 }
    for entry in database.entries {
        _ = entry.version
        _ = entry.depends
        _ = entry.descText
        _ = entry.filesText
    }
    _ = database.problems.map(\.description)
    return 0
}
