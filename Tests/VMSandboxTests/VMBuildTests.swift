import Foundation
import Sandbox
import Testing

/// Real builds in a VM: the same packages as in a namespace, and the overlay gone after.
@Suite(.enabled(if: VMTestRoot.canRun, "needs root"), .serialized)
struct VMBuildTests {
    @Test func buildsAnExampleAsTheNamespaceBackendDoes() throws {
        let root = try VMTestRoot.debian12()
        let work = try VMTestRoot.temporaryDirectory("example")
        let example = VMTestRoot.examples + "/current/ex-tzinfo"
        let inVM = try VMTestRoot.build(example, root: root, work: work, backend: VMTestRoot.backend())
        #expect(inVM.succeeded, "\(String(describing: inVM.failure)) \(VMTestRoot.log(inVM))")
        let inNamespace = try VMTestRoot.build(example, root: root, work: work, backend: NamespaceBackend())
        #expect(inNamespace.succeeded)
        #expect(inVM.packages.map(\.name) == inNamespace.packages.map(\.name))
        #expect(inVM.packages.map(\.version) == inNamespace.packages.map(\.version))
        #expect(inVM.packages.first?.version == "1:1.0-2")
        print("VMSandboxTests: ex-tzinfo in a VM \(inVM.seconds) s, in a namespace \(inNamespace.seconds) s")
        #expect(VMTestRoot.scratchLeft(in: work).isEmpty, "the run's overlay is left behind")
    }
}
