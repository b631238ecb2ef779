import ArgumentParser
import Foundation
import Scheduler

extension Pacbuild {
    /// `pacbuild store ...`: administration of the build store itself.
    struct StoreCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store",
            abstract: "Administer the build store.",
            subcommands: [GrantWorker.self])

        /// `pacbuild store grant-worker ROLE`: a PostgreSQL role for remote wakas.
        struct GrantWorker: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "grant-worker",
                abstract: "Create a PostgreSQL role (if missing) that can claim, heartbeat, renew, report and upload "
                    + "the builds it holds, but not accept, reject, stage, cancel, retry, mark or queue builds "
                    + "(docs/distributed.md).",
                discussion: "Run it as the store's owner. The role gets LOGIN and no password: set one with ALTER ROLE "
                    + "or authenticate it in pg_hba.conf. It may read every table and write none: it calls the "
                    + "store's worker functions, which check that it holds the build. Running it again is harmless; "
                    + "it takes away any other privilege the role had on the store.")

            @Argument(help: "The role's name (lower-case letters, digits, _).") var role: String
            @OptionGroup var config: ConfigOptions
            @OptionGroup var store: StoreOption
            @Flag(help: "Print the SQL instead of running it.") var print = false

            func run() throws {
                if print {
                    for statement in try WorkerGrants.statements(role: role) { Swift.print(statement + ";") }
                    return
                }
                let buildStore: any BuildStore
                if let url = store.url { buildStore = try Store.open(url: url) } else { buildStore = try loadValidConfiguration(config).openStore() }
                guard let postgres = buildStore as? PostgresStore else {
                    throw ValidationError("worker roles exist only in a PostgreSQL store; an SQLite store has no roles")
                }
                try postgres.grantWorker(role: role)
                Swift.print("granted worker privileges to \(role)")
            }
        }
    }
}
