import Foundation
import Testing
@testable import Graph

/// The reader's text commands against the real ones: thousands of generated command lines
/// (``TextCommandCases``) run in one bash process with Debian 12's coreutils, sed and
/// util-linux, and by the reader. Every case the reader evaluates must give bash's output
/// and status byte for byte; a case it reports as needing makepkg is counted, and those
/// must stay few. The environment is makepkg's in the sandbox: `LANG=C.UTF-8`, nothing else.
struct TextCommandDifferentialTests {
    /// Cases per run; `PACBUILD_TEXT_CASES` asks for more.
    static let caseCount = ProcessInfo.processInfo.environment["PACBUILD_TEXT_CASES"].flatMap { Int($0) } ?? 4000

    /// The seed: `PACBUILD_TEXT_SEED` to replay a failure, else a new one each run.
    static let seed: UInt64 = ProcessInfo.processInfo.environment["PACBUILD_TEXT_SEED"].flatMap { UInt64($0) }
        ?? UInt64.random(in: 1...UInt64.max)

    /// What ``bashResults(_:)`` gives for a case whose subshell did not reach its end.
    static let unfinished = "\u{1}unfinished"

    /// Runs each snippet in a subshell of one bash and returns what `out` held, or
    /// ``unfinished`` when the subshell died first (a limit below killed it).
    static func bashResults(_ snippets: [String]) throws -> [String] {
        var script = ""
        // a generated sed script may loop for ever (`h;G;D`): two seconds of CPU and 1 GiB
        // each; a case whose subshell a limit kills still gives its one result
        for snippet in snippets {
            script += "(\nulimit -t 2 -v 1048576\n(\n\(snippet)\nprintf '%s\\0' \"$out\"\n) || printf '\\001unfinished\\0'\n)\n"
        }
        // the script and whatever a generated case redirects to (`>"; ="`) in one scratch directory
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pacbuild-text-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("cases.sh")
        try script.write(to: url, atomically: true, encoding: .utf8)
        if let keep = ProcessInfo.processInfo.environment["PACBUILD_TEXT_SCRIPT"] { try script.write(toFile: keep, atomically: true, encoding: .utf8) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [url.path]
        process.currentDirectoryURL = scratch
        process.environment = ["LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }

    /// `out` as the reader computes it, or the diagnostic that leaves it to makepkg.
    static func ourResult(_ snippet: String) -> Result<String, ShellFallback> {
        var shell = ShellInterpreter()
        shell.run(snippet)
        if let first = shell.diagnostics.first { return .failure(ShellFallback(message: first.message)) }
        return .success(shell.variables.value("out")?.scalarValue ?? "")
    }

    struct ShellFallback: Error { var message: String }

    @Test func generatedCommandLinesMatchTheRealTools() throws {
        for tool in ["cut", "sed", "tr", "basename", "dirname", "head", "tail", "wc", "sort", "uniq", "rev", "tac", "expr", "grep", "awk"] {
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/" + tool), "the differential test needs /usr/bin/\(tool)")
        }
        var generator = TextCommandCases(seed: Self.seed)
        let snippets = (0..<Self.caseCount).map { _ in generator.next() }
        let expected = try Self.bashResults(snippets)
        try #require(expected.count == snippets.count, "bash ran every case (seed \(Self.seed))")
        var mismatches: [String] = []
        var fallbacks: [String] = []
        var reasons: [String: Int] = [:]
        var examples: [String: String] = [:]
        var unfinished: [String] = []
        for (snippet, bash) in zip(snippets, expected) {
            if bash == Self.unfinished { unfinished.append(snippet); continue }
            let ours: String
            switch Self.ourResult(snippet) {
            case .success(let text): ours = text
            case .failure(let fallback):
                fallbacks.append(snippet)
                reasons[fallback.message, default: 0] += 1
                examples[fallback.message] = examples[fallback.message] ?? snippet
                continue
            }
            if ours != bash { mismatches.append("\(snippet)\n  bash: \(bash.debugDescription)\n  ours: \(ours.debugDescription)") }
        }
        #expect(mismatches.isEmpty, "seed \(Self.seed) (PACBUILD_TEXT_SEED=\(Self.seed) replays it): \(mismatches.count) of \(snippets.count) differ:\n\(mismatches.prefix(15).joined(separator: "\n"))")
        // bash stopped by its CPU or memory limit: nothing to compare; there must be few
        #expect(unfinished.count <= snippets.count / 100, "seed \(Self.seed): \(unfinished.count) cases did not finish in bash:\n\(unfinished.prefix(5).joined(separator: "\n"))")
        if !unfinished.isEmpty { print("text commands: \(unfinished.count) cases stopped by bash's limits (seed \(Self.seed)): \(unfinished.prefix(3).map(\.debugDescription))") }
        // unsupported options are generated on purpose; most cases must be evaluated
        #expect(fallbacks.count < snippets.count / 8, "seed \(Self.seed): \(fallbacks.count) of \(snippets.count) need makepkg:\n\(fallbacks.prefix(10).joined(separator: "\n"))")
        print("text commands: \(snippets.count) cases, \(snippets.count - fallbacks.count) evaluated, \(fallbacks.count) left to makepkg, seed \(Self.seed)")
        for (reason, count) in reasons.sorted(by: { $0.value > $1.value }).prefix(12) {
            print("  \(count)\t\(reason), e.g. \(examples[reason]!.debugDescription)")
        }
    }
}

extension TextCommandDifferentialTests {
    /// `PACBUILD_TEXT_SNIPPET='...' swift test --filter oneSnippet` prints what the reader makes of one case.
    @Test func oneSnippet() throws {
        guard let snippet = ProcessInfo.processInfo.environment["PACBUILD_TEXT_SNIPPET"] else { return }
        var shell = ShellInterpreter()
        shell.run(snippet)
        print("ours: \((shell.variables.value("out")?.scalarValue ?? "").debugDescription) \(shell.diagnostics.map(\.message))")
        print("bash: \(try Self.bashResults([snippet]).first.debugDescription)")
    }
}
