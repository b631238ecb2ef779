import Testing
@testable import Scheduler

/// The locator finds keys the way a TOML reader does, never inside values.
@Suite struct TOMLKeyLocatorTests {
    let locator = TOMLKeyLocator(text: """
        # name = "comment"
        name = "x" # trailing = comment
        abs = [
            "a = b",   # not a key
            "[c]",
        ]
        text = \"\"\"
        fake = 1
        [fake]
        \"\"\"
        literal = '''
        other = 2'''
        "quoted key" = 1
        site.url = "u"

        [hooks]
          timeout = 3
        inline = { a = 1, b = 2 }

        [[mirrors]]
        url = "x"
        """)

    @Test func topLevelKeys() {
        #expect(locator.line(of: ["name"]) == 2)
        #expect(locator.line(of: ["abs"]) == 3)
        #expect(locator.line(of: ["text"]) == 7)
        #expect(locator.line(of: ["literal"]) == 11)
        #expect(locator.line(of: ["quoted key"]) == 13)
        #expect(locator.line(of: ["site", "url"]) == 14)
    }

    @Test func valuesAreNotKeys() {
        #expect(locator.line(of: ["a"]) == nil)
        #expect(locator.line(of: ["fake"]) == nil)
        #expect(locator.line(of: ["other"]) == nil)
        #expect(locator.line(of: ["c"]) == nil)
    }

    @Test func tablesAndFallbacks() {
        #expect(locator.line(of: ["hooks"]) == 16)
        #expect(locator.line(of: ["hooks", "timeout"]) == 17)
        #expect(locator.line(of: ["hooks", "inline", "b"]) == 18)
        #expect(locator.line(of: ["hooks", "missing"]) == 16)
        #expect(locator.line(of: ["mirrors", "url"]) == 21)
    }
}
