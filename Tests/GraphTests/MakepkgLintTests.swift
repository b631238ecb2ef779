import Foundation
import Testing
@testable import Graph

/// makepkg's `lint_pkgbuild` stage and `source_safe` applied by the reader: what makepkg
/// refuses is `invalid`, with makepkg's sentence, never queued. The sentences are
/// checked against the real `makepkg --printsrcinfo` (as `nobody`) where it can run.
struct MakepkgLintTests {
    static let rest = "pkgver=1\npkgrel=1\narch=(any)\npackage() { :; }\n"

    /// PKGBUILD text and the first sentence makepkg prints for it (`==> ERROR: ...`).
    static let refused: [(name: String, text: String, message: String)] = [
        ("quote", "pkgname=\"a'b\"\n" + rest, "pkgname contains invalid characters: '''"),
        ("semicolon", "pkgname='a;b'\n" + rest, "pkgname contains invalid characters: ';'"),
        ("slash", "pkgname='a/b'\n" + rest, "pkgname contains invalid characters: '/'"),
        ("space", "pkgname='a b'\n" + rest, "pkgname contains invalid characters: ' '"),
        ("percent", "pkgname='a%b'\n" + rest, "pkgname contains invalid characters: '%'"),
        ("hyphen", "pkgname=-a\n" + rest, "pkgname is not allowed to start with a hyphen."),
        ("pkgver", "pkgname=a\npkgver=1-2:3/4\npkgrel=1\narch=(any)\n",
         "pkgver is not allowed to contain colons, forward slashes, hyphens or whitespace."),
        ("pkgrel", "pkgname=a\npkgver=1\npkgrel=x\narch=(any)\n", "pkgrel must be of the form 'integer[.integer]', not x."),
        ("empty-pkgver", "pkgname=a\npkgver=\npkgrel=1\narch=(any)\n", "pkgver is not allowed to be empty."),
        ("epoch", "pkgname=a\nepoch=one\n" + rest, "epoch must be an integer, not one."),
        ("arch-any", "pkgname=a\npkgver=1\npkgrel=1\narch=(any x86_64)\n", "Can not use 'any' architecture with other architectures"),
        ("arch-chars", "pkgname=a\npkgver=1\npkgrel=1\narch=('x86-64')\n", "arch contains invalid characters: '-'"),
        ("depends", "pkgname=a\n" + rest + "depends=('glibc>=a:1')\n", "epoch in depends must be an integer, not a."),
        ("conflicts", "pkgname=a\n" + rest + "conflicts=('foo bar')\n", "conflicts contains invalid characters: ' '"),
        ("provides", "pkgname=a\n" + rest + "provides=('foo<2')\n", "provides array cannot contain comparison (< or >) operators."),
        ("optdepends", "pkgname=a\n" + rest + "optdepends=('py thon: scripting')\n", "optdepends contains invalid characters: ' '"),
        ("options", "pkgname=a\n" + rest + "options=('!strip' 'fast')\n", "options array contains unknown option 'fast'"),
        ("backup", "pkgname=a\n" + rest + "backup=('/etc/a.conf')\n", "backup entry should not contain leading slash : /etc/a.conf"),
        ("no-package", "pkgname=a\npkgver=1\npkgrel=1\narch=(any)\nbuild() { :; }\n", "Missing package() function in PKGBUILD"),
        ("split", "pkgname=(a b)\npkgver=1\npkgrel=1\narch=(any)\npackage_a() { :; }\n",
         "Missing package_b() function for split package 'b'"),
        ("string-array", "pkgname=a\n" + rest + "license=GPL\n", "license should be an array"),
        ("array-string", "pkgname=a\n" + rest + "pkgdesc=(a b)\n", "pkgdesc should not be an array"),
        ("in-package", "pkgname=a\npkgver=1\npkgrel=1\narch=(any)\npackage() {\n  pkgver=2\n}\n",
         "pkgver can not be set inside a package function"),
        ("arch-specific", "pkgname=a\npkgver=1\npkgrel=1\narch=(x86_64)\npkgdesc_x86_64=x\npackage() { :; }\n",
         "pkgdesc can not be architecture specific: pkgdesc_x86_64"),
        ("any-specific", "pkgname=a\n" + rest + "depends_any=(x)\n",
         "Can not provide architecture specific variables for the 'any' architecture: depends_any"),
        ("package-arch", "pkgname=a\npkgver=1\npkgrel=1\narch=(x86_64)\npackage() {\n  makedepends_x86_64=(x)\n}\n",
         "makedepends_x86_64 can not be set inside a package function"),
        ("arch-not-array", "pkgname=a\npkgver=1\npkgrel=1\narch=(x86_64)\ndepends_x86_64=glibc\npackage() { :; }\n",
         "depends_x86_64 should be an array"),
        ("sparse", "pkgname=a\n" + rest + "source=([1]=a.tar.gz)\n", "Sparse arrays are not allowed for source"),
        ("failing-source", "pkgname=a\n" + rest + "[[ $CARCH == arm* ]] && depends=(x)\n", "Failed to source PKGBUILD"),
    ]

