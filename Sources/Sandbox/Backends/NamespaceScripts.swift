/// The shell scripts of the namespace backend. They are plain `sh` so that what the
/// sandbox does is readable in one place and each step costs one exec.
///
/// Three stages, each a process of the one before:
/// 1. ``outer`` runs as the host's root in a mount namespace of its own (so everything it
///    mounts vanishes with the sandbox, even after a SIGKILL): joins the run's cgroup,
///    makes the run's disk (a sparse ext4 image of the disk limit, loop-mounted) and
///    copies the job directory onto it; after the run it copies the regular files of
///    `out/` back, and nothing else.
/// 2. ``setup`` runs as root of a new user namespace whose ids are the sandbox user's
///    subordinate ones (no capability of the host's), with new mount, PID, IPC, UTS,
///    cgroup and (unless allowed) network namespaces: mounts the overlay of the shifted
///    root, `/proc` (with `/proc/sys` read-only), `/sys` read-only, a minimal `/dev`,
///    `/tmp` and the job directory on the run's disk, the read-only binds, then
///    `pivot_root`s.
/// 3. ``initScript`` is PID 1 inside: detaches the old root, drops capabilities from the
///    bounding set and runs the command.
enum NamespaceScripts {
    /// Capabilities the job never gets back (`setpriv --bounding-set`), even inside its own
    /// user namespace: mounting, device nodes, modules, the network's configuration.
    static let droppedCapabilities = [
        "sys_admin", "sys_module", "sys_rawio", "sys_boot", "sys_time", "mknod", "mac_admin", "mac_override",
        "net_admin", "syslog", "sys_ptrace", "audit_control", "bpf", "perfmon",
    ]

    /// The file the outer stage writes the run's disk usage to (`SIZE AVAILABLE`, bytes).
    static let diskUsageFile = "disk-usage"
    /// Where the outer stage mounts the run's disk, in the scratch directory.
    static let diskMount = "fs"

    /// Arguments: init script, set-up script, shifted root, scratch, job directory, disk
    /// bytes, base uid, base gid, network flag, interactive flag, cgroup.procs files
    /// (space-separated), number of read-only binds, the binds (host, inside), the command.
    static let outer = """
        set -eu
        init=$1 setup=$2 lower=$3 scratch=$4 job=$5 disk=$6 uid=$7 gid=$8 net=$9 interactive=${10} procs=${11}; shift 11
        trap 'echo "pacbuild-sandbox: set-up failed" >&2; exit 125' EXIT
        for f in $procs; do echo $$ >"$f"; done
        fs=$scratch/\(diskMount)
        mkdir "$fs"
        truncate -s "$disk" "$scratch/disk.img"
        mkfs.ext4 -q -F -m 0 -O ^has_journal -E lazy_itable_init=1,nodiscard,root_owner=$uid:$gid "$scratch/disk.img"
        mount -o loop,nosuid,nodev "$scratch/disk.img" "$fs"
        rm "$scratch/disk.img"
        mkdir "$fs/upper" "$fs/work" "$fs/tmp" "$fs/merged" "$fs/job"
        chmod 1777 "$fs/tmp"
        cp -a --no-dereference "$job/." "$fs/job/"
        chown "$uid:$gid" "$fs/upper" "$fs/work" "$fs/tmp" "$fs/merged" "$fs/job"
        for d in src out; do [ ! -e "$fs/job/$d" ] || chown -R -h "$uid:$gid" "$fs/job/$d"; done
        netns=--net
        [ "$net" = 0 ] || netns=
        trap - EXIT
        set +e
        PATH="$scratch/bin:$PATH" unshare --map-users="$uid,0,65536" --map-groups="$gid,0,65536" --setuid 0 --setgid 0 \\
            --mount --propagation private --pid --ipc --uts --cgroup $netns --fork --kill-child \\
            /bin/sh -c "$setup" setup "$init" "$lower" "$fs" "$net" "$interactive" "$@"
        status=$?
        # Only regular files leave the sandbox's disk: no link, FIFO or device is opened.
        mkdir -p "$job/out"
        for f in "$fs/job/out"/* "$fs/job/out"/.[!.]*; do
            if [ -f "$f" ] && [ ! -L "$f" ]; then cp -- "$f" "$job/out/" 2>/dev/null; fi
        done
        stat -f -c '%S %b %a' "$fs" >"$scratch/\(diskUsageFile)"
        exit $status
        """

