import Foundation
import Testing
@testable import Graph

/// A tree with broken PKGBUILDs among good ones: every directory gets its own result,
/// the broken ones a diagnostic naming file and line, and the good ones are unaffected.
struct PKGBUILDTreeTests {
    static let good = """
        pkgname=good
        pkgver=1.2
        pkgrel=1
        arch=(any)
        depends=('glibc>=2.38')

        """

    func makeTree() throws -> String {
        let root = NSTemporaryDirectory() + "pacbuild-tree-" + UUID().uuidString
        let files: [String: String] = [
            "a-good/PKGBUILD": Self.good,
            // unbalanced quote: a syntax error on line 3, where the quote opens
            "b-quote/PKGBUILD": "pkgname=bad\npkgver=1\npkgdesc='never closed\npkgrel=1\n",
            // a command substitution of an external command needs makepkg
            "c-subst/PKGBUILD": "pkgname=subst\npkgver=$(date +%Y)\npkgrel=1\narch=(any)\n",
            // bytes that are not UTF-8 and a stray brace
            "d-bytes/PKGBUILD": "pkgname=x\u{FFFD}\npkgver=1\n}\n",
            "nested/e-good/PKGBUILD": Self.good.replacingOccurrences(of: "good", with: "good2"),
            // a PKGBUILD that is a directory cannot be read
            "f-dir/PKGBUILD/.keep": "",
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func brokenPKGBUILDsDoNotStopTheScan() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tree = try PKGBUILDTree(root: root)
        #expect(tree.directories.map { String($0.dropFirst(root.count)) }
            == ["/a-good", "/b-quote", "/c-subst", "/d-bytes", "/f-dir", "/nested/e-good"])
        let results = tree.read(with: PKGBUILDReader())
        let byDir = Dictionary(uniqueKeysWithValues: zip(tree.directories.map { String($0.dropFirst(root.count + 1)) }, results))

        let good = try #require(byDir["a-good"])
        #expect(good.diagnostics.isEmpty)
        #expect(good.srcinfo?.text == "pkgbase = good\n\tpkgver = 1.2\n\tpkgrel = 1\n\tarch = any\n\tdepends = glibc>=2.38\n\npkgname = good\n")
        #expect(byDir["nested/e-good"]?.srcinfo?.pkgbase == "good2")
        #expect(byDir["nested/e-good"]?.diagnostics.isEmpty == true)

        let quote = try #require(byDir["b-quote"])
        #expect(quote.needsFallback && quote.hasErrors)
        #expect(quote.diagnostics.first?.file == root + "/b-quote/PKGBUILD")
        #expect(quote.diagnostics.first?.line == 3)

        let subst = try #require(byDir["c-subst"])
        #expect(subst.needsFallback)
        #expect(subst.diagnostics.contains { $0.line == 2 && $0.message.contains("date") })
        // what could be evaluated is still there
        #expect(subst.srcinfo?.base["arch"] == ["any"])

        #expect(byDir["d-bytes"]?.needsFallback == true)
        let dir = try #require(byDir["f-dir"])
        #expect(dir.srcinfo == nil && dir.hasErrors)
    }

    @Test func missingRootIsAnError() {
        #expect(throws: GraphError.self) { try PKGBUILDTree(root: "/nonexistent/pacbuild-tree") }
    }

    // MARK: hostile trees (issues 13 and 14)

    /// Writes `files` (path: text) under a new temporary directory.
    func makeDirectory(_ files: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "pacbuild-hostile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    static func pkgbuild(_ name: String, _ tail: String = "") -> String {
        "pkgname=\(name)\npkgver=1\npkgrel=1\narch=(any)\npackage() { :; }\n\(tail)\n"
    }

    /// A secret outside the tree, like /etc/shadow: its first words must never show up.
    static let secret = "TOPSECRETROOT:$6$salt$hash:19000:0:99999:7:::\nTOPSECRETUSER:x:1000\n"

