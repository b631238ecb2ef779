import ArgumentParser
import CMimalloc
import Foundation

/// `pacbuild`: a package autobuilder for pacman-based distributions.
@main
struct Pacbuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pacbuild",
        abstract: "A package autobuilder for pacman-based distributions.",
        subcommands: [Srcinfo.self, Vercmp.self, Fidelity.self, Repo.self, Pkginfo.self, Config.self, PlanCommand.self, Why.self, SandboxCommand.self, Build.self, StoreClaimWorker.self, StoreFill.self, StoreCommand.self, CatchupCommand.self, StatusCommand.self, WakaCommand.self, RunCommand.self, SimulateCommand.self, Retry.self, Cancel.self, Priority.self,
                      CheckbuildsCommand.self, LogCommand.self, ShowCommand.self, AcceptCommand.self, RejectCommand.self,
                      UnrejectCommand.self, RecoverCommand.self, ServeCommand.self, WebCommand.self, NotifyCommand.self, SetCommand.self]
    )

    /// Sets a UTF-8 locale before anything touches libarchive, which converts entry names
    /// through the locale and crashes on non-ASCII names in the C locale; then runs the
    /// parsed subcommand as swift-argument-parser's own `main` would.
    static func main() async {
        // a call into mimalloc keeps it among the executable's libraries (ahead of libc:
        // it serves every allocation; see Sources/CMimalloc)
        _ = mi_version()
        setlocale(LC_ALL, "C.UTF-8")
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
