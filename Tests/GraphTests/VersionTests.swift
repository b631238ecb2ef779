import Foundation
import Testing
import Graph

@Suite struct VersionTests {
    // MARK: parseEVR

    @Test(arguments: [
        ("1.0", "0", "1.0", nil),
        ("1.0-1", "0", "1.0", "1"),
        ("2:1.0-1", "2", "1.0", "1"),
        ("007:1.0", "007", "1.0", nil),
        (":1.0", "0", "1.0", nil),                 // empty epoch is 0
        ("a:1.0", "0", "a:1.0", nil),              // not all digits: no epoch
        ("1.0:2", "0", "1.0:2", nil),
        ("1:2:3", "1", "2:3", nil),
        ("1.0-rc1-2", "0", "1.0-rc1", "2"),        // release after the last '-'
        ("1-2:3", "0", "1", "2:3"),
        ("1-", "0", "1", ""),                      // empty release is not a missing one
        ("-1", "0", "", "1"),
        ("", "0", "", nil),
    ] as [(String, String, String, String?)])
    func splitsLikeParseEVR(input: String, epoch: String, pkgver: String, pkgrel: String?) {
        let version = Version(input)
        #expect(version.epoch == epoch)
        #expect(version.pkgver == pkgver)
        #expect(version.pkgrel == pkgrel)
        #expect(version.description == input)
    }

    // MARK: Comparison

    /// Cases where libalpm's C code behaves in ways a reimplementation easily gets
    /// wrong; each expectation was checked against pacman 6.0.2's `vercmp`.
    @Test(arguments: [
        ("1.0", "1.0.a", -1),
        ("1.0a", "1.0", -1),
        ("1..0", "1.0", 1),
        ("1.0", "1_0", 0),
        ("1.0.", "1.0.a", 1),      // the loop stops after skipping the separators
        ("1.", "1..", 0),          // trailing separators of any length are equal...
        ("1", "1.", -1),           // ...but beat no separator at all
        ("1.0~rc1", "1.0", 1),     // no tilde rule: '~' is a separator
        ("1-2:3", "1-2", 1),
        (":1", "0:1", 0),
        ("1-", "1", 0),            // one release missing: releases are not compared
        ("1-", "1-3", -1),         // an empty release is older
        ("1é2", "1.2", 1),         // non-ASCII bytes are separators, one per byte
        ("01", "1", 0),
        ("1:1", "01:1", 0),
        ("a:1", "1", -1),
        ("1.0-1-2", "1.0-1-3", -1),
        ("A", "a", -1),            // letters compare bytewise
        ("1.0b", "1.0B", 1),
        ("_1", "1", 1),            // a leading separator counts
        ("1.001", "1.1", 0),
        ("99999999999999999999999", "99999999999999999999998", 1),  // no overflow
        ("1.0", "1.0", 0),
    ] as [(String, String, Int)])
    func tricky(a: String, b: String, expected: Int) {
        #expect(Version.compare(a, b) == expected)
        #expect(Version.compare(b, a) == -expected)
    }

    @Test func byteIdentityNotUnicodeEquivalence() {
        // Same String under Swift's ==, different bytes for libalpm: "1" then a
        // two-byte separator, against "1e" then a two-byte separator (vercmp says 1).
        let composed = "1\u{E9}", decomposed = "1e\u{301}"
        #expect(composed == decomposed)
        #expect(Version.compare(composed, decomposed) == 1)
        #expect(Version(composed) != Version(decomposed))
    }

    @Test func rpmvercmpComparesOneComponentWithoutSplitting() {
        // alpm_pkg_vercmp ignores a release present on one side only; rpmvercmp on the
        // whole string sees "-1" as a separator and a number.
        #expect(Version.compare("1.0", "1.0-1") == 0)
        #expect(Version.rpmvercmp("1.0", "1.0-1") == -1)
        #expect(Version.rpmvercmp("1:2", "2") == -1)
        #expect(Version.rpmvercmp("1.0alpha", "1.0beta") == -1)
        #expect(Version.rpmvercmp("010", "10") == 0)
    }

