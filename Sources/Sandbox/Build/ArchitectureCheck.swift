import Graph

/// What a repo asks of its packages' machine code (`isa`, `isa_check`).
public struct ArchitectureCheck: Sendable, Hashable, Codable {
    /// What a violation does to the build.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        /// The build fails with class ``FailureClass/arch``.
        case fail
        /// The build succeeds; each violation is a warning in its log and review.
        case warn
        /// No check.
        case off
    }

    public var level: ISALevel
    public var mode: Mode

    public init(level: ISALevel, mode: Mode) {
        self.level = level
        self.mode = mode
    }

    /// The line each violation gets in the build log, found again by the review.
    public static let logMarker = "pacbuild: architecture check:"
    /// What the host's own lines at the end of the log start with, where the build's
    /// lines start with their timestamp (`[   1.234] `): a build cannot print one.
    public static let logPrefix = "[  check  ] "
}
