/// Why a build failed, so that maintainers and the scheduler can tell a broken source
/// URL from a compile error from a flaky sandbox without reading the log, and what a
/// retry can fix (a `lost` or `timeout` build often succeeds on another worker, a
/// `build` failure rarely does without a change). The scheduler's store uses the same
/// classes.
public enum FailureClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// Fetching, verifying or extracting sources; `pkgver()`.
    case source
    /// `prepare()`.
    case prepare
    /// `build()`.
    case build
    /// `check()`.
    case check
    /// `package()`, or packages missing, extra or wrong after the build.
    case package
    /// Installing depends/makedepends/checkdepends.
    case dependencies
    /// The sandbox ran out of time and was stopped.
    case timeout
    /// The build hit one of its resource limits (memory, processes, disk); the reason
    /// names the limit.
    case limits
    /// What the build left in its output (packages, signatures, log) failed the host's
    /// checks: an unexpected name, a link, FIFO or device, a file over its size limit, a
    /// name or version makepkg would refuse.
    case verification
    /// An ELF file of the packages is not for the repo's machine, or uses instructions
    /// beyond the repo's ISA level (`isa`, `isa_check = "fail"`); the reason names each
    /// file with its instructions and their counts.
    case arch
    /// The sandbox could not be set up or died (not the PKGBUILD's fault).
    case sandbox
    /// The worker holding the build stopped renewing its lease too often (the scheduler
    /// sets it; a sandbox never does).
    case lost
}

/// A failed build's class and a sentence saying what happened.
public struct BuildFailure: Sendable, Codable, Equatable {
    public var failureClass: FailureClass
    public var reason: String

    public init(_ failureClass: FailureClass, _ reason: String) {
        self.failureClass = failureClass
        self.reason = reason
    }
}
