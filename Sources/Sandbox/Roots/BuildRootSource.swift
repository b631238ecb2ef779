/// Where `pacbuild sandbox create` takes a build root from.
public enum BuildRootSource: Sendable, Equatable {
    /// A Debian 12 minbase root made by debootstrap from `mirror` (`nil`: the mirror
    /// this machine's apt uses), with pacman, makepkg, fakeroot, bsdtar and gcc, so that
    /// real packages build on a Debian machine. `arch` is Debian's name of the root's
    /// architecture (`i386` for a 32-bit root on an x86-64 host, whose kernel runs
    /// 32-bit programs); `nil`: the host's.
    case debootstrap(mirror: String?, arch: String? = nil)
    /// A copy of an existing root directory (a pacstrap'ed Arch root in production).
    case directory(String)
    /// An extracted root tarball (a port's bootstrap tarball, `root.x86_64/` or flat).
    case tarball(String)

    /// The Debian packages `--debootstrap` adds to minbase: the build tools, binutils
    /// for makepkg's default `strip` option (and `objdump` for the architecture check),
    /// file for its source extraction, gcc and the C library's headers for packages that
    /// compile, and busybox for UML's `poweroff -f` (minbase has no init system).
    public static let debootstrapPackages = ["pacman-package-manager", "makepkg", "fakeroot", "libarchive-tools", "binutils", "file",
                                             "busybox", "gcc", "libc6-dev"]

    /// Debian's architecture names debootstrap accepts here: the host's own and the
    /// 32-bit x86 one an x86-64 kernel runs.
    public static let debootstrapArches = ["amd64", "i386", "arm64", "armhf"]
}
