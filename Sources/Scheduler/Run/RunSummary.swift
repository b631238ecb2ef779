import Foundation
import Graph

/// What a `pacbuild run` ended with, build by build of the plan it caught up with:
/// accepted, awaiting review, failed (class, reason, log), blocked (with the chain of
/// builds down to the one that failed), and the rest.
public struct RunSummary: Sendable, Codable {
    /// One build as the summary shows it.
    public struct Entry: Sendable, Codable {
        public var build: BuildRecord
        /// For a blocked (or waiting) build: the builds it waits on, nearest first, down
        /// to the one that failed, was rejected or awaits review.
        public var chain: [BuildRecord] = []
    }

    public var accepted: [Entry] = []
    /// Built, waiting for a maintainer (`review = "manual"`, or an auto-accept that failed).
    public var awaitingReview: [Entry] = []
    public var failed: [Entry] = []
    /// Blocked by a failed, rejected or cancelled build, directly or through others.
    public var blocked: [Entry] = []
    /// Anything else: waiting on a build that awaits review, cancelled, superseded, still queued.
    public var other: [Entry] = []

    /// Rebuild sets still open at the end, with what holds each (their members are in
    /// the groups above too).
    public var sets: [RebuildSetReport] = []

    public var succeeded: Bool { failed.isEmpty && blocked.isEmpty }

    /// The newest build of each planned pkgbase at its planned version, and the live
    /// members of every open rebuild set (soname rebuilds queued during the run), sorted
    /// into the summary's groups.
    public static func make(store: any BuildStore, planned: [PlannedBuild]) throws -> RunSummary {
        var summary = RunSummary()
        var seen = Set<BuildID>()
        var records: [BuildRecord] = []
        for plannedBuild in planned {
            let builds = try store.builds(of: plannedBuild.package)
            guard let record = builds.last(where: { $0.version == plannedBuild.version && $0.pass == plannedBuild.pass })
            else { continue }
            if seen.insert(record.id).inserted { records.append(record) }
        }
        summary.sets = try RebuildSetReport.open(in: store)
        for set in summary.sets {
            for member in set.members where member.standing == "held" && seen.insert(member.build).inserted {
                records.append(try store.build(member.build))
            }
        }
        for record in records {
            switch record.state {
            case .accepted: summary.accepted.append(Entry(build: record))
            case .built: summary.awaitingReview.append(Entry(build: record))
            case .failed, .rejected: summary.failed.append(Entry(build: record))
            case .blocked, .waiting:
                let chain = try blockingChain(of: record, store: store)
                let stuck = chain.last.map { [.failed, .rejected, .cancelled].contains($0.state.name) } ?? false
                if stuck { summary.blocked.append(Entry(build: record, chain: chain)) } else { summary.other.append(Entry(build: record, chain: chain)) }
            default: summary.other.append(Entry(build: record))
            }
        }
        return summary
    }

    /// Follows what `build` waits on: the build blocking it, or for a waiting build its
    /// first unfinished dependency (a failed or blocked one before others), until a
    /// build that waits on nothing.
    public static func blockingChain(of build: BuildRecord, store: any BuildStore) throws -> [BuildRecord] {
        var chain: [BuildRecord] = []
        var seen: Set<BuildID> = [build.id]
        var current = build
        while chain.count < 100 {
            var next: BuildRecord?
            if let blocker = current.state.blockedBy {
                next = try store.build(blocker)
            } else if current.state == .waiting {
                let pending = try store.dependencies(of: current.id).map { try store.build($0) }.filter { $0.state != .accepted }
                next = pending.first { [.failed, .rejected, .cancelled, .blocked].contains($0.state.name) } ?? pending.first
            }
            guard let found = next, seen.insert(found.id).inserted else { break }
            chain.append(found)
            current = found
        }
        return chain
    }
}
