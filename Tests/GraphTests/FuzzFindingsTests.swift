import Foundation
import Testing
@testable import Graph

/// What `scripts/fuzz` found in the PKGBUILD reader (fuzz-pkgbuild timeouts and
/// out-of-memory inputs), minimized: each PKGBUILD must get its answer, a result or a
/// diagnostic, in bounded time and memory. The minimized inputs are also seeds in
/// Fuzz/seeds/pkgbuild/.
struct FuzzFindingsTests {
    static func pkgbuild(_ body: String) -> String {
        "pkgname=x\npkgver=1\npkgrel=1\narch=(any)\n" + body + "\n"
    }

    /// 45,000 command substitutions of a command the reader cannot run (under the
    /// 50,000-command step budget). Each reports a diagnostic, and each report copied every
    /// earlier one: `expandFields` evaluates `fields(from: try segments(...))` with a copy
    /// of the interpreter alive while `segments` appends, so the diagnostics array is never
    /// unique and every append copies it. Quadratic: 14 s in a debug build (1.6 s for
    /// 15,000; 0.3 s for 45,000 `$(:)`, which report nothing), 15 s of CPU in a release
    /// build for `{1..99999}`, past the reader's 10 s deadline, which is read only every
    /// 65,536 work units.
    @Test func failingSubstitutionsTakeLinearTime() {
        let started = ContinuousClock.now
        let result = PKGBUILDReader().read(text: Self.pkgbuild(": {1..45000}$(c)"))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(result.needsFallback)
    }

    /// A brace expansion of 32,768 words of 600 characters: BraceExpansion bounds the
    /// number of words (100,000) but not their size, and builds every word as an array of
    /// tokens (about 30 bytes a character) before anything is charged to the 4 MiB value
    /// budget: 20 MB of words, 250 MB of memory here; with 3,000 characters a 3 KB
    /// PKGBUILD took 1.2 GB and 5 s, with 16 groups and 6,000 characters 3.2 GB.
    @Test func braceExpansionOfLongWordsStaysWithinTheValueBudget() {
        let word = String(repeating: "{a,b}", count: 15) + String(repeating: "x", count: 600)
        let started = ContinuousClock.now
        let result = PKGBUILDReader().read(text: Self.pkgbuild(": " + word))
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(!result.diagnostics.isEmpty, "20 MB of words is over the reader's memory budget")
    }

    /// A loop that never ends (its condition tests another variable than the one it
    /// counts, as a mutated bash PKGBUILD had it) and grows an array by re-expanding it:
    /// the 50,000-command step budget alone stopped it only after quadratic work, minutes
    /// (over 120 s in a release build before the reader's ShellBudget); the work budget
    /// stops it in about a second in a release build.
    @Test func growingEndlessLoopStopsWithADiagnostic() {
        let started = ContinuousClock.now
        let result = PKGBUILDReader().read(text: Self.pkgbuild("source=(a)\nfor ((;;)); do source=(${source[@]} x); done"))
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(result.needsFallback)
    }
}
