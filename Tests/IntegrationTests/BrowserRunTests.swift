import Foundation
import Graph
import Scheduler
import TestSupport
import Testing

/// Issue 20's browser acceptance over a real build: `pacbuild run` builds ex-tinysh
/// (its build() edited to print a line every half second for ten seconds) into
/// `current` with `review = "manual"`, while `pacbuild serve` runs over the same store.
/// The real Chromium (Tests/Fixtures/browser/drive_run.py) signs in as the maintainer
/// alice, opens the build's page while it builds and sees a log line arrive that the
/// page did not hold when it loaded, waits for the build to wait for review and accepts
/// it with the page's form; the audit log names alice, and the real pacman reads the
/// package from the repo's database. Without the browser the test fails saying so.
@Suite(.enabled(if: RunFixture.canRun, "needs root"), .serialized)
struct BrowserRunTests {
    static let tools = ["/usr/bin/chromium", "/usr/bin/chromedriver", "/usr/bin/python3"]
    static let password = "alice-run-password"
    static let ticks = 20

    @Test func aMaintainerFollowsARealBuildsLogAndAcceptsItInChromium() throws {
        for tool in Self.tools {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: run scripts/setup (chromium, chromium-driver, python3-selenium)")
        }
        let selenium = try ProcessRunner.run("/usr/bin/python3", ["-c", "import selenium"])
        try #require(selenium.status == 0, "python3 cannot import selenium: run scripts/setup (python3-selenium): \(selenium.stderr)")

        let fixture = try RunFixture("browser-run")
        try FileManager.default.removeItem(atPath: fixture.directory + "/repos.d/extra-i586.toml")
        for gone in ["ex-buildtool", "ex-testkit", "ex-tzinfo", "ex-libbase", "ex-libfmt"] {
            try FileManager.default.removeItem(atPath: fixture.directory + "/examples/abs/current/" + gone)
        }
        try fixture.edit("repos.d/current-i586.toml") { $0.replacingOccurrences(of: "review = \"auto\"", with: "review = \"manual\"") }
        try fixture.edit("examples/abs/current/ex-tinysh/PKGBUILD") {
            $0.replacingOccurrences(of: "package() {", with: """
                build() {
                  for i in $(seq 1 \(Self.ticks)); do
                    echo "pacbuild-tick $i of \(Self.ticks)"
                    sleep 0.5
                  done
                }

                package() {
                """)
        }
        let hash = try ProcessRunner.run("/bin/sh", ["-c", "printf '%s\\n' \"$1\" | \"$2\" web passwd alice --role maintainer", "sh",
                                                     Self.password, RunFixture.binary])
        try #require(hash.status == 0 && hash.stdout.hasPrefix("alice:maintainer:"), "pacbuild web passwd: \(hash.stdout) \(hash.stderr)")
        try fixture.edit("pacbuild.toml") {
            $0 + "\n[web]\npublic = false\nusers = [\"\(hash.stdout.trimmingCharacters(in: .whitespacesAndNewlines))\"]\n"
        }
        let shots = fixture.directory + "/screenshots"
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let idFile = fixture.directory + "/building-id"
        let started = Date()

        let port = try Loopback.freePort()
        let server = try Background(RunFixture.binary, ["serve", "--config", fixture.directory, "--listen", "127.0.0.1:\(port)"],
                                    output: fixture.directory + "/serve")
        defer { server.stop() }
        try Loopback.waitForListener(port: port)
        let browser = try Background("/usr/bin/python3", [
            Self.packageRoot + "/Tests/Fixtures/browser/drive_run.py", "http://localhost:\(port)", "alice", Self.password, idFile, shots,
        ], output: fixture.directory + "/drive")
        defer { browser.stop() }
        let run = try Background(RunFixture.binary, ["run", "--config", fixture.directory, "--json"], output: fixture.directory + "/run")
        defer { run.stop() }

        // tell the browser which build to open once it builds
        let store = try fixture.openStore()
        let tinysh = PackageBaseID(repo: "current", pkgbase: "ex-tinysh")
        var building: BuildRecord?
        let deadline = Date().addingTimeInterval(90)
        while building == nil && Date() < deadline && run.isRunning {
            building = try store.builds(of: tinysh).last { $0.state == .building }
            if building == nil { usleep(100_000) }
        }
        let record = try #require(building, "ex-tinysh never built within 90 s: \(run.output)")
        try String(record.id.rawValue).write(toFile: idFile, atomically: true, encoding: .utf8)

        let drive = browser.wait(seconds: 150)
        let runStatus = run.wait(seconds: 60)
        #expect(runStatus == 0, "pacbuild run: \(run.output.suffix(2000))")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(browser.stdout.utf8)) as? [String: Any],
                                "drive_run.py (status \(drive.map(String.init) ?? "still running")): \(browser.output.suffix(3000))")
        #expect(seen["error"] == nil, "\(seen["error"] ?? "")\n\(seen["page"] ?? "")")
        #expect(seen["done"] as? Bool == true, "\(seen)")

