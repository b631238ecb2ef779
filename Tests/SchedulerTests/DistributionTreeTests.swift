import Foundation
import Graph
import Repo
import Testing
@testable import Scheduler

/// What driving a whole distribution tree (issue 15) needs, over small trees written into
/// a temp directory: repos that depend on each other, a pkgbase given twice, a cycle
/// blocked from outside. Each PKGBUILD is read by the real reader from its file.
@Suite(.serialized) struct DistributionTreeTests {
    let fixture: ConfigFixture

    init() throws { fixture = try ConfigFixture() }

    /// Writes `abs/REPO/DIR/PKGBUILD`: pkgname, version, `any`, then `more`.
    func pkgbuild(_ repo: String, _ name: String, _ version: String, _ more: String = "", directory: String? = nil) throws {
        let (ver, rel) = (String(version.split(separator: "-")[0]), String(version.split(separator: "-")[1]))
        try fixture.write("abs/\(repo)/\(directory ?? name)/PKGBUILD",
                          "pkgname=\(name)\npkgver=\(ver)\npkgrel=\(rel)\narch=(any)\n\(more)\n")
    }

    /// Loads the configuration (which must be valid), reads its trees and plans with
    /// `database` as the repos' database entries.
    func plan(database: [String: [DatabaseEntry]] = [:], options: PlanOptions = PlanOptions()) throws -> Plan {
        let config = fixture.load()
        #expect(config.messages == [])
        var (repos, problems) = config.planRepos()
        #expect(problems.map(\.description) == [])
        for i in repos.indices { repos[i].database = database[repos[i].name] ?? [] }
        return try Plan.make(repos: repos, options: options)
    }

    /// Artix's system takes cmake from world, world's cmake needs system's gcc: the
    /// repos depend on each other, the packages make a cycle across them, and the
    /// package graph breaks it with the old cmake in world's database.
    @Test func reposThatDependOnEachOther() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("system", extra: "depends_on = [\"world\"]")
        try fixture.writeRepo("world", extra: "depends_on = [\"system\"]")
        try pkgbuild("system", "gcc", "14-1", "makedepends=(cmake)")
        try pkgbuild("world", "cmake", "3.30-1", "depends=(gcc)")
        try pkgbuild("world", "ninja", "1.12-1", "makedepends=(cmake)")
        let plan = try plan(database: [
            "system": [PlanTests.package("gcc", "13-1")],
            "world": [PlanTests.package("cmake", "3.29-1"), PlanTests.package("ninja", "1.11-1")],
        ])
        #expect(plan.entries.map(\.status) == [.outdated, .outdated, .outdated])
        #expect(plan.cycles.count == 1)
        let cycle = try #require(plan.cycles.first)
        #expect(cycle.members == ["system/gcc", "world/cmake"])
        #expect(cycle.strategy == "old-packages")
        #expect(cycle.droppedEdges == ["system/gcc -> world/cmake (makedepends: cmake)"])
        #expect(plan.buildOrder == ["system/gcc", "world/cmake", "world/ninja"])
        #expect(plan.entry(named: "ninja")?.needs == ["world/cmake"])
    }
}
