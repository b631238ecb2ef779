import Foundation
import Graph
import Sandbox
import Testing

extension ContainmentTests {
    /// A PKGBUILD tree is not trusted, and pacbuild reads it on the host as root: the
    /// finding's reader followed a PKGBUILD that was a symbolic link to a host file. Here
    /// the link leads to the canary, a 0600 file of root's written as a valid PKGBUILD whose
    /// pkgdesc is the secret: neither the reader nor a build may read it.
    @Suite struct PKGBUILDLinkTests {
        static let canaryText = """
            pkgname=leak
            pkgver=1.0
            pkgrel=1
            pkgdesc='SECRET'
            arch=('any')
            package() { :; }

            """

        /// `DIR/tree/leak/PKGBUILD -> canary`, with a source file `data -> canary` beside it.
        func tree(_ containment: Containment) throws -> String {
            let pkgbase = containment.directory + "/tree/leak"
            try FileManager.default.createDirectory(atPath: pkgbase, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: pkgbase + "/PKGBUILD", withDestinationPath: containment.canary.path)
            try FileManager.default.createSymbolicLink(atPath: pkgbase + "/data", withDestinationPath: containment.canary.path)
            return pkgbase
        }

        @Test func theReaderDoesNotFollowAPKGBUILDLinkToAHostFile() throws {
            let directory = try ContainmentRoot.temporaryDirectory("pkgbuild-link")
            let containment = try Containment(directory: directory, canaryText: Self.canaryText)
            let pkgbase = try tree(containment)
            let one = PKGBUILDTree.readOne(pkgbase, with: PKGBUILDReader())
            let all = try PKGBUILDTree(root: directory + "/tree").read(with: PKGBUILDReader())
            for result in [one] + all {
                let text = "\(String(describing: result.srcinfo)) \(result.diagnostics)"
                #expect(!text.contains(containment.canary.secret), "the reader read the linked host file: \(text)")
                #expect(result.srcinfo == nil, "a linked PKGBUILD gave a .SRCINFO: \(String(describing: result.srcinfo))")
            }
            let problems = containment.canary.problems()
            #expect(problems.isEmpty, "\(problems)")
            #expect(containment.removal().isEmpty)
        }

        /// The same directory built (the job made by hand, as if the reader had been given
        /// the PKGBUILD's text some other way): the links are copied as links and lead
        /// nowhere inside the sandbox; in a UML machine, hostfs shows them as links the
        /// machine resolves in its own tree.
        @Test(arguments: ["namespace", "uml"])
        func aBuildOfALinkedPKGBUILDReadsNothingOfTheHost(backend: String) throws {
            if backend == "uml" { try #require(ContainmentRoot.canRunUML, "needs user-mode-linux") }
            let root = try ContainmentRoot.debian12()
            let directory = try ContainmentRoot.temporaryDirectory("pkgbuild-link-build-" + backend)
            let containment = try Containment(directory: directory, canaryText: Self.canaryText)
            let pkgbase = try tree(containment)
            let job = BuildJob(directory: pkgbase, pkgbase: "leak", expected: [ExpectedPackage(name: "leak", version: "1.0-1", arch: "any")],
                               dependencies: [], carch: "x86_64", timeout: .seconds(backend == "uml" ? 400 : 120))
            var builder = ContainmentBuilder(root: root, directory: directory)
            if backend == "uml" { builder.backend = UMLBackend() }
            let run = try builder.build(job)
            #expect(!run.result.succeeded)
            let problems = try containment.problems(log: run.log, scratchNames: run.scratchNames, ownKernel: backend == "uml")
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n--- log:\n\(run.log)")
            #expect(containment.removal().isEmpty)
        }
    }
}
