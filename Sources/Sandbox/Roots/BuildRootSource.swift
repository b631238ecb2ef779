/// Where `pacbuild sandbox create` takes a build root from.
public enum BuildRootSource: Sendable, Equatable {
    /// A Debian 12 minbase root made by debootstrap from `mirror` (`nil`: the mirror
    /// this machine's apt uses), with pacman, makepkg, fakeroot and bsdtar, so that
    /// real packages build on a Debian machine.
    case debootstrap(mirror: String?)
    /// A copy of an existing root directory (a pacstrap'ed Arch root in production).
    case directory(String)
    /// An extracted root tarball (a port's bootstrap tarball, `root.x86_64/` or flat).
    case tarball(String)

    /// The Debian packages `--debootstrap` adds to minbase: the build tools, binutils
    /// for makepkg's default `strip` option, file for its source extraction, and busybox for UML's `poweroff -f`
    /// (minbase has no init system).
    public static let debootstrapPackages = ["pacman-package-manager", "makepkg", "fakeroot", "libarchive-tools", "binutils", "file", "busybox"]
}
