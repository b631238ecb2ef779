/// A built build's package files on this machine, each with the sha256 the store
/// recorded when the build was reported, as accept and staging publish them.
enum BuildPackages {
    /// The files `localArtifacts` finds for `build` (the reported paths, or copies
    /// fetched from the store at the same index), paired with the checksum recorded for
    /// the reported path; throws ``SchedulerError/noArtifacts(id:)`` for a build with none.
    static func withChecksums(of build: BuildRecord, store: any BuildStore,
                              localArtifacts: (BuildRecord) throws -> [String]) throws -> [(path: String, sha256: String?)] {
        let files = try localArtifacts(build)
        guard !files.isEmpty else { throw SchedulerError.noArtifacts(id: build.id.description) }
        let recorded = try store.artifactChecksums(of: build.id)
        return files.enumerated().map { index, file in
            let reported = build.artifacts.indices.contains(index) ? build.artifacts[index] : file
            return (file, recorded[reported] ?? recorded[file])
        }
    }
}
