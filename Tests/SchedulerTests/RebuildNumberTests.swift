import Foundation
import Graph
import Testing
@testable import Scheduler

/// Port-local rebuild numbers on pkgrel (`2` -> `2.1` -> `2.2`), cleared by the
/// PKGBUILD's own version moving on; the order pacman gives them is checked against the
/// real vercmp in GraphTests' VercmpCaseTests.
struct RebuildNumberTests {
    @Test func numbersAreAddedToAPlainPkgrel() {
        #expect(RebuildNumber.version("1.0-2", number: 1) == "1.0-2.1")
        #expect(RebuildNumber.version("1:1.0-12", number: 3) == "1:1.0-12.3")
        #expect(RebuildNumber.version("1.0-2.1", number: 1) == nil, "makepkg allows one dot")
        #expect(RebuildNumber.version("1.0", number: 1) == nil)
        #expect(RebuildNumber.version("1.0-2", number: 0) == nil)
    }

    @Test func numbersAreReadBackOnlyOverTheirPkgbuildVersion() {
        #expect(RebuildNumber.number(of: "1.0-2.3", over: "1.0-2") == 3)
        #expect(RebuildNumber.number(of: "1.0-2", over: "1.0-2") == 0)
        #expect(RebuildNumber.number(of: "1.0-3", over: "1.0-2") == nil)
        #expect(RebuildNumber.number(of: "1.0-2.01", over: "1.0-2") == nil)
        #expect(RebuildNumber.number(of: "1.0-2.x", over: "1.0-2") == nil)
        #expect(RebuildNumber.number(of: "1.0-2.1", over: "1.0-2.1") == 0)
        #expect(RebuildNumber.number(of: "1.0-2.1.1", over: "1.0-2.1") == nil, "a dotted pkgrel takes no number")
    }

    @Test func theNextRebuildCountsTheRepoAndEveryBuild() {
        #expect(SonameRebuilds.version(of: "1.0-2", repo: "1.0-2", builds: []) == "1.0-2.1")
        #expect(SonameRebuilds.version(of: "1.0-2", repo: "1.0-2.1", builds: []) == "1.0-2.2")
        let earlier = BuildRecord(id: BuildID(1), package: PackageBaseID(repo: "core", pkgbase: "app"), version: "1.0-2.4", arch: "x86_64",
                                  state: .failed(.build), priority: 0, attempts: 0, createdAt: Date(), updatedAt: Date(), artifacts: [],
                                  requiredTags: [])
        #expect(SonameRebuilds.version(of: "1.0-2", repo: "1.0-2.1", builds: [earlier]) == "1.0-2.5")
        #expect(SonameRebuilds.version(of: "1.0-3", repo: "1.0-2.1", builds: [earlier]) == "1.0-3", "a newer PKGBUILD is built as it is")
        #expect(SonameRebuilds.version(of: "1.0-2.1", repo: "1.0-2.1", builds: []) == nil)
    }

    @Test func dependencyNamesComeFromEveryDependsArray() {
        var srcinfo = SrcInfo(pkgbase: "app")
        srcinfo.base.append("depends", ["libfoo>=2", "bar"])
        srcinfo.base.append("makedepends_x86_64", ["baz"])
        srcinfo.packages = [SrcInfo.Package(name: "app", section: SrcInfo.Section(attributes: [SrcInfo.Attribute(key: "depends", values: ["qux=1"])]))]
        #expect(Set(SonameRebuilds.names(srcinfo, keys: ["depends", "makedepends"])) == ["libfoo", "bar", "baz", "qux"])
    }
}
