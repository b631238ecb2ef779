import Foundation
import Graph
import Testing
@testable import Scheduler

/// checkbuilds counts makepkg's warnings in a remote waka's build log too: the reported
/// path is on the waka's machine, the log it uploaded is in the store.
@Suite struct BuildReviewerLogTests {
    @Test(arguments: StoreBackend.allCases)
    func warningsComeFromTheUploadedLog(_ backend: StoreBackend) throws {
        let dir = try PublisherTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try backend.fresh()
        let id = try #require(try store.enqueue([PlannedBuild(PackageBaseID(repo: "tiny", pkgbase: "tiny-libc"), version: "2.0-1")])
            .enqueued.first)
        _ = try #require(try store.claim(worker: "elsewhere", arches: [], tags: []))
        let log = dir + "/uploaded.log"
        try "==> Starting build()...\n==> WARNING: Package contains reference to $srcdir\n==> WARNING: Skipping check\n"
            .write(toFile: log, atomically: true, encoding: .utf8)
        _ = try store.putFile(id, kind: .log, name: BuildLogs.storedName, from: log)
        let built = try store.report(id, worker: "elsewhere", result: .built(log: "/srv/elsewhere/artifacts/1/build.log", artifacts: []))

        var local = BuildReviewer(repos: [])
        #expect(local.review(built).warnings == nil, "the reported path is not on this machine")
        var reviewer = BuildReviewer(repos: [], store: store, stateDirectory: dir + "/state")
        #expect(reviewer.review(built).warnings == 2)
        #expect(reviewer.review(built).log == "/srv/elsewhere/artifacts/1/build.log", "the review names the reported log")
    }
}