    /// Arguments: init script, shifted root, the run's disk, network and interactive flags,
    /// number of read-only binds, the binds, the command.
    static let setup = """
        set -e
        init=$1 lower=$2 fs=$3 net=$4 interactive=$5 binds=$6; shift 6
        trap 'echo "pacbuild-sandbox: set-up failed" >&2; exit 125' EXIT
        cd "$fs/merged"
        mount -t overlay overlay -o "lowerdir=$lower,upperdir=$fs/upper,workdir=$fs/work" .
        cd "$fs/merged"
        mount -t proc -o nosuid,nodev,noexec proc proc
        for p in sys sysrq-trigger; do [ ! -e "proc/$p" ] || { mount --bind "proc/$p" "proc/$p"; mount -o remount,bind,ro "proc/$p"; }; done
        [ "$net" = 1 ] || mount -t sysfs -o ro,nosuid,nodev,noexec sysfs sys
        mount -t tmpfs -o nosuid,noexec,mode=755,size=1m dev dev
        for n in null zero full random urandom tty; do : >"dev/$n"; mount --bind "/dev/$n" "dev/$n"; done
        ln -s /proc/self/fd dev/fd; ln -s /proc/self/fd/0 dev/stdin
        ln -s /proc/self/fd/1 dev/stdout; ln -s /proc/self/fd/2 dev/stderr
        mkdir dev/pts dev/shm
        mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts dev/pts; ln -s pts/ptmx dev/ptmx
        mount -t tmpfs -o nosuid,nodev,size=256m shm dev/shm
        mount --bind "$fs/tmp" tmp
        mkdir -p pacbuild .pivot
        mount --bind "$fs/job" pacbuild
        while [ "$binds" -gt 0 ]; do
            mkdir -p ".$2"
            mount --bind -o ro,nosuid,nodev "$1" ".$2"
            shift 2; binds=$((binds - 1))
        done
        hostname pacbuild
        [ "$net" = 1 ] || ip link set lo up
        pivot_root . .pivot
        trap - EXIT
        exec /usr/sbin/chroot . /bin/sh -c "$init" init "$interactive" "$@"
        """

    /// PID 1 after `pivot_root`, on the build root's own `sh`: detaches the old root, drops
    /// capabilities, and starts the command. On SIGTERM it passes the signal to every
    /// process of the namespace, then SIGKILLs them; its own exit ends the namespace.
    /// Interactive shells replace it instead (stdin stays theirs).
    static var initScript: String {
        """
        umount -l /.pivot && rmdir /.pivot || { echo "pacbuild-sandbox: cannot detach the host root" >&2; exit 125; }
        cd /pacbuild
        interactive=$1; shift
        export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        if [ "$interactive" = 1 ]; then exec setpriv --bounding-set \(dropList) -- "$@"; fi
        setpriv --bounding-set \(dropList) -- "$@" &
        child=$!
        trap 'kill -TERM -1 2>/dev/null; sleep 2; kill -KILL -1 2>/dev/null; exit 143' TERM
        wait $child
        """
    }

    /// `newuidmap`/`newgidmap` for `unshare --map-users/--map-groups`, run by the host's
    /// root: they write the map directly (the shadow tools would refuse root a range that
    /// is not its own in /etc/subuid). Arguments: pid, inside, outside, count.
    static func idMapHelper(_ file: String) -> String {
        """
        #!/bin/sh
        printf '%s %s %s\\n' "$2" "$3" "$4" >/proc/"$1"/\(file)

        """
    }

    private static var dropList: String { droppedCapabilities.map { "-" + $0 }.joined(separator: ",") }
}
