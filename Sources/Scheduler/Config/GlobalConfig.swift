import Foundation
import Sandbox

/// Settings for the whole installation, from `pacbuild.toml`. Every key has a default,
/// so the file is optional.
public struct GlobalConfig: Sendable, Equatable {
    /// Where pacbuild keeps its state (store, caches, logs), absolute.
    public var stateDir: String
    /// The build store.
    public var store: StoreLocation
    /// The sandbox backend of repos that name none. `namespace`: isolated and fast,
    /// whereas `host` is unsafe and `uml` is slow.
    public var sandbox: SandboxBackendKind
    /// The build root builds start from: a name under `STATE/roots` (`pacbuild sandbox
    /// create NAME`), or, when it holds a `/`, the path of such a root's directory
    /// (absolute once loaded), so that several state directories can share one root.
    public var buildRoot: String
    /// UML's memory (`mem=`) for builds run by the `uml` backend: digits and a unit
    /// `K`, `M` or `G`, at least 64M.
    public var umlMem: String
    /// Waka settings.
    public var workers: WorkerSettings
    /// How long `makepkg --printsrcinfo` may take in the plan's fallback sandbox, in
    /// seconds (`fallback_timeout`); a PKGBUILD that takes longer stays `needs-fallback`,
    /// and is not tried again under the same limit until it changes.
    public var fallbackTimeout = GlobalConfig.defaultFallbackTimeout
    /// Each build's resources (`[limits]`): memory, processes, disk, CPU weight; a repo's
    /// own `[limits]` overrides single keys.
    public var limits = SandboxLimits()
    /// Accounts, tokens and access of `pacbuild serve` (`[web]`).
    public var web = WebSettings()
    /// The fetch stage's limits (`[sources]`).
    public var sources = SourceSettings()
    /// Where notifications go (`[notify]`).
    public var notify = NotifySettings()

    /// The state directory's default, relative to the configuration directory.
    public static let defaultStateDir = ".pacbuild-state"
    /// The SQLite store's file name in the state directory.
    public static let defaultStoreFile = "pacbuild.sqlite"
    public static let defaultBuildRoot = "default"
    public static let defaultUMLMem = "1024M"
    public static let defaultFallbackTimeout = 60

    /// The settings without a `pacbuild.toml`.
    static func defaults(paths: ConfigPaths) -> GlobalConfig {
        let state = paths.resolve(defaultStateDir)
        return GlobalConfig(stateDir: state, store: .sqlite(path: state + "/" + defaultStoreFile), sandbox: .namespace,
                            buildRoot: defaultBuildRoot, umlMem: defaultUMLMem, workers: WorkerSettings())
    }

    static let keys = ["state_dir", "store", "sandbox", "build_root", "uml_mem", "fallback_timeout", "workers", "limits", "web", "sources", "notify"]

    /// Reads `pacbuild.toml`, keeping the default of each key that is absent or wrong
    /// (the errors say which), so repo files are still checked against sane settings.
    static func parse(_ source: ConfigSource, paths: ConfigPaths) -> (GlobalConfig, [ConfigError]) {
        var table = source.table(keys: keys)
        var config = defaults(paths: paths)
        if let state = table.path("state_dir", paths, .creatableDirectory, expected: "a directory that exists or can be created") {
            config.stateDir = state
            config.store = .sqlite(path: state + "/" + defaultStoreFile)
        }
        if let url = table.string("store", expected: "a store URL, sqlite:PATH or postgres://...") {
            if let store = StoreLocation(url: url, resolve: paths.resolve) {
                config.store = store
                if case .sqlite(let file) = store, !paths.satisfies(file, .creatableFile) {
                    table.fail("store", .missingPath(path: url, expected: "an SQLite file whose directory exists or can be created"))
                }
            } else {
                table.fail("store", .invalidValue(expected: "a store URL, sqlite:PATH or postgres://...", found: "'\(url)'"))
            }
        }
        config.sandbox = table.choice("sandbox", SandboxBackendKind.self) ?? config.sandbox
        if let root = table.string("build_root", expected: "a build root name, or the path of a root's directory") {
            config.buildRoot = root.contains("/") ? paths.resolve(root) : root
        }
        let memExpected = "a UML memory size: digits then K, M or G (e.g. \"512M\"), at least 64M"
        if let mem = table.string("uml_mem", expected: memExpected) {
            if let bytes = Self.umlMemBytes(mem), bytes >= 64 << 20 {
                config.umlMem = mem
            } else {
                table.fail("uml_mem", .invalidValue(expected: memExpected, found: "'\(mem)'"))
            }
        }
        config.fallbackTimeout = table.integer("fallback_timeout", in: 1...3600, expected: "seconds, from 1 to 3600") ?? config.fallbackTimeout
        config.workers = WorkerSettings.parse(&table)
        config.limits = SandboxLimits.parse(&table, base: config.limits)
        config.web = WebSettings.parse(&table)
        config.sources = SourceSettings.parse(&table)
        config.notify = NotifySettings.parse(&table, paths: paths)
        return (config, table.finish())
    }

    /// The bytes of a `mem=` size (`512M`, `2G`, `524288K`), nil when not of that form.
    static func umlMemBytes(_ text: String) -> Int64? {
        guard let unit = text.last, let shift: Int64 = ["K": 10, "M": 20, "G": 30][unit] else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let number = Int64(digits) else { return nil }
        return number << shift
    }
}
