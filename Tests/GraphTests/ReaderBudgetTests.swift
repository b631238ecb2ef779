import Foundation
import Testing
@testable import Graph

/// The inputs of issue 14 that crashed the reader (SIGILL in printf) or ran without limit
/// (a width of two billion, pattern removals over long values): each now gives bash's
/// answer, or a diagnostic that names the construct and the budget it exceeded, and the
/// PKGBUILD is left to the makepkg fallback. "Well under a second" is asserted as a
/// budget, not a timing: the diagnostic names the budget, or the steps spent are few.
struct ReaderBudgetTests {
    static let base = "pkgname=a\npkgver=1\npkgrel=1\narch=(any)\n"

    func read(_ text: String) -> PKGBUILDReader.Result {
        PKGBUILDReader().read(text: Self.base + text, file: "/abs/a/PKGBUILD")
    }

    /// bash: a negative `*` precision is no precision, a negative `*` width pads on the
    /// right (BashDifferentialTests compares more of printf).
    @Test func printfNegativeStarArgumentsAsBash() throws {
        let result = read("printf -v x '%.*s' -1 abc\npkgdesc=$x")
        #expect(result.diagnostics.isEmpty)
        #expect(result.srcinfo?.base["pkgdesc"] == ["abc"])
        var shell = ShellInterpreter()
        shell.run("printf -v x '[%*s]' -3 a; printf -v y '[%-*s]' -3 b; printf -v z '[%.*d]' -1 7")
        #expect(["x", "y", "z"].map { shell.variables.value($0)?.scalarValue } == ["[a  ]", "[b  ]", "[7]"])
    }

    /// bash clamps the width to INT_MAX and then dies allocating it (`xrealloc: cannot
    /// allocate`): makepkg fails. The reader refuses before allocating.
    @Test func printfHugeWidthIsOverTheMemoryBudget() throws {
        for (line, width) in [("printf -v x '%*s' 9223372036854775807 a", "2147483647"),
                              ("printf -v d '%2000000000s' x", "2000000000"),
                              ("printf -v d '%.3000000000d' 1", "3000000000")] {
            let result = read(line + "\npkgdesc=after")
            let d = try #require(result.diagnostics.first, "\(line)")
            #expect(result.diagnostics.count == 1)
            #expect(d.line == 5 && d.severity == .fallback)
            #expect(d.message.hasPrefix("printf: the ") && d.message.contains(" \(width) of '%"), "\(d.message)")
            #expect(d.message.hasSuffix("is over the reader's memory budget (4 MiB per value)"))
            #expect(result.needsFallback && !result.isInvalid)
        }
        // a string's precision only cuts: no budget needed
        #expect(read("printf -v x '%.2000000000s' abc\npkgdesc=$x").srcinfo?.base["pkgdesc"] == ["abc"])
        // many modest widths add up: the output as a whole is bounded too
        let many = read("printf -v x '%1000000s' 1 2 3 4 5")
        #expect(many.diagnostics.map(\.message) == ["printf: the output of '%1000000s' is over the reader's memory budget (4 MiB per value)"])
    }

    /// A removal or replacement over a long value with a pattern of many stars: quadratic
    /// work at most, and within the budget or stopped by it.
    @Test func patternWorkIsBounded() throws {
        // one pass per removal, however many stars
        var shell = ShellInterpreter()
        shell.run("x=$(printf '%100000s' ''); x=${x// /a}; y=${x%%*a*a*a*a*b}; z=${x##*a*a*a*a*b}; out=${#y}")
        #expect(shell.diagnostics.isEmpty)
        #expect(shell.variables.value("out")?.scalarValue == "100000")
        #expect(shell.work.spent < 3_000_000, "steps: \(shell.work.spent)")
        // a replacement tries each position: stopped by the budget, named
        var reader = PKGBUILDReader()
        reader.budgetUnits = 2_000_000
        let result = reader.read(text: Self.base + "x=$(printf '%100000s' '')\nx=${x// /a}\npkgdesc=${x//*a*b/}", file: "/abs/a/PKGBUILD")
        #expect(result.diagnostics.map(\.message) == ["${x//*a*b/...} exceeds the reader's work budget (2000000 steps per PKGBUILD)"])
        #expect(result.diagnostics.first?.line == 7)
        #expect(result.needsFallback)
    }

    /// `case` and `[[ == ]]` pay for their comparisons too.
    @Test func globMatchesPayTheBudget() {
        var shell = ShellInterpreter()
        shell.work = ShellBudget(units: 100, time: nil)
        shell.run("[[ \(String(repeating: "a", count: 300)) == *b ]]; out=after")
        #expect(shell.diagnostics.map(\.message) == ["the pattern '*b' exceeds the reader's work budget (100 steps per PKGBUILD)"])
        #expect(shell.variables.value("out") == nil, "evaluation stops at the budget")
    }

    /// A value may double until it is 4 MiB; the next doubling is refused.
    @Test func doublingValuesStopAtTheMemoryBudget() {
        let result = read("x=a\nfor i in {1..40}; do x=$x$x; done\npkgdesc=done")
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message.contains("over the reader's memory budget (4 MiB per value)") == true)
        #expect(result.diagnostics.first?.line == 6)
    }

    @Test func theTimeBudgetStopsWhateverTheUnits() throws {
        var budget = ShellBudget(units: .max, time: .zero)
        var caught: ShellBudget.Exhausted?
        do { for _ in 0..<100_000 { try budget.spend() } } catch { caught = error }
        #expect(caught?.byTime == true)
        #expect(throws: ShellBudget.Exhausted.self, "an exhausted budget stays exhausted") { try budget.spend() }
        #expect(budget.exceeded(by: "x", ShellBudget.Exhausted(byTime: true)) == "x exceeds the reader's time budget (10 s per PKGBUILD)")
    }

    @Test func aBigFileIsNotEvaluated() {
        let text = String(repeating: "# filler\n", count: (PKGBUILDReader.sizeLimit / 9) + 1)
        let result = PKGBUILDReader().read(text: text, file: "/abs/big/PKGBUILD")
        #expect(result.srcinfo == nil)
        #expect(result.diagnostics.map(\.message) == ["is \(text.utf8.count) bytes, over the reader's budget (4 MiB per PKGBUILD)"])
    }

    /// `shift -1` used to trap (removeFirst of a negative count); bash: status 1.
    @Test func shiftByANegativeCountFails() {
        var shell = ShellInterpreter()
        shell.run("set -- a b; shift -1; out=($? \"$@\")")
        #expect(shell.variables.value("out")?.allValues == ["1", "a", "b"])
    }
}
