import Foundation
import Testing

/// `pacbuild simulate` on the shipped example: a table row per worker count.
struct SimulateCommandTests {
    @Test func printsMakespanBoundAndFIFOPerWorkerCount() throws {
        let dir = try PlanCommandTests.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try PacbuildBinary.run(["simulate", "--config", dir, "--workers", "1", "--workers", "4", "--seed", "7"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("simulate: 9 builds, total work ") == true, "\(run.stdout)")
        #expect(lines.first?.hasSuffix("durations generated from seed 7") == true)
        let rows = lines.filter { $0.first?.isNumber == true }.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(rows.map { $0[0] } == ["1", "4"])
        // one worker: every order takes the total work, exactly the bound
        #expect(rows.first.map { $0[1] == $0[3] && $0[5] == "1.0000" && $0[8] == "1.0000" } == true, "\(run.stdout)")
        #expect(rows.allSatisfy { Double($0[5])! >= 1 })
    }

    @Test func durationsFromAFileAndItsErrors() throws {
        let dir = try PlanCommandTests.config()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "ex-libbase\t60\nex-utils\tlater\n".write(toFile: "\(dir)/durations.tsv", atomically: true, encoding: .utf8)
        let bad = try PacbuildBinary.run(["simulate", "--config", dir, "--workers", "2", "--durations", "\(dir)/durations.tsv"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("durations.tsv:2: 'later' is not a number of seconds"), "\(bad.stderr)")
        try "ex-libbase\t60\n".write(toFile: "\(dir)/durations.tsv", atomically: true, encoding: .utf8)
        let good = try PacbuildBinary.run(["simulate", "--config", dir, "--workers", "2", "--durations", "\(dir)/durations.tsv"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("note: 8 builds not in the durations file take 300 s\n"), "\(good.stdout)")
        let both = try PacbuildBinary.run(["simulate", "--config", dir, "--workers", "2", "--durations", "x", "--seed", "1"])
        #expect(both.status != 0 && both.stderr.contains("--seed generates durations"))
        let none = try PacbuildBinary.run(["simulate", "--config", dir])
        #expect(none.status != 0 && none.stderr.contains("--workers N is required"))
    }
}
