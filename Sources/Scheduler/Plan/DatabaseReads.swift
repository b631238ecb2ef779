import Foundation
import Repo

/// The repo databases of a plan, read one after another on a thread of their own
/// (``BackgroundTask``) while the caller reads the PKGBUILDs (on every core): reading the
/// databases of a full distribution (~0.3 G instructions, most of it decompression) then
/// costs no wall time of its own.
enum DatabaseReads {
    /// What reading one database gave: its entries, and messages for the plan's problems.
    struct Outcome: Sendable {
        var entries: [DatabaseEntry] = []
        var problems: [String] = []
    }

    /// Starts reading `paths` in order; waiting gives the outcomes in the order of the
    /// paths. A missing database is an empty one (nothing built yet); an unreadable one
    /// is empty with a problem.
    static func start(paths: [String]) -> BackgroundTask<[Outcome]> {
        BackgroundTask { paths.map(read) }
    }

    static func read(_ path: String) -> Outcome {
        var outcome = Outcome()
        guard FileManager.default.fileExists(atPath: path) else { return outcome }
        do {
            let db = try SyncDatabase.read(at: path)
            outcome.entries = db.entries
            outcome.problems = db.problems.map { "\($0)" }
        } catch {
            outcome.problems = ["\(error) (planned as if the database were empty)"]
        }
        return outcome
    }
}
