import Foundation
import Graph
import Repo
import Testing
@testable import Scheduler

/// PKGBUILDs makepkg refuses: `invalid` in the plan with makepkg's sentence, never
/// queued by catchup, and what depends on them is blocked; the others plan as ever.
struct PlanInvalidTests {
    static let repo = PlanRepo(
        name: "core", carch: "i586",
        pkgbuilds: [
            PlanTests.pkgbuild("libc", "2-1"),
            PlanTests.pkgbuild("badrel", "1-x"),
            PlanTests.pkgbuild("user", "1-1", "depends=(badrel)"),
            PlanTests.pkgbuild("exits", "1-1", "exit 3"),
            PKGBUILDReader().read(text: "pkgname='a b'\npkgver=1\npkgrel=1\narch=(any)\n", file: "/abs/space/PKGBUILD"),
        ],
        database: [PlanTests.package("libc", "1-1")])

    @Test func invalidEntriesCarryMakepkgsReason() throws {
        let plan = try Plan.make(repos: [Self.repo])
        let status = Dictionary(plan.entries.map { ($0.pkgbase, $0.status) }, uniquingKeysWith: { a, _ in a })
        #expect(status == ["libc": .outdated, "badrel": .invalid, "user": .blocked, "exits": .invalid, "a b": .invalid])
        #expect(plan.entry(named: "badrel")?.reason == "makepkg refuses the PKGBUILD: pkgrel must be of the form 'integer[.integer]', not x.")
        #expect(plan.entry(named: "badrel")?.diagnostics == [
            "/abs/badrel/PKGBUILD:3:1: invalid: pkgrel must be of the form 'integer[.integer]', not x.",
        ])
        #expect(plan.entry(named: "exits")?.reason.hasSuffix("'exit 3' at the top level ends makepkg while it sources the PKGBUILD (exit status 3, no .SRCINFO)") == true)
        #expect(plan.entry(named: "a b")?.reason == "makepkg refuses the PKGBUILD: pkgname contains invalid characters: ' '")
        #expect(plan.entry(named: "user")?.blockedBy == ["core/badrel"])
        #expect(plan.entry(named: "user")?.reason == "needs core/badrel first (depends badrel), which cannot be built (core/badrel is invalid)")
        #expect(plan.buildOrder == ["core/libc"])
        #expect(plan.count(.invalid) == 3)
    }

    /// An invalid PKGBUILD blocks its dependents while its version is newer than the
    /// database's (it would be built first if makepkg took it, as for `unresolvable`),
    /// not when the database holds that version already.
    @Test func anInvalidPKGBUILDBlocksOnlyWhatWouldWaitForIt() throws {
        var repo = Self.repo
        repo.database.append(PlanTests.package("badrel", "0.9-1"))
        #expect(try Plan.make(repos: [repo]).entry(named: "user")?.status == .blocked)
        repo.database[repo.database.count - 1] = PlanTests.package("badrel", "1-x")
        let plan = try Plan.make(repos: [repo])
        #expect(plan.entry(named: "badrel")?.status == .invalid)
        #expect(plan.entry(named: "user")?.status == .new)
    }

    @Test func catchupQueuesNothingInvalid() throws {
        let store = try StoreBackend.sqlite.fresh()
        let report = try Catchup(plan: try Plan.make(repos: [Self.repo]), arches: ["core": "i586"]).run(store: store)
        #expect(report.enqueued.map(\.package.pkgbase) == ["libc"])
        #expect(try store.builds(of: PackageBaseID(repo: "core", pkgbase: "badrel")).isEmpty)
        #expect(try store.builds(of: PackageBaseID(repo: "core", pkgbase: "exits")).isEmpty)
    }

    @Test func theJSONNamesTheStatus() throws {
        let plan = try Plan.make(repos: [Self.repo])
        let json = plan.jsonText.replacingOccurrences(of: " ", with: "")
        #expect(json.contains("\"status\":\"invalid\""))
    }
}
