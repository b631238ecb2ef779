import Foundation
import Sandbox
import Testing

/// `pacbuild sandbox create --from-dir` and `--from-tarball` over the Debian root the
/// sandbox tests cache: the made root is cached under `STATE/roots/NAME` and runs a
/// command in a namespace sandbox.
@Suite(.enabled(if: RunFixture.canRun, "needs root"), .serialized)
struct SandboxCreateTests {
    /// `pacbuild sandbox create` into a fresh state directory; the root it made.
    func create(_ label: String, _ source: [String]) throws -> (BuildRoot, state: String, out: String) {
        let state = RunFixture.testState + "/tests/create-\(label)-\(UUID().uuidString.prefix(8))"
        let (status, out, err) = try RunFixture.execute(RunFixture.binary, ["sandbox", "create", label, "--state", state] + source)
        #expect(status == 0, "\(out)\(err)")
        return (try BuildRootStore(stateDirectory: state).root(named: label), state, out + err)
    }

    /// Runs `/bin/true`, then a line of facts, in a namespace sandbox over the root.
    func runsInANamespace(_ root: BuildRoot, state: String) throws {
        try FileManager.default.createDirectory(atPath: state + "/job", withIntermediateDirectories: true)
        let job = SandboxJob(root: root, jobDirectory: state + "/job",
                             command: ["/bin/sh", "-c", "/bin/true && echo ok-$(id -u builder)-$(test -x /etc/pacbuild/uml-init && echo init)"],
                             timeout: .seconds(60), logPath: state + "/log", scratchParent: state)
        let outcome = try NamespaceBackend().run(job)
        let log = try String(contentsOfFile: state + "/log", encoding: .utf8)
        #expect(outcome.exitStatus == 0, "\(log)")
        #expect(log.range(of: #"ok-[0-9]+-init"#, options: .regularExpression) != nil, "\(log)")
    }

    @Test func fromDirectoryCopiesARoot() throws {
        let source = try RunFixture.buildRoot()
        let (root, state, out) = try create("fromdir", ["--from-dir", source.rootfs])
        #expect(out.contains("created fromdir at \(root.rootfs)"))
        #expect(root.stamp()?.source == "dir \(source.rootfs)")
        #expect(FileManager.default.fileExists(atPath: root.rootfs + "/usr/bin/makepkg"))
        try runsInANamespace(root, state: state)
        try FileManager.default.removeItem(atPath: state)
    }

    @Test func fromTarballExtractsAndLiftsItsTopDirectory() throws {
        let source = try RunFixture.buildRoot()
        let dir = RunFixture.testState + "/tests/tarball-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The root's essentials under one top directory, as Arch's bootstrap tarball
        // holds `root.x86_64/`; usr/share and the apt cache are left out for speed.
        let tarball = dir + "/root.tar.gz"
        let (tarStatus, _, tarErr) = try RunFixture.execute("/usr/bin/bsdtar", [
            "-czf", tarball, "--exclude", "./usr/share", "--exclude", "./var/cache", "--exclude", "./var/lib/apt",
            "-s", ",^\\.,root.x86_64,", "-C", source.rootfs, "."])
        #expect(tarStatus == 0, "\(tarErr)")
        let (root, state, out) = try create("fromtar", ["--from-tarball", tarball])
        #expect(out.contains("created fromtar at \(root.rootfs)"))
        #expect(root.stamp()?.source == "tarball \(tarball)")
        #expect(FileManager.default.fileExists(atPath: root.rootfs + "/usr/bin/pacman"))
        #expect(!FileManager.default.fileExists(atPath: root.rootfs + "/root.x86_64"))
        try runsInANamespace(root, state: state)
        try FileManager.default.removeItem(atPath: state)
    }

    @Test func aDirectoryThatIsNoRootIsRefused() throws {
        let dir = RunFixture.testState + "/tests/noroot-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/etc", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (status, _, err) = try RunFixture.execute(RunFixture.binary, ["sandbox", "create", "bad", "--state", dir + "/state", "--from-dir", dir])
        #expect(status != 0)
        #expect(err.contains("not a root file system (no usr/)"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/state/roots/bad"))
    }
}
