import Foundation
import Testing
@testable import Graph

/// What `scripts/fuzz` found in the PKGBUILD reader (fuzz-pkgbuild timeouts and
/// out-of-memory inputs), minimized to the construct at fault, and the neighbours of
/// each found while fixing it: each PKGBUILD gets bash's answer or the diagnostic of the
/// bound that stops it, in bounded time and memory. The inputs as found are
/// FuzzArtifactTests'; the minimized ones are also seeds in Fuzz/seeds/pkgbuild/.
///
/// The time budget is off (a bound other than the clock must stop each); the one
/// timing is a generous guard that the call returns.
struct FuzzFindingsTests {
    static func pkgbuild(_ body: String) -> String {
        "pkgname=x\npkgver=1\npkgrel=1\narch=(any)\n" + body + "\n"
    }

    /// A tenth of the standard work budget, for the tests a work budget stops (a debug
    /// build is slow): the bounds do not depend on the budget's size.
    static let units = ShellBudget.standardUnits / 10

    static func read(_ body: String, units: Int = ShellBudget.standardUnits) -> PKGBUILDReader.Result {
        var reader = PKGBUILDReader()
        reader.budgetTime = nil
        reader.budgetUnits = units
        let started = ContinuousClock.now
        let result = reader.read(text: pkgbuild(body), file: "PKGBUILD")
        #expect(ContinuousClock.now - started < .seconds(120), "the call returns")
        return result
    }

    /// 45,000 command substitutions of a command the reader cannot run. Each reported a
    /// diagnostic, and each report copied every earlier one: `expandFields` evaluated
    /// `fields(from: try segments(...))`, a copy of the interpreter alive while `segments`
    /// appended to its diagnostics. Quadratic: 17 s in a release build for timeout-39fcaad.
    /// Now one diagnostic per construct and place, at most 100 kept.
    @Test func failingSubstitutionsReportOnce() {
        let result = Self.read(": {1..45000}$(c)")
        #expect(result.diagnostics.map(\.message) == ["runs the command 'c'"])
        #expect(result.diagnostics.first?.line == 5)
        #expect(result.needsFallback)
        // distinct commands: 100 kept, the rest counted
        let many = Self.read("for i in {1..300}; do cmd$i; done")
        #expect(many.diagnostics.count == 101)
        #expect(many.diagnostics.last?.message == "and 200 more places that need makepkg, not listed")
    }

