import ArgumentParser
import Foundation
import Repo

extension Pacbuild {
    /// `pacbuild repo ls DB...`: the packages of sync or files databases, like `pacman -Sl`.
    struct RepoList: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List the packages of sync or files databases as `pacman -Sl` does (REPO NAME VERSION).",
            discussion: """
                Entries the reader had to leave out are reported on standard error and make \
                the exit status 1; the others are still listed.
                """)

        @Flag(help: "Print every field of every entry as JSON.") var json = false
        @Flag(help: "Print only the number of packages (for benchmarks).") var count = false
        @Argument(help: "Database files (NAME.db, NAME.db.tar.gz, NAME.files, ...).") var databases: [String]

        func validate() throws {
            if databases.isEmpty { throw ValidationError("give at least one database") }
            if json && count { throw ValidationError("--json and --count exclude each other") }
        }

        func run() throws {
            var failed = false
            var read: [SyncDatabase] = []
            for path in databases {
                do {
                    let database = try SyncDatabase.read(at: path)
                    for problem in database.problems { printError(problem.description) }
                    failed = failed || !database.problems.isEmpty
                    read.append(database)
                } catch {
                    printError(error.description)
                    failed = true
                }
            }
            if json {
                print(try jsonText(read.map { ListedDatabase(path: $0.path, name: $0.name, entries: $0.entries) }))
            } else if count {
                for database in read { print(database.entries.count) }
            } else {
                // Bytes straight to stdout: a 15,000-line listing is part of what the
                // benchmark against `pacman -Sl` measures.
                var text: [UInt8] = []
                for database in read {
                    let repo = database.name
                    // Indices, not `for entry in`, which copies (retains) every field of every entry.
                    for index in database.entries.indices {
                        text.append(contentsOf: repo.utf8)
                        text.append(UInt8(ascii: " "))
                        text.append(contentsOf: database.entries[index].name.utf8)
                        text.append(UInt8(ascii: " "))
                        text.append(contentsOf: database.entries[index].version.description.utf8)
                        text.append(UInt8(ascii: "\n"))
                    }
                }
                FileHandle.standardOutput.write(Data(text))
                // Freeing 15,000 entries string by string costs milliseconds and the
                // process ends here anyway: exit while `read` is still alive.
                withExtendedLifetime(read) { Foundation.exit(failed ? 1 : 0) }
            }
            if failed { throw ExitCode(1) }
        }
    }
}

/// The JSON shape of one listed database.
private struct ListedDatabase: Encodable {
    let path: String
    let name: String
    let entries: [DatabaseEntry]
}
