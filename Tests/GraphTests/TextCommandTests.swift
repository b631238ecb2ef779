import Foundation
import Testing
@testable import Graph

/// The text commands where PKGBUILDs use them, and what stays with makepkg.
struct TextCommandTests {
    static func run(_ text: String, units: Int = ShellBudget.standardUnits) -> ShellInterpreter {
        var shell = ShellInterpreter()
        shell.work = ShellBudget(units: units)
        shell.run(text)
        return shell
    }

    /// The substitutions of issue 16, each as bash evaluates it.
    @Test(arguments: [
        ("pkgver=5.27.10; out=$(echo $pkgver | cut -d. -f1-3)", "5.27.10"),
        ("pkgver=6.1.0.2; out=$(echo $pkgver | cut -d. -f1-2)", "6.1"),
        ("pkgver=1.2_3; out=$(echo $pkgver | sed 's/_/-/')", "1.2-3"),
        (#"source=("https://x/foo-1.0.tar.gz"); out=$(basename "${source[0]}" .tar.gz)"#, "foo-1.0"),
        (#"_git=https://github.com/a/b.git; out=$(basename "$_git")"#, "b.git"),
        (#"declare -A l=([libjpeg]=1); out=$(printf "%s\n" ${!l[@]} | sed 's/^libjpeg$/&_turbo/')"#, "libjpeg_turbo"),
        ("out=$(tr a-z A-Z <<< hello)", "HELLO"),
        ("out=$(cat <<'EOF'\nb\na\nEOF\n)", "b\na"),
        ("out=$(sort <<'EOF'\nb\na\nEOF\n)", "a\nb"),
        ("out=$(echo a.b | cut -d. -f2 2>/dev/null)", "b"),
        ("out=$(expr 3 + 4)", "7"),
        ("out=$(dirname /usr/lib/x.so)", "/usr/lib"),
    ])
    func issueExamples(_ snippet: String, _ expected: String) { Self.expectOut(snippet, expected) }

    /// The snippet is evaluated without a diagnostic and leaves `expected` in `out`.
    static func expectOut(_ snippet: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let shell = run(snippet)
        #expect(shell.diagnostics.isEmpty, "\(shell.diagnostics)", sourceLocation: sourceLocation)
        #expect(shell.variables.value("out")?.scalarValue == expected, sourceLocation: sourceLocation)
    }

    /// `t` branches when a substitution succeeded since the last line was read, and `N`
    /// and `n` read one: GNU sed 4.9 clears the flag there. The differential test found
    /// the case of a cycle that `D` restarts after `N` (outputs of the real sed).
    @Test(arguments: [
        ("out=$(printf 'x\\ny\\n' | sed -n 's/x/X/;N;tb;s/$/ [no-t]/;p;d;:b;s/$/ [t]/;p')", "X\ny [no-t]"),
        ("out=$(printf 'x\\ny\\nz\\n' | sed -n '1{s/x/X/;n;tb;s/$/ [no-t]/;p;d;:b;s/$/ [t]/;p}')", "y [no-t]"),
        ("out=$(printf 'ab\\ncd\\n' | sed -n '/c/!{s/a/A/;tq;s/$/!/;:q};$!N;P;D')", "Ab\ncd"),
        ("out=$(sed -n '/1/I!{s/a/b/;ta;s/$/!/;:a} ; $!N;P;D' <<'EOF'\nb-\n9-_b:B\n\nlibjpeg\nEOF\n)", "b-!\n9-_b:B!\n!\nlibjpeg!"),
        ("out=$(printf 'a\\n' | sed 's/a/b/;ta;s/$/!/;:a')", "b"),
    ])
    func sedTestFlagIsClearedByEveryRead(_ snippet: String, _ expected: String) { Self.expectOut(snippet, expected) }

    /// A range to `$` that starts on the last line ends there at once: a cycle that `D`
    /// restarts on that line is not in it again (found by the differential test; outputs
    /// of the real sed). A range to a regex stays open, and a line-number start that was
    /// passed starts the range once.
    @Test(arguments: [
        ("out=$(printf 'a\\nb\\nc\\n' | sed -e 'H;$!d;x' -e '2,$D')", "c\na\nb\nc"),
        ("out=$(printf 'a\\nb\\nc\\n' | sed -e 'H;$!d;x' -e '3,$D')", "c\na\nb\nc"),
        ("out=$(printf 'a\\nb\\nc\\n' | sed -n -e '$!d' -e '3,$p;3,$p')", "c\nc"),
    ])
    func sedRangeToTheLastLineStartingThere(_ snippet: String, _ expected: String) { Self.expectOut(snippet, expected) }

    /// Reading a file, makepkg's own input or an option we do not evaluate needs makepkg.
    @Test(arguments: [
        ("out=$(sed s/a/b/ /etc/passwd)", "sed reads the file '/etc/passwd'"),
        ("out=$(sed s/a/b/)", "sed reads makepkg's standard input"),
        ("out=$(cut -f1 < /etc/passwd)", "reads the file '/etc/passwd'"),
        ("out=$(echo a | sed -i s/a/b/ x)", "sed -i is not evaluated by the reader"),
        ("out=$(echo a | sort -R)", "sort -R is not evaluated by the reader"),
        ("out=$(echo a | sed 'w /tmp/x')", "sed: the sed command 'w' is not evaluated by the reader"),
        ("out=$(echo a | sed 's/\\(a\\)\\1/x/')", "sed: a back-reference (\\1) in a sed regular expression is not evaluated by the reader"),
        ("x=1; out=$(cat <<EOF\n$x\nEOF\n)", "cat reads an unquoted here-document with expansions"),
    ])
    func fallbacks(_ snippet: String, _ message: String) {
        let shell = Self.run(snippet)
        #expect(shell.diagnostics.map(\.message).contains(message), "\(shell.diagnostics)")
        #expect(shell.diagnostics.allSatisfy { $0.kind == .unsupported })
    }

    /// An invalid option is the tool's own error: no output, its status, no fallback.
    @Test func toolErrorsAreEvaluated() {
        let shell = Self.run("out=$(echo a | cut -x 2>/dev/null); s=$?")
        #expect(shell.diagnostics.isEmpty)
        #expect(shell.variables.value("out")?.scalarValue == "")
        #expect(shell.variables.value("s")?.scalarValue == "1")
    }

    /// A script that never ends, or output that doubles, is a budget diagnostic.
    @Test(arguments: ["out=$(echo a | sed ':a;s/^/x/;ba')", "out=$(echo a | sed 'h;G;D')", "out=$(echo a | sed ':a;p;ba')"])
    func runawayScriptsStopAtTheBudget(_ snippet: String) {
        let clock = ContinuousClock()
        var shell = ShellInterpreter()
        let elapsed = clock.measure {
            shell.work = ShellBudget(units: 500_000)
            shell.run(snippet)
        }
        #expect(shell.diagnostics.contains { $0.message.contains("budget") }, "\(shell.diagnostics)")
        #expect(elapsed < .seconds(20))
    }

    /// An output delimiter repeated between many ranges is bounded like any value.
    @Test func cutOutputIsBounded() {
        let shell = Self.run(#"""
            d=x; for i in {1..20}; do d=$d$d; done
            l=$(printf 'ab%.0s' {1..2000})
            out=$(echo "$l" | cut -b 1,3-3,5-5,7-7,9-9,11-11,13-13 --complement --output-delimiter="$d")
            """#)
        #expect(shell.diagnostics.contains { $0.message.contains("budget") }, "\(shell.diagnostics)")
    }

    /// Arguments built to make a command slow or deep end quickly with a result or a diagnostic.
    @Test(arguments: [
        #"p=(); for i in {1..3000}; do p+=("("); done; out=$(expr "${p[@]}" 1)"#,
        #"out=$(echo a b | uniq -f 999999999999999999)"#,
        #"s=x; for i in {1..16}; do s=$s$s; done; out=$(echo "$s$s" | tac -s "$s")"#,
        #"s='[:'; for i in {1..14}; do s=$s$s; done; out=$(echo a | tr -d "$s")"#,
        #"r='\('; for i in {1..9}; do r=$r$r; done; out=$(echo a | sed "s/$r//")"#,
    ])
    func hostileArgumentsEndQuickly(_ snippet: String) {
        let clock = ContinuousClock()
        var shell = ShellInterpreter()
        let elapsed = clock.measure {
            shell.work = ShellBudget(units: 2_000_000)
            shell.run(snippet)
        }
        #expect(elapsed < .seconds(20), "\(snippet)")
    }

    /// `2>/dev/null` discards stderr only; `>/dev/null` discards the output.
    @Test func redirectionsKeepTheirDescriptor() {
        let shell = Self.run("a=$(echo x | tr x y 2>/dev/null); b=$(echo x | tr x y >/dev/null)")
        #expect(shell.variables.value("a")?.scalarValue == "y")
        #expect(shell.variables.value("b")?.scalarValue == "")
    }

    /// A PKGBUILD whose only obstacle was a pipe into sed is read natively now.
    @Test func aPKGBUILDWithPipesNeedsNoFallback() {
        let text = """
        pkgname=kfoo
        pkgver=5.27.10
        _dirver=$(echo $pkgver | cut -d. -f1-3)
        pkgrel=1
        arch=(x86_64)
        license=(GPL)
        source=("https://download.kde.org/stable/plasma/$_dirver/$pkgname-$pkgver.tar.xz")
        """
        let result = PKGBUILDReader().read(text: text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.srcinfo?.base["source"] == ["https://download.kde.org/stable/plasma/5.27.10/kfoo-5.27.10.tar.xz"])
    }
}
