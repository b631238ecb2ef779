import ArgumentParser
import Foundation
import Graph
import Sandbox

extension Pacbuild {
    /// `pacbuild srcinfo PATH...`: the .SRCINFO of PKGBUILDs, like `makepkg --printsrcinfo`,
    /// computed by the native reader without running them.
    struct Srcinfo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "srcinfo",
            abstract: "Print the .SRCINFO of PKGBUILDs like makepkg --printsrcinfo, without running them.",
            discussion: """
                Each PATH is a PKGBUILD directory or a PKGBUILD file. A PKGBUILD that needs a real \
                shell to evaluate (command substitution of an external command, source, ...), is \
                broken, or that makepkg refuses (its lint: invalid pkgname, pkgver, pkgrel, arch, \
                dependencies, a missing package function, ...; a top-level exit) gets its \
                diagnostics on standard error, no .SRCINFO, and exit status 1; \
                --json prints the parsed model and diagnostics of every PKGBUILD. With --fallback \
                sandbox --root NAME, such PKGBUILDs are read by the real makepkg --printsrcinfo in a \
                namespace sandbox without network (cached under STATE/cache/srcinfo-fallback).
                """)

        @OptionGroup var reading: ReaderOptions
        @Flag(help: "Print the parsed model and diagnostics as JSON.") var json = false
        @Flag(help: "Also print what could be evaluated for PKGBUILDs that need makepkg.") var partial = false
        @Option(help: "For PKGBUILDs the reader cannot evaluate: sandbox (makepkg in a sandbox, needs --root) or none.")
        var fallback: FallbackMode = .none
        @Option(help: "The build root the fallback's sandbox starts from (pacbuild sandbox create).") var root: String?
        @OptionGroup var state: StateOptions
        @Argument(help: "PKGBUILD directories or files.") var paths: [String]

        func validate() throws {
            if paths.isEmpty { throw ValidationError("give at least one PKGBUILD directory or file") }
            if fallback == .sandbox && root == nil { throw ValidationError("--fallback sandbox needs --root NAME") }
            if fallback == .sandbox && json { throw ValidationError("--json prints the native reader's model; use it without --fallback") }
        }

        func run() throws {
            var results = PKGBUILDTree.read(directories: paths, with: try reading.reader())
            if fallback == .sandbox, let root { results = try readByMakepkg(results, root: root) }
            if json {
                print(try jsonText(results))
            } else {
                var first = true
                for result in results {
                    guard let text = result.printedSrcinfo, partial || (!result.needsFallback && !result.isInvalid) else { continue }
                    if !first { print("") }
                    print(text, terminator: "")
                    first = false
                }
            }
            for diagnostic in results.flatMap(\.diagnostics) { printError(diagnostic.description) }
            if results.contains(where: { $0.needsFallback || $0.isInvalid }) { throw ExitCode(1) }
        }

        /// Each result that needs makepkg replaced by the sandboxed makepkg's `.SRCINFO`
        /// (its diagnostics then go to standard error as notes); a failure keeps the result.
        private func readByMakepkg(_ results: [PKGBUILDReader.Result], root name: String) throws -> [PKGBUILDReader.Result] {
            var fallback: SrcInfoFallback?
            try failing { () throws(SandboxError) in
                fallback = try SrcInfoFallback(root: try state.store.root(named: name), makepkgConf: reading.makepkgConf, carch: reading.carch,
                                               cacheDirectory: SrcInfoFallbackCache.directory(stateDirectory: state.resolved),
                                               workParent: state.resolved + "/tmp")
            }
            guard let fallback else { throw ExitCode(1) }
            let pending = results.indices.filter { results[$0].needsFallback }
            let read = fallback.read(directories: pending.map { (results[$0].file as NSString).deletingLastPathComponent })
            var results = results
            for (i, answer) in zip(pending, read) {
                guard let srcinfo = answer.srcinfo else {
                    printError("\(results[i].file): the makepkg fallback failed: \(answer.failure ?? "")")
                    continue
                }
                for diagnostic in results[i].diagnostics { printError("note: \(diagnostic) (read by makepkg in a sandbox)") }
                results[i] = PKGBUILDReader.Result(file: results[i].file, srcinfo: srcinfo, diagnostics: [])
            }
            return results
        }
    }
}
