import Foundation
import Testing
import Graph

/// Hand-picked version pairs, by the rule of rpmvercmp each exercises, and version
/// strings shaped like real packages' (dates, git describe, epochs, pkgrels), each pair
/// in both orders. The expected answer is what the installed `vercmp` prints now; the
/// repository-only counterpart of the corpus's vercmp tables (GraphCorpusConformanceTests).
struct VercmpCaseTests {
    static let rules: [(String, String)] = [
        // equal, and plain numeric segments
        ("1.5.0", "1.5.0"), ("1.5.1", "1.5.0"), ("1.5.10", "1.5.9"), ("1.0", "1.0.0"), ("1.0.0", "1.0.1"),
        // leading zeros are ignored; a longer number is larger
        ("1.001", "1.1"), ("1.010", "1.9"), ("00001", "1"), ("0.0", "0"),
        // letters against numbers and letters against letters
        ("1.0a", "1.0"), ("1.0a", "1.0b"), ("1.0alpha", "1.0"), ("1.0", "1.0.a"), ("1.a", "1.1"), ("a", "1"),
        ("1.0rc1", "1.0"), ("1.0beta", "1.0alpha"), ("1.0Z", "1.0a"), ("1.0pre1", "1.0p1"), ("1.0+1", "1.0"),
        // separators: any run of non-alphanumerics is one separator
        ("1..0", "1.0"), ("1_0", "1.0"), ("1+0", "1.0"), ("1.0.", "1.0"), ("1.0..", "1.0.0"), (".1", "1"),
        ("1.0~rc1", "1.0"), ("1~0", "1.0"), ("1...a", "1.a"),
        // pkgrel: compared only when both have one
        ("1.0-1", "1.0-2"), ("1.0-1", "1.0"), ("1.0-2", "1.0"), ("1.0-1.1", "1.0-1"), ("1.0-1.1", "1.0-1.2"),
        ("1.0-10", "1.0-9"), ("1.0-1", "1.0.1-1"), ("2-1", "1.9-9"),
        // epochs: they win over everything else; a missing one is 0
        ("1:1.0", "1.0"), ("1:1.0", "2.0"), ("0:1.0", "1.0"), ("1:1.0-1", "1:1.0-2"), ("2:0.1", "1:9.9"),
        ("01:1.0", "1:1.0"), (":1.0", "1.0"), ("1:1.0", "1:1.0"),
        // port-local rebuild numbers on pkgrel (Arch Linux ARM, Arch Linux 32; pacbuild's
        // soname rebuilds): 2 < 2.1 < 2.2 < 2.10 < 3
        ("1.0-2.1", "1.0-2"), ("1.0-2.2", "1.0-2.1"), ("1.0-2.10", "1.0-2.9"), ("1.0-3", "1.0-2.9"), ("1:1.0-2.1", "1:1.0-2"),
        // several dashes: the last one splits off the pkgrel
        ("1.0-2-3", "1.0-2-4"), ("1-2-3", "1-2"),
    ]

    static let realistic: [(String, String)] = [
        ("20240101-1", "20231231-2"), ("1:1.0-2", "20240101-1"), ("2024.01.01-1", "2024.1.1-1"),
        ("0.9.r12.gabcdef0-1", "0.9.r9.g1234567-1"), ("0.9.r12.gabcdef0-1", "0.9-1"), ("r1234.5678abc-1", "r999.fff-1"),
        ("1.2.3+r4+gdeadbee-1", "1.2.3-1"), ("5.15.arch1-1", "5.15-1"), ("6.1.12.arch1-1", "6.1.9.arch2-1"),
        ("3.12.1-1", "3.12.0rc3-1"), ("2.38-7", "2.38-10"), ("1:8.5.0-3", "8.6.0-1"), ("7.4.p2-1", "7.4.p10-1"),
        ("1.0.2u-1", "1.0.2t-3"), ("3.0.0beta2-1", "3.0.0-1"), ("4.2.1_pre20240101-1", "4.2.1-1"),
        ("0.0.0.1-1", "0.0.1-1"), ("2.0.0-0.1", "2.0.0-1"), ("1.4-1", "1.4-1.1"), ("9.0.1000-1", "9.0.999-2"),
        ("6.5_p20240101-1", "6.5-1"), ("1.75.0-1", "1.8.0-1"), ("115.0.2-1", "115.0.1esr-1"), ("2.42.0.gite2ab1f-1", "2.42.0-1"),
    ]

    @Test(arguments: ["rules", "realistic"])
    func agreesWithVercmp(table: String) throws {
        try requireVercmp()
        let pairs = table == "rules" ? Self.rules : Self.realistic
        let both = pairs.flatMap { [($0.0, $0.1), ($0.1, $0.0)] }
        let theirs = try runVercmp(both)
        try #require(theirs.count == both.count, "vercmp printed \(theirs.count) lines for \(both.count) pairs")
        for (index, ((a, b), expected)) in zip(both, theirs).enumerated() {
            #expect(Version.compare(a, b) == expected, "vercmp '\(a)' '\(b)' prints \(expected)")
            if index % 2 == 1 { #expect(expected == -theirs[index - 1], "vercmp is not antisymmetric on '\(a)' '\(b)'") }
        }
        // the tables are not all equal pairs: both orders occur
        #expect(Set(theirs).isSuperset(of: [-1, 1]))
    }
}
