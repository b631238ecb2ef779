import Foundation
import Testing
@testable import Repo

/// `repo add --sign --key KEY` and `--verify` with a throw-away GnuPG home, checked with
/// `gpg --verify` and against the real repo-add's `--verify`.
@Suite(.enabled(if: Tools.pacbuild != nil, "needs the built pacbuild executable (PACBUILD_BIN or .build*/debug/pacbuild)"))
struct SigningTests {
    init() { _ = Tools.localeSet }

    /// A GnuPG home in the scratch directory with one new passphrase-less key.
    struct Keyring {
        let environment: [String: String]
        let fingerprint: String

        init(scratch: String) throws {
            let home = scratch + "/gnupg"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            environment = ["GNUPGHOME": home]
            let generated = try Tools.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key",
                                           "pacbuild test <test@pacbuild.invalid>", "future-default", "default", "never"],
                                          environment: environment)
            #expect(generated.status == 0, "\(generated.stderr)")
            let listed = try Tools.run(["gpg", "--batch", "--with-colons", "--list-secret-keys"], environment: environment)
            let line = try #require(listed.stdout.split(separator: "\n").first { $0.hasPrefix("fpr:") })
            fingerprint = String(line.split(separator: ":", omittingEmptySubsequences: false)[9])
        }

        /// Stops the gpg-agent the key generation started in this home.
        func shutDown() { _ = try? Tools.run(["gpgconf", "--kill", "gpg-agent"], environment: environment) }

        func verify(_ file: String) throws -> Tools.Result {
            try Tools.run(["gpg", "--batch", "--verify", file + ".sig", file], environment: environment)
        }
    }

    /// A scratch repository directory holding the tiny packages, a keyring, and the binary.
    struct Fixture {
        let binary: String
        let keyring: Keyring
        let directory: String
        let packages: [String]

        /// Runs `pacbuild ARGUMENTS` in the repository directory with the keyring's GNUPGHOME.
        func pacbuild(_ arguments: [String]) throws -> Tools.Result {
            try Tools.run([binary] + arguments, in: directory, environment: keyring.environment)
        }

        /// Runs the real repo-add the same way.
        func repoAdd(_ arguments: [String]) throws -> Tools.Result {
            try Tools.run(["repo-add", "-q"] + arguments, in: directory, environment: keyring.environment)
        }
    }

    /// Runs `body` on a fresh fixture, then stops gpg-agent and removes the scratch directory.
    static func withFixture(_ body: (Fixture) throws -> Void) throws {
        let binary = try #require(Tools.pacbuild)
        let scratch = try Tools.scratch()
        defer { Tools.cleanUp(scratch) }
        let keyring = try Keyring(scratch: scratch)
        defer { keyring.shutDown() }
        let directory = scratch + "/repo"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var names: [String] = []
        for package in DatabaseWriterTests.tinyPackages {
            let name = (package as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: package, toPath: directory + "/" + name)
            names.append(name)
        }
        try body(Fixture(binary: binary, keyring: keyring, directory: directory, packages: names))
    }

    @Test func signedDatabasesVerifyWithGPG() throws { try Self.withFixture { fixture in
        let (keyring, directory) = (fixture.keyring, fixture.directory)
        let added = try fixture.pacbuild(["repo", "add", "--sign", "--key", keyring.fingerprint, "r.db.tar.gz"] + fixture.packages)
        #expect(added.status == 0, "\(added.stderr)")
        for kind in ["db", "files"] {
            let archive = directory + "/r.\(kind).tar.gz"
            let verified = try keyring.verify(archive)
            #expect(verified.status == 0, "gpg --verify \(kind): \(verified.stderr)")
            #expect(verified.stderr.contains(keyring.fingerprint) || verified.stderr.contains("Good signature"), "\(verified.stderr)")
            // A binary signature, as pacman requires, and the NAME.db.sig link beside NAME.db.
            let signature = try Data(contentsOf: URL(fileURLWithPath: archive + ".sig"))
            #expect(!signature.starts(with: Data("-----BEGIN".utf8)))
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/r.\(kind).sig") == "r.\(kind).tar.gz.sig")
        }

        // --verify alone checks both signatures and writes nothing, like repo-add -v DB.
        let before = try Data(contentsOf: URL(fileURLWithPath: directory + "/r.db.tar.gz"))
        let verifyOnly = try fixture.pacbuild(["repo", "add", "--verify", "r.db.tar.gz"])
        #expect(verifyOnly.status == 0, "\(verifyOnly.stderr)")
        let reference = try fixture.repoAdd(["--verify", "r.db.tar.gz"])
        #expect(reference.status == 0, "\(reference.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/r.db.tar.gz")) == before)

        // --verify before an update, signing again: the new signatures verify too.
        let removed = try fixture.pacbuild(["repo", "remove", "--verify", "--sign", "--key", keyring.fingerprint, "r.db.tar.gz", "tiny-app"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(try keyring.verify(directory + "/r.db.tar.gz").status == 0)
    } }

    @Test func verifyRefusesADatabaseItsSignatureDoesNotMatch() throws { try Self.withFixture { fixture in
        let (directory, packages) = (fixture.directory, fixture.packages)
        let signed = try fixture.pacbuild(["repo", "add", "--sign", "--key", fixture.keyring.fingerprint, "r.db.tar.gz"] + packages.dropLast())
        #expect(signed.status == 0, "\(signed.stderr)")

        // Someone replaces the db (here with the files db) but not its signature.
        let db = directory + "/r.db.tar.gz"
        try FileManager.default.removeItem(atPath: db)
        try FileManager.default.copyItem(atPath: directory + "/r.files.tar.gz", toPath: db)
        let tampered = try Data(contentsOf: URL(fileURLWithPath: db))

        let ours = try fixture.pacbuild(["repo", "add", "--verify", "r.db.tar.gz", packages.last!])
        #expect(ours.status == 1)
        #expect(ours.stderr.contains("r.db.tar.gz.sig") && ours.stderr.contains("NOT valid"), "\(ours.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == tampered, "nothing written after a failed verification")
        #expect(!FileManager.default.fileExists(atPath: db + ".lck"))
        let reference = try fixture.repoAdd(["--verify", "r.db.tar.gz", packages.last!])
        #expect(reference.status == 1, "repo-add --verify also refuses: \(reference.stderr)")

        // Without a signature, --verify warns and goes on, as repo-add does.
        for file in ["r.db.tar.gz.sig", "r.files.tar.gz.sig"] { try FileManager.default.removeItem(atPath: directory + "/" + file) }
        try FileManager.default.removeItem(atPath: db)
        let unsigned = try fixture.pacbuild(["repo", "add", "--verify", "r.db.tar.gz", packages.last!])
        #expect(unsigned.status == 0, "\(unsigned.stderr)")
        #expect(unsigned.stderr.contains("no existing signature found"), "\(unsigned.stderr)")
    } }

    @Test func aMissingKeyFailsBeforeAnythingIsWritten() throws { try Self.withFixture { fixture in
        let directory = fixture.directory
        let result = try fixture.pacbuild(["repo", "add", "--sign", "--key", "nobody@pacbuild.invalid", "r.db.tar.gz"] + fixture.packages)
        #expect(result.status == 1)
        #expect(result.stderr.contains("does not exist in the keyring"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/r.db.tar.gz"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/r.db.tar.gz.lck"))
    } }
}
