import Graph

/// A port-local rebuild number on pkgrel, as Arch Linux ARM and Arch Linux 32 number
/// their own rebuilds of an unchanged PKGBUILD: `pkgrel=2` is rebuilt as `2.1`, then
/// `2.2`. pacman orders `2 < 2.1 < 2.2 < 2.10 < 3` (rpmvercmp on the pkgrel), so a
/// rebuild replaces the published package and the PKGBUILD's next own pkgrel (or
/// pkgver) replaces the rebuild: the number is cleared by the version moving on.
/// makepkg accepts one dot in pkgrel (`+([0-9])?(.+([0-9]))`), so a PKGBUILD whose
/// pkgrel has a dot already has no rebuild number to add.
public enum RebuildNumber {
    /// `version` with rebuild number `number` on its pkgrel (`1.0-2`, 1: `1.0-2.1`); nil
    /// when its pkgrel is missing or not plain digits.
    public static func version(_ version: String, number: Int) -> String? {
        guard number > 0, let pkgrel = Version(version).pkgrel, isPlain(pkgrel) else { return nil }
        return "\(version).\(number)"
    }

    /// The rebuild number `version` carries over `pkgbuildVersion` (`1.0-2.3` over
    /// `1.0-2`: 3); nil when `version` is not a rebuild of it. The same version is 0.
    public static func number(of version: String, over pkgbuildVersion: String) -> Int? {
        if version == pkgbuildVersion { return 0 }
        guard let pkgrel = Version(pkgbuildVersion).pkgrel, isPlain(pkgrel),
              version.hasPrefix(pkgbuildVersion + ".") else { return nil }
        let rest = version.dropFirst(pkgbuildVersion.count + 1)
        guard !rest.isEmpty, rest.count < 9, rest.allSatisfy(\.isASCII), rest.allSatisfy(\.isNumber),
              let number = Int(rest), number > 0, String(number) == rest else { return nil }
        return number
    }

    /// The pkgrel of a rebuild (`2.1`) for the PKGBUILD copy the sandbox builds.
    public static func pkgrel(of version: String) -> String? { Version(version).pkgrel }

    private static func isPlain(_ pkgrel: String) -> Bool {
        !pkgrel.isEmpty && pkgrel.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