        // the page opened while the build ran, and a line arrived over the stream
        #expect(seen["liveWhenOpened"] as? Bool == true, "\(seen["stateWhenOpened"] ?? "")")
        #expect(seen["stateWhenOpened"] as? String == "building")
        let opened = seen["ticksWhenOpened"] as? [Int] ?? []
        let new = seen["newTicks"] as? [Int] ?? []
        #expect(!new.isEmpty && new.allSatisfy { !opened.contains($0) } && opened.count < Self.ticks, "opened with \(opened), then \(new)")
        #expect(seen["sameURL"] as? Bool == true, "the page was left or reloaded")
        #expect((seen["newLineSeconds"] as? Double).map { $0 < 10 } == true, "\(seen["newLineSeconds"] ?? "never")")
        #expect(seen["liveNote"] as? String == "Finished: built", "\(seen["liveNote"] ?? "")")
        #expect(seen["ticksStreamed"] as? [Int] == Array(1...Self.ticks), "\(seen["ticksStreamed"] ?? "")")

        // accepted with the page's CSRF form, written to the audit log
        #expect(seen["stateBefore"] as? String == "built")
        #expect(seen["csrfInForm"] as? Bool == true)
        let rows = seen["auditRows"] as? [[String]] ?? []
        #expect(rows.count == 1 && rows.first?[1] == "web:alice" && rows.first?[2] == "accept", "\(rows)")
        #expect(seen["stateAfter"] as? String == "accepted", "\(seen["stateAfter"] ?? "")")
        #expect(try store.build(record.id).state == .accepted)
        let console = seen["console"] as? [String] ?? []
        #expect(!console.contains { $0.contains("Content Security Policy") || $0.contains("Refused") }, "\(console)")

        // the real pacman reads the accepted package from the repo's database
        let listing = try fixture.pacmanList(extra: false)
        #expect(listing == ["current ex-tinysh 0.9.3-1"], "\(listing)")

        for shot in ["run-build-opened.png", "run-build-live.png", "run-build-review.png", "run-build-accepted.png"] {
            #expect(FileManager.default.fileExists(atPath: shots + "/" + shot), "\(shot) was not saved")
            if let keep = ProcessInfo.processInfo.environment["PACBUILD_SCREENSHOTS"] {
                try? FileManager.default.removeItem(atPath: keep + "/" + shot)
                try FileManager.default.copyItem(atPath: shots + "/" + shot, toPath: keep + "/" + shot)
            }
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 120, "the run and the browser took \(Int(seconds)) s")
    }

    static let packageRoot = RunFixture.packageRoot
}

/// A program running beside the test, its standard output and error in files (so
/// neither pipe fills up while nobody reads it).
final class Background {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    init(_ executable: String, _ arguments: [String], output: String) throws {
        stdoutPath = output + ".out"
        stderrPath = output + ".err"
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var output: String { stdout + ((try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "") }

    /// The exit status, nil when it still runs after `seconds`.
    func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(100_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGTERM, then waits for it.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
