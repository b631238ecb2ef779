import Foundation

/// A cached build root under the state directory, `STATE/roots/NAME/`: the root
/// directory `root/`, for UML its ext4 image `root.img`, and the stamp `stamp.json`,
/// written last, whose presence says the root is complete. Builds only ever read it.
public struct BuildRoot: Sendable, Codable, Equatable {
    /// The name `sandbox create` gave it.
    public var name: String
    /// `STATE/roots/NAME`.
    public var directory: String

    public init(name: String, directory: String) {
        self.name = name
        self.directory = directory
    }

    /// The root file system as a directory (namespace and host backends).
    public var rootfs: String { directory + "/root" }
    /// The ext4 image of ``rootfs`` (UML backend), made on first use.
    public var image: String { directory + "/root.img" }
    /// The completion stamp.
    public var stampPath: String { directory + "/stamp.json" }

    /// Whether creation finished.
    public var isComplete: Bool { FileManager.default.fileExists(atPath: stampPath) }

    /// The stamp's contents, `nil` while incomplete.
    public func stamp() -> BuildRootStamp? {
        guard let data = FileManager.default.contents(atPath: stampPath) else { return nil }
        return try? JSONDecoder().decode(BuildRootStamp.self, from: data)
    }
}

/// What `stamp.json` records: how and when the root was made, and for which machine.
public struct BuildRootStamp: Sendable, Codable, Equatable {
    /// `debootstrap bookworm MIRROR [--arch=ARCH]`, `dir PATH`, `tarball FILE`.
    public var source: String
    /// Seconds since the epoch.
    public var created: Double
    /// How long creation took, in seconds.
    public var seconds: Double
    /// The machine of the root's programs as `uname -m`'s family names it (``RootArchitecture``):
    /// `i386` for a 32-bit x86 root, `x86_64`, `aarch64`; nil in stamps written before it
    /// was recorded, or when the root's shell is not an ELF file.
    public var architecture: String?
    /// When `sandbox update` last refreshed the root's packages (seconds since the epoch).
    public var updated: Double?

    public init(source: String, created: Double, seconds: Double, architecture: String?, updated: Double? = nil) {
        self.source = source
        self.created = created
        self.seconds = seconds
        self.architecture = architecture
        self.updated = updated
    }

    /// Writes the stamp as `stamp.json` at `path`, replacing the old one atomically.
    func write(to path: String) throws(SandboxError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { throw .io(path: path, reason: "cannot encode the stamp") }
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .io(path: path, reason: "cannot write the stamp: \(error.localizedDescription)")
        }
    }
}
