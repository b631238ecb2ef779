import Foundation
import Sandbox

/// What a waka needs to know of a repo to build for it, recorded in the store at
/// catchup (schema 7), so a waka with no configuration directory can build from the
/// store alone (`pacbuild waka --store URL --root DIR`; docs/distributed.md).
///
/// The makepkg.conf is kept by content, not by path: the path is the master's.
public struct RepoSettings: Sendable, Hashable {
    public var repo: String
    public var arch: String
    public var sandbox: SandboxBackendKind
    /// The contents of the repo's makepkg.conf; nil: the build root's own.
    public var makepkgConf: String?
    public var network: Bool
    /// The repos a build of this one installs from after it, as `depends_on`.
    public var dependsOn: [String]
    public var review: ReviewPolicy
    /// Where the published repo is served (`server`, schema 8): a waka without its
    /// database fetches the packages a build needs from there (docs/distributed.md).
    public var server: String?

    public init(repo: String, arch: String, sandbox: SandboxBackendKind, makepkgConf: String? = nil, network: Bool = false,
                dependsOn: [String] = [], review: ReviewPolicy = .manual, server: String? = nil) {
        self.repo = repo
        self.arch = arch
        self.sandbox = sandbox
        self.makepkgConf = makepkgConf
        self.network = network
        self.dependsOn = dependsOn
        self.review = review
        self.server = server
    }

    /// A configured repo's settings, its makepkg.conf read now.
    public init(_ config: RepoConfig) throws(SchedulerError) {
        var contents: String?
        if let path = config.makepkgConf {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .io(path: path, reason: "cannot read the makepkg.conf of repo \(config.name) to record it in the store")
            }
            contents = String(decoding: data, as: UTF8.self)
        }
        self.init(repo: config.name, arch: config.arch, sandbox: config.sandbox, makepkgConf: contents, network: config.network,
                  dependsOn: config.dependsOn, review: config.review, server: config.server)
    }
}
