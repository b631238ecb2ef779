import ArgumentParser
import Foundation

/// `pacbuild`: a package autobuilder for pacman-based distributions.
@main
struct Pacbuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pacbuild",
        abstract: "A package autobuilder for pacman-based distributions.",
        subcommands: [Srcinfo.self, Vercmp.self, Fidelity.self]
    )
}