    /// One tree with every hostile PKGBUILD of issues 13 and 14 beside a good one: each
    /// gets its own answer, the good one is read as ever, nothing crashes or hangs, and
    /// nothing of a file outside the tree appears in any output.
    @Test func aHostileTreeStillYieldsTheOthers() throws {
        let outside = try makeDirectory(["shadow": Self.secret, "pkgdir/PKGBUILD": Self.pkgbuild("outsider")])
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let root = try makeDirectory([
            "good/PKGBUILD": Self.pkgbuild("good", "depends=(glibc)"),
            "printf-precision/PKGBUILD": Self.pkgbuild("pp", "printf -v x '%.*s' -1 abc\npkgdesc=$x"),
            "printf-width/PKGBUILD": Self.pkgbuild("pw", "printf -v x '%*s' 9223372036854775807 a"),
            "printf-huge/PKGBUILD": Self.pkgbuild("ph", "printf -v d '%2000000000s' x"),
            "regex/PKGBUILD": Self.pkgbuild("re", "[[ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa =~ (a|aa)*(a|aa)*b ]] && pkgdesc=match\ntrue"),
            "name/PKGBUILD": Self.pkgbuild("'a;b'"),
            "pkgver/PKGBUILD": "pkgname=v\npkgver=1-2:3/4\npkgrel=1\narch=(any)\n",
            "pkgrel/PKGBUILD": "pkgname=r\npkgver=1\npkgrel=x\narch=(any)\n",
            "empty-pkgver/PKGBUILD": "pkgname=e\npkgver=\npkgrel=1\narch=(any)\n",
            "no-arch/PKGBUILD": "pkgname=n\npkgver=1\npkgrel=1\narch=()\n",
            "exit/PKGBUILD": Self.pkgbuild("x", "exit 3"),
            "nul/PKGBUILD": Self.pkgbuild("nu\u{0}l"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        // a PKGBUILD that is a symlink to a host file (absolute and relative), a directory
        // symlink out of the tree, a FIFO (reading it would block), a symlink loop, and a
        // symlink that stays inside the tree
        try fm.createDirectory(atPath: root + "/shadow-link", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/shadow-link/PKGBUILD", withDestinationPath: outside + "/shadow")
        try fm.createDirectory(atPath: root + "/relative-link", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/relative-link/PKGBUILD",
                                  withDestinationPath: "../../" + (outside as NSString).lastPathComponent + "/shadow")
        try fm.createSymbolicLink(atPath: root + "/dir-link", withDestinationPath: outside + "/pkgdir")
        try fm.createDirectory(atPath: root + "/fifo", withIntermediateDirectories: true)
        #expect(mkfifo(root + "/fifo/PKGBUILD", 0o644) == 0)
        try fm.createDirectory(atPath: root + "/loop", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/loop/again", withDestinationPath: root + "/loop")
        try fm.createDirectory(atPath: root + "/inside-link", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/inside-link/PKGBUILD", withDestinationPath: "../good/PKGBUILD")

        let tree = try PKGBUILDTree(root: root)
        let results = tree.read(with: PKGBUILDReader())
        let byDir = Dictionary(uniqueKeysWithValues: zip(tree.directories.map { String($0.dropFirst(root.count + 1)) }, results))
        #expect(Set(byDir.keys) == ["good", "printf-precision", "printf-width", "printf-huge", "regex", "name", "pkgver", "pkgrel",
                                    "empty-pkgver", "no-arch", "exit", "nul", "shadow-link", "relative-link", "dir-link", "fifo",
                                    "inside-link"])

        let good = try #require(byDir["good"])
        #expect(good.diagnostics.isEmpty && good.srcinfo?.base["depends"] == ["glibc"])
        #expect(byDir["inside-link"]?.srcinfo?.pkgbase == "good" && byDir["inside-link"]?.diagnostics.isEmpty == true)
        #expect(byDir["printf-precision"]?.srcinfo?.base["pkgdesc"] == ["abc"])
        #expect(byDir["regex"]?.diagnostics.isEmpty == true && byDir["regex"]?.srcinfo?.base["pkgdesc"] == nil)
        #expect(byDir["nul"]?.srcinfo?.pkgbase == "nul" && byDir["nul"]?.diagnostics.isEmpty == true)
        for dir in ["printf-width", "printf-huge"] {
            let result = try #require(byDir[dir])
            #expect(result.needsFallback && result.diagnostics.count == 1, "\(dir)")
            #expect(result.diagnostics.first?.message.contains("over the reader's memory budget") == true)
            #expect(result.diagnostics.first?.line == 6)
        }
        let reasons: [String: String] = [
            "name": "pkgname contains invalid characters: ';'",
            "pkgver": "pkgver is not allowed to contain colons, forward slashes, hyphens or whitespace.",
            "pkgrel": "pkgrel must be of the form 'integer[.integer]', not x.",
            "empty-pkgver": "pkgver is not allowed to be empty.",
            "no-arch": "n is not available for the 'x86_64' architecture.",
            "exit": "'exit 3' at the top level ends makepkg while it sources the PKGBUILD (exit status 3, no .SRCINFO)",
        ]
        for (dir, reason) in reasons {
            #expect(byDir[dir]?.isInvalid == true && byDir[dir]?.invalidReason == reason, "\(dir): \(byDir[dir]?.diagnostics ?? [])")
        }
        for dir in ["shadow-link", "relative-link", "dir-link"] {
            let result = try #require(byDir[dir])
            #expect(result.isInvalid && result.srcinfo == nil, "\(dir)")
            #expect(result.diagnostics.map(\.description) == [
                "\(root)/\(dir)/PKGBUILD:0:0: invalid: resolves outside the tree \(root) (a symlink); pacbuild does not follow it",
            ])
        }
        #expect(byDir["fifo"]?.invalidReason?.contains("is not a regular file") == true)
        // nothing of the secret, anywhere
        for result in results {
            let shown = result.diagnostics.map(\.description).joined() + (result.srcinfo?.text ?? "")
            #expect(!shown.contains("TOPSECRET"), "\(result.file)")
        }
    }

    /// A PKGBUILD swapped for a symlink out of the tree is refused, not read.
    @Test func loadRefusesWhatLeavesTheTree() throws {
        let outside = try makeDirectory(["shadow": Self.secret])
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let root = try makeDirectory(["a/PKGBUILD": Self.pkgbuild("a")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        guard case .bytes(let bytes) = PKGBUILDTree.load(root + "/a/PKGBUILD", root: root) else {
            Issue.record("a plain PKGBUILD inside the tree is read")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self) == Self.pkgbuild("a"))
        try FileManager.default.removeItem(atPath: root + "/a/PKGBUILD")
        try FileManager.default.createSymbolicLink(atPath: root + "/a/PKGBUILD", withDestinationPath: outside + "/shadow")
        guard case .refused(let diagnostic) = PKGBUILDTree.load(root + "/a/PKGBUILD", root: root) else {
            Issue.record("a symlink out of the tree is refused")
            return
        }
        #expect(diagnostic.severity == .invalid && !diagnostic.description.contains("TOPSECRET"))
        // without a tree, the PKGBUILD's own directory is the limit
        #expect(PKGBUILDTree.readOne(root + "/a", with: PKGBUILDReader()).isInvalid)
    }

    /// Names up to NAME_MAX bytes, many entries: read through the record pointer, whole.
    @Test func longDirectoryNamesAreListedWhole() throws {
        let names = (0..<200).map { i in String(repeating: "n", count: 250) + String(format: "%05d", i) }
        let root = try makeDirectory(Dictionary(uniqueKeysWithValues: names.map { ("\($0)/PKGBUILD", Self.pkgbuild("x")) }))
        defer { try? FileManager.default.removeItem(atPath: root) }
        let entries = PKGBUILDTree.subdirectories(of: root)
        #expect(Set(entries.map(\.name)) == Set(names))
        #expect(entries.allSatisfy { !$0.isSymlink })
        #expect(try PKGBUILDTree(root: root).directories.count == 200)
    }

    /// makepkg's lint_install and lint_changelog: the files must exist beside the PKGBUILD.
    @Test func installAndChangelogFilesMustExist() throws {
        let root = try makeDirectory([
            "ok/PKGBUILD": Self.pkgbuild("ok", "install=ok.install\nchangelog=ChangeLog"),
            "ok/ok.install": "post_install() { :; }\n",
            "ok/ChangeLog": "",
            "missing/PKGBUILD": Self.pkgbuild("missing", "install=missing.install"),
            "absolute/PKGBUILD": Self.pkgbuild("absolute", "changelog=/etc/passwd"),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let results = try PKGBUILDTree(root: root).read(with: PKGBUILDReader())
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.srcinfo?.pkgbase ?? "?", $0) })
        #expect(byName["ok"]?.diagnostics.isEmpty == true)
        #expect(byName["missing"]?.invalidReason == "install file (missing.install) does not exist or is not a regular file.")
        #expect(byName["absolute"]?.needsFallback == true)
        #expect(byName["absolute"]?.diagnostics.first?.message
            == "names the changelog file '/etc/passwd' outside its directory: only makepkg in the sandbox can check it")
    }
}
