/// Errors of the Sandbox module. Each says what was being done, with which file or
/// command, and what to do about it; a build that ran and failed is not an error but a
/// ``BuildResult`` with a ``FailureClass``.
public enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No build root of that name under the state directory.
    case rootNotFound(name: String, rootsDirectory: String)
    /// A build root exists but was never completed (its stamp file is missing).
    case rootIncomplete(name: String, directory: String)
    /// `sandbox create` for a name that is taken.
    case rootExists(name: String, directory: String)
    /// A build root name that is not a plain file name.
    case invalidRootName(String)
    /// A required program is not installed on the host.
    case toolMissing(tool: String, package: String)
    /// A host command pacbuild runs (debootstrap, mkfs.ext4, cp, bsdtar) failed.
    case commandFailed(command: String, status: Int32, output: String)
    /// A file or directory could not be read, written or created.
    case io(path: String, reason: String)
    /// The backend needs privileges this process lacks.
    case needsRoot(backend: SandboxBackendKind, reason: String)
    /// The host backend was asked for without the explicit opt-in.
    case unsafeHostRefused
    /// No Debian mirror could be found for debootstrap.
    case noMirror(searched: [String])
    /// A job or build description that cannot run as given.
    case invalidJob(String)

    public var description: String {
        switch self {
        case .rootNotFound(let name, let dir):
            return "no build root '\(name)' in \(dir); create it with `pacbuild sandbox create \(name) --debootstrap` (or --from-dir/--from-tarball)"
        case .rootIncomplete(let name, let dir):
            return "build root '\(name)' in \(dir) is incomplete (no stamp file; its creation was interrupted); remove it with `pacbuild sandbox rm \(name)` and create it again"
        case .rootExists(let name, let dir):
            return "build root '\(name)' already exists in \(dir); remove it first with `pacbuild sandbox rm \(name)`"
        case .invalidRootName(let name):
            return "'\(name)' is not a valid build root name: use letters, digits, '.', '_' and '-', not starting with '.'"
        case .toolMissing(let tool, let package):
            return "\(tool) is not installed; install the Debian package \(package) (scripts/setup does)"
        case .commandFailed(let command, let status, let output):
            let tail = output.split(separator: "\n").suffix(15).joined(separator: "\n")
            return "`\(command)` failed with status \(status)\(tail.isEmpty ? "" : ":\n\(tail)")"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .needsRoot(let backend, let reason):
            return "the \(backend.rawValue) backend needs root here: \(reason)"
        case .unsafeHostRefused:
            return "the host backend runs the build without any isolation; pass --unsafe-host if that is really meant (development only)"
        case .noMirror(let searched):
            return "no Debian mirror for bookworm found in \(searched.joined(separator: ", ")); pass --mirror URL"
        case .invalidJob(let reason):
            return "cannot run this job: \(reason)"
        }
    }
}
