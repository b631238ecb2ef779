import Repo

/// What goes wrong in planning, queueing and publishing, in words a maintainer can act on.
public enum SchedulerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--rebuild NAME` or `why NAME` names nothing in any configured repo.
    case unknownPackage(String, repos: [String])
    /// A package file to publish is not the one that was built.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// The pool already holds a different file of that name: publishing would replace a
    /// released package behind pacman's back.
    case poolConflict(path: String)
    /// Reading a package or writing the database failed.
    case repo(RepoError)
    /// Only a `built` build can be accepted.
    case notAcceptable(id: String, state: String)
    /// A built build without package files.
    case noArtifacts(id: String)
    /// A package file that is not of the build's pkgbase and version.
    case wrongArtifact(file: String, expected: String, found: String)
    /// Copying into the pool failed.
    case io(path: String, reason: String)
    /// The parse cache could not be written (the plan itself is unaffected).
    case cacheNotWritten(path: String, reason: String)
    /// A claimed build's pkgbase is in none of its repo's ABS trees any more.
    case pkgbuildNotFound(package: String, trees: [String])
    /// A claimed build's PKGBUILD cannot be read (the reader's diagnostics).
    case pkgbuildUnreadable(directory: String, diagnostics: [String])
    /// The PKGBUILD changed version since the build was queued.
    case versionChanged(package: String, queued: String, found: String, directory: String)
    /// A waka or run that cannot start (no repos it may build, no build root).
    case cannotStart(String)
    /// A repo's lock was held by a running process for longer than the wait allows.
    case lockTimeout(lockFile: String, holder: String?, seconds: Int)
    /// A repo's lock names a process that is gone: a killed update left it.
    case staleLock(lockFile: String, holder: String)
    /// The repo already holds a newer version of a package the build would publish.
    case olderThanRepo(file: String, present: String)
    /// A build depends on one that is staged but not accepted: publishing it would put a
    /// package into the real repo whose dependency is not there.
    case dependencyNotAccepted(id: String, dependency: String)
    /// A `--durations` file line that is not `pkgbase<TAB>seconds`.
    case badDurations(file: String, line: Int, reason: String)
    /// A simulation ended with builds that never became ready (a plan whose edges the
    /// store could not resolve).
    case simulationStuck(left: Int)
    /// A build's log is neither readable at the path its waka reported (`tried`, nil when
    /// it reported none) nor uploaded to the store.
    case logNotFound(build: String, tried: String?)
    /// pacman on the waka's host could not fetch the served repos' databases (`servers`:
    /// the repos and their expanded URLs; `pacman`: its error lines).
    case serverUnavailable(servers: String, pacman: String)
    /// pacman on the waka's host found no package for a dependency of the build (or of a
    /// dependency) in the build's repos, or could not download one from its server.
    case dependenciesNotFound(servers: String, pacman: String)
    /// A review action asked for something it cannot do (a rejection without a reason).
    case invalidAction(String)
    /// A rebuild set cannot be published whole: these members hold it.
    case setHeld(set: Int64, holds: [String])

    public var description: String {
        switch self {
        case .unknownPackage(let name, let repos):
            "no pkgbase or pkgname '\(name)' in \(repos.isEmpty ? "any configured repo" : repos.joined(separator: ", "))"
        case .checksumMismatch(let file, let expected, let actual):
            "\(file): sha256 \(actual), but the build recorded \(expected); the file changed since it was built, rebuild it"
        case .poolConflict(let path):
            "\(path) already exists with different content; remove it or bump pkgrel, a released file is never replaced"
        case .notAcceptable(let id, let state):
            "build \(id) is \(state); only a built build can be accepted"
        case .noArtifacts(let id):
            "build \(id) recorded no package files; retry it"
        case .wrongArtifact(let file, let expected, let found):
            "\(file) is \(found), but the build is \(expected)"
        case .repo(let error):
            error.description
        case .io(let path, let reason):
            "\(path): \(reason)"
        case .cacheNotWritten(let path, let reason):
            "\(path): cannot write the parse cache: \(reason)"
        case .pkgbuildNotFound(let package, let trees):
            "no PKGBUILD of \(package) in \(trees.joined(separator: ", ")); it was removed since it was queued, run pacbuild catchup"
        case .pkgbuildUnreadable(let directory, let diagnostics):
            "\(directory)/PKGBUILD cannot be read: \(diagnostics.prefix(3).joined(separator: "; "))"
        case .versionChanged(let package, let queued, let found, let directory):
            "\(directory)/PKGBUILD is now \(package) \(found), but the build was queued for \(queued); "
                + "run pacbuild catchup to queue the new version"
        case .cannotStart(let reason):
            reason
        case .lockTimeout(let lockFile, let holder, let seconds):
            "\(lockFile): still held\(holder.map { " by process \($0)" } ?? "") after \(seconds)s; another update is running, try again later"
        case .staleLock(let lockFile, let holder):
            "\(lockFile): held by process \(holder), which is not running (a killed update left it); run pacbuild recover"
        case .olderThanRepo(let file, let present):
            "\(file): the repo already has \(present), which is newer; a build older than the repo is not published"
        case .setHeld(let set, let holds):
            "set \(set) is held: " + holds.joined(separator: "; ")
                + " (`pacbuild set drop BUILD` publishes the set without a member, `pacbuild set publish --closed \(set)` its part closed under dependencies)"
        case .dependencyNotAccepted(let id, let dependency):
            "build \(id) depends on \(dependency), which is in staging, not accepted; accept it first (pacbuild accept "
                + "takes the builds in the order given, --all in dependency order), or reject it"
        case .badDurations(let file, let line, let reason):
            "\(file):\(line): \(reason)"
        case .simulationStuck(let left):
            "the simulation ended with \(left) builds never ready; their dependencies were not in the plan's queue"
        case .logNotFound(let build, let tried?):
            "no log of build \(build): \(tried) is not readable on this machine, and the store has no uploaded "
                + "\(BuildLogs.storedName) (only a waka with a PostgreSQL store uploads it); read it on the waka's machine"
        case .serverUnavailable(let servers, let pacman):
            "cannot fetch the databases of \(servers): \(pacman); check that the server is reachable and serves the "
                + "published repo (a repo not yet published has no database there)"
        case .dependenciesNotFound(let servers, let pacman):
            "pacman cannot get the build's dependencies from its repos (served: \(servers)): \(pacman); publish the "
                + "missing package to one of these repos, or correct the PKGBUILD's dependency"
        case .invalidAction(let reason):
            reason
        case .logNotFound(let build, nil):
            "no log of build \(build): its waka reported none, and the store has no uploaded \(BuildLogs.storedName)"
        }
    }
}
