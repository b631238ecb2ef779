import Foundation
import Graph
import Testing

/// `pacbuild srcinfo` and `pacbuild vercmp` as a maintainer calls them.
struct SrcinfoCommandTests {
    static let examples = PacbuildBinary.packageRoot + "/examples/abs"

    @Test func printsWhatMakepkgPrinted() throws {
        let dirs = ["current/ex-libbase", "extra/ex-utils", "extra/ex-greeterd"].map { Self.examples + "/" + $0 }
        let output = try PacbuildBinary.run(["srcinfo"] + dirs)
        #expect(output.status == 0, "\(output.stderr)")
        // sections of several PKGBUILDs are separated by one blank line
        let expected = try dirs.map { try String(contentsOfFile: $0 + "/.SRCINFO", encoding: .utf8) }.joined(separator: "\n")
        #expect(output.stdout == expected)
    }

    @Test func jsonIsTheParsedModel() throws {
        let dir = Self.examples + "/extra/ex-utils"
        let output = try PacbuildBinary.run(["srcinfo", "--json", dir])
        #expect(output.status == 0, "\(output.stderr)")
        let results = try JSONDecoder().decode([PKGBUILDReader.Result].self, from: Data(output.stdout.utf8))
        let truth = try SrcInfo(parsing: String(contentsOfFile: dir + "/.SRCINFO", encoding: .utf8))
        #expect(results.count == 1)
        #expect(results.first?.file == dir + "/PKGBUILD")
        #expect(results.first?.srcinfo == truth)
        #expect(results.first?.diagnostics.isEmpty == true)
        #expect((results.first?.srcinfo?.packages.count ?? 0) > 1, "ex-utils is the split package")
    }

    @Test func aBrokenPKGBUILDFailsWithItsLineAndTheOthersStillPrint() throws {
        let dir = NSTemporaryDirectory() + "pacbuild-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/broken", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "pkgname=broken\npkgver=1\npkgrel=1\narch=(any)\nsource=(\"$(curl -s example.invalid)\")\n"
            .write(toFile: dir + "/broken/PKGBUILD", atomically: true, encoding: .utf8)
        let good = Self.examples + "/current/ex-libbase"
        let output = try PacbuildBinary.run(["srcinfo", dir + "/broken", good])
        #expect(output.status == 1)
        #expect(output.stderr.contains(dir + "/broken/PKGBUILD:5:"))
        #expect(output.stderr.contains("curl"))
        #expect(output.stdout == (try String(contentsOfFile: good + "/.SRCINFO", encoding: .utf8)))

        let json = try PacbuildBinary.run(["srcinfo", "--json", dir + "/broken"])
        #expect(json.status == 1)
        let results = try JSONDecoder().decode([PKGBUILDReader.Result].self, from: Data(json.stdout.utf8))
        #expect(results.first?.diagnostics.first?.line == 5)
        #expect(results.first?.srcinfo?.pkgbase == "broken", "what could be evaluated is kept")
    }

    @Test func vercmpAgreesWithPacman() throws {
        let pairs = [("1.0", "1.0a"), ("1:1.0", "2.0"), ("1.0-2", "1.0-10"), ("1.0", "1.0-1"), ("2.0rc1", "2.0"), ("1.2.3", "1.2.3")]
        for (a, b) in pairs {
            let ours = try PacbuildBinary.run(["vercmp", a, b])
            let reference = try PacbuildBinary.run([a, b], executable: "/usr/bin/vercmp")
            #expect(ours.status == 0)
            #expect(ours.stdout == reference.stdout, "vercmp \(a) \(b)")
        }
    }
}
