import ArgumentParser
import Repo

extension Pacbuild {
    /// `pacbuild repo add DB PKG...`: repo-add.
    struct RepoAdd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add package files to a database like repo-add (NAME.db.tar.EXT and NAME.files.tar.EXT).",
            discussion: """
                Writes atomically under the lock DB.lck. If any package fails, nothing is written \
                and the exit status is 1.
                """)

        @Flag(name: [.customShort("n"), .customLong("new")], help: "Only add packages not already in the database.")
        var onlyNew = false
        @Flag(name: [.customShort("R"), .long], help: "Delete the package file a new entry replaces (after the update).")
        var remove = false
        @Flag(name: [.customShort("p"), .long], help: "Do not add a package older than the one present.")
        var preventDowngrade = false
        @OptionGroup var signing: SigningOptions
        @Argument(help: "The database, NAME.db.tar[.gz|.xz|.zst|.bz2|.lz4|.Z].") var database: String
        @Argument(help: "Package files.") var packages: [String] = []

        func validate() throws {
            if packages.isEmpty && !signing.verify { throw ValidationError("give at least one package file") }
        }

        func run() throws {
            let options = RepoUpdateOptions(onlyAddNew: onlyNew, removeOld: remove, preventDowngrade: preventDowngrade,
                                            sign: signing.sign || signing.key != nil, key: signing.key, verify: signing.verify)
            do {
                let writer = try DatabaseWriter(path: database)
                if packages.isEmpty { return try finishVerifying(try writer.verify()) }
                try finish(try writer.add(packages, options: options), database: database)
            } catch let error as RepoError {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }
    }
}
