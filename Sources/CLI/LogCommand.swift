import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild log ID`.
    struct LogCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log", abstract: "Show a build's log (through $PAGER, else less, when writing to a terminal).",
            discussion: """
                Reads the path the waka reported when it is readable here, else the log the waka \
                uploaded to the store (fetched into STATE/cache/logs/ID/).
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var store: StoreOption
        @Argument(help: "A build id (#12) or pkgbase.") var build: BuildReference

        func run() throws {
            let loaded = try loadValidConfiguration(config)
            let buildStore = try loaded.openStore(url: store.url)
            let record = try build.resolve(in: buildStore, configuration: loaded)
            let log = try BuildLogs(store: buildStore, stateDirectory: loaded.global.stateDir).readablePath(of: record)
            guard let data = FileManager.default.contents(atPath: log) else {
                throw ValidationError("\(log): cannot read the log of \(record.id)")
            }
            if isatty(STDOUT_FILENO) == 1, let pager = Self.pager, Self.page(log, with: pager) { return }
            FileHandle.standardOutput.write(data)
        }

        static var pager: String? {
            if let pager = ProcessInfo.processInfo.environment["PAGER"] { return pager.isEmpty ? nil : pager }
            return FileManager.default.isExecutableFile(atPath: "/usr/bin/less") ? "less" : nil
        }

        /// Runs the pager on the file through the shell ($PAGER may carry options).
        static func page(_ file: String, with pager: String) -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec \(pager) \"$1\"", "pager", file]
            do { try process.run() } catch { return false }
            process.waitUntilExit()
            return true
        }
    }
}
