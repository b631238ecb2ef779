import Foundation
import Graph

/// Where a build's downloaded sources come from and how far a download may go.
public struct SourceFetchSettings: Sendable {
    /// `STATE/sources` (``SourceCache``).
    public var cacheDirectory: String
    /// The largest source file, in bytes.
    public var maxBytes: UInt64
    /// Seconds one download may take.
    public var timeoutSeconds: Int
    /// Other machines' downloads, through the build store; nil: this machine's alone.
    public var shared: (any SharedSources)?
    /// Hosts a download may reach although they resolve to an internal address
    /// (``SourceDownload/allowedHosts``).
    public var allowedHosts: [String]

    public static let defaultMaxBytes: UInt64 = 4096 << 20
    public static let defaultTimeoutSeconds = 1800

    public init(cacheDirectory: String, maxBytes: UInt64 = defaultMaxBytes, timeoutSeconds: Int = defaultTimeoutSeconds,
                shared: (any SharedSources)? = nil, allowedHosts: [String] = []) {
        self.cacheDirectory = cacheDirectory
        self.maxBytes = maxBytes
        self.timeoutSeconds = timeoutSeconds
        self.shared = shared
        self.allowedHosts = allowedHosts
    }
}

/// Sources other wakas downloaded, kept where every waka reaches them (the build
/// store), found by a sum a PKGBUILD gives.
public protocol SharedSources: Sendable {
    /// Writes a file that one of `keys` names to `path`; false when there is none. The
    /// caller verifies what it gets.
    func fetch(_ keys: [SourceChecksum], to path: String) throws -> Bool
    /// Keeps a verified file (once: nothing happens when one with this sha256 is there).
    func upload(_ path: String, sha256: String, keys: [SourceChecksum]) throws
}

/// A source ready for the build: the name makepkg looks for in `SRCDEST`, and the
/// verified cache file.
public struct FetchedSource: Sendable, Hashable {
    public enum Origin: String, Sendable { case cache, store, network }
    public var filename: String
    public var path: String
    public var origin: Origin
}

/// The fetch stage before a build: every http, https and ftp entry of the PKGBUILD's
/// sources for the build's CARCH, from the cache, else from the shared store, else
/// downloaded (``SourceDownload``), each verified against every sum the PKGBUILD gives
/// it before it is used or kept. VCS and other schemes are refused (a build without
/// network could not fetch them either); in a build with network they are left to
/// makepkg. Local entries are makepkg's business.
public struct SourceFetch: Sendable {
    public var settings: SourceFetchSettings
    /// The PKGBUILD, as diagnostics name it.
    public var pkgbuild: String
    /// Whether the build itself has the network (then what pacbuild cannot fetch is left to makepkg).
    public var network: Bool
    /// Asked while a download runs; `true` stops it and the stage fails (``SandboxJob/shouldStop``).
    public var shouldStop: (@Sendable () -> Bool)?

    public init(settings: SourceFetchSettings, pkgbuild: String, network: Bool = false) {
        self.settings = settings
        self.pkgbuild = pkgbuild
        self.network = network
    }

    /// What the stage did: the sources, or the failure (class `source`), and one line per step.
    public struct Outcome: Sendable {
        public var sources: [FetchedSource] = []
        public var failure: BuildFailure?
        public var notes: [String] = []
    }

    public func run(_ list: SourceList) -> Outcome {
        var outcome = Outcome()
        let fetchable = list.entries.filter { $0.kind != .local }
        if let problem = list.problems.first, !fetchable.isEmpty {
            outcome.failure = BuildFailure(.source, problem)
            return outcome
        }
        for entry in fetchable {
            do {
                guard let source = try fetch(entry, notes: &outcome.notes) else { continue }
                if let other = outcome.sources.first(where: { $0.filename == source.filename }), other.path != source.path {
                    throw Refusal("\(entry.label(pkgbuild)): another entry is also named \(source.filename) with other contents")
                }
                outcome.sources.append(source)
            } catch let refusal as Refusal {
                outcome.failure = BuildFailure(.source, refusal.reason)
                break
            } catch {
                outcome.failure = BuildFailure(.source, "\(entry.label(pkgbuild)): \(error)")
                break
            }
        }
        if let failure = outcome.failure { outcome.notes.append("failed: \(failure.reason)") }
        return outcome
    }

