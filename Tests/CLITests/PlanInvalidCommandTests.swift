import Foundation
import Testing

/// `plan`, `why` and `catchup` over a tree with PKGBUILDs makepkg refuses: each is
/// `invalid` with makepkg's sentence in the text, the JSON and `why`, and catchup
/// queues only the valid one.
struct PlanInvalidCommandTests {
    /// The shipped configuration with `current` reading a tree of its own.
    static func config() throws -> String {
        let dir = try PlanCommandTests.config()
        let tree = dir + "/tree"
        let pkgbuilds = [
            "good": "pkgname=good\npkgver=1\npkgrel=1\narch=(any)\n",
            "badrel": "pkgname=badrel\npkgver=1\npkgrel=x\narch=(any)\n",
            "exits": "pkgname=exits\npkgver=1\npkgrel=1\narch=(any)\nexit 3\n",
        ]
        for (name, text) in pkgbuilds {
            try FileManager.default.createDirectory(atPath: tree + "/" + name, withIntermediateDirectories: true)
            try text.write(toFile: tree + "/\(name)/PKGBUILD", atomically: true, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: tree + "/outside", withDestinationPath: "/etc")
        let repo = dir + "/repos.d/current-i586.toml"
        let text = try String(contentsOfFile: repo, encoding: .utf8)
            .replacingOccurrences(of: "abs = \"examples/abs/current\"", with: "abs = \"tree\"")
        try text.write(toFile: repo, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: dir + "/repos.d/extra-i586.toml")
        return dir
    }

    @Test func invalidInTextJSONWhyAndCatchup() throws {
        let dir = try Self.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try PacbuildBinary.run(["plan", "--config", dir, "--fallback", "none"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("plan: 4 pkgbases: 1 new, 3 invalid\n"), "\(text.stdout)")
        #expect(text.stdout.contains("\ninvalid (3):\n"))
        #expect(text.stdout.contains("  current/badrel 1-x: makepkg refuses the PKGBUILD: pkgrel must be of the form 'integer[.integer]', not x.\n"))
        #expect(text.stdout.contains("    \(dir)/tree/badrel/PKGBUILD:3:1: invalid: pkgrel must be of the form 'integer[.integer]', not x.\n"))
        #expect(text.stdout.contains("current/outside : makepkg refuses the PKGBUILD: resolves outside the tree \(dir)/tree (a symlink); pacbuild does not follow it\n"))

        let json = try PacbuildBinary.run(["plan", "--config", dir, "--fallback", "none", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let entries = try #require(object?["entries"] as? [[String: Any]])
        let badrel = try #require(entries.first { $0["pkgbase"] as? String == "badrel" })
        #expect(badrel["status"] as? String == "invalid")
        #expect(badrel["reason"] as? String == "makepkg refuses the PKGBUILD: pkgrel must be of the form 'integer[.integer]', not x.")
        #expect(object?["buildOrder"] as? [String] == ["current/good"])

        let store = ["--config", dir, "--store", "sqlite:\(dir)/store.sqlite"]
        let why = try PacbuildBinary.run(["why"] + store + ["exits"])
        #expect(why.stdout.contains("  status: invalid: makepkg refuses the PKGBUILD: 'exit 3' at the top level ends makepkg"), "\(why.stdout)")
        #expect(why.stdout.contains("  planned: no\n"))
        #expect(why.stdout.contains("/tree/exits/PKGBUILD:5:1: invalid: 'exit 3'"))

        let catchup = try PacbuildBinary.run(["catchup"] + store)
        #expect(catchup.status == 0, "\(catchup.stderr)")
        #expect(catchup.stdout.contains("queued #1 current/good 1-1 (ready)\n"), "\(catchup.stdout)")
        #expect(catchup.stdout.hasSuffix("1 queued, 0 superseded, 0 already queued, 0 rejected versions skipped\n"))
    }
}
