import Foundation
import Graph
import Scheduler
import Testing

/// `pacbuild run` end to end: real catchup, real wakas with two slots, real namespace
/// sandboxes and makepkg, real repo databases that the real pacman lists.
@Suite(.enabled(if: RunFixture.canRun, "needs root"), .serialized)
struct RunTests {
    /// Every example builds, each only after every build it depends on was accepted,
    /// two at a time at some point, with its packages' facts recorded, and pacman lists
    /// all ten packages.
    @Test func buildsTheExamplesInDependencyOrderWithTwoSlots() throws {
        let fixture = try RunFixture("run-all")
        let (status, events, stderr) = try fixture.run()
        #expect(status == 0, "\(stderr) \(events.suffix(3))")
        let summary = events.last?["summary"] as? [String: Any]
        #expect((summary?["accepted"] as? [Any])?.count == 9, "\(events.last ?? [:])")

        let store = try fixture.openStore()
        let builds = try store.builds(state: .accepted, repo: nil, limit: nil)
        #expect(builds.count == 9)
        for build in builds {
            for dependency in try store.dependencies(of: build.id).map({ try store.build($0) }) {
                let started = try #require(build.startedAt), accepted = try #require(dependency.reviewedAt)
                #expect(started >= accepted, "\(build.package) started before \(dependency.package) was accepted")
            }
            #expect(build.log.map { FileManager.default.fileExists(atPath: $0) } == true)
            #expect(build.artifacts.allSatisfy { $0.hasPrefix(fixture.state + "/artifacts/\(build.id.rawValue)/") })
            // the waka recorded each package's .PKGINFO facts with its report
            let facts = try store.packageFacts(of: build.id)
            #expect(facts.map(\.filename) == build.artifacts.map { ($0 as NSString).lastPathComponent }.sorted())
            let checksums = try store.artifactChecksums(of: build.id)
            #expect(facts.allSatisfy { fact in build.artifacts.contains { checksums[$0] == fact.sha256 && $0.hasSuffix("/" + fact.filename) } })
            #expect(facts.allSatisfy { $0.version == build.version && !$0.name.isEmpty && $0.installedSize != nil }, "\(facts)")
        }
        #expect(builds.contains { a in builds.contains { b in a.id != b.id && overlap(a, b) } }, "no two builds ran at once")

        let listing = Set(try fixture.pacmanList())
        for expected in ["current ex-tinysh 0.9.3-1", "current ex-libbase 1.2.0-1", "current ex-buildtool 3.1-1",
                         "current ex-libfmt 2.0.1-3", "current ex-libfmt-headers 2.0.1-3", "current ex-testkit 0.4.2-1", "current ex-tzinfo 1:1.0-2",
                         "extra ex-hello 0.3.1-1", "extra ex-greeterd 1.1.0-1", "extra ex-utils 1.4-1", "extra ex-utils-doc 1.4-1"] {
            #expect(listing.contains(expected), "\(listing.sorted())")
        }
        #expect(listing.count == 11)
    }

    /// ex-buildtool's build() fails: its dependents are blocked and named with the chain,
    /// everything else is built. A fixed PKGBUILD (pkgrel 2) is caught up by the next
    /// run, builds, and the blocked builds proceed by themselves, under the same ids.
    @Test func aFailedDependencyBlocksUntilItsFixBuilds() throws {
        let fixture = try RunFixture("run-blocked")
        let pkgbuild = "examples/abs/current/ex-buildtool/PKGBUILD"
        try fixture.edit(pkgbuild) { $0.replacingOccurrences(of: "build() {\n", with: "build() {\n  false\n") }
        let first = try fixture.run()
        #expect(first.status == 1)
        let summary = try #require(first.events.last?["summary"] as? [String: Any])
        let failed = (summary["failed"] as? [[String: Any]] ?? []).compactMap { entryName($0) }
        let blocked = (summary["blocked"] as? [[String: Any]] ?? []).compactMap { entryName($0) }
        #expect(failed == ["ex-buildtool"])
        #expect(Set(blocked) == ["ex-libfmt", "ex-hello", "ex-utils", "ex-greeterd"], "\(summary)")
        let store = try fixture.openStore()
        let tool = try #require(try store.builds(of: PackageBaseID(repo: "current", pkgbase: "ex-buildtool")).last)
        #expect(tool.state == .failed(.build))
        #expect(tool.log.map { FileManager.default.fileExists(atPath: $0) } == true)
        let libfmt = try #require(try store.builds(of: PackageBaseID(repo: "current", pkgbase: "ex-libfmt")).last)
        #expect(libfmt.state == .blocked(by: tool.id))
        #expect(try store.build(try #require(store.builds(of: PackageBaseID(repo: "current", pkgbase: "ex-tzinfo")).last).id).state == .accepted)

        try fixture.edit(pkgbuild) { $0.replacingOccurrences(of: "build() {\n  false\n", with: "build() {\n")
            .replacingOccurrences(of: "pkgrel=1", with: "pkgrel=2") }
        let second = try fixture.run()
        #expect(second.status == 0, "\(second.stderr) \(second.events.suffix(3))")
        #expect(try store.build(libfmt.id).state == .accepted, "the blocked build itself proceeded")
        let listing = Set(try fixture.pacmanList())
        #expect(listing.contains("current ex-buildtool 3.1-2"))
        #expect(listing.contains("extra ex-greeterd 1.1.0-1"))
        #expect(listing.count == 11)
    }

    private func overlap(_ a: BuildRecord, _ b: BuildRecord) -> Bool {
        guard let aStart = a.startedAt, let aEnd = a.finishedAt, let bStart = b.startedAt, let bEnd = b.finishedAt else { return false }
        return aStart < bEnd && bStart < aEnd
    }

    /// The pkgbase of a summary entry (`{"build": {"package": {"pkgbase": ...}}}`).
    private func entryName(_ entry: [String: Any]) -> String? {
        ((entry["build"] as? [String: Any])?["package"] as? [String: Any])?["pkgbase"] as? String
    }
}
