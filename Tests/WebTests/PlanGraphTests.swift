import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Scheduler
import Testing
@testable import Web

/// The plan as the SVG the server draws (`/plan.svg`, and inline in `/plan`): well-formed
/// XML, a box per planned build that links to its why page, an arrow per dependency, and
/// hostile names written as text.
@Suite struct PlanGraphTests {
    /// What an XML parser reads from an SVG: the elements in order with their attributes,
    /// and every title's and text's characters.
    final class Reading: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var texts: [String] = []
        private var current: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append((name, attributes))
            current = ["title", "text"].contains(name) ? "" : nil
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if let text = current, ["title", "text"].contains(name) { texts.append(text) }
            current = nil
        }

        /// Parses `svg`; throws with the parser's error when it is not well-formed XML.
        static func parse(_ svg: String) throws -> Reading {
            let reading = Reading()
            let parser = XMLParser(data: Data(svg.utf8))
            parser.delegate = reading
            guard parser.parse() else {
                throw FixtureError("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
            }
            return reading
        }
    }

    @Test func theServerDrawsThePlanWithLinksAndEdges() async throws {
        var fixture = try WebFixture()
        defer { fixture.remove() }
        try fixture.populate()
        let site = try fixture.site()
        let (svg, page) = try await { let both = try await site.get(["/plan.svg", "/plan"]); return (both[0], both[1]) }()
        #expect(svg.status == .ok && svg.contentType == "image/svg+xml; charset=utf-8" && svg.policy == HTML.policy)
        #expect(svg.body.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let reading = try Reading.parse(svg.body)
        let links = reading.elements.filter { $0.name == "a" }.map { $0.attributes["href"] ?? "" }
        #expect(links == ["/why/core/ex-lib", "/why/core/ex-app"], "one box per build, wave 0 first")
        #expect(reading.texts.contains("core/ex-lib") && reading.texts.contains("core/ex-app"))
        #expect(reading.texts.contains("wave 0") && reading.texts.contains("wave 1"))
        #expect(reading.texts.contains("core/ex-lib before core/ex-app"), "the dependency's arrow")
        #expect(reading.elements.filter { $0.name == "path" && $0.attributes["class"] == "edge" }.count == 1)
        #expect(reading.texts.contains("core/ex-app (new) -> 2.1-1, new, wave 1; packages: ex-app"))
        #expect(!svg.body.contains("<script"))

        // the same drawing inline in the plan page, before the tables
        let inline = try #require(page.body.between("<div class=\"graph\" style=\"overflow-x: auto\">", "</div>"))
        #expect(try Reading.parse(inline).elements.filter { $0.name == "a" }.count == 2)
        #expect(page.body.contains("<a href=\"/plan.svg\">As a file</a>"))
    }

    @Test func hostileNamesAreTextAndLongOnesAreCut() throws {
        let site = try WebFixture().site()
        let hostile = "x<script>alert('1')</script>&amp;\"y"
        var lib = PlanEntry(repo: "core", pkgbase: hostile, pkgnames: ["<img src=x onerror=alert(2)>"], status: .new, reason: "", file: "")
        lib.wave = 0
        lib.newVersion = "1-1"
        var long = PlanEntry(repo: "core", pkgbase: String(repeating: "very-long-name-", count: 4), pkgnames: [], status: .outdated,
                             reason: "", file: "")
        long.wave = 1
        long.needs = [lib.id]
        let graph = try #require(PlanGraph([lib, long, PlanEntry(repo: "core", pkgbase: "current", pkgnames: [], status: .current, reason: "", file: "")]))
        let svg = site.templates.render(graph, withTemplate: "plansvg") ?? ""
        let reading = try Reading.parse(svg)
        #expect(reading.texts.contains { $0.hasPrefix("core/\(hostile) (new) -> 1-1") }, "the parser reads back the name as it was")
        #expect(reading.texts.contains("core/x<script>alert('1')<\u{2026}"), "and its label, cut")
        #expect(reading.texts.contains { $0.hasSuffix("packages: <img src=x onerror=alert(2)>") })
        #expect(reading.texts.contains("core/\(hostile) before core/\(long.pkgbase)"))
        #expect(!svg.contains("<script") && !svg.contains("<img"), "no markup of theirs")
        #expect(reading.elements.filter { $0.name == "a" }.map { $0.attributes["href"] ?? "" }
                == [Paths.why(lib.id), Paths.why(long.id)], "a current package is not drawn")
        #expect(reading.texts.contains("core/very-long-name-very-\u{2026}"), "cut to 26 characters: \(reading.texts)")
        #expect(PlanGraph([PlanEntry(repo: "core", pkgbase: "current", pkgnames: [], status: .current, reason: "", file: "")]) == nil)
    }
}
