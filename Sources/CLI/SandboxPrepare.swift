import ArgumentParser
import Foundation
import Sandbox

extension Pacbuild {
    /// `pacbuild sandbox prepare NAME`: makes what the uml and vm backends boot for an
    /// existing root now rather than on its first build.
    struct SandboxPrepare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prepare",
            abstract: "Make the ext4 image (uml, vm) and the guest kernel (vm) of an existing build root.")

        @OptionGroup var state: StateOptions
        @Argument(help: "The root's name.") var name: String

        func run() throws {
            try failing { () throws(SandboxError) in
                let root = try state.store.root(named: name)
                try VMBackend.prepare(for: root, stateDirectory: state.resolved)
                print("prepared \(root.name): \(root.image); vm builds run with \(VMAccelerator.current)")
            }
        }
    }
}
