import Graph
import Repo
import Sandbox

extension RepoConfig {
    /// Every key of a repo file.
    static let keys = [
        "name", "arch", "abs", "db", "pool", "depends_on", "makepkg_conf", "pacman_conf", "sandbox",
        "network", "review", "staging", "staging_db", "hooks", "blacklist", "bootstrap", "arch_policy", "arch_map",
        "tags", "package_tags", "server", "limits", "build_root", "isa", "isa_check", "soname_rebuilds",
    ]

    /// Reads one repo file, collecting every problem in it; checks that need the other
    /// files (`depends_on`, duplicate names, cycles) are ``Configuration``'s.
    static func parse(_ source: ConfigSource, paths: ConfigPaths, defaultSandbox: SandboxBackendKind,
                      defaultLimits: SandboxLimits = SandboxLimits()) -> ParsedRepo {
        var table = source.table(keys: keys)
        var name = table.string("name", required: true, expected: "a string: the repo name")
        if let given = name, !validRepoName(given) {
            table.fail("name", .invalidValue(expected: repoNameRule, found: "'\(given)'"))
            name = nil
        }
        var arch = table.string("arch", required: true, expected: "a string: the CARCH builds use, e.g. 'i586'")
        if let given = arch, !validArch(given) {
            table.fail("arch", .invalidValue(expected: archRule, found: "'\(given)'"))
            arch = nil
        }
        let abs = table.paths("abs", paths, .directory, required: true, expected: "an existing directory of PKGBUILD trees")
        let db = table.path("db", paths, .creatableFile, required: true,
                            expected: "NAME.db.tar.gz in a directory that exists or can be created")
        let database = db.flatMap { databaseName($0, repo: name, table: &table) }
        let pool = table.path("pool", paths, .creatableDirectory, expected: "a directory that exists or can be created")
        let dependsOn = table.strings("depends_on", expected: "an array of repo names") ?? []
        let makepkgConf = table.path("makepkg_conf", paths, .file, expected: "an existing makepkg.conf")
        let pacmanConf = table.path("pacman_conf", paths, .file, expected: "an existing pacman.conf template")
        let sandbox = table.choice("sandbox", SandboxBackendKind.self) ?? defaultSandbox
        let network = table.bool("network") ?? false
        let review = table.choice("review", ReviewPolicy.self) ?? .manual
        let staging = table.bool("staging") ?? false
        let stagingDb = parseStagingDb(&table, paths, staging: staging, database: database, name: name,
                                       pool: pool ?? database?.directory)
        let hooks = RepoHooks.parse(&table, paths: paths)
        let blacklist = table.strings("blacklist", expected: "an array of pkgbases") ?? []
        let bootstrap = table.strings("bootstrap", expected: "an array of pkgbases") ?? []
        let archPolicy = ArchPolicy.parse(&table)
        let tags = BuildTags.parse(&table)
        let server = RepoServer.parse(&table)
        let limits = SandboxLimits.parse(&table, base: defaultLimits)
        let buildRoot = table.string("build_root", expected: "a build root name, or the path of a root's directory").map {
            $0.contains("/") ? paths.resolve($0) : $0
        }
        let architectureCheck = parseArchitectureCheck(&table)
        let sonameRebuilds = table.choice("soname_rebuilds", SonameRebuildPolicy.self) ?? .plan
        let errors = table.finish()
        guard errors.isEmpty, let name, let arch, let abs, let db, let database, let archPolicy else {
            return ParsedRepo(file: source.name, name: name, dependsOn: dependsOn, repo: nil, source: source, errors: errors)
        }
        var repo = RepoConfig(
            name: name, arch: arch, abs: abs, db: db, pool: pool ?? database.directory, dependsOn: dependsOn,
            makepkgConf: makepkgConf, pacmanConf: pacmanConf, sandbox: sandbox, network: network, review: review,
            staging: staging, stagingDb: stagingDb, hooks: hooks, blacklist: blacklist, bootstrap: bootstrap, archPolicy: archPolicy,
            tags: tags, server: server, file: source.name)
        repo.limits = limits
        repo.buildRoot = buildRoot
        repo.architectureCheck = architectureCheck
        repo.sonameRebuilds = sonameRebuilds
        return ParsedRepo(file: source.name, name: name, dependsOn: dependsOn, repo: repo, source: source, errors: [])
    }

    /// `isa` and `isa_check`: no check without `isa`; `isa_check` defaults to `fail`.
    private static func parseArchitectureCheck(_ table: inout ConfigTable) -> ArchitectureCheck? {
        let expected = "an x86 ISA level: " + ISALevel.names
        let level: ISALevel?
        if let name = table.string("isa", expected: expected) {
            level = ISALevel(rawValue: name)
            if level == nil { table.fail("isa", .invalidValue(expected: expected, found: "'\(name)'")) }
        } else {
            level = nil
        }
        let mode = table.choice("isa_check", ArchitectureCheck.Mode.self)
        if mode != nil && mode != .off && level == nil && table.has("isa") == false {
            table.fail("isa_check", .invalidValue(expected: "'isa' set too: the level the packages are checked against",
                                                  found: "isa_check without isa"))
        }
        return level.map { ArchitectureCheck(level: $0, mode: mode ?? .fail) }
    }

    /// The database as repo-add would take it; pacman finds a repo's database by the
    /// section name, so the file must be named after the repo.
    private static func databaseName(_ db: String, repo: String?, table: inout ConfigTable) -> DatabaseWriter? {
        let file = db.split(separator: "/").last.map(String.init) ?? db
        guard let database = try? DatabaseWriter(path: db) else {
            table.fail("db", .invalidValue(expected: "a file named NAME.db.tar[.gz|.xz|.zst|.bz2|.lz4|.Z]", found: "'\(file)'"))
            return nil
        }
        if let repo, database.name != repo {
            table.fail("db", .invalidValue(expected: "a database named after the repo, \(repo).db.\(database.suffix)", found: "'\(file)'"))
            return nil
        }
        return database
    }

    static let repoNameRule = "letters, digits, '-', '_' or '.', not starting with '-' or '.', and not 'local' or 'options'"
    static let archRule = "letters, digits and '_' (not 'any')"

    /// pacman's section names, minus the two it reserves.
    static func validRepoName(_ name: String) -> Bool {
        guard let first = name.first, first != "-", first != ".", name != "local", name != "options" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    static func validArch(_ arch: String) -> Bool {
        arch != "any" && arch.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
