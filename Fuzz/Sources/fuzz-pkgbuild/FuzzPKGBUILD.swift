import Graph

/// makepkg.conf as the i586 port's builds see it, evaluated once.
let environment = MakepkgEnvironment.debianDefault(carch: "i586")
let reader = PKGBUILDReader(environment: environment)

/// One input as a PKGBUILD (bytes decoded as UTF-8 with replacement, as the tree reader
/// does): read it, and print the `.SRCINFO` the reader found. Any answer is fine, a
/// diagnostic included; a crash, a hang or a runaway allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPKGBUILD(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = reader.read(text: text, file: "PKGBUILD", startdir: "/build/fuzz")
    if let srcinfo = result.srcinfo { _ = srcinfo.text }
    return 0
}