    /// A brace expansion of 32,768 words of 600 characters: BraceExpansion bounded the
    /// number of words (100,000) but not their size, and built every word (as tokens of
    /// 8 bytes a character) before anything was counted: 1 to 4 GB for the oom-* inputs.
    /// Now the words and bytes are counted before they are built.
    @Test func braceExpansionOfLongWordsIsRefusedBeforeItIsBuilt() {
        let word = String(repeating: "{a,b}", count: 15) + String(repeating: "x", count: 600)
        let result = Self.read(": " + word)
        #expect(result.diagnostics.map(\.message) == [
            "the brace expansion '{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}...' yields more than 4 MiB "
                + "of words, over the reader's memory budget (100000 words, 4 MiB per expansion)",
        ])
        #expect(result.diagnostics.first?.line == 5 && result.needsFallback)
        // too many words: a fallback (bash expands it, makepkg can read it), not a syntax error
        let words = Self.read("a=({1..200000})")
        #expect(words.diagnostics.map(\.severity) == [.fallback])
        #expect(words.diagnostics.first?.message.hasSuffix("' yields more than 100000 words, over the reader's memory budget (100000 words, 4 MiB per expansion)") == true)
        // what stays within the bounds is expanded as bash does
        #expect(Self.read("pkgdesc=$(echo {a,b}{1..3})").srcinfo?.base["pkgdesc"] == ["a1 a2 a3 b1 b2 b3"])
    }

    /// A loop that never ends (its condition tests another variable than the one it
    /// counts, as the mutated bash PKGBUILD of timeout-39254f had it) and grows an array by
    /// re-expanding it: each element was priced at its bytes, a fifth of its cost, so the
    /// work budget took seconds to stop it under ASan. An element now costs 16 units.
    @Test func growingEndlessLoopStopsAtTheWorkBudget() {
        let result = Self.read("source=(a)\nfor ((;;)); do source=(${source[@]} x); done", units: Self.units)
        #expect(result.diagnostics.map(\.message) == ["the expansion of $source exceeds the reader's work budget (2000000 steps per PKGBUILD)"])
        #expect(result.diagnostics.first?.line == 6 && result.needsFallback)
        // doubling an array (timeout-c21be7): stopped by the same budget
        let doubling = Self.read("x=(a); for i in {1..40}; do x+=(\"${x[@]}\"); done", units: Self.units)
        #expect(doubling.diagnostics.map(\.message) == ["the expansion of $x exceeds the reader's work budget (2000000 steps per PKGBUILD)"])
    }

    /// A variable's value is itself an arithmetic expression: `a=b+b; b=c+c; ...` evaluates
    /// 2^n operands for n variables, and arithmetic paid nothing: 40 variables ran for
    /// hours, past the clock too (it was read only when something paid). Each operand and
    /// byte is paid for now (the diagnostic names the expression being evaluated when the
    /// budget ran out, the deepest).
    @Test func exponentialArithmeticStopsAtTheWorkBudget() {
        let names = (0..<40).map { "v\($0)" }
        var body = zip(names, names.dropFirst()).map { "\($0)=\($1)+\($1)" }.joined(separator: "; ")
        body += "; v39=1; pkgdesc=$((v0))"
        let result = Self.read(body, units: Self.units)
        #expect(result.diagnostics.map(\.message) == ["the arithmetic expression 'v39+v39' exceeds the reader's work budget (2000000 steps per PKGBUILD)"])
        #expect(result.diagnostics.first?.line == 5 && result.needsFallback)
        // a shallow chain is evaluated as bash does
        #expect(Self.read("a=b+b; b=c*2; c=3; pkgdesc=$((a))").srcinfo?.base["pkgdesc"] == ["12"])
        // the operators' precedence (BashDifferentialTests compares more against bash)
        #expect(Self.read("pkgdesc=$((1+2*3<<1|1^3&2==2))").srcinfo?.base["pkgdesc"] == ["14"])
    }

    /// An array literal with its keys in falling order inserts each element at the front,
    /// moving every element after it: 200,000 of them (2 MB of PKGBUILD) moved 2*10^10
    /// elements unpaid, and only the clock stopped it. The moves are paid for now.
    @Test func fallingKeysStopAtTheWorkBudget() {
        let elements = (1...200_000).reversed().map { "[\($0)]=x" }.joined(separator: " ")
        let result = Self.read("a=(\(elements))", units: Self.units)
        #expect(result.diagnostics.map(\.message) == ["the assignment to a exceeds the reader's work budget (2000000 steps per PKGBUILD)"])
        #expect(result.diagnostics.first?.line == 5 && result.needsFallback)
        // few falling keys, and elements set one by one, are what bash gives
        let small = Self.read("a=([3]=c [1]=a [2]=b); a[0]=z; unset 'a[1]'; pkgdesc=\"${a[*]} ${!a[*]}\"")
        #expect(small.srcinfo?.base["pkgdesc"] == ["z b c 0 2 3"])
        #expect(small.diagnostics.isEmpty)
    }

    /// Setting elements one at a time in a loop: each `a[i]=x` copied the whole array
    /// (the interpreter read it out of its variable and wrote it back), quadratic; now
    /// the array is changed in place.
    @Test func elementsSetInALoop() {
        let result = Self.read("for ((i=0; i<20000; i++)); do a[i]=$i; done; pkgdesc=\"${#a[@]} ${a[19999]}\"")
        #expect(result.diagnostics.isEmpty)
        #expect(result.srcinfo?.base["pkgdesc"] == ["20000 19999"])
    }

    /// Reading a long value without producing much: `${#v}` and `${v:i:1}` counted its
    /// characters for free, so a loop over a 4 MiB value ran for minutes. They pay for what
    /// they read now.
    @Test func lengthAndSubstringPayForWhatTheyRead() {
        let result = Self.read("printf -v v '%500000s' ''\nfor ((;;)); do n=${#v}; c=${v:5:1}; done", units: Self.units)
        #expect(result.diagnostics.map(\.message) == ["the expansion of $v exceeds the reader's work budget (2000000 steps per PKGBUILD)"])
        #expect(result.diagnostics.first?.line == 6)
    }

    /// A loop whose condition runs a command the reader cannot run (`... | while read x`,
    /// slow-unit-58605e, from llvm's PKGBUILD): the reader reported it, took status 0, and
    /// ran the body until the 50,000-command budget, 10 s under ASan for a body of a long
    /// `case`. The loop stops at once now: its course is unknown, the PKGBUILD needs the
    /// fallback either way.
    @Test func loopOnACommandTheReaderCannotRunStops() {
        let result = Self.read("n=0; ninja -t targets | while read -r t; do n=$((n+1)); done\nuntil [ -e /tmp/x ]; do n=1; done\npkgdesc=after")
        #expect(result.diagnostics.map(\.message) == ["runs the command 'ninja'", "reads the output of a command the reader cannot run", "tests the file '/tmp/x' with -e"])
        #expect(result.needsFallback)
        #expect(result.srcinfo?.base["pkgdesc"] == ["after"])
    }

    /// Messages quote values: a command name of 1 MB is cut in its diagnostic.
    @Test func longMessagesAreCut() throws {
        let result = Self.read(String(repeating: "y", count: 1_000_000))
        let message = try #require(result.diagnostics.first?.message)
        #expect(message.utf8.count == ShellDiagnostic.messageLimit + 3 && message.hasSuffix("yyy..."))
    }
}
