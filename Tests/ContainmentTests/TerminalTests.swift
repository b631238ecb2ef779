import Foundation
import Sandbox
import Testing

extension ContainmentTests {
    /// `pacbuild build` and `pacbuild run` are run from a terminal. The sandbox's processes
    /// stay in the session of the pacbuild that started them, whose controlling terminal
    /// /dev/tty (bound into the sandbox) opens: a build can type a command into it
    /// (TIOCSTI) that the operator's shell runs as root once pacbuild exits. Here
    /// `script` gives pacbuild a terminal, the build (as the builder) types `touch` of a
    /// host path, and a shell reading that terminal afterwards plays the operator.
    @Suite struct TerminalTests {
        /// The built `pacbuild`, next to the test bundle (`swift build --build-tests` makes it).
        static let pacbuild: String = {
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            while directory.path != "/" && !FileManager.default.isExecutableFile(atPath: directory.path + "/pacbuild") {
                directory = directory.deletingLastPathComponent()
            }
            return directory.path + "/pacbuild"
        }()

        @Test func aBuildCannotTypeIntoTheTerminalPacbuildRunsOn() throws {
            try #require(FileManager.default.isExecutableFile(atPath: Self.pacbuild), "no pacbuild binary next to the tests: run swift build --build-tests")
            _ = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("tty")
            let containment = try Containment(directory: directory)
            let name = "ex-tty-" + UUID().uuidString.prefix(8).lowercased()
            let pkgbase = directory + "/" + name
            try FileManager.default.createDirectory(atPath: pkgbase, withIntermediateDirectories: true)
            try AttackProgram.compile(canary: containment.canary, to: pkgbase + "/pacbuild-attack")
            try """
                pkgname=\(name)
                pkgver=1.0
                pkgrel=1
                arch=('any')
                source=('pacbuild-attack')
                sha256sums=('SKIP')
                build() { "$srcdir/pacbuild-attack" tty || true; }
                package() { install -d "$pkgdir/usr/share/\(name)"; }
                """.write(toFile: pkgbase + "/PKGBUILD", atomically: true, encoding: .utf8)
            let state = directory + "/state"
            try FileManager.default.createDirectory(atPath: state + "/roots", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: state + "/roots/" + ContainmentRoot.name,
                                                       withDestinationPath: ContainmentRoot.stateDirectory + "/roots/" + ContainmentRoot.name)
            let build = "\(quoted(Self.pacbuild)) build \(quoted(pkgbase)) --root \(ContainmentRoot.name) --state \(quoted(state)) "
                + "--out \(quoted(directory + "/out")) --timeout 120 >\(quoted(directory + "/pacbuild.out")) 2>&1"
            // the operator's shell: reads what arrives on the terminal after pacbuild and runs it
            // (SIGKILL for the wait: `script` inherits the spawning test thread's blocked
            // signals, SIGTERM among them, and passes them on to `head`)
            let session = "\(build); line=$(timeout --foreground -s KILL 5 head -n 1); echo \"operator read: $line\"; eval \"$line\""
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-q", "-e", "-c", session, "/dev/null"]
            let input = Pipe(), output = Pipe()
            process.standardInput = input  // kept open: script would pass an end of file on to the terminal
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let transcript = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            try? input.fileHandleForWriting.close()
            let printed = (try? String(contentsOfFile: directory + "/pacbuild.out", encoding: .utf8)) ?? ""
            let log = (try? String(contentsOfFile: state + "/builds/\(name)/build.log", encoding: .utf8)) ?? ""
            #expect(printed.contains("\(name): built"), "the build ran and succeeded:\n\(printed)\n\(log)")
            #expect(log.contains("ATTACK start tty"), "\(log)")
            let problems = try containment.problems(log: log, scratchNames: [])
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n--- terminal:\n\(transcript)\n--- log:\n\(log)")
            #expect(containment.removal().isEmpty)
        }
    }
}
