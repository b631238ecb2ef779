import Testing
@testable import Scheduler

/// `tags` and `[package_tags]` of a repo file, and the tag rule `[workers] tags` shares.
@Suite struct BuildTagsConfigTests {
    let fixture: ConfigFixture

    init() throws { fixture = try ConfigFixture() }

    @Test func repoAndPackageTagsAddUp() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("extra", extra: """
            tags = ["i586-port"]

            [package_tags]
            chromium = ["big-memory", "i586-port"]
            "qt6-webengine" = ["big-memory", "big-disk"]
            """)
        let loaded = fixture.load()
        #expect(loaded.messages == [])
        let tags = try #require(loaded.repos.first).tags
        #expect(tags.required(for: "chromium") == ["big-memory", "i586-port"])
        #expect(tags.required(for: "qt6-webengine") == ["big-disk", "big-memory", "i586-port"])
        #expect(tags.required(for: "zlib") == ["i586-port"])
        #expect(BuildTags().required(for: "zlib") == [], "a repo without tags requires none")
    }

    @Test func badTagsAreNamedWithFileLineAndKey() throws {
        defer { fixture.remove() }
        try fixture.write("pacbuild.toml", "[workers]\ntags = [\"big,memory\"]\n")
        try fixture.writeRepo("extra", extra: """
            tags = "big-memory"

            [package_tags]
            chromium = ["big-memory", "big memory"]
            llvm = "big-memory"
            """)
        #expect(fixture.load().messages == [
            "pacbuild.toml:2: key 'workers.tags': expected tags of letters, digits, '-', '_' or '.', found 'big,memory'",
            "repos.d/extra.toml:5: key 'tags': expected an array of tags every build of the repo requires, found a string",
            "repos.d/extra.toml:8: key 'package_tags.chromium': expected tags of letters, digits, '-', '_' or '.', found 'big memory'",
            "repos.d/extra.toml:9: key 'package_tags.llvm': expected an array of tags the pkgbase's builds require, found a string",
        ])
    }

    @Test func packageTagsMustBeATable() throws {
        defer { fixture.remove() }
        try fixture.writeRepo("extra", extra: "package_tags = [\"chromium\"]\ntag = [\"x\"]")
        #expect(fixture.load().messages == [
            "repos.d/extra.toml:5: key 'package_tags': expected a table, found an array",
            "repos.d/extra.toml:6: key 'tag': unknown key (did you mean 'tags'?)",
        ])
    }
}
