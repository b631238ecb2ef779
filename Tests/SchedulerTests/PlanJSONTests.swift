import Foundation
import Graph
import Testing
@testable import Scheduler

/// `Plan.jsonText` is exactly what `JSONEncoder` writes for the plan's `Codable` form,
/// the JSON schema's definition.
struct PlanJSONTests {
    static func encoded(_ plan: Plan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }

    @Test func everyStatusACycleAndAWaitAreWrittenAsJSONEncoderWritesThem() throws {
        let cycle = PlanRepo(
            name: "core", carch: "x86_64",
            pkgbuilds: [PlanTests.pkgbuild("gcc", "14-1", "depends=(glibc)"),
                        PlanTests.pkgbuild("glibc", "2.40-1", "makedepends=(gcc)")],
            database: [PlanTests.package("gcc", "13-1"), PlanTests.package("glibc", "2.39-1")])
        for plan in [try Plan.make(repos: [PlanTests.current]), try Plan.make(repos: [cycle]),
                     try Plan.make(repos: [cycle], options: PlanOptions(expectedTime: { $0.pkgbase == "gcc" ? 0.1 : 1e22 })),
                     try Plan.make(repos: [cycle], options: PlanOptions(rebuild: ["glibc"], reverse: true))] {
            #expect(plan.jsonText == (try Self.encoded(plan)))
        }
    }

    /// `--soname-bump`'s part: who provides and needs the soname, and the set's preview.
    @Test func aSonameBumpIsWrittenAsJSONEncoderWritesIt() throws {
        let repo = PlanRepo(name: "core", carch: "x86_64",
                            pkgbuilds: [PlanTests.pkgbuild("libfoo", "1-1", ""), PlanTests.pkgbuild("app", "1-1", "depends=(libfoo)")],
                            database: [PlanTests.package("libfoo", "1-1"), PlanTests.package("app", "1-1")])
        var plan = try Plan.make(repos: [repo], options: PlanOptions(rebuild: ["libfoo", "app"]))
        var users = SonameUsers(request: "libfoo.so")
        users.provided = ["libfoo.so.1-64"]
        users.providers = ["core/libfoo"]
        users.consumers = ["core/app"]
        users.consumerBases = ["core/app"]
        users.problems = ["core/x: cannot read"]
        let set = try RebuildSetPreview(plan: plan, members: ["core/libfoo", "core/app"], arches: ["core": "x86_64"], workers: 2,
                                        expectedTime: { $0.pkgbase == "app" ? 60 : 30 })
        #expect(set.builds == 2 && set.waves == 2 && set.criticalPathSeconds == 90 && set.makespanSeconds == 90, "\(set)")
        plan.sonameBump = PlanSonameBump(sonames: [users], set: set)
        #expect(plan.jsonText == (try Self.encoded(plan)))
    }

    @Test func stringsAreEscapedAsJSONEncoderEscapesThem() throws {
        var plan = try Plan.make(repos: [])
        var entry = PlanEntry(repo: "r", pkgbase: "p", pkgnames: [], status: .new,
                              reason: "quote \" backslash \\ slash / tab \t newline \n cr \r bell \u{7} del \u{7f} é 日本 \u{2028} 🙂",
                              file: "/a/b")
        entry.priority = 12.5
        entry.wave = 0
        plan.entries = [entry]
        plan.makespan = ["1": 0, "2": 1.25e-7, "4": 123456789012, "8": .infinity == 1 ? 0 : 3]
        #expect(plan.jsonText == (try Self.encoded(plan)))
    }
}
