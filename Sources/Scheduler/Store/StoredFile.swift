/// A file kept in the store with a build (schema 4): what a waka without the
/// configuration's ABS trees or the master's state directory needs, and what it hands back.
public struct StoredFile: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The pkgbase directory (PKGBUILD and its local sources) as a tar archive,
        /// recorded at catchup.
        case source
        /// The build log, uploaded by the waka.
        case log
        /// A package file or its `.sig`, uploaded by the waka.
        case package
        /// A source file the fetch stage downloaded and verified (schema 13), uploaded by
        /// the waka that downloaded it, once per sha256, named after its strongest
        /// PKGBUILD sum (`b2-HEX`): other wakas fetch it from here (docs/sources.md).
        case download
    }

    public var build: BuildID
    public var kind: Kind
    public var name: String
    public var size: Int64
    public var sha256: String
}
