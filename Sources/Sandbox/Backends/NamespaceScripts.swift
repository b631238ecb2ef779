/// The shell scripts of the namespace backend. They are plain `sh` so that what the
/// sandbox does is readable in one place and each step costs one exec (set-up takes
/// tens of milliseconds).
enum NamespaceScripts {
    /// Capabilities the job never gets back (`setpriv --bounding-set`): with them, root
    /// inside could mount, create device nodes for the host's disks, load modules or
    /// reconfigure the network; pacman and makepkg need none of them.
    static let droppedCapabilities = [
        "sys_admin", "sys_module", "sys_rawio", "sys_boot", "sys_time", "mknod", "mac_admin", "mac_override",
        "net_admin", "syslog", "sys_ptrace", "audit_control", "bpf", "perfmon",
    ]

    /// Runs on the host's `sh` as PID 1 of the new namespaces (arguments: root, upper,
    /// work, merged, job directory, network flag, then the command). Mounts the overlay
    /// and a minimal `/dev`, `/proc` and `/tmp`, brings up loopback, then `pivot_root`s
    /// into the overlay and detaches the host's tree, so nothing of the host stays
    /// reachable, not even for root inside.
    static let setup = """
        set -e
        root=$1 upper=$2 work=$3 merged=$4 job=$5 net=$6 interactive=$7; shift 7
        trap 'echo "pacbuild-sandbox: set-up failed" >&2; exit 125' EXIT
        mount -t overlay overlay -o "lowerdir=$root,upperdir=$upper,workdir=$work" "$merged"
        cd "$merged"
        mount -t proc -o nosuid,nodev,noexec proc proc
        mount -t tmpfs -o nosuid,mode=755,size=1m dev dev
        mknod -m 666 dev/null c 1 3; mknod -m 666 dev/zero c 1 5; mknod -m 666 dev/full c 1 7
        mknod -m 666 dev/random c 1 8; mknod -m 666 dev/urandom c 1 9; mknod -m 666 dev/tty c 5 0
        ln -s /proc/self/fd dev/fd; ln -s /proc/self/fd/0 dev/stdin
        ln -s /proc/self/fd/1 dev/stdout; ln -s /proc/self/fd/2 dev/stderr
        mkdir dev/pts dev/shm
        mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts dev/pts; ln -s pts/ptmx dev/ptmx
        mount -t tmpfs -o nosuid,nodev shm dev/shm
        mount -t tmpfs -o nosuid,nodev,mode=1777 tmp tmp
        mkdir -p pacbuild .pivot
        mount --bind "$job" pacbuild
        hostname pacbuild
        [ "$net" = 1 ] || ip link set lo up
        pivot_root . .pivot
        trap - EXIT
        exec /usr/sbin/chroot . /bin/sh -c "$INIT" init "$interactive" "$@"
        """

    /// Runs on the build root's own `sh` as PID 1 after `pivot_root`: detaches the old
    /// root, drops capabilities, and starts the command. On SIGTERM it passes the signal
    /// to every process of the namespace, then SIGKILLs them; its own exit ends the
    /// namespace. Interactive shells replace it instead (stdin stays theirs).
    static var initScript: String {
        """
        umount -l /.pivot && rmdir /.pivot || { echo "pacbuild-sandbox: cannot detach the host root" >&2; exit 125; }
        cd /pacbuild
        interactive=$1; shift
        if [ "$interactive" = 1 ]; then exec setpriv --bounding-set \(dropList) -- "$@"; fi
        setpriv --bounding-set \(dropList) -- "$@" &
        child=$!
        trap 'kill -TERM -1 2>/dev/null; sleep 2; kill -KILL -1 2>/dev/null; exit 143' TERM
        wait $child
        """
    }

    private static var dropList: String { droppedCapabilities.map { "-" + $0 }.joined(separator: ",") }
}
