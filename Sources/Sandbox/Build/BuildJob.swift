import Graph

/// One pkgbase to build: where its PKGBUILD is, what the build must produce, what it
/// installs first, and from which repositories.
public struct BuildJob: Sendable {
    /// The pkgbase directory (PKGBUILD and its local sources); copied, never written.
    public var directory: String
    /// The pkgbase name, for the result.
    public var pkgbase: String
    /// Every package the build must produce, exactly.
    public var expected: [ExpectedPackage]
    /// depends, makedepends and checkdepends, as PKGBUILD strings (`foo>=1.2`).
    public var dependencies: [String]
    /// The repositories dependencies come from, in pacman.conf order (this repo first).
    public var repositories: [LocalRepository]
    /// makepkg.conf for the build (`nil`: the build root's `/etc/makepkg.conf`).
    public var makepkgConf: String?
    /// The CARCH the build is for (pacman's `Architecture`, and `arch` of non-`any` packages).
    public var carch: String
    /// Whether the sandbox may use the network (sources fetched inside the build).
    public var network: Bool
    /// Wall-clock limit for the whole sandbox, dependency installation included.
    public var timeout: Duration
    /// Memory, processes and disk of the sandboxed run.
    public var limits = SandboxLimits()
    /// The largest package file taken from the build's output, in bytes; `nil`: the
    /// run's disk limit (``SandboxLimits/diskBytes``), which no honest package exceeds.
    public var maxPackageBytes: UInt64?
    /// The fetch stage's cache and limits (``SourceFetch``); nil: no fetch stage, so a
    /// URL source is left to makepkg (which fails without the network).
    public var sourceFetch: SourceFetchSettings?
    /// The PKGBUILD as read, for its sources and checksums (set by ``init(srcinfo:directory:carch:repositories:makepkgConf:network:timeout:)``).
    public var srcinfo: SrcInfo?
    /// The architecture check of the built packages (`isa`, `isa_check`); nil: none.
    public var architectureCheck: ArchitectureCheck?
    /// See ``SandboxJob/shouldStop``: a stopped build ends as failed, and its caller,
    /// who asked for the stop, knows to disregard the result.
    public var shouldStop: (@Sendable () -> Bool)?

    /// The size limit the output's package files are verified against.
    public var packageSizeLimit: UInt64 { maxPackageBytes ?? limits.diskBytes }

    public init(directory: String, pkgbase: String, expected: [ExpectedPackage], dependencies: [String],
                repositories: [LocalRepository] = [], makepkgConf: String? = nil, carch: String,
                network: Bool = false, timeout: Duration = .seconds(3600)) {
        self.directory = directory
        self.pkgbase = pkgbase
        self.expected = expected
        self.dependencies = dependencies
        self.repositories = repositories
        self.makepkgConf = makepkgConf
        self.carch = carch
        self.network = network
        self.timeout = timeout
    }

    /// The job for a parsed PKGBUILD: every pkgname at the pkgbase's full version, with
    /// `any` where the package's `arch` says so and `carch` otherwise; the dependencies
    /// makepkg installs before building: the pkgbase's `depends`, `makedepends` and
    /// `checkdepends` (and their `_CARCH` variants). A split package's own `depends`
    /// are not among them, as makepkg's `resolve_deps` reads only the global arrays: a
    /// package may depend on a sibling of the same build (`foo-headers` on `foo=$pkgver`).
    public init(srcinfo: SrcInfo, directory: String, carch: String, repositories: [LocalRepository] = [],
                makepkgConf: String? = nil, network: Bool = false, timeout: Duration = .seconds(3600)) {
        let version = srcinfo.fullVersion
        let expected = srcinfo.pkgnames.map { name in
            ExpectedPackage(name: name, version: version, arch: srcinfo.values("arch", for: name).contains("any") ? "any" : carch)
        }
        var dependencies: [String] = []
        for key in ["depends", "makedepends", "checkdepends"] {
            for suffix in ["", "_" + carch] {
                let values = srcinfo.base[key + suffix] ?? []
                for value in values where !value.isEmpty && !dependencies.contains(value) { dependencies.append(value) }
            }
        }
        self.init(directory: directory, pkgbase: srcinfo.pkgbase, expected: expected, dependencies: dependencies,
                  repositories: repositories, makepkgConf: makepkgConf, carch: carch, network: network, timeout: timeout)
        self.srcinfo = srcinfo
    }
}

/// A package a build must produce: exactly this name, full version and arch.
public struct ExpectedPackage: Sendable, Hashable, Codable {
    public var name: String
    /// `[epoch:]pkgver-pkgrel`.
    public var version: String
    public var arch: String

    public init(name: String, version: String, arch: String) {
        self.name = name
        self.version = version
        self.arch = arch
    }
}

/// A repository on this machine whose packages a build may install: its name in
/// pacman.conf and its sync database, `DIR/NAME.db.tar.EXT`, next to its packages.
public struct LocalRepository: Sendable, Hashable, Codable {
    public var name: String
    public var database: String

    public init(name: String, database: String) {
        self.name = name
        self.database = database
    }

    /// `NAME` from `DIR/NAME.db.tar.EXT` (or `NAME.db`).
    public init(database: String) {
        let file = database.split(separator: "/").last.map(String.init) ?? database
        let name = file.range(of: ".db").map { String(file[..<$0.lowerBound]) } ?? file
        self.init(name: name, database: database)
    }
}
