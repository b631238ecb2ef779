import ArgumentParser
import Foundation
import Graph

extension Pacbuild {
    /// `pacbuild fidelity DIR`: compares the native reader with makepkg's recorded output.
    struct Fidelity: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fidelity",
            abstract: "Compare the native PKGBUILD reader with real makepkg output (.SRCINFO.truth files) over a tree.")

        @OptionGroup var reading: ReaderOptions
        @Option(help: "The truth file name in each PKGBUILD directory.") var truth = ".SRCINFO.truth"
        @Option(help: "Look truth files up under this directory, at each PKGBUILD directory's path relative to the tree root, instead of beside the PKGBUILD.")
        var truthRoot: String?
        @Option(help: "Exit non-zero when the match rate (0...1) is below this.") var min: Double = 0
        @Flag(help: "Exit non-zero when any PKGBUILD was read without a diagnostic but differs from its truth.")
        var failOnMismatch = false
        @Flag(help: "List the files that fell back or mismatched.") var verbose = false
        @Flag(help: "Print the report as JSON.") var json = false
        @Argument(help: "The root of a PKGBUILD tree.") var root: String

        func run() throws {
            let tree = try PKGBUILDTree(root: root)
            let started = ContinuousClock.now
            // the corpora keep PKGBUILDs and truths, not the install and changelog files
            // makepkg saw: the reader is compared, not the files' presence
            let results = tree.read(with: try reading.reader(), checkingFiles: false)
            let elapsed = ContinuousClock.now - started
            var report = FidelityReport()
            for (dir, result) in zip(tree.directories, results) {
                let truthDir = truthRoot.map { $0 + dir.dropFirst(root.count) } ?? dir
                let truthText = FileManager.default.contents(atPath: truthDir + "/" + truth).map { String(decoding: $0, as: UTF8.self) }
                report.add(result, truth: truthText)
            }
            if json {
                print(try jsonText(report))
            } else {
                let rate = String(format: "%.2f%%", report.matchRate * 100)
                print("tree: \(root) (truth: \(truth)\(reading.carch.map { ", CARCH=\($0)" } ?? ""))")
                print("PKGBUILDs: \(report.pkgbuilds), with truth: \(report.withTruth)")
                print("exact matches: \(report.matches)")
                print("needs makepkg fallback: \(report.fallbacks)")
                print("silent mismatches: \(report.mismatches)")
                print("match rate: \(rate)")
                print("read in: \(elapsed.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1))))")
                if !report.mismatchesByField.isEmpty {
                    print("differing fields (fallbacks and mismatches):")
                    for (field, count) in report.mismatchesByField.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                        print("  \(field): \(count)")
                    }
                }
                if verbose {
                    for file in report.mismatchFiles { print("mismatch: \(file)") }
                    for file in report.fallbackFiles { print("fallback: \(file)") }
                    for result in results { for d in result.diagnostics { print("  \(d)") } }
                }
            }
            if failOnMismatch && report.mismatches > 0 {
                printError("\(report.mismatches) silent mismatches (read without a diagnostic, yet different from the truth)")
                throw ExitCode(1)
            }
            if report.matchRate < min {
                printError("match rate \(report.matchRate) is below --min \(min)")
                throw ExitCode(1)
            }
        }
    }
}
