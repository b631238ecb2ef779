import Foundation
import Repo
import Sandbox

/// The packages a claimed build needs from repos whose database is not on this machine
/// but that are served (`server`: the published repo's mirror), fetched on the waka's
/// host before the sandbox starts (whose network is off) with the real pacman, then
/// served to the sandbox as local repositories of the same names (docs/distributed.md).
///
/// pacman resolves the closure: it sees the build's repositories in pacman.conf order
/// (those on this machine through their database, the served ones through their
/// server), so a dependency build from `pacbuild-deps` whose own dependency only the
/// server has is covered too. Its local database is empty: a package the build root
/// already has is downloaded all the same (once per waka, into the shared cache), and
/// the sandbox's pacman, which sees the root's real local database, decides with
/// `--needed`. Reading the root's local database here instead would let pacman write to
/// it (it adds a version file to an empty one) and ties the host's pacman to the root's.
struct ServerPackages: Sendable {
    /// One of the build's repositories in pacman.conf order.
    enum Source: Sendable {
        /// A database on this machine (`pacbuild-deps`, a configured repo's own).
        case local(LocalRepository)
        /// A repo without its database here, served at `server` (a pacman Server template).
        case served(name: String, server: String)
    }

    /// A package pacman chose from a served repo.
    struct Chosen: Sendable {
        var repo: String
        var name: String
        var filename: String
    }

    let stateDirectory: String

    /// `STATE/cache/server-packages/`: package files pacman downloaded, shared by builds.
    var cacheDirectory: String { stateDirectory + "/cache/server-packages" }
    /// `STATE/cache/server-sync/NAME.db`: the served repos' databases as last fetched, so
    /// `-Sy` fetches one again only when the server has a newer one.
    var syncCache: String { stateDirectory + "/cache/server-sync" }

    /// What a build gets: its repositories, and the served repos left out because their
    /// server has no database yet (not published before).
    struct Prepared: Sendable, Equatable {
        var repositories: [LocalRepository]
        var unpublished: [String] = []
    }

    /// The repositories the sandbox gets, in the same order: local ones as given, each
    /// served one as `WORK/server/NAME/NAME.db.tar.gz` holding the packages of `dependencies`'
    /// closure pacman takes from it (left out when none). A served repo whose server has
    /// no database yet (a repo is empty before its first accept) is left out as a
    /// missing local database is; any other failure to fetch a database is an error.
    func repositories(_ sources: [Source], dependencies: [String], arch: String, work: String) throws(SchedulerError) -> Prepared {
        var sources = sources
        var unpublished: [String] = []
        var pacman: ServerPacman
        var served: [(String, String)]
        var servedAt: String
        while true {
            served = sources.compactMap { if case .served(let name, let server) = $0 { (name, server) } else { nil } }
            guard !served.isEmpty, !dependencies.isEmpty else { return Prepared(repositories: sources.compactMap(\.local), unpublished: unpublished) }
            servedAt = served.map { "\($0.0) at \(RepoServer.expanded($0.1, repo: $0.0, arch: arch))" }.joined(separator: ", ")
            pacman = try ServerPacman(directory: work + "/server", cacheDirectory: cacheDirectory, arch: arch,
                                      sections: try sections(sources, directory: work + "/server/local"))
            try seedSyncDatabases(served.map(\.0), pacman)
            let sync = try pacman.run(["-Sy"])
            if sync.status == 0 { break }
            // pacman stops at a failed database, so one run may name one of several.
            let missing = served.map(\.0).filter { ServerPacman.notPublished($0, sync) }
            guard !missing.isEmpty else { throw .serverUnavailable(servers: servedAt, pacman: ServerPacman.complaint(sync)) }
            unpublished += missing
            sources.removeAll { missing.contains($0.name) }
        }
        try keepSyncDatabases(served.map(\.0), pacman)
        let databases = sources.map { source in pacman.syncDatabase(source.name) }.filter { FileManager.default.fileExists(atPath: $0) }
        let targets: [String], assumed: [String]
        do {
            targets = try DependencyResolution.provided(dependencies, databases: databases)
            assumed = try DependencyResolution.assumedInstalled(dependencies, databases: databases)
        } catch {
            throw .io(path: pacman.dbPath, reason: "cannot read the fetched databases: \(error)")
        }
        let chosen = try closure(targets, assuming: assumed, from: Set(served.map(\.0)), pacman, servers: servedAt)
        guard !chosen.isEmpty else { return Prepared(repositories: sources.compactMap(\.local), unpublished: unpublished) }
        try download(chosen, pacman, servers: servedAt)
        var result: [LocalRepository] = []
        for source in sources {
            switch source {
            case .local(let repository): result.append(repository)
            case .served(let name, _):
                let names = chosen.filter { $0.repo == name }.map(\.name)
                if !names.isEmpty { result.append(try serve(name, names, pacman, directory: work + "/server/" + name)) }
            }
        }
        return Prepared(repositories: result, unpublished: unpublished)
    }

    /// The throw-away pacman.conf's sections: a local repository's database linked as
    /// `DIR/NAME/NAME.db` (pacman fetches `Server/NAME.db`), a served one at its server.
    private func sections(_ sources: [Source], directory: String) throws(SchedulerError) -> [ServerPacman.Section] {
        var sections: [ServerPacman.Section] = []
        for source in sources {
            switch source {
            case .served(let name, let server): sections.append(.init(name: name, server: server))
            case .local(let repository):
                let target = directory + "/" + repository.name
                try FileLinks.linkOrCopy((repository.database as NSString).resolvingSymlinksInPath,
                                         to: target + "/\(repository.name).db")
                sections.append(.init(name: repository.name, server: "file://" + target))
            }
        }
        return sections
    }

