import Foundation
import Sandbox

/// The build store as the farm's shared source cache (schema 13): a waka that downloads
/// a source keeps it with the build it holds (kind `download`, named after the entry's
/// strongest sum, `b2-HEX`), once per sha256; another waka finds it by any sum its
/// PKGBUILD gives (by name, or by the sha256 column for `sha256sums`) and fetches it
/// from the store instead of the network. The fetch stage verifies what comes back.
public struct StoreSources: SharedSources {
    let store: any BuildStore
    /// The build this waka holds: uploads go with it (a worker role may upload only there).
    let build: BuildID

    public init(store: any BuildStore, build: BuildID) {
        self.store = store
        self.build = build
    }

    /// `ALG-SUM`, the name a file is kept under for this sum.
    static func name(_ key: SourceChecksum) -> String { key.algorithm.rawValue + "-" + key.normalized }

    public func fetch(_ keys: [SourceChecksum], to path: String) throws -> Bool {
        let keys = keys.filter(\.isKey)
        let sha256 = keys.first { $0.algorithm == .sha256 }?.normalized
        guard let file = try store.findFile(kind: .download, names: keys.map(Self.name), sha256: sha256) else { return false }
        try store.fetchFile(file.build, kind: .download, name: file.name, to: path)
        return true
    }

    public func upload(_ path: String, sha256: String, keys: [SourceChecksum]) throws {
        let keys = keys.filter(\.isKey)
        guard let strongest = SourceChecksumAlgorithm.byStrength.lazy.compactMap({ algorithm in keys.first { $0.algorithm == algorithm } }).first,
              try store.findFile(kind: .download, names: [Self.name(strongest)], sha256: sha256) == nil else { return }
        try store.putFile(build, kind: .download, name: Self.name(strongest), from: path)
    }
}
