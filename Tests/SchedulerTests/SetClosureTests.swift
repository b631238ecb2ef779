import Graph
import Testing
@testable import Scheduler

/// ``SetClosure``: the largest part of a set that can be published on its own, with
/// neither a dependency nor a soname left behind, over literal members (no store).
struct SetClosureTests {
    static func base(_ name: String, _ repo: String = "core") -> PackageBaseID { PackageBaseID(repo: repo, pkgbase: name) }
    static func consumer(_ name: String, _ repo: String = "core") -> SetClosure.Consumer {
        SetClosure.Consumer(package: base(name, repo), name: "\(repo)/\(name)")
    }

    /// lib drops libfoo.so.1, needed by app and tool (extra); tool depends on app.
    static func set(appHold: String? = nil, toolHold: String? = nil, outsider: Bool = false) -> [SetClosure.Member] {
        var consumers = [consumer("app"), consumer("tool", "extra")]
        if outsider { consumers.append(consumer("viewer", "extra")) }
        return [
            SetClosure.Member(build: BuildID(1), label: "#1 core/lib", package: base("lib"),
                              drops: ["libfoo.so.1-64": consumers], needs: ["libc.so.6-64"]),
            SetClosure.Member(build: BuildID(2), label: "#2 core/app", package: base("app"), hold: appHold,
                              dependencies: [BuildID(1)], needs: ["libfoo.so.2-64"]),
            SetClosure.Member(build: BuildID(3), label: "#3 extra/tool", package: base("tool", "extra"), hold: toolHold,
                              dependencies: [BuildID(1), BuildID(2)], needs: ["libfoo.so.2-64"]),
        ]
    }

    @Test func everythingReadyIsPublishedWhole() {
        let (part, leftOut) = SetClosure.closedPart(Self.set())
        #expect(part == [BuildID(1), BuildID(2), BuildID(3)])
        #expect(leftOut.isEmpty)
    }

    @Test func aLeftOutConsumerKeepsTheLibraryAndAllThatDependsOnItBack() {
        let (part, leftOut) = SetClosure.closedPart(Self.set(toolHold: "failed (build)"))
        #expect(part.isEmpty)
        #expect(leftOut.map(\.build) == [BuildID(3), BuildID(1), BuildID(2)])
        #expect(leftOut[0].reason == "failed (build)")
        #expect(leftOut[1].reason == "drops libfoo.so.1-64, which extra/tool still needs, left out", "\(leftOut[1])")
        #expect(leftOut[2].reason == "depends on #1 core/lib, left out")
    }

    @Test func aPackageOutsideTheSetKeepsTheLibraryBack() {
        let (part, leftOut) = SetClosure.closedPart(Self.set(outsider: true))
        #expect(part.isEmpty, "extra/viewer is not rebuilt: publishing lib would break it")
        #expect(leftOut.first?.reason.contains("extra/viewer still needs") == true, "\(leftOut)")
        #expect(!(leftOut.first?.reason.contains("core/app") ?? true), "app is rebuilt in this publication")
    }

    @Test func aRebuildStillLinkedAgainstTheOldSonameKeepsTheLibraryBack() {
        var members = Self.set()
        members[1].needs = ["libfoo.so.1-64"]
        let (part, leftOut) = SetClosure.closedPart(members)
        #expect(part.isEmpty)
        #expect(leftOut.first?.reason == "drops libfoo.so.1-64, which #2 core/app still needs, left out", "\(leftOut)")
    }

    /// Without a soname dropped, only dependencies count: a held leaf leaves the rest free.
    @Test func withoutADroppedSonameOnlyDependenciesCount() {
        var members = Self.set(toolHold: "awaits review")
        members[0].drops = [:]
        let (part, leftOut) = SetClosure.closedPart(members)
        #expect(part == [BuildID(1), BuildID(2)])
        #expect(leftOut.map(\.build) == [BuildID(3)])
        let (part2, leftOut2) = SetClosure.closedPart(Self.set(appHold: "not built yet (ready)").map { var m = $0; m.drops = [:]; return m })
        #expect(part2 == [BuildID(1)])
        #expect(leftOut2.map(\.reason) == ["not built yet (ready)", "depends on #2 core/app, left out"])
    }

    /// A cycle's set: a's pass 1 goes only with a's pass 2, which failed; b's pass 1
    /// waits for a's pass 1.
    @Test func aFirstPassIsNeverPublishedWithoutItsNextPass() {
        var a1 = SetClosure.Member(build: BuildID(1), label: "#1 core/a", package: Self.base("a"))
        a1.laterPasses = [BuildID(3)]
        var b1 = SetClosure.Member(build: BuildID(2), label: "#2 core/b", package: Self.base("b"), dependencies: [BuildID(1)])
        b1.laterPasses = [BuildID(4)]
        let a2 = SetClosure.Member(build: BuildID(3), label: "#3 core/a (pass 2)", package: Self.base("a"), hold: "failed (build)",
                                   dependencies: [BuildID(1), BuildID(2)])
        let b2 = SetClosure.Member(build: BuildID(4), label: "#4 core/b (pass 2)", package: Self.base("b"), dependencies: [BuildID(1), BuildID(2)])
        let (part, leftOut) = SetClosure.closedPart([a1, b1, a2, b2])
        #expect(part.isEmpty)
        #expect(leftOut.map(\.build) == [BuildID(3), BuildID(1), BuildID(2), BuildID(4)])
        #expect(leftOut[1].reason == "its next pass #3 core/a (pass 2) is left out, and a first pass is never published alone")
        #expect(SetClosure.closedPart([a1, b1, SetClosure.Member(build: BuildID(3), label: "a2", package: Self.base("a")), b2]).part.count == 4)
    }

    /// A second library in the set whose consumers are all published goes even when the
    /// first is held back.
    @Test func theLargestPartKeepsWhatBreaksNothing() {
        var members = Self.set(toolHold: "failed (build)")
        members.append(SetClosure.Member(build: BuildID(4), label: "#4 core/libbar", package: Self.base("libbar"),
                                         drops: ["libbar.so.3-64": [Self.consumer("app"), Self.consumer("lib")]]))
        // lib and app wait for tool; libbar's consumers lib and app are left out with them
        #expect(SetClosure.closedPart(members).part.isEmpty)
        members[3].drops = ["libbar.so.3-64": [Self.consumer("libbar-tools")]]
        members.append(SetClosure.Member(build: BuildID(5), label: "#5 core/libbar-tools", package: Self.base("libbar-tools"),
                                         dependencies: [BuildID(4)], needs: ["libbar.so.4-64"]))
        let (part, leftOut) = SetClosure.closedPart(members)
        #expect(part == [BuildID(4), BuildID(5)])
        #expect(Set(leftOut.map(\.build)) == [BuildID(1), BuildID(2), BuildID(3)])
    }
}
