import Foundation
import Graph
import Repo
import Testing
@testable import Scheduler

/// Planning over tiny literal repos: each PKGBUILD is real text read by the real reader,
/// each database entry a literal package.
struct PlanTests {
    static func pkgbuild(_ name: String, _ version: String, arch: String = "any", _ more: String = "") -> PKGBUILDReader.Result {
        let (ver, rel) = (version.split(separator: "-").first.map(String.init) ?? version, version.split(separator: "-").last.map(String.init) ?? "1")
        let text = "pkgname=\(name)\npkgver=\(ver)\npkgrel=\(rel)\narch=(\(arch))\n\(more)\n"
        return PKGBUILDReader().read(text: text, file: "/abs/\(name)/PKGBUILD")
    }

    static func package(_ name: String, _ version: String, provides: [String] = [], base: String? = nil) -> DatabaseEntry {
        var entry = DatabaseEntry(filename: "\(name)-\(version)-any.pkg.tar.zst", name: name, version: Version(version))
        entry.provides = provides.map(Dependency.init)
        entry.base = base
        return entry
    }

    /// One repo with one pkgbase in every status.
    static let current = PlanRepo(
        name: "current", carch: "i586", blacklist: ["nope"],
        pkgbuilds: [
            pkgbuild("libc", "1.1-1"),
            pkgbuild("zlib", "1.3-1"),
            pkgbuild("app", "2.0-1", "depends=(libc zlib)\nmakedepends=(tool)"),
            pkgbuild("tool", "1-1", arch: "x86_64"),
            pkgbuild("broken", "1-1", "pkgver=$(git describe)"),
            pkgbuild("needsfoo", "1-1", "depends=('libfoo.so=2')"),
            pkgbuild("user", "1-1", "depends=(needsfoo)"),
            pkgbuild("userofuser", "1-1", "depends=(user)"),
            pkgbuild("nope", "1-1"),
            pkgbuild("old", "1-1"),
            PKGBUILDReader().read(text: "pkgbase=split\npkgname=(split-a split-b)\npkgver=1\npkgrel=1\narch=(any)\npackage_split-a() { :; }\npackage_split-b() { :; }\n", file: "/abs/split/PKGBUILD"),
        ],
        database: [
            package("libc", "1.0-1"), package("zlib", "1.3-1"), package("tool", "0.9-1"),
            package("old", "1:0.5-1"), package("split-a", "1-1", base: "split"),
        ])

