import Dispatch
import Foundation
import Repo

/// The repo databases of a plan, read one after another on a thread of their own while
/// the caller reads the PKGBUILDs (on every core): reading the databases of a full
/// distribution (~0.3 G instructions, most of it decompression) then costs no wall time
/// of its own. A dispatch queue, not Swift's cooperative pool: libarchive blocks.
final class DatabaseReads: @unchecked Sendable {
    // @unchecked: `outcomes` is written only by the queue's one block, and read only
    // after `group.wait()`, which orders that write before the read.

    /// What reading one database gave: its entries, and messages for the plan's problems.
    struct Outcome {
        var entries: [DatabaseEntry] = []
        var problems: [String] = []
    }

    private var outcomes: [Outcome] = []
    private let group = DispatchGroup()

    /// Starts reading `paths` in order. A missing database is an empty one (nothing
    /// built yet); an unreadable one is empty with a problem.
    init(paths: [String]) {
        DispatchQueue.global().async(group: group) { [self] in
            outcomes = paths.map(Self.read)
        }
    }

    /// Waits for every database; outcomes in the order of the paths.
    func wait() -> [Outcome] {
        group.wait()
        return outcomes
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
