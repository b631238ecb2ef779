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
}
