/// Whether a successful build waits for a maintainer (`pacbuild checkbuilds`) or enters
/// the repo at once. Manual is the default: publishing is what users install from.
public enum ReviewPolicy: String, Sendable, CaseIterable {
    case manual
    case auto
}

/// What a soname bump does to the packages linked against the old soname
/// (`soname_rebuilds`, docs/review.md#rebuild-sets): `auto` queues their rebuilds with a
/// rebuild number on pkgrel and publishes them with the library as one set; `plan` only
/// says so (`checkbuilds`, `show`, `plan --soname-bump`); `off` does not look.
public enum SonameRebuildPolicy: String, Sendable, CaseIterable {
    case auto
    case plan
    case off
}
