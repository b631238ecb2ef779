import ArgumentParser
import Repo

extension Pacbuild {
    /// `pacbuild repo remove DB NAME...`: repo-remove.
    struct RepoRemove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove packages by name from a database like repo-remove.",
            discussion: "Writes atomically under the lock DB.lck. A name not in the database fails and nothing is written.")

        @OptionGroup var signing: SigningOptions
        @Argument(help: "The database, NAME.db.tar[.EXT].") var database: String
        @Argument(help: "Package names.") var names: [String] = []

        func validate() throws {
            if names.isEmpty && !signing.verify { throw ValidationError("give at least one package name") }
        }

        func run() throws {
            let options = RepoUpdateOptions(sign: signing.sign || signing.key != nil, key: signing.key, verify: signing.verify)
            do {
                let writer = try DatabaseWriter(path: database)
                if names.isEmpty { return try finishVerifying(try writer.verify()) }
                try finish(try writer.remove(names, options: options), database: database)
            } catch let error as RepoError {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }
    }
}
