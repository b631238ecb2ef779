import Foundation
import Sandbox
import Testing

/// One real build in User Mode Linux: slow (makepkg forks about a thousand processes
/// and each costs UML ~20 ms), so only the smallest example.
@Suite(.enabled(if: TestRoot.canRun && FileManager.default.isExecutableFile(atPath: "/usr/bin/linux"), "needs root and user-mode-linux"))
struct UMLBuildTests {
    @Test func buildsTheSmallestExample() throws {
        let root = try TestRoot.debian12()
        let work = try TestRoot.temporaryDirectory("uml")
        let backend = UMLBackend()
        // makepkg alone takes minutes in UML; on a loaded 2-core machine over five
        let result = try ExampleBuilder(root: root, work: work, backend: backend).build(TestRoot.examples + "/current/ex-tzinfo",
                                                                                        timeout: .seconds(900))
        let log = (try? String(contentsOfFile: result.logPath, encoding: .utf8)) ?? ""
        #expect(result.succeeded, "\(String(describing: result.failure)) \(log)")
        #expect(result.packages.map(\.name) == ["ex-tzinfo"])
        #expect(result.packages.first?.version == "1:1.0-2")
        // the copy-on-write file went with the run
        let left = try FileManager.default.contentsOfDirectory(atPath: work).filter { $0.hasPrefix("pacbuild-uml") }
        #expect(left.isEmpty)
    }
}
