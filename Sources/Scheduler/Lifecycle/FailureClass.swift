/// Why a build failed, so a maintainer knows where to look and the scheduler knows what
/// a retry can fix (a `lost` or `timeout` build often succeeds on another worker, a
/// `build` failure rarely does without a change).
public enum FailureClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// The sources could not be fetched or verified.
    case source
    /// `prepare()` failed.
    case prepare
    /// `build()` failed.
    case build
    /// `check()` failed.
    case check
    /// `package()` failed or produced no valid package.
    case package
    /// The build dependencies could not be installed.
    case dependencies
    /// The build ran past its time limit.
    case timeout
    /// The sandbox itself failed (mounts, UML, out of disk), not the package.
    case sandbox
    /// The worker vanished: its lease expired more often than the retry limit allows.
    case lost
}
