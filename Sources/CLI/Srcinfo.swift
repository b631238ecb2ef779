import ArgumentParser
import Graph

extension Pacbuild {
    struct Srcinfo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the .SRCINFO of PKGBUILDs like makepkg --printsrcinfo, without running them.")
        @Argument var paths: [String] = []
        func run() throws {}
    }
}