    func read(_ text: String) -> PKGBUILDReader.Result {
        PKGBUILDReader().read(text: text, file: "PKGBUILD", startdir: "/abs/a")
    }

    @Test(arguments: refused.map(\.name))
    func refusedWithMakepkgsSentence(_ name: String) throws {
        let (_, text, message) = try #require(Self.refused.first { $0.name == name })
        let result = read(text)
        #expect(result.isInvalid && !result.needsFallback && result.hasErrors, "\(result.diagnostics)")
        #expect(result.invalidReason?.hasPrefix(message) == true, "\(result.invalidReason ?? "nil")")
        // each refusal names the file and a line of it
        #expect(result.diagnostics.allSatisfy { $0.file == "PKGBUILD" && $0.line >= 1 && $0.severity == .invalid })
    }

    @Test func refusalsPointAtTheAssignment() throws {
        let result = read("pkgname=a\npkgver=1\n\npkgrel=x\narch=(any)\n")
        #expect(result.diagnostics.map(\.line) == [4])
        let both = read("pkgname='a b'\npkgver=1\npkgrel=1\narch=(any)\n")
        // lint_pkgname, then lint_pkgbase (pkgbase defaults to the first pkgname)
        #expect(both.diagnostics.map(\.message) == ["pkgname contains invalid characters: ' '", "pkgbase contains invalid characters: ' '"])
        #expect(both.diagnostics.map(\.line) == [1, 1])
    }

    /// `makepkg --printsrcinfo` accepts a missing arch (it ignores arches) but every build
    /// refuses it with this sentence, for any CARCH.
    @Test func noArchIsRefusedAsABuildRefusesIt() {
        for text in ["pkgname=a\npkgver=1\npkgrel=1\narch=()\n", "pkgname=a\npkgver=1\npkgrel=1\n"] {
            #expect(read(text).invalidReason == "a is not available for the 'x86_64' architecture.")
        }
    }

    /// `exit` in a sourced file ends makepkg itself: exit 3 with nothing printed, and even
    /// `exit 0` prints no .SRCINFO.
    @Test func aTopLevelExitEndsMakepkg() throws {
        for status in [3, 0] {
            let result = read("pkgname=a\n" + Self.rest + "exit \(status)\npkgdesc=never\n")
            #expect(result.isInvalid)
            #expect(result.invalidReason == "'exit \(status)' at the top level ends makepkg while it sources the PKGBUILD (exit status \(status), no .SRCINFO)")
            #expect(result.diagnostics.first?.line == 6)
        }
        // in a subshell, a command substitution or a pipeline it ends only that
        let inner = read("pkgname=a\n" + Self.rest + "( exit 3 ); x=$(exit 4; echo no) ; true | exit 5; pkgdesc=yes\n")
        #expect(inner.diagnostics.isEmpty && inner.srcinfo?.base["pkgdesc"] == ["yes"])
        // a top-level `return` ends the file with its status
        #expect(read("pkgname=a\n" + Self.rest + "return 0\npkgdesc=never\n").diagnostics.isEmpty)
        #expect(read("pkgname=a\n" + Self.rest + "return 4\n").invalidReason == "Failed to source PKGBUILD: its last command returns status 4")
    }

