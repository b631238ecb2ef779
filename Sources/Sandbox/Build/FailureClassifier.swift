/// Classifies a failed build from its log and exit status, by the messages makepkg
/// 6.0.2 prints (`==> ERROR: A failure occurred in build().`) and the markers of
/// pacbuild's own job script. Pure, so it is tested on literal logs.
public enum FailureClassifier {
    /// The marker the job script prints when pacman cannot install the dependencies.
    public static let dependencyMarker = "==> pacbuild: ERROR: dependencies could not be installed"
    /// The marker a backend notes in the log (``BuildLog/note(_:)``) when the run hit one
    /// of its ``SandboxLimits``, followed by which: `pacbuild: limit reached: memory (8 GiB)`.
    public static let limitMarker = "pacbuild: limit reached: "

    /// makepkg's messages for source problems (download, checksums, signatures, extraction).
    static let sourceMessages = [
        "Failure while downloading", "One or more files did not pass the validity check",
        "One or more PGP signatures could not be verified", "was not found in the build directory and is not a URL",
        "Failed to extract", "differ in size from the source array", "Unknown download protocol",
        "Integrity checks are missing", "A failure occurred in pkgver()",
    ]

    /// The class of a build that exited with `status` (or timed out) and printed `log`;
    /// `nil` for a success.
    public static func classify(log: [String], exitStatus: Int32, timedOut: Bool) -> BuildFailure? {
        if timedOut { return BuildFailure(.timeout, "stopped after running past its timeout") }
        if exitStatus == 0 { return nil }
        if let line = log.last(where: { $0.contains(limitMarker) }), let marker = line.range(of: limitMarker) {
            return BuildFailure(.limits, "the build hit its limit: " + line[marker.upperBound...])
        }
        if exitStatus == SandboxOutcome.setupFailedStatus || log.contains(where: { $0.contains("pacbuild-sandbox:") }) {
            return BuildFailure(.sandbox, "the sandbox could not be set up (status \(exitStatus))")
        }
        if log.contains(where: { $0.contains(dependencyMarker) }) {
            return BuildFailure(.dependencies, "pacman could not install the build's dependencies")
        }
        for line in log.reversed() {
            if let function = failedFunction(line) {
                let failureClass: FailureClass = switch function {
                case "prepare": .prepare
                case "build": .build
                case "check": .check
                case "pkgver": .source
                default: function.hasPrefix("package") ? .package : .build
                }
                return BuildFailure(failureClass, "makepkg: a failure occurred in \(function)()")
            }
            if line.contains("==> ERROR:"), sourceMessages.contains(where: line.contains) {
                return BuildFailure(.source, "makepkg: " + errorText(line))
            }
            if line.contains("Missing dependencies") || line.contains("Could not resolve all dependencies") {
                return BuildFailure(.dependencies, "makepkg: " + errorText(line))
            }
        }
        if exitStatus > 128 { return BuildFailure(.sandbox, "the build was killed by signal \(exitStatus - 128)") }
        if let error = log.last(where: { $0.contains("==> ERROR:") }) {
            return BuildFailure(.build, "makepkg: " + errorText(error))
        }
        return BuildFailure(.build, "the build exited with status \(exitStatus)")
    }

    /// `build` from `==> ERROR: A failure occurred in build().`
    static func failedFunction(_ line: String) -> String? {
        guard let marker = line.range(of: "A failure occurred in ") else { return nil }
        let rest = line[marker.upperBound...]
        guard let paren = rest.firstIndex(of: "(") else { return nil }
        return String(rest[..<paren])
    }

    private static func errorText(_ line: String) -> String {
        guard let marker = line.range(of: "ERROR: ") else { return line }
        return String(line[marker.upperBound...])
    }
}