    @Test func everyStatus() throws {
        let plan = try Plan.make(repos: [Self.current])
        let status = Dictionary(uniqueKeysWithValues: plan.entries.map { ($0.pkgbase, $0.status) })
        #expect(status == [
            "libc": .outdated, "zlib": .current, "app": .new, "tool": .excluded, "broken": .needsFallback,
            "needsfoo": .unresolvable, "user": .new, "userofuser": .new, "nope": .excluded, "old": .repoAhead,
            "split": .incomplete,
        ].merging(["user": .blocked, "userofuser": .blocked]) { $1 })
        let app = try #require(plan.entry(named: "app"))
        #expect(app.oldVersion == nil && app.newVersion == "2.0-1")
        #expect(plan.entry(named: "libc")?.oldVersion == "1.0-1")
        #expect(plan.entry(named: "libc")?.reason == "1.0-1 in the database is older")
        #expect(plan.entry(named: "tool")?.reason == "arch (x86_64) has none of any, i586")
        #expect(plan.entry(named: "nope")?.reason == "blacklisted for current")
        #expect(plan.entry(named: "needsfoo")?.reason == "no package or provides 'libfoo.so=2' in current")
        #expect(plan.entry(named: "split")?.missingPackages == ["split-b"])
        #expect(plan.entry(named: "split-b")?.pkgbase == "split")
        #expect(plan.entry(named: "broken")?.diagnostics.first?.contains("/abs/broken/PKGBUILD:5:") == true)
        // the chain names the direct dependency first, the cause last
        #expect(plan.entry(named: "userofuser")?.blockedBy == ["current/user", "current/needsfoo"])
        #expect(plan.entry(named: "user")?.blockedBy == ["current/needsfoo"])
    }

    @Test func buildOrderPutsDependenciesFirst() throws {
        let plan = try Plan.make(repos: [Self.current])
        // excluded `tool` is served by the old package in the database: no edge, no block
        #expect(Set(plan.buildOrder) == ["current/libc", "current/app", "current/split"])
        #expect(plan.entry(named: "libc")?.wave == 0)
        #expect(plan.entry(named: "app")?.wave == 1)
        #expect(plan.entry(named: "app")?.needs == ["current/libc"])
        let position = { (id: String) in plan.buildOrder.firstIndex(of: id)! }
        #expect(position("current/libc") < position("current/app"))
        // priority: the longest remaining chain, weighted by the default build time
        #expect(plan.entry(named: "libc")?.priority == 2 * PlanOptions.defaultBuildSeconds)
        #expect(plan.makespan["1"] == 3 * PlanOptions.defaultBuildSeconds)
        #expect(plan.makespan["2"] == 2 * PlanOptions.defaultBuildSeconds)
    }

    @Test func rebuildChainsFollowReverseDependencies() throws {
        var repo = Self.current
        repo.pkgbuilds.append(Self.pkgbuild("curl", "8-1", "depends=(libz.so)"))
        repo.pkgbuilds.append(Self.pkgbuild("git", "2-1", "depends=(curl)"))
        repo.pkgbuilds.append(Self.pkgbuild("other", "1-1"))
        repo.pkgbuilds[1] = Self.pkgbuild("zlib", "1.3-1", "provides=(libz.so=1-32)")
        repo.database += [Self.package("curl", "8-1"), Self.package("git", "2-1"), Self.package("other", "1-1")]
        let plain = try Plan.make(repos: [repo])
        #expect(plain.entry(named: "curl")?.status == .current)

        let named = try Plan.make(repos: [repo], options: PlanOptions(rebuild: ["zlib"]))
        #expect(named.entry(named: "zlib")?.status == .rebuild)
        #expect(named.entry(named: "curl")?.status == .current)

        let chain = try Plan.make(repos: [repo], options: PlanOptions(rebuild: ["zlib"], reverse: true))
        #expect(chain.entry(named: "zlib")?.reason == "rebuild requested")
        #expect(chain.entry(named: "curl")?.status == .rebuild)   // through the soname provides
        #expect(chain.entry(named: "curl")?.reason == "rebuild: depends on current/zlib (depends)")
        #expect(chain.entry(named: "git")?.status == .rebuild)
        #expect(chain.entry(named: "other")?.status == .current)
        #expect(chain.entry(named: "app")?.status == .new)        // new stays new
        #expect(chain.entry(named: "zlib")!.wave! < chain.entry(named: "curl")!.wave!)
        #expect(chain.entry(named: "curl")!.wave! < chain.entry(named: "git")!.wave!)

        #expect(throws: SchedulerError.unknownPackage("nosuch", repos: ["current"])) {
            try Plan.make(repos: [repo], options: PlanOptions(rebuild: ["nosuch"]))
        }
    }

    @Test func aCycleIsReportedAndStillPlanned() throws {
        let repo = PlanRepo(
            name: "core", carch: "x86_64",
            pkgbuilds: [
                Self.pkgbuild("gcc", "14-1", "depends=(glibc)"),
                Self.pkgbuild("glibc", "2.40-1", "makedepends=(gcc)"),
                Self.pkgbuild("bash", "5-1", "depends=(glibc)"),
            ],
            database: [Self.package("gcc", "13-1"), Self.package("glibc", "2.39-1"), Self.package("bash", "5-1")])
        let plan = try Plan.make(repos: [repo])
        #expect(plan.cycles.count == 1)
        let cycle = try #require(plan.cycles.first)
        #expect(Set(cycle.members) == ["core/gcc", "core/glibc"])
        #expect(cycle.strategy == "old-packages")
        // glibc's makedepends on gcc is served by the old gcc: glibc goes first
        #expect(cycle.members == ["core/glibc", "core/gcc"])
        #expect(cycle.droppedEdges == ["core/glibc -> core/gcc (makedepends: gcc)"])
        #expect(plan.entry(named: "gcc")?.cycle == 0 && plan.entry(named: "glibc")?.cycle == 0)
        #expect(plan.buildOrder == ["core/glibc", "core/gcc"])
    }

    @Test func reposSearchTheirDependsOnInOrder() throws {
        let core = PlanRepo(name: "core", carch: "i586", pkgbuilds: [Self.pkgbuild("libc", "2-1")], database: [Self.package("libc", "1-1")])
        let extra = PlanRepo(name: "extra", carch: "i586", dependsOn: ["core"],
                             pkgbuilds: [Self.pkgbuild("app", "1-1", "depends=(libc missing)")])
        let plan = try Plan.make(repos: [core, extra])
        #expect(plan.entry(named: "app")?.status == .unresolvable)
        #expect(plan.entry(named: "app")?.reason == "no package or provides 'missing' in core, extra")
        let fixed = PlanRepo(name: "extra", carch: "i586", dependsOn: ["core"], pkgbuilds: [Self.pkgbuild("app", "1-1", "depends=(libc)")])
        let ok = try Plan.make(repos: [core, fixed])
        #expect(ok.entry(named: "app")?.needs == ["core/libc"])
        let only = try Plan.make(repos: [core, fixed], options: PlanOptions(repo: "extra"))
        #expect(only.buildOrder == ["extra/app"])
        #expect(only.entry(named: "app")?.needs == [])
    }
}
