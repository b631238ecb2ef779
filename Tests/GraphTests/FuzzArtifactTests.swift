import Foundation
import Testing
@testable import Graph

/// Every input `scripts/fuzz` saved for fuzz-pkgbuild (Fixtures/fuzz-pkgbuild/, named as
/// libFuzzer named them: timeouts and out-of-memory inputs of the runs of 2026-12-03),
/// read as the fuzz target reads it (CARCH=i586). Each took the reader from 10 s to
/// minutes, or 1 to 4 GB (docs/fuzzing.md has the root causes); each must now end with
/// the diagnostic of the bound that stops it, named with its line, and the fallback mark.
///
/// The time budget is off here (``PKGBUILDReader/budgetTime``): a work, command or
/// memory bound must stop each input, whatever the machine's speed. The one timing is a
/// generous guard that the call returns.
struct FuzzArtifactTests {
    static let directory = TestPaths.packageRoot + "/Tests/GraphTests/Fixtures/fuzz-pkgbuild"

    /// What stops an input.
    enum Stop: Sendable {
        /// A brace expansion past ``BraceExpansion/limit`` words.
        case braceWords
        /// A brace expansion past ``BraceExpansion/sizeLimit`` bytes of words.
        case braceBytes
        /// The 50,000-command budget (a loop that does not end).
        case commands
        /// The work budget, reached expanding the named parameter.
        case work(String)
        /// Not evaluated: makepkg refuses CRLF line ends.
        case crlf
        /// A loop whose condition runs the named command, which the reader cannot run:
        /// the loop stops there.
        case unknownCommand(String)
        /// A loop whose condition reads what a command the reader cannot run printed
        /// (`ninja ... | while read`): the loop stops there.
        case unknownInput
        /// The work budget, reached copying a literal word.
        case workWord
        /// A syntax error bash reports too.
        case syntax(String)

        var message: (prefix: String, suffix: String) {
            let brace = "' yields more than %@, over the reader's memory budget (100000 words, 4 MiB per expansion)"
            switch self {
            case .braceWords: return ("the brace expansion '", brace.replacingOccurrences(of: "%@", with: "100000 words"))
            case .braceBytes: return ("the brace expansion '", brace.replacingOccurrences(of: "%@", with: "4 MiB of words"))
            case .commands: return ("evaluation stopped after too many steps (50000 commands: a loop that does not end?)", "")
            case .work(let name): return ("the expansion of $\(name) exceeds the reader's work budget (20000000 steps per PKGBUILD)", "")
            case .crlf: return ("PKGBUILD contains CRLF characters and cannot be sourced.", "")
            case .unknownCommand(let name): return ("runs the command '\(name)'", "")
            case .unknownInput: return ("reads the output of a command the reader cannot run", "")
            case .syntax(let message): return (message, "")
            case .workWord: return ("a word exceeds the reader's work budget (20000000 steps per PKGBUILD)", "")
            }
        }
    }

