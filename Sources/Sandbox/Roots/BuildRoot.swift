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

/// What `stamp.json` records: how and when the root was made.
public struct BuildRootStamp: Sendable, Codable, Equatable {
    /// `debootstrap bookworm MIRROR`, `dir PATH`, `tarball FILE`.
    public var source: String
    /// Seconds since the epoch.
    public var created: Double
    /// How long creation took, in seconds.
    public var seconds: Double
}
