import Foundation
import Sandbox

/// What a dead pacbuild process left on this machine, removed: `STATE/work/ID/` of builds
/// whose waka died (dependency repos with their locks, half-written databases, job
/// directories) and, under `STATE/tmp/`, the scratch of sandbox runs whose process died.
/// A live process holds a lock on each (``ScratchLocks``), which the kernel drops when it
/// dies. Mounts below either are detached first.
///
/// A waka sweeps when it starts, `pacbuild recover` when it runs: a crash of pacbuild
/// never becomes the next build's failure.
public struct WorkSweeper: Sendable {
    public let stateDirectory: String

    public init(stateDirectory: String) { self.stateDirectory = stateDirectory }

    var workDirectory: String { stateDirectory + "/work" }
    var scratchDirectory: String { stateDirectory + "/tmp" }

    /// Removes the work directories and scratch of every run whose process is gone (its
    /// lock, ``ScratchLocks``, is free); a live waka's, on this machine, stay.
    public func sweep() -> [String] {
        ScratchLocks.removeAbandoned(in: workDirectory) + ScratchLocks.removeAbandoned(in: scratchDirectory)
            + Cgroup.removeAbandoned()
    }
}
