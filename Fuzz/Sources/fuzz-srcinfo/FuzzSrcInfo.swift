import Graph

/// One input as a `.SRCINFO`: parse it, and what parses must print and parse back to the
/// same value (the printer writes what makepkg writes; the parser reads it back). The
/// values a planner takes from it (version, dependencies) are computed too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSrcInfo(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let srcinfo = try? SrcInfo(parsing: text, file: "fuzz.SRCINFO") else { return 0 }
    _ = srcinfo.version
    for name in srcinfo.pkgnames {
        _ = srcinfo.values("depends", for: name).map(Dependency.init)
        _ = srcinfo.values("provides", for: name).map(Dependency.init)
    }
    let printed = srcinfo.text
    guard let again = try? SrcInfo(parsing: printed, file: "printed.SRCINFO"), again == srcinfo else {
        fatalError("fuzz-srcinfo: the printed .SRCINFO does not parse back to the same value:\n\(printed)")
    }
    return 0
}
