/// Whether a successful build waits for a maintainer (`pacbuild checkbuilds`) or enters
/// the repo at once. Manual is the default: publishing is what users install from.
public enum ReviewPolicy: String, Sendable, CaseIterable {
    case manual
    case auto
}
