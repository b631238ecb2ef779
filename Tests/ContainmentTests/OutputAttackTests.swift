import Foundation
import Repo
import Sandbox
import Testing

extension ContainmentTests {
    /// Top-level PKGBUILD code runs when makepkg reads the PKGBUILD, before any of its
    /// checks, and may leave anything in `$PKGDEST` and skip makepkg (`exit 0`): the
    /// findings had a link to a host path accepted, `pkgname=../../evil2` accepted and a
    /// FIFO hang the waka. Each must end as a `verification` failure, quickly, with nothing
    /// of the host read and nothing published changed.
    @Suite struct OutputAttackTests {
        /// A PKGBUILD for `name` 1.0-1 (any) whose top-level code, inside makepkg only (the
        /// reader has no PKGDEST), runs `attack` and exits with status 0.
        static func pkgbuild(_ name: String, attack: String) -> String {
            """
            pkgname=\(name)
            pkgver=1.0
            pkgrel=1
            arch=('any')
            if [ -n "$PKGDEST" ]; then
              \(attack)
              exit 0
            fi
            package() { install -d "$pkgdir/usr/share/\(name)"; }
            """
        }

        func expectContained(_ containment: Containment, _ run: ContainmentBuilder.Run) throws {
            let problems = try containment.problems(log: run.log, scratchNames: run.scratchNames)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n--- log:\n\(run.log)")
            #expect(run.seconds < 60, "\(run.seconds) s")
        }

        /// Links named like the package and its signature, to the same package published on
        /// the host and to the canary: taking them would publish a file the build never made,
        /// or read a host file as root.
        @Test func linksInPKGDESTAreRefused() throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("link")
            let pool = try PublishedRepository.make("pool", in: directory + "/repo", packages: [try CraftedPackage.innocent("ex-link", in: directory)])
            let containment = try Containment(directory: directory, pools: [pool.directory])
            let published = pool.directory + "/ex-link-1.0-1-any.pkg.tar.gz"
            let run = try ContainmentBuilder(root: root, directory: directory).build("ex-link", pkgbuild: Self.pkgbuild("ex-link", attack: """
                ln -s \(quoted(published)) "$PKGDEST/ex-link-1.0-1-any.pkg.tar.gz"
                  ln -s \(quoted(containment.canary.path)) "$PKGDEST/ex-link-1.0-1-any.pkg.tar.gz.sig"
                  ls -l "$PKGDEST"
                """))
            #expect(run.result.failure?.failureClass == .verification, "\(String(describing: run.result.failure))\n\(run.log)")
            #expect(run.result.packages.isEmpty)
            try expectContained(containment, run)
            let listing = try pacmanListing([("pool", pool.directory)], scratch: directory + "/pacman", expected: ["pool ex-link 1.0-1"])
            #expect(listing.isEmpty, "\(listing)")
            #expect(containment.removal().isEmpty)
        }

        /// A FIFO named like the package (and one like its signature): opening it to read
        /// would block until someone writes, which nobody does.
        @Test func aFIFOInPKGDESTNeitherHangsNorPasses() throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("fifo")
            let containment = try Containment(directory: directory)
            let run = try ContainmentBuilder(root: root, directory: directory).build("ex-fifo", pkgbuild: Self.pkgbuild("ex-fifo", attack: """
                mkfifo "$PKGDEST/ex-fifo-1.0-1-any.pkg.tar.gz" "$PKGDEST/ex-fifo-1.0-1-any.pkg.tar.gz.sig"
                  ls -l "$PKGDEST"
                """), timeout: .seconds(120))
            #expect(run.result.failure?.failureClass == .verification, "\(String(describing: run.result.failure))\n\(run.log)")
            try expectContained(containment, run)
            #expect(containment.removal().isEmpty)
        }

        /// A package file with the right name whose `.PKGINFO` says `pkgname = ../../evil2`,
        /// made inside with bsdtar: no host path or database entry may be formed from it.
        /// The same package made on the host is refused by Repo's database writer, and the
        /// repository stays as it was for the real pacman.
        @Test func aDotDotPackageNameIsRefusedByTheBuildAndByRepo() throws {
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("dotdot")
            let pool = try PublishedRepository.make("pool", in: directory + "/repo", packages: [try CraftedPackage.innocent("pub-lib", in: directory)])
            let containment = try Containment(directory: directory, pools: [pool.directory])
            let run = try ContainmentBuilder(root: root, directory: directory).build("evil2", pkgbuild: Self.pkgbuild("evil2", attack: """
                d=$(mktemp -d)
                  printf 'pkgname = ../../evil2\\npkgbase = evil2\\npkgver = 1.0-1\\narch = any\\nsize = 0\\n' >"$d/.PKGINFO"
                  mkdir -p "$d/usr/share/evil2"
                  bsdtar -C "$d" -czf "$PKGDEST/evil2-1.0-1-any.pkg.tar.gz" .PKGINFO usr
                  ls -l "$PKGDEST"
                """))
            #expect(run.log.contains("evil2-1.0-1-any.pkg.tar.gz"), "the crafted package was made:\n\(run.log)")
            #expect(run.result.failure?.failureClass == .verification, "\(String(describing: run.result.failure))\n\(run.log)")
            #expect(run.result.packages.isEmpty, "\(run.result.packages)")
            try expectContained(containment, run)

            // Repo: the same package, made on the host, added to the published repository.
            let crafted = directory + "/crafted"
            try FileManager.default.createDirectory(atPath: crafted, withIntermediateDirectories: true)
            var evil = try CraftedPackage.innocent("evil2", in: directory)
            evil.pkginfoName = "../../evil2"
            let file = try evil.write(into: crafted)
            var refused = false
            do {
                let report = try DatabaseWriter(path: pool.database).add([file])
                refused = !report.failures.isEmpty
            } catch {
                refused = true
            }
            #expect(refused, "repo add took a package named ../../evil2")
            let changes = try containment.snapshot.changes()
            #expect(changes.isEmpty, "\(changes)")
            // WORK/../../evil2 and the like: a file by that name next to or above the work and test directories
            let stray = try ContainmentRoot.run("find \(quoted(ContainmentRoot.stateDirectory)) -maxdepth 3 -type f -name '*evil2*'")
            #expect(stray.isEmpty, "files named after ../../evil2 outside the job: \(stray)")
            let listing = try pacmanListing([("pool", pool.directory)], scratch: directory + "/pacman", expected: ["pool pub-lib 1.0-1"])
            #expect(listing.isEmpty, "\(listing)")
            let text = try ContainmentRoot.run("bsdtar -xOf \(quoted(pool.directory + "/pool.db.tar.gz")) | grep -c evil2 || true")
            #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the database names evil2")
            #expect(containment.removal().isEmpty)
        }
    }
}
