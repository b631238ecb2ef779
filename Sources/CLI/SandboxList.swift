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
                print("\(root.name)\t\(created)\t\(stamp.architecture ?? "?")\t\(stamp.source)\(image)")
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

extension Pacbuild {
    /// `pacbuild sandbox update NAME...`.
    struct SandboxUpdate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Refresh the packages inside build roots and stamp them again.",
            discussion: """
                A Debian root (--debootstrap) runs apt-get update and upgrade, any other root pacman -Syu, \
                inside the root with the host's network. Builds started afterwards use the updated root; \
                running builds keep the copy they started from.
                """)
        @OptionGroup var state: StateOptions
        @Argument(help: "Root names.") var names: [String]

        func run() throws {
            try failing { () throws(SandboxError) in
                for name in names {
                    let (root, commands) = try state.store.update(name)
                    print("updated \(root.name) (\(commands.map { $0.joined(separator: " ") }.joined(separator: "; ")))")
                }
            }
        }
    }
}
