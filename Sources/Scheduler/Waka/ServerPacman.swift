import Foundation
import Sandbox

/// The host's real pacman with a throw-away configuration of one build
/// (`WORK/server/pacman.conf`), used by ``ServerPackages`` before the sandbox starts:
/// its own DBPath and RootDir under the build's work directory (never the host's or
/// the build root's databases), the waka's shared CacheDir, the build's CARCH, and
/// the build's repositories in pacman.conf order: the ones on this machine as
/// `file://` servers of their database's directory, the served ones at their `server`.
struct ServerPacman: Sendable {
    /// A repository as the throw-away pacman.conf lists it.
    struct Section: Sendable {
        var name: String
        /// A `Server` line's value; `$repo` and `$arch` are pacman's to expand.
        var server: String
    }

    let directory: String
    let cacheDirectory: String
    var conf: String { directory + "/pacman.conf" }
    var dbPath: String { directory + "/db" }

    /// Where `-Sy` keeps repo `name`'s database.
    func syncDatabase(_ name: String) -> String { dbPath + "/sync/\(name).db" }

    /// Writes the configuration and the directories it names.
    init(directory: String, cacheDirectory: String, arch: String, sections: [Section]) throws(SchedulerError) {
        self.directory = directory
        self.cacheDirectory = cacheDirectory
        for sub in [directory + "/db/sync", directory + "/root", cacheDirectory] {
            do { try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true) } catch {
                throw .io(path: sub, reason: "cannot create: \(error.localizedDescription)")
            }
        }
        var text = """
            # Written by pacbuild for one build's downloads on the waka's host.
            [options]
            DBPath = \(directory)/db/
            RootDir = \(directory)/root/
            CacheDir = \(cacheDirectory)/
            LogFile = \(directory)/pacman.log
            GPGDir = \(directory)/gnupg/
            Architecture = \(arch)
            SigLevel = Never

            """
        for section in sections { text += "\n[\(section.name)]\nServer = \(section.server)\n" }
        guard FileManager.default.createFile(atPath: conf, contents: Data(text.utf8)) else {
            throw .io(path: conf, reason: "cannot write the throw-away pacman.conf")
        }
    }

    /// pacman's exit status, standard output and standard error (kept in files under
    /// the directory, so a large output never blocks on a pipe).
    func run(_ arguments: [String]) throws(SchedulerError) -> (status: Int32, output: String, errors: String) {
        let outPath = directory + "/pacman.out", errPath = directory + "/pacman.err"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pacman")
        process.arguments = ["--config", conf, "--noprogressbar"] + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C"]
        guard FileManager.default.createFile(atPath: outPath, contents: nil), FileManager.default.createFile(atPath: errPath, contents: nil),
              let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath) else {
            throw .io(path: directory, reason: "cannot open pacman's output files")
        }
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .cannotStart("cannot run /usr/bin/pacman on this host (install pacman): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output, errors)
    }

    /// Whether pacman's failed `-Sy` says repo `name`'s server has no database at all
    /// (`file://`: no such file; HTTP: 404 or 410), rather than that the server could
    /// not be reached: a repo not published yet.
    static func notPublished(_ name: String, _ run: (status: Int32, output: String, errors: String)) -> Bool {
        run.errors.split(separator: "\n").contains { line in
            line.contains("failed retrieving file '\(name).db'")
                && (line.contains("Couldn't open file") || line.contains("returned error: 404") || line.contains("returned error: 410"))
        }
    }

    /// What pacman said went wrong: its `error:` lines (standard error) and the `::`
    /// details it prints on standard output (`:: unable to satisfy dependency 'ex-sh'
    /// required by ex-testkit`), not its progress; else its last lines.
    static func complaint(_ run: (status: Int32, output: String, errors: String)) -> String {
        func lines(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let progress = [":: Synchronizing", ":: Retrieving", ":: Proceed"]
        let details = lines(run.output).filter { $0.hasPrefix(":: ") && !progress.contains(where: $0.hasPrefix) }
        let errors = lines(run.errors).filter { $0.hasPrefix("error:") }
        let said = errors + details
        return (said.isEmpty ? Array(lines(run.errors).suffix(3)) : said).joined(separator: "; ")
    }
}
