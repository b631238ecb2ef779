import ArgumentParser
import Graph

extension Pacbuild {
    /// `pacbuild vercmp A B`: prints -1, 0 or 1 exactly like pacman's `vercmp`.
    struct Vercmp: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vercmp",
            abstract: "Compare two package versions like pacman's vercmp (prints -1, 0 or 1).")

        @Argument(help: "The first version, [epoch:]pkgver[-pkgrel].") var a: String
        @Argument(help: "The second version.") var b: String

        func run() {
            print(Version.compare(a, b))
        }
    }
}
