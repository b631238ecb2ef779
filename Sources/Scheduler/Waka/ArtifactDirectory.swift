import Foundation
import Repo
import Sandbox

/// `STATE/artifacts/ID/`: where a build's packages and log are kept once it is done,
/// so they outlive the work directory (removed after each build) and the store can
/// point at them for review and acceptance. With SQLite the store and this directory
/// are on the same machine; a remote waka's uploads are not implemented (see README).
struct ArtifactDirectory: Sendable {
    let path: String

    init(stateDirectory: String, build: BuildID) {
        path = stateDirectory + "/artifacts/\(build.rawValue)"
    }

    /// Copies the log and every package (with its `.sig`) here; returns the kept log
    /// and package paths. A copy that fails is an error: a build whose packages are
    /// lost must not be reported as built.
    func keep(log: String?, packages: [String]) throws(SchedulerError) -> (log: String?, packages: [String]) {
        let manager = FileManager.default
        do {
            try? manager.removeItem(atPath: path)
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .io(path: path, reason: "cannot create the artifact directory: \(error.localizedDescription)")
        }
        var kept: [String] = []
        for package in packages {
            let name = (package as NSString).lastPathComponent
            do { try PackageFileName.check(name, from: package) } catch { throw .repo(error) }
            let target = path + "/" + name
            try copy(package, to: target)
            if manager.fileExists(atPath: package + ".sig") { try copy(package + ".sig", to: target + ".sig") }
            kept.append(target)
        }
        var keptLog: String?
        if let log, manager.fileExists(atPath: log) {
            keptLog = path + "/build.log"
            try copy(log, to: keptLog!)
        }
        return (keptLog, kept)
    }

    private func copy(_ source: String, to target: String) throws(SchedulerError) {
        do { try FileManager.default.copyItem(atPath: source, toPath: target) } catch {
            throw .io(path: target, reason: "cannot keep \(source): \(error.localizedDescription)")
        }
    }
}
