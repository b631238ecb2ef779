import Foundation
import TestSupport
import Testing

/// A waka killed outright (SIGKILL, the OOM killer) must not leave its UML machine
/// running behind the lease another waka takes over: the kernel and every helper
/// process it forked die with the process that started it.
@Suite(.enabled(if: RunFixture.canRun && FileManager.default.isExecutableFile(atPath: "/usr/bin/linux"),
                "needs root and user-mode-linux"))
struct UMLDeathTests {
    /// Host processes whose command line mentions `text` (every UML process carries the
    /// kernel's command line, which names the job directory).
    static func processes(mentioning text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text)
        }
    }

    /// Polls `condition` every 100 ms for up to `seconds`.
    static func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }

    @Test func aKilledBuilderTakesItsUMLMachineWithIt() throws {
        _ = try RunFixture.buildRoot()
        let pkgbase = "umldeath-\(UUID().uuidString.prefix(8).lowercased())"
        let dir = RunFixture.testState + "/tests/" + pkgbase
        try FileManager.default.createDirectory(atPath: dir + "/" + pkgbase, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            pkgname=\(pkgbase)
            pkgver=1
            pkgrel=1
            arch=(any)
            build() { sleep 600; }
            package() { :; }
            """.write(toFile: dir + "/\(pkgbase)/PKGBUILD", atomically: true, encoding: .utf8)
        // `pacbuild build` takes a root by name: the shared test state's; its work
        // directory is `builds/PKGBASE` there, named in the kernel's command line.
        let state = RunFixture.testState
        defer { try? FileManager.default.removeItem(atPath: state + "/builds/" + pkgbase) }
        let builder = try Subprocess([RunFixture.binary, "build", dir + "/" + pkgbase, "--root", RunFixture.rootName, "--state", state,
                                      "--backend", "uml", "--memory", "256M", "--out", dir + "/out"], outputPath: dir + "/output")
        var reaped = false
        defer { if !reaped { builder.kill(SIGKILL); builder.wait() } }
        let log = state + "/builds/\(pkgbase)/build.log"
        // Mid-build: the machine booted and makepkg started in it.
        let running = Self.eventually(120) {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("running makepkg")
        }
        let before = Self.processes(mentioning: pkgbase)
        // The killed run cannot remove its scratch (the copy-on-write file); the test does.
        let scratch = before.lazy.compactMap { pid in
            (FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? "")
                .split(separator: "\0").first { $0.hasPrefix("ubd0=") }
                .map { String($0.dropFirst(5).prefix { $0 != "," }) }
        }.first
        defer { if let scratch { try? FileManager.default.removeItem(atPath: (scratch as NSString).deletingLastPathComponent) } }
        let output = (try? String(contentsOfFile: dir + "/output", encoding: .utf8)) ?? ""
        #expect(running, "\(output)")
        #expect(before.count >= 3, "the kernel and its helpers run: \(before)")

        builder.kill(SIGKILL)
        #expect(builder.wait() == 128 + SIGKILL)
        reaped = true
        #expect(Self.eventually(5) { Self.processes(mentioning: pkgbase).isEmpty },
                "left behind: \(Self.processes(mentioning: pkgbase))")
        for pid in Self.processes(mentioning: pkgbase) { kill(pid, SIGKILL) }
    }
}
