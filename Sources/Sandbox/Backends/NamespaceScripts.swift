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
///    cgroup and network namespaces (the network, when allowed, through slirp4netns):
///    mounts the overlay of the shifted root, `/proc` (with `/proc/sys` read-only), `/sys`
///    read-only, a minimal `/dev`,
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
    /// The entries of `out/` the outer stage did not copy back, one a line.
    static let rejectedOutputFile = "rejected-output"
    /// Where the outer stage mounts the run's disk, in the scratch directory.
    static let diskMount = "fs"
    /// The run's disk image and the mount table ``setup`` mounts in one `mount -a`.
    static let diskImage = "disk.img"
    static let mountTable = "fstab"
    static let poolMountTable = "fstab-pools"

    /// The inner `unshare` dies with this stage (`--pdeathsig`), and the namespace's init
    /// with it: its `--setuid` clears the parent-death signal `--kill-child` gave the init,
    /// so a second `setpriv --pdeathsig` arms it again after the change of ids.
    /// Arguments: init script, set-up script, scratch, job directory, base uid, base gid,
    /// network and interactive flags, cgroup.procs files (space-separated), the command.
    /// The scratch directory holds the sized sparse image and the mount table.
    static let outer = """
        set -eu
        init=$1 setup=$2 scratch=$3 job=$4 uid=$5 gid=$6 net=$7 interactive=$8 procs=$9; shift 9
        trap 'echo "pacbuild-sandbox: set-up failed" >&2; exit 125' EXIT
        for f in $procs; do echo $$ >"$f"; done
        fs=$scratch/\(diskMount)
        # No journal (the disk is thrown away), no blocks kept for growing it (it never
        # grows), no backup superblocks, all group metadata in one flex group: mkfs writes
        # 140 KiB in 3 extents of a 32 GiB disk in about 10 ms, and deleting the image
        # after the run frees 3 extents, not 30 (each a discard on a host mounted so).
        mkfs.ext4 -q -F -m 0 -G 1024 -O ^has_journal,^resize_inode,sparse_super2 \\
            -E lazy_itable_init=1,nodiscard,num_backup_sb=0,root_owner=$uid:$gid "$scratch/\(diskImage)"
        mount -o loop,nosuid,nodev "$scratch/\(diskImage)" "$fs"
        install -d -o "$uid" -g "$gid" "$fs/upper" "$fs/work" "$fs/merged"
        install -d -o "$uid" -g "$gid" -m 1777 "$fs/tmp"
        if [ "$interactive" = 1 ]; then mkdir "$fs/job"; mount --bind "$job" "$fs/job"; else cp -a "$job" "$fs/job"; fi
        if [ -s "$scratch/\(poolMountTable)" ]; then
            mount -T "$scratch/\(poolMountTable)" -a -o X-mount.mkdir
        fi
        trap - EXIT
        set +e
        # The run always has a network namespace of its own. With the network allowed,
        # slirp4netns (as the host's root, dying with this stage) gives it a NAT'ed tap0
        # that reaches what the host reaches, but not the host's loopback services. A
        # helper in the background waits for the sandbox's first process (a child of this
        # shell) to be in a network namespace other than this one and starts it there; the
        # sandbox itself stays in the foreground (its standard input and signals intact).
        # slirp4netns parses the build's packets: once its tap is set up it drops to a
        # tiny root of its own, without capabilities, under its own seccomp filter.
        slirp=
        if [ "$net" = 1 ]; then
            (
                own=$(readlink /proc/$$/ns/net)
                i=0
                while [ $i -lt 1000 ]; do
                    for p in $(cat /proc/$$/task/$$/children 2>/dev/null); do
                        ns=$(readlink /proc/$p/ns/net 2>/dev/null) || continue
                        [ "$ns" = "$own" ] && continue
                        exec setpriv --pdeathsig KILL slirp4netns --configure --mtu=65520 --disable-host-loopback \\
                            --enable-sandbox --enable-seccomp "$p" tap0 </dev/null >/dev/null 2>&1
                    done
                    sleep 0.01; i=$((i + 1))
                done
            ) &
            slirp=$!
        fi
        PATH="$scratch/bin:$PATH" setpriv --pdeathsig KILL unshare --map-users="$uid,0,65536" --map-groups="$gid,0,65536" --setuid 0 --setgid 0 \\
            --mount --propagation private --pid --ipc --uts --cgroup --net --fork --kill-child \\
            setpriv --pdeathsig KILL /bin/sh -c "$setup" setup "$init" "$scratch/\(mountTable)" "$fs/merged" "$net" "$interactive" "$@"
        status=$?
        [ -z "$slirp" ] || kill $slirp 2>/dev/null
        # Only regular files with one link leave the sandbox's disk, from an out/ that is a
        # directory (not a link a build put there): no link, FIFO or device is opened or
        # followed, no hard link copied twice. The rest is named for the host's verifier.
        if [ "$interactive" = 0 ]; then
            out=$fs/job/out
            if [ -L "$out" ] || [ ! -d "$out" ]; then
                echo "out/ (not a directory)" >"$scratch/\(rejectedOutputFile)"
            else
                find "$out" -mindepth 1 -maxdepth 1 -type f -links 1 -exec cp --no-dereference -t "$job/out/" -- {} + 2>/dev/null
                find "$out" -mindepth 1 -maxdepth 1 ! \\( -type f -links 1 \\) -printf '%P (%y, %n links)\\n' \\
                    >"$scratch/\(rejectedOutputFile)" 2>/dev/null
            fi
        fi
        stat -f -c '%S %b %a' "$fs" >"$scratch/\(diskUsageFile)"
        exit $status
        """

    /// Arguments: init script, mount table, the overlay's mount point, network and
    /// interactive flags, the command. One `mount -a` mounts the overlay, `/proc` with a
    /// read-only `/proc/sys`, `/sys` read-only, the device nodes, `/tmp` and the job on
    /// the run's disk, and the read-only binds.
    static let setup = """
        set -e
        init=$1 table=$2 merged=$3 net=$4 interactive=$5; shift 5
        trap 'echo "pacbuild-sandbox: set-up failed" >&2; exit 125' EXIT
        mount -T "$table" -a
        cd "$merged"
        hostname pacbuild
        ip link set lo up
        if [ "$net" = 1 ]; then
            # slirp4netns configures tap0 from outside; its DNS forwarder is 10.0.2.3
            i=0
            until ip -o -4 addr show dev tap0 2>/dev/null | grep -q inet; do
                [ $i -lt 1000 ] || { echo "pacbuild-sandbox: the network (slirp4netns) did not come up" >&2; exit 125; }
                sleep 0.01; i=$((i + 1))
            done
            rm -f "$merged/etc/resolv.conf" && echo "nameserver 10.0.2.3" >"$merged/etc/resolv.conf"
        fi
        pivot_root . .pivot
        trap - EXIT
        exec /usr/sbin/chroot . /bin/sh -c "$init" init "$interactive" "$@"
        """

    /// The device nodes bound from the host into `/dev` (placeholders in the shifted root).
    static let devices = ["null", "zero", "full", "random", "urandom", "tty"]

    /// The mount table of one run, in mount order (fstab(5), whose `\040` stands for a space).
    static func mountTable(lower: String, disk: String, sysrqTrigger: Bool) -> String {
        let merged = disk + "/merged"
        var lines = [
            "overlay \(escape(merged)) overlay userxattr,lowerdir=\(escape(lower)),upperdir=\(escape(disk + "/upper")),workdir=\(escape(disk + "/work")) 0 0",
            "proc \(escape(merged + "/proc")) proc nosuid,nodev,noexec 0 0",
            "\(escape(merged + "/proc/sys")) \(escape(merged + "/proc/sys")) none bind,ro 0 0",
        ]
        if sysrqTrigger {
            lines.append("\(escape(merged + "/proc/sysrq-trigger")) \(escape(merged + "/proc/sysrq-trigger")) none bind,ro 0 0")
        }
        lines.append("sysfs \(escape(merged + "/sys")) sysfs ro,nosuid,nodev,noexec 0 0")
        lines += devices.map { "/dev/\($0) \(escape(merged + "/dev/" + $0)) none bind 0 0" }
        lines += [
            "devpts \(escape(merged + "/dev/pts")) devpts newinstance,ptmxmode=0666,mode=620 0 0",
            "shm \(escape(merged + "/dev/shm")) tmpfs nosuid,nodev,size=256m 0 0",
            "\(escape(disk + "/tmp")) \(escape(merged + "/tmp")) none bind 0 0",
            // rbind: with the read-only pools the outer stage bound into the job (``poolTable``)
            "\(escape(disk + "/job")) \(escape(merged + SandboxJob.mountPoint)) none rbind 0 0",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The read-only binds, mounted by the outer stage as the host's root (the pools' host
    /// paths need not be open to the sandbox's ids) onto the job's copy on the run's disk;
    /// inside the user namespace they are locked read-only.
    static func poolTable(disk: String, binds: [ReadOnlyBind]) -> String {
        binds.map { bind in
            let target = disk + "/job" + bind.inside.dropFirst(SandboxJob.mountPoint.count)
            return "\(escape(bind.host)) \(escape(target)) none bind,ro,nosuid,nodev 0 0\n"
        }.joined()
    }

    /// fstab's escapes for a field: space, tab, newline and backslash as octal.
    static func escape(_ field: String) -> String {
        var escaped = ""
        for character in field.unicodeScalars {
            switch character {
            case " ": escaped += "\\040"
            case "\t": escaped += "\\011"
            case "\n": escaped += "\\012"
            case "\\": escaped += "\\134"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

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
