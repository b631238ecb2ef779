import Foundation

/// Where the external corpus is (../shared/corpus: real PKGBUILD trees with makepkg's
/// output, vercmp tables, real Arch databases), for the conformance suites on top of the
/// default, repository-only suite. The one place that decides it.
public enum Corpus {
    /// `$PACBUILD_CORPUS` when set (it must then be a directory), else
    /// `../shared/corpus` beside the package root when it exists, else nil.
    public static let directory: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let named = environment["PACBUILD_CORPUS"], !named.isEmpty { return named }
        let beside = URL(fileURLWithPath: Fixtures.packageRoot + "/../shared/corpus").standardizedFileURL.path
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: beside, isDirectory: &isDirectory) && isDirectory.boolValue ? beside : nil
    }()

    /// True where the conformance suites run: a corpus was found, or the run asked for
    /// them (`PACBUILD_CONFORMANCE=1`, set by scripts/test's conformance step), in which
    /// case a missing corpus fails them rather than skipping them.
    public static let isRequested: Bool =
        directory != nil || ProcessInfo.processInfo.environment["PACBUILD_CONFORMANCE"] == "1"

    /// Why a conformance suite is skipped (`Comment(rawValue: Corpus.absence)`).
    public static let absence =
        "no corpus: set PACBUILD_CORPUS to the corpus directory or put it at ../shared/corpus (scripts/test runs this suite when it is there)"

    /// `directory/relative`, or a path naming the problem when there is no corpus, so a
    /// test reading it fails saying what is missing.
    public static func path(_ relative: String) -> String {
        guard let directory else { return "/nonexistent/no-corpus(set PACBUILD_CORPUS)/" + relative }
        return directory + "/" + relative
    }
}
