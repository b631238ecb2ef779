import Foundation
import Graph

/// What a reviewer needs to judge one built build at a glance (`pacbuild checkbuilds`):
/// the version step, how the build went, and how each package differs from the one the
/// repo holds now.
public struct BuildReview: Sendable, Codable {
    public var id: BuildID
    public var package: PackageBaseID
    /// The pkgbase's version in the repo database now; nil when it is new to the repo.
    public var oldVersion: String?
    public var newVersion: String
    public var worker: String?
    public var durationSeconds: Double?
    /// `==> WARNING:` lines makepkg wrote into the log; nil when the log is unreadable here.
    public var warnings: Int?
    public var log: String?
    public var packages: [PackageChange]
    /// Packages of the pkgbase the repo has but the build no longer makes.
    public var droppedPackages: [String]
    /// What could not be looked at (an unreadable package file or database).
    public var problems: [String]
    /// The staging repo the build is published to (`staging = true`), where its
    /// dependents build against it; nil when it is not staged.
    public var stagedIn: String? = nil
    /// 2 for a dependency cycle member's rebuild against pass 1 of every member: the
    /// repo then holds pass 1 at the same version, which this build replaces.
    public var pass: Int = 1
    /// Sonames the repo's current packages of the pkgbase provide and the build's no
    /// longer do, each with the packages that need it (issue 19); empty when none, or
    /// when the build's sonames are unknown (facts recorded before pacbuild read them).
    public var sonameBumps: [SonameBump] = []
    /// Sonames the build provides that the repo's current packages do not (the new side
    /// of a bump: `libfoo.so.2-64` beside a gone `libfoo.so.1-64`).
    public var sonamesAdded: [String] = []
    /// ELF files beyond the repo's `isa`, as the architecture check found them (`isa_check
    /// = "warn"`: the build succeeded with them), one line each.
    public var architectureFindings: [String] = []
}

/// A soname a build stops providing, and who needs it.
public struct SonameBump: Sendable, Codable, Equatable {
    /// `libfoo.so.1-64` (``sonameText(_:bits:)``).
    public var soname: String
    /// `repo/pkgname` of every package, in the build's repo and the repos whose
    /// `depends_on` names it, whose ELF files need the soname; sorted. The pkgbase's own
    /// packages are left out: the build replaces them.
    public var consumers: [String]
}

/// One package of a build against the same-named package in the repo.
public struct PackageChange: Sendable, Codable {
    public var name: String
    public var file: String
    /// The package file's size in bytes.
    public var size: Int64?
    public var installedSize: Int64?
    /// The version in the repo; nil for a package new to the repo.
    public var oldVersion: String?
    /// Installed size now minus before; nil for a new package.
    public var installedSizeChange: Int64?
    public var filesAdded: [String] = []
    public var filesRemoved: [String] = []
    /// Why the file lists were not compared although the repo has the package's: its
    /// package file is neither on this machine nor fetchable from the store (the rest
    /// comes from the facts recorded at report). nil when compared, or with nothing to
    /// compare against.
    public var filesUnavailable: String? = nil
    public var dependsAdded: [String] = []
    public var dependsRemoved: [String] = []
    public var providesAdded: [String] = []
    public var providesRemoved: [String] = []

    /// Sonames among the changed depends and provides (`libfoo.so=1-64`): the changes that
    /// break or need rebuilds of other packages.
    public var sonameChanges: [String] {
        (dependsAdded + dependsRemoved + providesAdded + providesRemoved).filter { $0.contains(".so") }
    }
}
