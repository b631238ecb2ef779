import ArgumentParser
import Foundation
import Sandbox

extension Pacbuild {
    /// `pacbuild sandbox ls`.
    struct SandboxList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the build roots.")
        @OptionGroup var state: StateOptions

        func run() {
            for root in state.store.list() {
                guard let stamp = root.stamp() else { print("\(root.name)\tincomplete\t\(root.directory)"); continue }
                let created = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: stamp.created))
                let image = FileManager.default.fileExists(atPath: root.image) ? "\timage" : ""
                print("\(root.name)\t\(created)\t\(stamp.source)\(image)")
            }
        }
    }

    /// `pacbuild sandbox rm NAME...`.
    struct SandboxRemove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove build roots.")
        @OptionGroup var state: StateOptions
        @Argument(help: "Root names.") var names: [String]

        func run() throws {
            try failing { () throws(SandboxError) in
                for name in names { try state.store.remove(name) }
            }
        }
    }
}
