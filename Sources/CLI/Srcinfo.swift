import ArgumentParser
import Graph

extension Pacbuild {
    /// `pacbuild srcinfo PATH...`: the .SRCINFO of PKGBUILDs, like `makepkg --printsrcinfo`,
    /// computed by the native reader without running them.
    struct Srcinfo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the .SRCINFO of PKGBUILDs like makepkg --printsrcinfo, without running them.",
            discussion: """
                Each PATH is a PKGBUILD directory or a PKGBUILD file. A PKGBUILD that needs a real \
                shell to evaluate (command substitution of an external command, source, ...) or is \
                broken gets its diagnostics on standard error, no .SRCINFO, and exit status 1; \
                --json prints the parsed model and diagnostics of every PKGBUILD.
                """)

        @OptionGroup var reading: ReaderOptions
        @Flag(help: "Print the parsed model and diagnostics as JSON.") var json = false
        @Flag(help: "Also print what could be evaluated for PKGBUILDs that need makepkg.") var partial = false
        @Argument(help: "PKGBUILD directories or files.") var paths: [String]

        func validate() throws {
            if paths.isEmpty { throw ValidationError("give at least one PKGBUILD directory or file") }
        }

        func run() throws {
            let results = PKGBUILDTree.read(directories: paths, with: try reading.reader())
            if json {
                print(try jsonText(results))
            } else {
                var first = true
                for result in results {
                    guard let srcinfo = result.srcinfo, partial || !result.needsFallback else { continue }
                    if !first { print("") }
                    print(srcinfo.text, terminator: "")
                    first = false
                }
            }
            for diagnostic in results.flatMap(\.diagnostics) { printError(diagnostic.description) }
            if results.contains(where: \.needsFallback) { throw ExitCode(1) }
        }
    }
}
