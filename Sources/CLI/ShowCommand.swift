import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild show ID`: everything the store knows about one build.
    struct ShowCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print a build's full record: state, times, worker, log, packages with checksums and facts, dependencies.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Flag(help: "Print as JSON.") var json = false
        @Argument(help: "A build id (#12) or pkgbase.") var build: BuildReference

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            let buildStore = try loaded.openStore(url: store.url)
            let record = try build.resolve(in: buildStore, configuration: loaded)
            let shown = try BuildDetail.read(record, from: buildStore, stateDirectory: loaded.global.stateDir)
                .withSonameCheck(repos: loaded.repos, store: buildStore, stateDirectory: loaded.global.stateDir)
            print(json ? try jsonText(shown) : Self.text(shown), terminator: json ? "\n" : "")
        }

        /// The reported path, and where the log is read from when that is not here.
        static func logText(_ build: BuildRecord, _ source: BuildDetail.LogSource) -> String? {
            switch (build.log, source) {
            case (let path?, .local): path
            case (let path?, .store): "\(path) (not on this machine; uploaded to the store: pacbuild log \(build.id.rawValue))"
            case (nil, .store): "uploaded to the store: pacbuild log \(build.id.rawValue)"
            case (let path?, _): "\(path) (not readable on this machine, not in the store)"
            default: nil
            }
        }

        /// A package's name, version, arch, installed size, depends and provides, under its row.
        static func factRows(_ facts: PackageFacts?) -> [(String, String?)] {
            guard let f = facts else { return [] }
            let installed = f.installedSize.map { ", installed \(ReviewText.bytes($0))" } ?? ""
            return [("  is", "\(f.name) \(f.version) \(f.arch ?? "?")\(installed)"),
                    ("  depends", f.depends.isEmpty ? nil : f.depends.joined(separator: " ")),
                    ("  provides", f.provides.isEmpty ? nil : f.provides.joined(separator: " ")),
                    ("  sonames", f.sonamesProvided.flatMap { $0.isEmpty ? nil : $0.joined(separator: " ") }),
                    ("  needs", f.sonamesNeeded.flatMap { $0.isEmpty ? nil : $0.joined(separator: " ") }),
                    ("  unread ELF", f.sonameProblems.map { $0.joined(separator: "; ") })]
        }

        static func text(_ shown: BuildDetail) -> String {
            let b = shown.build
            var rows: [(String, String?)] = [
                ("build", "\(b.label)"), ("state", b.state.description), ("arch", b.arch),
                ("priority", String(b.priority)), ("attempts", String(b.attempts)),
                ("requires", b.requiredTags.isEmpty ? nil : "tags " + b.requiredTags.joined(separator: ", ")), ("worker", b.worker),
                ("lease expires", b.leaseExpires.map(stamp)), ("created", stamp(b.createdAt)), ("updated", stamp(b.updatedAt)),
                ("started", b.startedAt.map(stamp)), ("finished", b.finishedAt.map(stamp)), ("reviewed", b.reviewedAt.map(stamp)),
                ("reason", b.reason), ("log", logText(b, shown.logSource)),
                ("depends on", shown.dependencies.isEmpty ? nil : shown.dependencies.map(\.description).joined(separator: " ")),
                ("marked", shown.mark.map { "rejected at \(stamp($0.markedAt)): \($0.reason)" }),
            ]
            for file in b.artifacts {
                rows.append(("package", file + (shown.artifactSHA256[file].map { " sha256 \($0)" } ?? "")))
                rows += factRows(shown.packageFacts.first { $0.filename == (file as NSString).lastPathComponent })
            }
            rows += ReviewText.sonameLines(shown.sonameBumps, added: shown.sonamesAdded).map { ("soname bump", $0) }
            rows += shown.sonameProblems.map { ("soname check", $0) }
            rows += (shown.set?.lines ?? []).map { ("rebuild set", $0.trimmingCharacters(in: .whitespaces)) }
            rows += shown.architectureFindings.map { ("arch check", $0) }
            if shown.factsSource == .files { rows.append(("facts", "read from the package files (none recorded with the report)")) }
            return rows.compactMap { key, value in value.map { "\(key.padding(toLength: 14, withPad: " ", startingAt: 0)) \($0)" } }
                .joined(separator: "\n") + "\n"
        }
    }
}

/// A time as maintainers read it in listings: UTC, to the second.
func stamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}
