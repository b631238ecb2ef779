/// What one build ended with: the packages it made (each verified), or a failure class
/// and reason; the log and its last lines either way.
public struct BuildResult: Sendable, Codable {
    public var pkgbase: String
    /// `nil` when the build succeeded and every expected package is there and right.
    public var failure: BuildFailure?
    /// The package files produced, read back through Repo.
    public var packages: [BuiltPackage]
    /// The full log, one timestamped line per line of output.
    public var logPath: String
    /// The last lines of the log, for a failure report.
    public var logTail: [String]
    /// The sandboxed job's exit status.
    public var exitStatus: Int32
    /// Wall-clock seconds from sandbox start to tear-down.
    public var seconds: Double
    /// Dependencies no configured repository provides, taken as present in the build root
    /// (pacman's `--assume-installed`).
    public var assumedInstalled: [String]
    /// The architecture check's findings (``ArchitectureCheck``), one line per ELF file;
    /// with `isa_check = "warn"` the build still succeeded, and each is in the log.
    public var architectureFindings: [String] = []

    public var succeeded: Bool { failure == nil }
}

/// A produced package file and what its `.PKGINFO` says.
public struct BuiltPackage: Sendable, Codable, Hashable {
    public var name: String
    public var version: String
    public var arch: String
    public var path: String
}
