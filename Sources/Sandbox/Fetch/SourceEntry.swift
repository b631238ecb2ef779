import Graph

/// One entry of a PKGBUILD's `source` or `source_CARCH` array, read as libmakepkg's
/// `util/source.sh` reads it, with the sums its checksum arrays give it.
public struct SourceEntry: Sendable, Hashable {
    /// `source` or `source_CARCH`.
    public var array: String
    /// Its position in that array, from 1 (as a maintainer counts).
    public var position: Int
    /// The entry as written.
    public var text: String
    /// Where makepkg keeps it in `SRCDEST` (`get_filename`): the part before `::`, else
    /// everything after the last `/`.
    public var filename: String
    /// What is downloaded (`get_url`): the part after the first `::`.
    public var url: String
    /// makepkg's protocol (`get_protocol`): the scheme before `://` without a `+...`
    /// suffix (`git+https` is `git`), `bzr` for a Launchpad `lp:` entry, else `local`.
    public var scheme: String
    /// The entry's sum in every checksum array that has one for it, in makepkg's order.
    public var checksums: [SourceChecksum]

    /// The sums that can find the file in a cache (not `SKIP`, well formed).
    public var keys: [SourceChecksum] { checksums.filter(\.isKey) }

    public init(array: String, position: Int, text: String, checksums: [SourceChecksum] = []) {
        self.array = array
        self.position = position
        self.text = text
        self.checksums = checksums
        url = text.range(of: "::").map { String(text[$0.upperBound...]) } ?? text
        scheme = Self.protocolName(text)
        filename = Self.filename(text, scheme: scheme)
    }

    /// What makepkg would do with it.
    public enum Kind: Sendable, Equatable {
        /// A file next to the PKGBUILD: makepkg finds it there.
        case local
        /// http, https or ftp: pacbuild downloads it before the build.
        case download
        /// A version control checkout (git, svn, hg, bzr, fossil): needs the network inside.
        case vcs
        /// Another scheme (`file`, `scp`, `rsync`, `http+foo`...): never fetched.
        case unsupported
    }

    public var kind: Kind {
        if scheme == "local" { return .local }
        if Self.vcsSchemes.contains(scheme) { return .vcs }
        // the scheme written before `://` must be the protocol itself: `https+x://` is not https
        let written = url.range(of: "://").map { String(url[..<$0.lowerBound]) } ?? ""
        return Self.downloadSchemes.contains(scheme) && written == scheme ? .download : .unsupported
    }

    static let vcsSchemes: Set<String> = ["bzr", "fossil", "git", "hg", "svn"]
    static let downloadSchemes: Set<String> = ["http", "https", "ftp"]

    /// `get_protocol`.
    static func protocolName(_ entry: String) -> String {
        let afterName = entry.range(of: "::").map { String(entry[$0.upperBound...]) } ?? entry
        if entry.contains("://") {
            let proto = afterName.range(of: "://").map { String(afterName[..<$0.lowerBound]) } ?? afterName
            return proto.range(of: "+").map { String(proto[..<$0.lowerBound]) } ?? proto
        }
        if entry.contains("lp:") {
            return afterName.range(of: "+lp:").map { String(afterName[..<$0.lowerBound]) } ?? afterName
        }
        return "local"
    }

    /// `get_filename`.
    static func filename(_ entry: String, scheme: String) -> String {
        if let separator = entry.range(of: "::") { return String(entry[..<separator.lowerBound]) }
        guard vcsSchemes.contains(scheme) else { return lastComponent(entry) }
        var name = entry.range(of: "#").map { String(entry[..<$0.lowerBound]) } ?? entry
        name = name.range(of: "?").map { String(name[..<$0.lowerBound]) } ?? name
        if name.hasSuffix("/") { name.removeLast() }
        name = lastComponent(name)
        if scheme == "bzr", let lp = name.range(of: "lp:") { name = String(name[lp.upperBound...]) }
        if scheme == "fossil" { name += ".fossil" }
        if scheme == "git", let git = name.range(of: ".git") { name = String(name[..<git.lowerBound]) }
        return name
    }

    private static func lastComponent(_ text: String) -> String {
        text.range(of: "/", options: .backwards).map { String(text[$0.upperBound...]) } ?? text
    }

    /// A name pacbuild may use as a file name in its own directories.
    var hasPlainFilename: Bool {
        !filename.isEmpty && filename != "." && filename != ".." && !filename.contains("/") && !filename.utf8.contains(0)
    }

    /// `PATH/PKGBUILD: source entry 2 'TEXT'`, for diagnostics.
    func label(_ pkgbuild: String) -> String {
        "\(pkgbuild): \(array) entry \(position) '\(text)'"
    }
}

/// The entries makepkg fetches for one CARCH (`get_all_sources_for_arch`: `source`, then
/// `source_CARCH`), each with its sums by `check_checksums`'s rules
/// (libmakepkg's `integrity/verify_checksum.sh`): for each algorithm, the array
/// `ALGsums` belongs to `source` and `ALGsums_CARCH` to `source_CARCH`; an array of
/// another length than its source array is an error; every algorithm present is
/// checked, and a non-empty source array that no algorithm covers is an error
/// ("Integrity checks are missing"). `SKIP` skips one check.
public struct SourceList: Sendable {
    public var entries: [SourceEntry] = []
    /// makepkg's refusals, as sentences naming the PKGBUILD and the array.
    public var problems: [String] = []

    public init(srcinfo: SrcInfo, carch: String, pkgbuild: String) {
        for suffix in ["", "_" + carch] {
            let array = "source" + suffix
            let sources = srcinfo.base[array] ?? []
            guard !sources.isEmpty else { continue }
            var sums = Array(repeating: [SourceChecksum](), count: sources.count)
            var covered = false
            for algorithm in SourceChecksumAlgorithm.allCases {
                let values = srcinfo.base[algorithm.arrayName + suffix] ?? []
                if values.isEmpty { continue }
                guard values.count == sources.count else {
                    problems.append("\(pkgbuild): \(algorithm.arrayName + suffix) has \(values.count) entries for the "
                                    + "\(sources.count) of \(array) (makepkg: \"Integrity checks (\(algorithm.rawValue)) "
                                    + "differ in size from the source array.\")")
                    continue
                }
                covered = true
                for (index, value) in values.enumerated() { sums[index].append(SourceChecksum(algorithm, value)) }
            }
            if !covered {
                problems.append("\(pkgbuild): \(array) has no checksum array (sha256sums\(suffix), b2sums\(suffix), ...) "
                                + "(makepkg: \"Integrity checks are missing for: \(array)\")")
            }
            for (index, text) in sources.enumerated() {
                entries.append(SourceEntry(array: array, position: index + 1, text: text, checksums: sums[index]))
            }
        }
    }
}
