import ArgumentParser
import Foundation
import Sandbox

/// `--state DIR`: where build roots (and UML's sockets) live, shared by `sandbox` and `build`.
struct StateOptions: ParsableArguments {
    @Option(name: .customLong("state"), help: ArgumentHelp(
        "pacbuild's state directory.", discussion: "Default: $PACBUILD_STATE, else .pacbuild-state.", valueName: "dir"))
    var directory: String?

    var resolved: String {
        let path = directory ?? ProcessInfo.processInfo.environment["PACBUILD_STATE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ".pacbuild-state"
        return path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    var store: BuildRootStore { BuildRootStore(stateDirectory: resolved) }
}

/// Prints a sandbox error and exits 1, the way every subcommand reports one.
func failing(_ body: () throws(SandboxError) -> Void) throws {
    do { try body() } catch {
        printError("error: \(error)")
        throw ExitCode(1)
    }
}