    @Test func operatorsAgreeWithCompare() {
        #expect(Version("1.0") < Version("1.0.1"))
        #expect(Version("1:0.1") > Version("9.9"))
        #expect(Version("1.0") == Version("1_0"))
        #expect(Version("1.5") == Version("1.5-7"))
        #expect(Version("1.5-1") != Version("1.5-2"))
        #expect(Version("1.5-1") < Version("1.5-2"))
        #expect([Version("2.0"), Version("1.0rc1"), Version("1.0")].sorted().map(\.description)
            == ["1.0rc1", "1.0", "2.0"])
    }

    @Test func codableAsThePlainString() throws {
        let data = try JSONEncoder().encode([Version("1:2.0-3")])
        #expect(String(decoding: data, as: UTF8.self) == #"["1:2.0-3"]"#)
        let decoded = try JSONDecoder().decode([Version].self, from: data)
        #expect(decoded.first?.epoch == "1")
        #expect(decoded.first?.description == "1:2.0-3")
    }

    // MARK: Differential against pacman's vercmp

    /// Thousands of generated pairs compared with the installed `vercmp`, called from
    /// one bash loop so the spawns stay cheap (about a millisecond each).
    @Test func matchesInstalledVercmp() throws {
        try requireVercmp()
        var generator = VersionGenerator(seed: 0x7061_6362_7569_6c64)
        let pairs = (0..<4000).map { _ in generator.pair() }
        let results = try runVercmp(pairs)
        try #require(results.count == pairs.count, "vercmp printed \(results.count) lines for \(pairs.count) pairs")
        for ((a, b), theirs) in zip(pairs, results) {
            #expect(Version.compare(a, b) == theirs, "vercmp '\(a)' '\(b)'")
        }
    }
}

/// Fails, saying what to do, where pacman's vercmp is not installed.
func requireVercmp() throws {
    try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/vercmp"),
                 "pacman's /usr/bin/vercmp is missing: run scripts/setup (Debian's pacman-package-manager)")
}

/// Feeds pairs to one bash process that calls /usr/bin/vercmp for each; returns its outputs in order.
func runVercmp(_ pairs: [(String, String)]) throws -> [Int] {
    let input = FileManager.default.temporaryDirectory
        // one file per call: parameterized tests call this from several threads at once
        .appendingPathComponent("vercmp-pairs-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: input) }
    try pairs.map { "\($0.0)\n\($0.1)\n" }.joined().write(to: input, atomically: true, encoding: .utf8)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", #"while IFS= read -r a && IFS= read -r b; do /usr/bin/vercmp "$a" "$b"; done"#]
    process.standardInput = try FileHandle(forReadingFrom: input)
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }
}

/// Deterministic version strings that hit rpmvercmp's corners: epochs (empty, zero
/// padded), several '-', runs of mixed separators, leading zeros, letters of both cases,
/// and pairs where the second is a small edit of the first so many compare close.
private struct VersionGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    private mutating func pick(_ characters: String) -> Character {
        let all = Array(characters)
        return all[below(all.count)]
    }

    private mutating func run(_ characters: String, maxLength: Int) -> String {
        String((0..<(1 + below(maxLength))).map { _ in pick(characters) })
    }

    private mutating func segment() -> String {
        switch below(10) {
        case 0...4: run("0123456789", maxLength: 3)
        case 5: "0" + run("0123456789", maxLength: 2)
        case 6...7: run("abcxyz", maxLength: 3)
        case 8: run("ABCabc", maxLength: 2)
        default: ["alpha", "beta", "rc", "pre", "p", "git", "r"][below(7)]
        }
    }

    private mutating func separator() -> String {
        switch below(12) {
        case 0...5: "."
        case 6: ""
        case 7: run("._+", maxLength: 3)
        case 8: "-"
        case 9: "_"
        case 10: "+"
        default: [":", "~", "é", ".."][below(4)]
        }
    }

    mutating func version() -> String {
        var text = ""
        switch below(8) {
        case 0: text = run("0123456789", maxLength: 2) + ":"
        case 1: text = ":"
        default: break
        }
        if below(10) == 0 { text += separator() }
        for index in 0..<(1 + below(5)) {
            if index > 0 { text += separator() }
            text += segment()
        }
        if below(6) == 0 { text += separator() }
        if below(3) == 0 { text += "-" + segment() }
        return text
    }

    private mutating func edit(_ text: String) -> String {
        var characters = Array(text)
        switch below(4) {
        case 0 where !characters.isEmpty:
            characters[below(characters.count)] = pick("0123456789abz._-:")
        case 1 where !characters.isEmpty:
            characters.remove(at: below(characters.count))
        case 2:
            characters.insert(pick("0123456789a._-:"), at: below(characters.count + 1))
        default:
            return text + separator() + segment()
        }
        return String(characters)
    }

    /// A pair of version strings, never `-h` or `--help`, which vercmp reads as options.
    mutating func pair() -> (String, String) {
        while true {
            let a = version()
            let b = below(3) == 0 ? version() : edit(a)
            if !["-h", "--help"].contains(a) { return (a, b) }
        }
    }
}
