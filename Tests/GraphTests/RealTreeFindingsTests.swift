import Testing
@testable import Graph

/// Constructs of a real distribution tree (archlinuxcn's repo, 2,933 PKGBUILDs, 2026-08)
/// that the reader refused or left to makepkg though bash and makepkg read them: each
/// PKGBUILD here is read by the reader and by the real `makepkg --printsrcinfo`, and the
/// two must print the same `.SRCINFO` with no diagnostic.
struct RealTreeFindingsTests {
    static let head = "pkgname=found\npkgver=1\npkgrel=1\narch=(x86_64)\n"

    /// name, PKGBUILD text after ``head``
    static let cases: [(name: String, text: String)] = [
        // a reserved word is a whole token: a redirection may follow it without a blank
        ("done<", "build() {\n  while read dep\n  do\n    :\n  done<\"$srcdir/list\"\n}\npackage() { :; }\n"),
        ("fi> esac> }>", "build() {\n  if true; then :; fi>log\n  case a in a) :;; esac>log\n  { :; }>log\n}\npackage() { :; }\n"),
        ("for((", "package() {\n  for((f=0; f<2; f++)); do :; done\n}\npkgdesc=$(for((i=1; i<=3; i++)); do printf %s $i; done)\n"),
        // the regex of =~ runs to a blank outside parentheses, `]]` and all
        ("=~ (...)", "build() {\n  if [[ ! ${a[*]} =~ (^|[[:space:]])\"$x\"($|[[:space:]]) ]]; then :; fi\n}\npackage() { :; }\n"
            + "s=(a bee c)\n[[ \" ${s[*]} \" =~ (^|[[:space:]])\"bee\"($|[[:space:]]) ]] && pkgdesc=found || pkgdesc=missed\n"
            + "[[ 'a]]' =~ a]] ]] && url=https://regex.example\n"),
        // bash's parser only matches the braces of ${...}; a function never run never fails
        ("${} unexpanded", "build() {\n  test -x /usr/bin/wx-config || echo \"${}\"\n}\npackage() { :; }\n"),
        // makepkg's option helpers, called while it sources the PKGBUILD (Debian's
        // makepkg.conf: OPTIONS=(... !debug !lto), BUILDENV=(... check ...))
        ("check_option", "options=(lto)\npackage() { :; }\n"
            + "if check_option lto y; then makedepends+=(clang); fi\n"
            + "if check_option debug y; then makedepends+=(gdb); fi\n"
            + "check_option strip y && depends+=(stripped)\n"
            + "check_option nonesuch y; depends+=(\"status-$?\")\n"
            + "check_buildenv check y && checkdepends+=(checked)\n"
            + "check_buildoption ccache n && checkdepends+=(no-ccache)\n"
            + "in_opt_array docs '!docs' docs; conflicts+=(\"docs-$?\")\n"),
        // grep on a here-string (linux-libre), and the read builtin (rustdesk's _vercmp)
        ("grep", "pkgver=5.10.3\npackage() { :; }\n"
            + "_basever=\"$({ grep -Eq '[0-9]\\.[0-9]+\\.[0-9]+' <<< \"$pkgver\" && printf '%s' \"${pkgver%.*}\"; } || printf '%s' \"$pkgver\")\"\n"
            + "pkgdesc=\"base $_basever, $(printf 'a1\\nb2\\nc\\n' | grep -c '[0-9]') numbered\"\n"),
        ("read", "package() { :; }\n_v() {\n  local _pla _pra\n  IFS='.' read -ra _pla <<< \"${1##.r*}\"\n  IFS='.' read -ra _pra <<< \"$2\"\n"
            + "  [ \"${_pla[1]}\" -lt \"${_pra[1]}\" ]\n}\n_v 1.4.1.r10629 1.5.0 && pkgdesc=older || pkgdesc=newer\n"),
        // the field picking of sqlite's and vim's PKGBUILDs
        ("awk", "pkgver=3.53.4\npackage() { :; }\n"
            + "_srcver=$(echo \"$pkgver\" | awk -F. '{ printf \"%d%02d%02d00\", $1, $2, $3 }')\n"
            + "source=(https://www.sqlite.org/2026/sqlite-src-${_srcver}.zip)\npkgdesc=\"vim$(echo $pkgver | awk -F. '{print $1$2}')\"\n"
            + "url=\"https://example.org/$(printf 'a b\\tc\\n' | awk '{print NF, $NF; print NR}' | tr '\\n' _)\"\n"),
        // what sourcing prints comes first in makepkg's output (geant4's `echo ""` around a
        // here-document comment); stderr and captured output do not
        ("echo", "package() {\n  echo never run\n}\necho \"\"\n: <<'EOF'\n a comment\nEOF\nprintf '%s\\n' top >&2\n"
            + "_v=$(echo captured)\necho \"printed $_v\" | tr a-z A-Z\n"),
    ]

    @Test func theReaderPrintsWhatMakepkgPrints() throws {
        for (name, text) in Self.cases {
            let pkgbuild = Self.head + text
            let result = PKGBUILDReader().read(text: pkgbuild, file: "PKGBUILD")
            #expect(result.diagnostics.isEmpty, "\(name): \(result.diagnostics)")
            let expected = try PackageArchArrayTests.makepkg(pkgbuild)
            #expect(result.printedSrcinfo == expected, "\(name)")
        }
    }

    /// A `${...}` that bash refuses when it expands it stops that command in bash as
    /// well: the reader leaves the PKGBUILD to makepkg, saying where, never guessing.
    @Test func aBadSubstitutionThatRunsNeedsMakepkg() throws {
        let result = PKGBUILDReader().read(text: Self.head + "package() { :; }\npkgdesc=\"${a b}\"\n", file: "PKGBUILD")
        #expect(result.needsFallback)
        #expect(result.diagnostics.map(\.message) == ["${a b}: bad substitution (bash abandons the command here)"])
        #expect(result.diagnostics.first?.line == 6)
        // an unmatched brace stays a syntax error, as it is for bash
        let broken = PKGBUILDReader().read(text: Self.head + "package() { :; }\npkgdesc=\"${a b\"\n", file: "PKGBUILD")
        #expect(broken.hasErrors)
    }
}