    private struct Refusal: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private func fetch(_ entry: SourceEntry, notes: inout [String]) throws -> FetchedSource? {
        switch entry.kind {
        case .local:
            return nil
        case .vcs, .unsupported:
            let what = entry.kind == .vcs ? "\(entry.scheme) (version control) sources are" : "the scheme of this URL is"
            if network {
                notes.append("\(entry.filename): \(entry.scheme) left to makepkg (the build has the network)")
                return nil
            }
            throw Refusal("\(entry.label(pkgbuild)): \(what) not supported: pacbuild downloads only http, https and ftp "
                          + "sources before the build, and the build has no network")
        case .download:
            break
        }
        guard entry.hasPlainFilename else {
            throw Refusal("\(entry.label(pkgbuild)): '\(entry.filename)' is not a file name (name it: NAME::URL)")
        }
        let cache = SourceCache(directory: settings.cacheDirectory)
        let keys = entry.keys
        if !keys.isEmpty, let cached = cache.candidate(keys) {
            if let sha256 = try verified(cached, entry).sha256 {
                notes.append("\(entry.filename): from the source cache (sha256 \(sha256))")
                return FetchedSource(filename: entry.filename, path: cached, origin: .cache)
            }
            notes.append("\(entry.filename): the cached file does not match every sum; fetching it again")
        }
        if !keys.isEmpty, let shared = settings.shared {
            let temporary = try cache.temporaryPath()
            defer { unlink(temporary) }
            if try shared.fetch(keys, to: temporary) {
                let check = try verified(temporary, entry)
                if let sha256 = check.sha256 {
                    notes.append("\(entry.filename): from the build store (sha256 \(sha256))")
                    return FetchedSource(filename: entry.filename, path: try cache.insert(temporary, sha256: sha256, checksums: keys),
                                         origin: .store)
                }
                notes.append("\(entry.filename): the build store's copy does not match (\(check.mismatches.joined(separator: "; "))); downloading it")
            }
        }
        let temporary = try cache.temporaryPath()
        defer { unlink(temporary) }
        var download = SourceDownload(maxBytes: settings.maxBytes, timeoutSeconds: settings.timeoutSeconds)
        download.shouldStop = shouldStop
        download.allowedHosts = settings.allowedHosts
        switch try download.run(entry.url, to: temporary) {
        case .failure(let failure):
            throw Refusal("\(entry.label(pkgbuild)): download of \(entry.url) failed: \(failure)")
        case .success(let bytes):
            notes.append("\(entry.filename): downloaded \(bytes) bytes from \(entry.url)")
        }
        let check = try verified(temporary, entry)
        guard let sha256 = check.sha256 else {
            throw Refusal("\(entry.label(pkgbuild)): the file downloaded from \(entry.url) does not match the PKGBUILD: "
                          + check.mismatches.joined(separator: "; "))
        }
        let path = try cache.insert(temporary, sha256: sha256, checksums: keys)
        if !keys.isEmpty, let shared = settings.shared {
            do { try shared.upload(path, sha256: sha256, keys: keys) } catch {
                notes.append("\(entry.filename): not kept in the build store: \(error)")
            }
        }
        return FetchedSource(filename: entry.filename, path: path, origin: .network)
    }

    /// The file's sha256 when every sum of the entry (but `SKIP`) matches, else the mismatches.
    private func verified(_ path: String, _ entry: SourceEntry) throws(SandboxError) -> (sha256: String?, mismatches: [String]) {
        let checked = entry.checksums.filter { !$0.isSkip }
        let sums = try SourceDigests.compute(path, Set(checked.map(\.algorithm)).union([.sha256]))
        let suffix = entry.array.dropFirst("source".count)
        let mismatches = checked.filter { sums[$0.algorithm] != $0.normalized }.map { checksum in
            "\(checksum.algorithm.arrayName)\(suffix) says \(checksum.value), the file has \(sums[checksum.algorithm] ?? "?")"
        }
        return (mismatches.isEmpty ? sums[.sha256] : nil, mismatches)
    }
}
