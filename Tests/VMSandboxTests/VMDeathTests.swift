import Foundation
import Sandbox
import TestSupport
import Testing

/// A waka SIGKILLed mid-build (here `pacbuild build --backend vm`) takes its machine
/// along, and the sweep the next start (or `recover`) makes removes its overlay.
@Suite(.enabled(if: VMTestRoot.canRun, "needs root"), .serialized)
struct VMDeathTests {
    /// `pacbuild`, next to the test bundle (this target depends on CLI).
    static let binary: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.isExecutableFile(atPath: dir.path + "/pacbuild") {
            dir = dir.deletingLastPathComponent()
        }
        return dir.path + "/pacbuild"
    }()

    static func qemuProcesses(below pid: Int32) -> [Int32] {
        var found: [Int32] = [], pending = [pid]
        let all = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        while let next = pending.popLast() {
            for child in all where parent(of: child) == next {
                pending.append(child)
                if let comm = try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8), comm.hasPrefix("qemu-system") { found.append(child) }
            }
        }
        return found
    }

    static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.range(of: ")", options: .backwards) else { return nil }
        let fields = stat[close.upperBound...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    static func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }

    @Test func aKilledBuilderTakesItsMachineAndTheSweepItsOverlay() throws {
        _ = try VMTestRoot.debian12()
        let state = VMTestRoot.stateDirectory
        let pkgbase = "vmdeath-\(UUID().uuidString.prefix(8).lowercased())"
        let directory = try VMTestRoot.temporaryDirectory("death")
        let source = try VMTestRoot.pkgbuild("""
            pkgname=\(pkgbase)
            pkgver=1
            pkgrel=1
            arch=(any)
            build() { sleep 600; }
            package() { :; }
            """, in: directory + "/" + pkgbase)
        defer { try? FileManager.default.removeItem(atPath: state + "/builds/" + pkgbase) }
        let builder = try Subprocess([Self.binary, "build", source, "--root", VMTestRoot.name, "--state", state,
                                      "--backend", "vm", "--out", directory + "/out"], outputPath: directory + "/output")
        var reaped = false
        defer { if !reaped { builder.kill(SIGKILL); _ = builder.wait() } }
        let log = state + "/builds/\(pkgbase)/build.log"
        let running = Self.eventually(300) { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("Starting build()") }
        let machines = Self.qemuProcesses(below: builder.pid)
        let scratch = ((try? FileManager.default.contentsOfDirectory(atPath: state + "/tmp")) ?? []).filter { $0.hasPrefix("pacbuild-vm") }
            .filter { FileManager.default.fileExists(atPath: state + "/tmp/" + $0 + "/machine/root.qcow2") }
        #expect(running, "\((try? String(contentsOfFile: directory + "/output", encoding: .utf8)) ?? "")")
        #expect(machines.count == 1, "\(machines)")
        #expect(!scratch.isEmpty, "no overlay while the build runs")

        builder.kill(SIGKILL)
        #expect(builder.wait() == 128 + SIGKILL)
        reaped = true
        #expect(Self.eventually(10) { machines.allSatisfy { kill($0, 0) != 0 } }, "QEMU outlived its waka: \(machines)")
        // what recover and a waka's start do: remove the scratch of dead processes
        let removed = ScratchLocks.removeAbandoned(in: state + "/tmp")
        for name in scratch {
            #expect(!FileManager.default.fileExists(atPath: state + "/tmp/" + name), "\(name) survived the sweep (removed: \(removed))")
        }
        _ = Cgroup.removeAbandoned()
    }
}