    /// pacman's choice for `targets` and their dependencies, as `(repo, name)`, only
    /// those of the served repos (the rest the sandbox installs from this machine's).
    /// `assumed` are the build's dependencies no repo provides, taken as the build
    /// root's, as the sandbox's pacman is told.
    private func closure(_ targets: [String], assuming assumed: [String], from served: Set<String>, _ pacman: ServerPacman,
                         servers: String) throws(SchedulerError) -> [Chosen] {
        guard !targets.isEmpty else { return [] }
        let print = try pacman.run(["-Sp", "--print-format", "%r %n %f"] + assumed.flatMap { ["--assume-installed", $0] } + ["--"] + targets)
        guard print.status == 0 else { throw .dependenciesNotFound(servers: servers, pacman: ServerPacman.complaint(print)) }
        var chosen: [Chosen] = []
        for line in print.output.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 3, served.contains(fields[0]) else { continue }
            // a server's database names the file, which becomes a path here
            do { try PackageFileName.check(fields[2], from: "repo \(fields[0]) of \(servers)") } catch { throw .repo(error) }
            chosen.append(Chosen(repo: fields[0], name: fields[1], filename: fields[2]))
        }
        return chosen
    }

    /// `pacman -Sw` of exactly these packages (their dependencies were resolved already)
    /// into the shared cache, one waka slot at a time. pacman checks each file against
    /// the database's checksum and, asked with `--noconfirm`, deletes a damaged cached
    /// copy, so one retry fetches it anew. The files are touched under the same lock,
    /// which ``CachePruner`` takes too, so a cached file pacman kept is not pruned
    /// before the build links it.
    private func download(_ packages: [Chosen], _ pacman: ServerPacman,
                          servers: String) throws(SchedulerError) {
        let lock = open(cacheDirectory + "/.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        defer { if lock >= 0 { close(lock) } }
        if lock >= 0 { flock(lock, LOCK_EX) }
        let arguments = ["-Sw", "--noconfirm", "--nodeps", "--nodeps", "--"] + packages.map { "\($0.repo)/\($0.name)" }
        var attempt = try pacman.run(arguments)
        if attempt.status != 0 { attempt = try pacman.run(arguments) }
        guard attempt.status == 0 else { throw .dependenciesNotFound(servers: servers, pacman: ServerPacman.complaint(attempt)) }
        for package in packages { CachePruner.touch(cacheDirectory + "/" + package.filename) }
    }

    /// Repo `name`'s downloaded packages as a local repository written by our
    /// ``DatabaseWriter``, file names from the fetched database.
    private func serve(_ name: String, _ packages: [String], _ pacman: ServerPacman,
                       directory: String) throws(SchedulerError) -> LocalRepository {
        let database: SyncDatabase
        do { database = try SyncDatabase.read(at: pacman.syncDatabase(name)) } catch { throw .repo(error) }
        var files: [String] = []
        for package in packages {
            guard let entry = database.entries.first(where: { $0.name == package }) else { continue }
            do { try PackageFileName.check(entry.filename, from: pacman.syncDatabase(name)) } catch { throw .repo(error) }
            let target = directory + "/" + entry.filename
            try FileLinks.linkOrCopy(pacman.cacheDirectory + "/" + entry.filename, to: target)
            files.append(target)
        }
        let path = directory + "/\(name).db.tar.gz"
        let report: RepoUpdateReport
        do { report = try DatabaseWriter(path: path).add(files) } catch { throw .repo(error) }
        if let failure = report.failures.first { throw .repo(failure) }
        return LocalRepository(name: name, database: path)
    }

    /// Puts the served repos' cached databases where `-Sy` looks, with their times, so it
    /// fetches only newer ones.
    private func seedSyncDatabases(_ names: [String], _ pacman: ServerPacman) throws(SchedulerError) {
        for name in names where FileManager.default.fileExists(atPath: syncCache + "/\(name).db") {
            try FileLinks.copyKeepingTime(syncCache + "/\(name).db", to: pacman.syncDatabase(name))
        }
    }

    /// Keeps the fetched databases for the next build (a copy renamed into place, so a
    /// slot seeding at the same time reads the old or the new one, never half of one).
    private func keepSyncDatabases(_ names: [String], _ pacman: ServerPacman) throws(SchedulerError) {
        do { try FileManager.default.createDirectory(atPath: syncCache, withIntermediateDirectories: true) } catch {
            throw .io(path: syncCache, reason: "cannot create: \(error.localizedDescription)")
        }
        for name in names where FileManager.default.fileExists(atPath: pacman.syncDatabase(name)) {
            let temporary = syncCache + "/.\(name).db-\(UUID().uuidString)"
            try FileLinks.copyKeepingTime(pacman.syncDatabase(name), to: temporary)
            guard rename(temporary, syncCache + "/\(name).db") == 0 else {
                unlink(temporary)
                throw .io(path: syncCache + "/\(name).db", reason: "cannot rename into place: \(String(cString: strerror(errno)))")
            }
        }
    }
}

extension ServerPackages.Source {
    var name: String {
        switch self {
        case .local(let repository): repository.name
        case .served(let name, _): name
        }
    }

    var local: LocalRepository? {
        if case .local(let repository) = self { repository } else { nil }
    }
}
