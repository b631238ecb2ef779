/// Which PKGBUILDs a repo builds, judged by their `arch=()` array.
///
/// A port such as Arch Linux 32 builds i686 (or i586) packages from PKGBUILDs that
/// upstream only marks `x86_64`: rewriting every `arch=()` is not an option, so `port`
/// accepts a mapped list of upstream arches as if they were the repo's.
public enum ArchPolicy: Sendable, Equatable {
    /// The PKGBUILD must list the repo's arch or `any`.
    case strict
    /// As strict, and also any arch of the map (`["x86_64", "i686"]` for an i586 port).
    case port(map: [String])

    /// Whether a PKGBUILD with `arch=(pkgbuildArch...)` is built for `repoArch`.
    public func accepts(_ pkgbuildArch: [String], repoArch: String) -> Bool {
        if pkgbuildArch.contains("any") || pkgbuildArch.contains(repoArch) { return true }
        guard case .port(let map) = self else { return false }
        return pkgbuildArch.contains { map.contains($0) }
    }

    /// The name used in `arch_policy`.
    public var name: String {
        switch self {
        case .strict: return "strict"
        case .port: return "port"
        }
    }
}
