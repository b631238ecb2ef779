import Foundation
import Graph
import Sandbox
import Synchronization
import Testing
@testable import Scheduler

/// `ReportedBuilds` on PostgreSQL: a waka connected as a worker role cannot publish a
/// `review = "auto"` build (the store refuses with 42501); it says so once and stops
/// trying, and the build stays `built` until the owner's waka accepts it.
@Suite struct ReportedBuildsTests {
    static func runner(_ configuration: Configuration, _ store: any BuildStore, worker: String) -> BuildRunner {
        let unused = BuildRoot(name: "unused", directory: "/nonexistent")
        return BuildRunner(configuration: configuration, store: store,
                           roots: Dictionary(uniqueKeysWithValues: configuration.repos.map { ($0.name, unused) }),
                           worker: worker, publishLock: NSLock())
    }

    @Test func aWorkerRoleSaysOnceThatItCannotPublishAndTheOwnerAccepts() throws {
        let config = try ConfigFixture()
        defer { config.remove() }
        try config.writeRepo("tiny", extra: "review = \"auto\"")
        let loaded = config.load()
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        let url = try TestPostgres.freshDatabase()
        let owner = try PostgresStore(url: url)
        let libc = PackageBaseID(repo: "tiny", pkgbase: "tiny-libc")
        let id = try #require(try owner.enqueue([PlannedBuild(libc, version: "2.0-1")]).enqueued.first)
        let role = "w_" + UUID().uuidString.lowercased().prefix(8)
        try owner.grantWorker(role: role)
        let worker = try PostgresStore(url: try StoreWorkerRoleTests.url(url, as: role))
        try worker.register(WorkerInfo(name: "remote-1", host: "h", arches: ["x86_64"], tags: [], slots: 1, lastHeartbeat: Date()))
        _ = try #require(try worker.claim(worker: "remote-1", arches: [], tags: []))
        _ = try worker.report(id, worker: "remote-1", result: .built(log: nil, artifacts: [StoreReviewTests.libc]))

        let said = Mutex<[WakaEvent]>([])
        let remote = ReportedBuilds()
        remote.publish(using: Self.runner(loaded, worker, worker: "remote-1"), store: worker) { event in said.withLock { $0.append(event) } }
        let refusals = said.withLock { $0 }.filter { if case .publishingRefused = $0 { return true } else { return false } }
        #expect(refusals.count == 1 && said.withLock { $0.count } == 1, "\(said.withLock { $0 })")
        #expect(try owner.build(id).state == .built)
        remote.publish(using: Self.runner(loaded, worker, worker: "remote-1"), store: worker) { event in said.withLock { $0.append(event) } }
        #expect(said.withLock { $0.count } == 1, "turned off: nothing tried, nothing said again")

        let master = ReportedBuilds()
        master.publish(using: Self.runner(loaded, owner, worker: "master"), store: owner) { event in said.withLock { $0.append(event) } }
        #expect(try owner.build(id).state == .accepted)
        let accepted = said.withLock { $0 }.contains { if case .accepted(let build) = $0 { return build.id == id } else { return false } }
        #expect(accepted)
        #expect(try PublisherTests.pacmanList(config.root + "/repo/tiny.db.tar.gz", scratch: config.root) == "tiny tiny-libc 2.0-1\n")
    }
}
