import ArgumentParser
import Foundation
import Graph
import Scheduler

/// How PKGBUILDs are read: the makepkg.conf they are evaluated against and its CARCH.
struct ReaderOptions: ParsableArguments {
    @Option(help: "The CARCH PKGBUILDs see (default: makepkg.conf's, x86_64 for the built-in one).")
    var carch: String?

    @Option(name: .customLong("makepkg-conf"), help: "A makepkg.conf to evaluate instead of Debian's default.")
    var makepkgConf: String?

    func reader() throws -> PKGBUILDReader {
        guard let path = makepkgConf else { return PKGBUILDReader(environment: .debianDefault(carch: carch)) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(path): cannot read the makepkg.conf")
        }
        return PKGBUILDReader(environment: MakepkgEnvironment(makepkgConf: String(decoding: data, as: UTF8.self), carch: carch))
    }
}

/// `--fallback`: how PKGBUILDs the native reader cannot evaluate are read.
enum FallbackMode: String, ExpressibleByArgument, CaseIterable {
    /// The real `makepkg --printsrcinfo` in a namespace sandbox without network.
    case sandbox
    /// Not at all: they stay `needs-fallback`.
    case none
}

/// Writes to standard error (diagnostics never mix with the printed output).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Encodes a value as pretty JSON with sorted keys, for `--json` output.
func jsonText<T: Encodable>(_ value: T) throws -> String { try ReportJSON.text(value) }

/// The flags `repo add` and `repo remove` share with repo-add: signing the databases.
struct SigningOptions: ParsableArguments {
    @Flag(name: [.customShort("s"), .long], help: "Sign the databases with gpg (a detached binary .sig each).")
    var sign = false

    @Option(name: [.customShort("k"), .long], help: "The gpg key to sign with (default: gpg's default key).")
    var key: String?

    @Flag(name: [.customShort("v"), .long],
          help: "Verify the existing databases' signatures before updating; with no packages or names, only verify.")
    var verify = false
}

/// `--config DIR`: the directory holding `pacbuild.toml` and `repos.d/`, shared by every
/// subcommand that needs the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp(
        "The configuration directory (pacbuild.toml, repos.d/).", discussion: "Default: $PACBUILD_CONFIG, else the current directory.",
        valueName: "dir"))
    var directory: String?

    /// The directory to read: the option, then `$PACBUILD_CONFIG`, then `.`.
    var resolvedDirectory: String {
        if let directory { return directory }
        if let variable = ProcessInfo.processInfo.environment["PACBUILD_CONFIG"], !variable.isEmpty { return variable }
        return FileManager.default.currentDirectoryPath
    }

    /// Loads the configuration; errors are in the result for the command to judge.
    func load() -> Configuration { Configuration.load(directory: resolvedDirectory) }
}

/// `--store URL`: another store than `pacbuild.toml`'s, e.g. a remote waka's PostgreSQL.
struct StoreOption: ParsableArguments {
    @Option(name: .customLong("store"), help: ArgumentHelp(
        "The build store: sqlite:PATH or postgresql://USER@HOST/DB (default: pacbuild.toml's store).", valueName: "url"))
    var url: String?
}

/// Loads the configuration; its errors stop the command (exit status 1).
func loadValidConfiguration(_ options: ConfigOptions) throws -> Configuration {
    let loaded = options.load()
    guard loaded.isValid else {
        for error in loaded.errors { printError(error.description) }
        throw ExitCode(1)
    }
    return loaded
}