    /// bash drops NUL bytes when it sources a file, and makepkg reads the rest (with a
    /// warning from its CRLF check): the package is `ab`.
    @Test func nulBytesAreDroppedAsBashDoes() throws {
        let result = read("pkgname=a\u{0}b\npkgdesc=\"x\u{0}y\"\n" + Self.rest)
        #expect(result.diagnostics.isEmpty)
        #expect(result.srcinfo?.pkgbase == "ab")
        #expect(result.srcinfo?.base["pkgdesc"] == ["xy"])
    }

    @Test func crlfIsRefused() {
        let result = read("pkgname=a\r\n" + Self.rest)
        #expect(result.invalidReason == "PKGBUILD contains CRLF characters and cannot be sourced.")
        #expect(result.diagnostics.first?.line == 1)
    }

    /// What the reader cannot evaluate exactly is not judged: makepkg in the sandbox is.
    @Test func anIncompleteEvaluationNeedsMakepkgInstead() {
        let result = read("pkgname=a\npkgver=$(git describe)\npkgrel=x\narch=(any)\n")
        #expect(!result.isInvalid && result.needsFallback)
        #expect(result.diagnostics.contains { $0.severity == .invalid })
    }

    @Test func validPKGBUILDsPass() {
        let text = """
            pkgbase=tools
            pkgname=(tool-a tool-b)
            pkgver=1.2.3
            pkgrel=2.1
            epoch=1
            arch=(x86_64 i686)
            depends=('glibc>=2.38' 'zlib=1:1.3-1' 'libfoo.so')
            depends_x86_64=(lib32-glibc)
            optdepends=('python: scripting, with a colon:in it')
            provides=('tools=1.2.3' 'libtool.so=2-64')
            conflicts=('tools-git')
            options=(!strip debug !lto)
            backup=(etc/tools.conf)
            source=(a.tar.gz b.patch)
            build() { :; }
            package_tool-a() { depends+=(bash); backup=(etc/a.conf); }
            package_tool-b() { pkgdesc='B'; optdepends=('perl: more'); }
            """
        let result = read(text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    // MARK: against the real makepkg

    /// Runs `makepkg --printsrcinfo` as `nobody` in a throw-away directory: its status and
    /// first `==> ERROR:` sentence. nil where it cannot run here (not root, no makepkg).
    static func makepkg(_ text: String) throws -> (status: Int32, error: String?)? {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/makepkg"),
              FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else { return nil }
        let dir = NSTemporaryDirectory() + "pacbuild-lint-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/PKGBUILD"))
        chmod(dir, 0o777)
        chmod(dir + "/PKGBUILD", 0o644)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = ["-u", "nobody", "--", "/usr/bin/env", "-i", "HOME=\(dir)", "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
                             "/bin/bash", "-c", "cd \"$1\" && makepkg --printsrcinfo", "_", dir]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("==> ERROR: ") }
        // makepkg names its BUILDFILE by absolute path; the reader by the name it was given
        return (process.terminationStatus, line.map { String($0.dropFirst(11)).replacingOccurrences(of: dir + "/", with: "") })
    }

    @Test func sentencesAreMakepkgs() throws {
        guard try Self.makepkg("pkgname=a\n" + Self.rest) != nil else { return }  // not root or no makepkg: nothing to compare
        for (name, text, message) in Self.refused where name != "failing-source" {
            // --printsrcinfo ignores arches; a build's own arch check is tested above
            let (status, error) = try #require(try Self.makepkg(text))
            #expect(status == 12, "\(name)")
            #expect(error == message, "\(name)")
            #expect(read(text).invalidReason == error, "\(name)")
        }
        let failing = try #require(try Self.makepkg(Self.refused.last!.text))
        #expect(failing.error?.hasPrefix("Failed to source") == true && failing.status != 0)
        let exit = try #require(try Self.makepkg("pkgname=a\n" + Self.rest + "exit 3\n"))
        #expect(exit.status == 3 && exit.error == nil)
        #expect(try Self.makepkg("pkgname=a\n" + Self.rest)?.status == 0)
    }
}
