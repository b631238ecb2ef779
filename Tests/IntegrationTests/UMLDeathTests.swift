import Foundation
import TestSupport
import Testing

/// A waka killed outright (SIGKILL, the OOM killer) must not leave its UML machine
/// running behind the lease another waka takes over: the kernel and every helper
/// process it forked die with the process that started it.
@Suite(.enabled(if: RunFixture.canRun && FileManager.default.isExecutableFile(atPath: "/usr/bin/linux"),
                "needs root and user-mode-linux"))
struct UMLDeathTests {
    /// The PID namespaces below `pid` (the builder's machine is PID 1 of one of its own).
    static func namespaces(below pid: Int32) -> Set<String> {
        let own = namespace(of: getpid())
        var found: Set<String> = [], pending = [pid]
        while let next = pending.popLast() {
            for child in pids() where parent(of: child) == next {
                if let namespace = namespace(of: child), namespace != own { found.insert(namespace) } else { pending.append(child) }
            }
        }
        return found
    }

    /// Every process in one of the PID namespaces.
    static func processes(in namespaces: Set<String>) -> [Int32] {
        pids().filter { namespace(of: $0).map(namespaces.contains) ?? false }
    }

    static func pids() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    }

    static func namespace(of pid: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/pid")
    }

    static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.range(of: ")", options: .backwards) else { return nil }
        let fields = stat[close.upperBound...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
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
        // directory is `builds/PKGBASE` there.
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
        let namespaces = Self.namespaces(below: builder.pid)
        let before = Self.processes(in: namespaces)
        // The killed run cannot remove its scratch (the copy-on-write file); the test
        // does. The kernel holds its directory there open as descriptor 5.
        let scratch = before.lazy.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\($0)/fd/5") }
            .compactMap { path -> String? in
                guard let marker = path.range(of: "/pacbuild-uml.") else { return nil }
                return String(path[..<(path[marker.upperBound...].firstIndex(of: "/") ?? path.endIndex)])
            }.first
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        let output = (try? String(contentsOfFile: dir + "/output", encoding: .utf8)) ?? ""
        #expect(running, "\(output)")
        #expect(before.count >= 3, "the kernel and its helpers run: \(before)")
        #expect(scratch != nil)

        builder.kill(SIGKILL)
        #expect(builder.wait() == 128 + SIGKILL)
        reaped = true
        #expect(!namespaces.isEmpty)
        #expect(Self.eventually(5) { Self.processes(in: namespaces).isEmpty },
                "left behind: \(Self.processes(in: namespaces))")
        for pid in Self.processes(in: namespaces) { kill(pid, SIGKILL) }
    }
}
