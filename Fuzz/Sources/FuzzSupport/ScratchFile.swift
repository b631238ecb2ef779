import Foundation

/// The file a Repo fuzz target hands its input through: Repo reads archives from paths
/// only (libarchive over a descriptor, `PATH.sig` beside a package), so each input is
/// written over one file in a private directory, on tmpfs when there is one.
///
/// One per process, made on first use and rewritten for every input. libFuzzer calls
/// `LLVMFuzzerTestOneInput` from one thread, so the file is never written concurrently.
public final class ScratchFile: Sendable {
    /// The file's path; it ends in the `name` given (`fuzz.db`, `fuzz.pkg.tar`).
    public let path: String
    private let descriptor: Int32

    /// A fresh directory under `$PACBUILD_FUZZ_SCRATCH`, else `/dev/shm`, else `/tmp`,
    /// holding the file `name`. The directory stays after the process (a crash leaves
    /// it anyway); `scripts/fuzz` points the variable at a directory it empties.
    public init(name: String) {
        let candidates: [String] = [ProcessInfo.processInfo.environment["PACBUILD_FUZZ_SCRATCH"], "/dev/shm", "/tmp"].compactMap { $0 }
        let parent = candidates.first { (candidate: String) in access(candidate, W_OK) == 0 } ?? "/tmp"
        var template = Array("\(parent)/pacbuild-fuzz-XXXXXX".utf8CString)
        guard let directory = mkdtemp(&template) else { fatalError("fuzz: mkdtemp under \(parent): errno \(errno)") }
        path = String(cString: directory) + "/" + name
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { fatalError("fuzz: cannot create \(path): errno \(errno)") }
    }

    /// Replaces the file's content by the `count` bytes at `data`.
    public func write(_ data: UnsafePointer<UInt8>, count: Int) {
        guard ftruncate(descriptor, 0) == 0 else { fatalError("fuzz: ftruncate \(path): errno \(errno)") }
        var done = 0
        while done < count {
            let written = pwrite(descriptor, data + done, count - done, off_t(done))
            guard written > 0 else { fatalError("fuzz: pwrite \(path): errno \(errno)") }
            done += written
        }
    }
}

extension ScratchFile {
    /// The scratch file of a target that reads through Repo, made after the C locale is
    /// set to C.UTF-8, as the CLI's main sets it: libarchive crashes on non-ASCII names
    /// in the C locale (Repo's README).
    public static func forRepo(name: String) -> ScratchFile {
        setlocale(LC_ALL, "C.UTF-8")
        return ScratchFile(name: name)
    }
}