    /// Each input, the line of the diagnostic that stops it, and what stops it. Root causes:
    /// brace expansions built whole before any bound (oom-*, timeout-363039, -39fcaad,
    /// -e19ef9, -f1173c); arithmetic that allocated for every operator it tried, making
    /// 50,000 commands take 10 s and more under ASan (timeout-14636c, -2c0f17, -417302,
    /// -486566, -926edc, -cd02d3, -e8fb89, -f2ebcf); an array growing by its own
    /// re-expansion in an endless loop, each element priced below its cost (timeout-39254f,
    /// -ab93f6, -bbe53e, -c21be7); CRLF line ends (timeout-29f56e, found before the reader
    /// refused them up front); a `while read` loop the reader ran until the command
    /// budget (slow-unit-58605e, from the run after the fixes).
    static let expected: [String: (line: Int, stop: Stop)] = [
        "oom-5d0171af7776c38f5fcc2fe86c633e467ba1aefb": (9, .braceBytes),
        "oom-6be208fc14f6ba7be23d2318bb7db6241a8de8cb": (12, .braceWords),
        "oom-cadf01b260459ac4b192b357d56b542c5ad9d820": (1, .braceBytes),
        "oom-ff6c9ccf63feada4c017b1632b2ea774aeac7186": (2, .braceBytes),
        // the `while read` loop of line 85 stops at once (found by the run after the
        // fixes, as timeout-f2ebcf), and the file reaches bash -n's own syntax error
        // slow only under the machine's load (1.3 s of CPU under ASan): the work budget stops it
        "slow-unit-3547dad8e851fca18e7a65d5b336d022e8e56c5d": (1, .workWord),
        "slow-unit-4ae72294d14d639d9bbd9210dd78b86a0095647e": (91, .syntax("unexpected 'done'")),
        "slow-unit-58605e58d0203b1306066a7bfbd58daf347d6f85": (34, .unknownInput),
        "timeout-14636caf74e8e3ee5a8f6e0915d5ed26f7db8d79": (1, .commands),
        "timeout-29f56e6c0757ccf5b0baf30f49fce7b351de9425": (461, .crlf),
        "timeout-2c0f1718d1c04c9c5f5baa9bfc52401a08da9951": (1, .commands),
        // also saved as slow-unit-363039... (the same bytes)
        "timeout-363039cd511c03fda139544896ff0b7223d194a6": (1, .braceBytes),
        "timeout-39254ff4c5b53d7c3ef7068cea14c8f0c1822ae1": (29, .work("source")),
        "timeout-39fcaad5ad138eee767673e8346f0705b9b04d80": (1, .braceBytes),
        "timeout-417302ea87f3d19deadd6b251835427f2097fb4c": (5, .commands),
        "timeout-486566e2a60464277e32533ed419fd582f8c1498": (1, .commands),
        "timeout-926edc98b32d7255606d610b4658e3bf94074d89": (1, .commands),
        "timeout-ab93f61fb5fb998548336700cd44de62252cfcae": (29, .work("source")),
        "timeout-bbe53ea7a79fc9e212cb8ff5bf70a560b5291dbc": (37, .work("source")),
        "timeout-c21be7de37d3a70f672fd6699ff63bc0dc4baafc": (5, .work("x")),
        "timeout-cd02d3c0d7fbd6727a01839c6309091bbc70a311": (1, .commands),
        "timeout-e19ef94c86c5593504b4ac8ac03d719ba1c0bf46": (9, .braceBytes),
        "timeout-e8fb896f81ee4187404a78cca4205378724afa0b": (1, .commands),
        "timeout-f1173c31601f79bb840f70c32d31a1a850dc78a9": (12, .braceBytes),
        // the `... | while read` loop of line 85 stops at once now (as slow-unit-58605e);
        // bash -n also stops at line 91: "syntax error near unexpected token `done'"
        "timeout-f2ebcf92af7ab4e5cb4f9e11a794965030cda141": (91, .syntax("unexpected 'done'")),
    ]

    @Test func everyArtifactHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory).sorted()
        #expect(files == Self.expected.keys.sorted())
    }

    @Test(arguments: expected.keys.sorted())
    func artifactStopsAtItsBound(_ name: String) throws {
        let (line, stop) = try #require(Self.expected[name])
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/" + name))
        var reader = PKGBUILDReader(environment: .debianDefault(carch: "i586"))
        reader.budgetTime = nil
        let started = ContinuousClock.now
        let result = reader.read(text: String(decoding: data, as: UTF8.self), file: "PKGBUILD", startdir: "/build/fuzz")
        #expect(ContinuousClock.now - started < .seconds(120), "the call returns")

        let (prefix, suffix) = stop.message
        let stops = result.diagnostics.filter { $0.message.hasPrefix(prefix) && $0.message.hasSuffix(suffix) }
        #expect(stops.count == 1, "\(result.diagnostics.map(\.message))")
        #expect(stops.first?.line == line)
        #expect(stops.first?.file == "PKGBUILD")
        switch stop {
        case .crlf:
            #expect(result.isInvalid)
        case .syntax:
            #expect(stops.first?.severity == .error && result.hasErrors)
            #expect(!result.diagnostics.contains { $0.message.contains("budget") || $0.message.contains("too many steps") })
        default:
            #expect(stops.first?.severity == .fallback)
            #expect(result.needsFallback)
            if case .unknownCommand = stop {
                // the loop stops, evaluation goes on: no budget ran out
                #expect(!result.diagnostics.contains { $0.message.contains("budget") || $0.message.contains("too many steps") })
            }
            if case .unknownInput = stop {
                // the loop stops, evaluation goes on: no budget ran out
                #expect(!result.diagnostics.contains { $0.message.contains("budget") || $0.message.contains("too many steps") })
            } else {
                // evaluation stops there: nothing is reported after it but the count of the rest
                let last = result.diagnostics.last { !$0.message.hasSuffix("more places that need makepkg, not listed") }
                #expect(last?.message == stops.first?.message)
            }
        }
        #expect(result.diagnostics.count <= ShellInterpreter.diagnosticLimit + 2)
        #expect(result.diagnostics.allSatisfy { $0.message.utf8.count <= ShellDiagnostic.messageLimit + 3 })
    }
}
