import Foundation
import Testing
import TestSupport
@testable import Graph

/// The .SRCINFO parser and printer against every file real makepkg printed.
struct SrcInfoTextTests {
    /// The files under `root` whose names end in one of `suffixes`, sorted.
    static func truthFiles(under root: String, suffixes: [String] = [".SRCINFO.truth", ".SRCINFO.truth-lenient"]) throws -> [String] {
        let enumerator = try #require(FileManager.default.enumerator(atPath: root), "cannot read \(root)")
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            if suffixes.contains(where: path.hasSuffix) { files.append(root + "/" + path) }
        }
        return files.sorted()
    }

    static func roundTrip(_ files: [String]) throws {
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let parsed = try SrcInfo(parsing: text, file: file)
            #expect(parsed.text == text, "printing the parsed \(file) changes it")
        }
    }

    /// What makepkg printed at test time for the fixture trees (tiny-src, the shapes,
    /// examples/abs) and the committed `.SRCINFO` of examples/abs.
    @Test func everyTruthFileRoundTrips() throws {
        let files = try Fixtures.pkgbuildTrees.flatMap { try Self.truthFiles(under: $0) }
            + (try Self.truthFiles(under: TestPaths.examples, suffixes: ["/.SRCINFO"]))
        #expect(files.count == 8 + 3 + 9 + 9, "\(files)")
        try Self.roundTrip(files)
    }

    @Test func splitPackageResolvesOverridesAndInheritance() throws {
        let text = try String(contentsOfFile: TestPaths.tinySource + "/tiny-py/.SRCINFO.truth", encoding: .utf8)
        let info = try SrcInfo(parsing: text)
        #expect(info.pkgbase == "tiny-py")
        #expect(info.pkgnames == ["tiny-py", "tiny-py-docs"])
        #expect(info.values("depends", for: "tiny-py-docs") == ["tiny-py=3.12.1"])
        #expect(info.values("pkgdesc", for: "tiny-py") == ["Tiny fake interpreter"])
        #expect(info.values("makedepends", for: "tiny-py") == ["tiny-curl"])
        #expect(info.fullVersion == "3.12.1-1")
    }

    @Test func emptyOverridePrintsAKeyWithoutValue() throws {
        var info = SrcInfo(pkgbase: "a")
        info.base.append("pkgver", ["1"])
        info.packages = [.init(name: "a-doc", section: .init(attributes: [.init(key: "depends", values: [])]))]
        #expect(info.text == "pkgbase = a\n\tpkgver = 1\n\npkgname = a-doc\n\tdepends = \n")
        let back = try SrcInfo(parsing: info.text)
        #expect(back.packages[0].section["depends"] == [])
        #expect(back.values("depends", for: "a-doc") == [])
    }

    @Test func badInputNamesFileAndLine() {
        #expect(throws: GraphError.srcinfo(file: "x/.SRCINFO", line: 2, expected: "'key = value'", found: "garbage")) {
            try SrcInfo(parsing: "pkgbase = a\ngarbage\n", file: "x/.SRCINFO")
        }
        #expect(throws: GraphError.srcinfo(file: ".SRCINFO", line: 1, expected: "'pkgbase = NAME' first", found: "'pkgname'")) {
            try SrcInfo(parsing: "pkgname = a\n")
        }
    }
}
