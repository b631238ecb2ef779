import Testing
@testable import Graph

/// Values the reader cannot compute (what `date`, `python`, `uname` print) that makepkg's
/// `.SRCINFO` never reads: the PKGBUILD is read natively, and the output is the real
/// makepkg's. The moment anything reads such a value, its status, or a variable makepkg
/// reads itself, the PKGBUILD needs makepkg, with the diagnostic of the command.
struct UnknownValueTests {
    static let head = "pkgname=unknowns\npkgver=1\npkgrel=1\narch=(x86_64)\n"

    static func read(_ text: String) -> PKGBUILDReader.Result {
        PKGBUILDReader().read(text: head + text, file: "PKGBUILD")
    }

    /// Unread values: no diagnostic, and what the real makepkg prints.
    static let unread: [(name: String, text: String)] = [
        // Arch's linux PKGBUILDs
        ("kbuild", "export KBUILD_BUILD_HOST=archlinux\n"
            + "export KBUILD_BUILD_TIMESTAMP=\"$(date -Ru${SOURCE_DATE_EPOCH:+d @$SOURCE_DATE_EPOCH})\"\npackage() { :; }\n"),
        // used only by commands of package(), which makepkg does not run to print a .SRCINFO
        ("pyver", "_pyver=$(python -c 'import sys; print(\".\".join(map(str, sys.version_info[:2])))')\n"
            + "package() {\n  mkdir -p \"$pkgdir/usr/lib/python$_pyver\"\n}\npkgdesc=after\n"),
        // a known value again in the same scope; a later substitution's known status
        ("overwritten", "x=$(uname -r)\nx=fixed\npkgdesc=$x\nk=$(uname -m) y=$(echo known)\n[ $? -eq 0 ] && url=https://status.example\npackage() { :; }\n"),
        // through a substitution into another unread value; in a function, locally
        ("chained", "x=$(uname -r)\ny=$(echo \"$x\")\nf() { local z=$(hostname); }\nf\npackage() { :; }\npkgdesc=done\n"),
    ]

    @Test func unreadValuesNeedNoMakepkg() throws {
        for (name, text) in Self.unread {
            let result = Self.read(text)
            #expect(result.diagnostics.isEmpty, "\(name): \(result.diagnostics)")
            #expect(result.printedSrcinfo == (try PackageArchArrayTests.makepkg(Self.head + text)), "\(name)")
        }
    }

    /// Reads of an unknown value, each with the line of the command it comes from.
    static let read: [(name: String, text: String, line: Int, message: String)] = [
        ("expansion", "_v=$(uname -r)\npkgdesc=\"kernel $_v\"\npackage() { :; }\n", 5, "runs the command 'uname'"),
        ("arithmetic", "n=$(nproc)\n(( n > 2 )) && pkgdesc=big\npackage() { :; }\n", 5, "runs the command 'nproc'"),
        ("status", "x=$(lsusb -t) && pkgdesc=found\npackage() { :; }\n", 5, "runs the command 'lsusb'"),
        ("$?", "x=$(lsb_release -si)\nif [ $? -eq 0 ]; then pkgdesc=lsb; fi\npackage() { :; }\n", 5, "runs the command 'lsb_release'"),
        ("source status", "package() { :; }\nx=$(false_command)\n", 6, "runs the command 'false_command'"),
        ("makepkg's variable", "pkgver=$(date +%Y%m%d)\npackage() { :; }\n", 5, "runs the command 'date'"),
        ("arch array", "depends_x86_64=$(pkg-config --libs foo)\npackage() { :; }\n", 5, "runs the command 'pkg-config'"),
        ("chained", "x=$(uname -r)\ny=$(echo \"$x\")\npkgdesc=$y\npackage() { :; }\n", 5, "runs the command 'uname'"),
        ("shadowed", "x=$(uname -r)\nf() { local x=1; }\nf\npkgdesc=$x\npackage() { :; }\n", 5, "runs the command 'uname'"),
        ("loop", "for i in 1 2; do x=$(date); done\npkgdesc=$x\npackage() { :; }\n", 5, "runs the command 'date'"),
        ("append", "x=$(date)\nx+=.1\npkgdesc=$x\npackage() { :; }\n", 5, "runs the command 'date'"),
        ("indirect", "x=$(date)\nr=x\npkgdesc=${!r}\npackage() { :; }\n", 5, "runs the command 'date'"),
        ("package function", "_pyver=$(python3 -c 'print(3)')\npackage() {\n  depends=(\"python>=$_pyver\")\n}\n", 5, "runs the command 'python3'"),
        ("IFS", "IFS=$(getconf IFS)\npackage() { :; }\n", 5, "runs the command 'getconf'"),
        ("while", "while x=$(date); do break; done\npackage() { :; }\n", 5, "runs the command 'date'"),
        // a loop's status is its body's last command's, eval's its text's
        ("loop status", "n=0\nwhile [ $n -lt 1 ]; do n=1; x=$(date); done && pkgdesc=ran\npackage() { :; }\n", 6, "runs the command 'date'"),
        ("eval status", "eval 'x=$(date)' && pkgdesc=ran\npackage() { :; }\n", 5, "runs the command 'date'"),
    ]

    @Test func readingAnUnknownValueNeedsMakepkg() {
        for (name, text, line, message) in Self.read {
            let result = Self.read(text)
            #expect(result.needsFallback, "\(name): \(result.diagnostics)")
            #expect(result.diagnostics.first?.message == message, "\(name): \(result.diagnostics)")
            #expect(result.diagnostics.first?.line == line, "\(name)")
        }
    }

    /// A name reference reads another variable under its own name: not modelled, so
    /// never taken for a plain value.
    @Test func nameReferencesNeedMakepkg() {
        let result = Self.read("x=1\ndeclare -n r=x\npkgdesc=$r\npackage() { :; }\n")
        #expect(result.diagnostics.map(\.message) == ["declare -n (a name reference) is not evaluated by the reader"])
    }
}
