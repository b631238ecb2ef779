import Foundation

/// A backend that shows every ``SandboxJob/readOnlyBinds`` entry at its `inside` path
/// itself, read-only (a bind mount) or as a private copy. For a backend that does not
/// declare this, ``SandboxBuild`` copies the pools' package files into the job
/// directory before the run (``ReadOnlyPools/copy(_:into:)``).
public protocol ShowsReadOnlyBinds: SandboxBackend {}

/// The pools of the repositories a build installs from, for backends that cannot show
/// them read-only: copies of their package files at the binds' `inside` paths. Copies,
/// never links: whatever the sandbox does to them changes nothing published.
enum ReadOnlyPools {
    /// Copies each bind's package files (``BuildWorkspace/poolFiles(in:)``) to the
    /// directory of `jobDirectory` its `inside` path names, mode 0444.
    static func copy(_ binds: [ReadOnlyBind], into jobDirectory: String) throws(SandboxError) {
        for bind in binds {
            guard bind.inside.hasPrefix(SandboxJob.mountPoint + "/"), !bind.inside.split(separator: "/").contains("..") else {
                throw .invalidJob("read-only directory \(bind.inside) is not below \(SandboxJob.mountPoint)")
            }
            let target = jobDirectory + bind.inside.dropFirst(SandboxJob.mountPoint.count)
            try makeDirectory(target)
            for name in BuildWorkspace.poolFiles(in: bind.host) {
                let copy = target + "/" + name
                do {
                    try? FileManager.default.removeItem(atPath: copy)
                    try FileManager.default.copyItem(atPath: bind.host + "/" + name, toPath: copy)
                } catch {
                    throw .io(path: copy, reason: "cannot copy \(bind.host)/\(name): \(error.localizedDescription)")
                }
                chmod(copy, 0o444)
            }
        }
    }
}
