import Foundation

/// The fetched sources as a build sees them: `WORK/sources/NAME` (a hard link to the
/// cache file, or a copy on another file system), shown read-only at
/// `/pacbuild/.sources`; the job script makes `SRCDEST` (`/pacbuild/srcdest`, the
/// builder's) a symbolic link per file into it, so makepkg finds each source there
/// (`get_filepath`) and downloads nothing, while nothing it does changes the cache.
enum SourceView {
    /// Where the files appear inside.
    static let inside = SandboxJob.mountPoint + "/.sources"
    /// makepkg's `SRCDEST` inside: writable (makepkg insists), holding only links.
    static let sourceDestination = SandboxJob.mountPoint + "/srcdest"

    /// Puts the files in `WORK/sources` and returns the bind that shows them; with
    /// `copyIntoJob` (a backend that cannot show a bind read-only) they are copied into
    /// the job directory's `.sources` instead (mode 0444) and there is no bind.
    static func stage(_ sources: [FetchedSource], work: String, job: String, copyIntoJob: Bool) throws(SandboxError) -> ReadOnlyBind? {
        let host = work + "/sources"
        try? FileManager.default.removeItem(atPath: host)
        let target = copyIntoJob ? job + "/.sources" : host
        try makeDirectory(target)
        try makeDirectory(job + "/.sources")  // the mount point
        chmod(target, 0o755)
        for source in sources {
            let path = target + "/" + source.filename
            if copyIntoJob || Glibc.link(source.path, path) != 0 {
                do { try FileManager.default.copyItem(atPath: source.path, toPath: path) } catch {
                    throw .io(path: path, reason: "cannot copy \(source.path): \(error.localizedDescription)")
                }
                chmod(path, 0o444)
            }
        }
        return copyIntoJob ? nil : ReadOnlyBind(host: host, inside: inside)
    }
}
