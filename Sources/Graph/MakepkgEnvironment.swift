/// The variables a PKGBUILD sees when makepkg sources it: those of makepkg.conf (CARCH,
/// CHOST, ...) and makepkg's own. Evaluated once and shared by every read.
public struct MakepkgEnvironment: Sendable {
    /// The global variables after makepkg.conf was evaluated.
    let variables: ShellScopes
    public let carch: String
    /// makepkg.conf's CHOST after the CARCH override (the makepkg fallback writes it out).
    public var chost: String? { variables.value("CHOST")?.scalarValue }

    /// Evaluates a makepkg.conf text (with our evaluator: it is never executed) and
    /// optionally overrides its CARCH, as a port's build configuration would.
    public init(makepkgConf text: String, carch: String? = nil) {
        var shell = ShellInterpreter()
        shell.run(text)
        if let carch {
            shell.assign("CARCH", .scalar(carch), offset: 0)
            if shell.variables.value("CHOST")?.scalarValue.map({ !$0.hasPrefix(carch + "-") }) ?? true {
                shell.assign("CHOST", .scalar("\(carch)-unknown-linux-gnu"), offset: 0)
            }
        }
        for name in ["pkgname", "pkgbase", "pkgver", "pkgrel", "epoch", "pkgdesc", "url", "license",
                     "arch", "depends", "makedepends", "checkdepends", "optdepends", "provides",
                     "conflicts", "replaces", "source", "backup", "options", "groups", "install",
                     "changelog", "noextract", "validpgpkeys"] + SrcInfo.hashArrays {
            shell.variables.unset(name)
        }
        // the environment's variables are not the PKGBUILD's: no assignment offsets (the
        // lint looks only at what the PKGBUILD set, and its lines are not makepkg.conf's)
        for scope in shell.variables.scopes.indices {
            for name in shell.variables.scopes[scope].keys { shell.variables.scopes[scope][name]?.assignedAt = nil }
        }
        variables = shell.variables
        self.carch = shell.variables.value("CARCH")?.scalarValue ?? carch ?? "x86_64"
    }

    /// Debian 12's default makepkg.conf, with CARCH overridden when given.
    public static func debianDefault(carch: String? = nil) -> MakepkgEnvironment {
        MakepkgEnvironment(makepkgConf: debianDefaultConf, carch: carch)
    }

    /// The settings of Debian 12's /etc/makepkg.conf (pacman 6.0.2) that a PKGBUILD can
    /// see; the reference `.SRCINFO` files were printed with it.
    static let debianDefaultConf = """
        DLAGENTS=('file::/usr/bin/curl -gqC - -o %o %u'
                  'ftp::/usr/bin/curl -gqfC - --ftp-pasv --retry 3 --retry-delay 3 -o %o %u'
                  'http::/usr/bin/curl -gqb "" -fLC - --retry 3 --retry-delay 3 -o %o %u'
                  'https::/usr/bin/curl -gqb "" -fLC - --retry 3 --retry-delay 3 -o %o %u'
                  'rsync::/usr/bin/rsync --no-motd -z %u %o'
                  'scp::/usr/bin/scp -C %u %o')
        VCSCLIENTS=('bzr::bzr' 'fossil::fossil' 'git::git' 'hg::mercurial' 'svn::subversion')
        CARCH="x86_64"
        CHOST="x86_64-linux-gnu"
        BUILDENV=(!distcc color !ccache check !sign)
        OPTIONS=(strip docs libtool staticlibs emptydirs zipman purge !debug !lto)
        INTEGRITY_CHECK=(ck)
        STRIP_BINARIES="--strip-all"
        STRIP_SHARED="--strip-unneeded"
        STRIP_STATIC="--strip-debug"
        MAN_DIRS=({usr{,/local}{,/share},opt/*}/{man,info})
        DOC_DIRS=(usr/{,local/}{,share/}{doc,gtk-doc} opt/*/{doc,gtk-doc})
        PURGE_TARGETS=(usr/{,share}/info/dir .packlist *.pod)
        DBGSRCDIR="/usr/src/debug"
        COMPRESSGZ=(gzip -c -f -n)
        COMPRESSBZ2=(bzip2 -c -f)
        COMPRESSXZ=(xz -c -z -)
        COMPRESSZST=(zstd -c -z -q -)
        COMPRESSLRZ=(lrzip -q)
        COMPRESSLZO=(lzop -q)
        COMPRESSZ=(compress -c -f)
        COMPRESSLZ4=(lz4 -q)
        COMPRESSLZ=(lzip -c -f)
        PKGEXT='.pkg.tar.gz'
        SRCEXT='.src.tar.gz'
        PACMAN_AUTH=()
        """
}
