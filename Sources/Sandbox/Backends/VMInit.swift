/// The init a VM boots into: `/init` of pacbuild's own initramfs (``VMKernel``), a busybox
/// script. It loads the modules the root needs, mounts the build root (`/dev/vda`, the
/// run's copy-on-write overlay of the root's image) and the job's disk (`/dev/vdb`, a
/// copy of the job directory) at ``SandboxJob/mountPoint``, gives the root what a build
/// needs (`/proc`, a read-only `/sys`, a minimal `/dev` with the `/dev/fd` links makepkg
/// relies on, `/tmp` of the disk limit's size), and runs the job's command file in the
/// root as its root, in a cgroup with the job's memory and process limits (given on the
/// kernel's command line: `pb_mem` bytes, `pb_pids`, `pb_tmp` MiB; the kernel hands
/// such words to init as its environment). A watcher kills the whole cgroup at once when
/// a limit is hit, as the namespace backend stops its sandbox; what is left when the
/// command ends (a background process) goes the same way.
///
/// Then it writes the output disk (`/dev/vdc`): one 512-byte block of `key value` lines
/// (the command's status, the cgroup's `oom_kill` and `pids max` counters, the free
/// space of the job disk and of `/tmp`), then a tar of `out/` as the build left it,
/// every entry whatever its type (the host copies regular files only, and names the
/// rest: ``VMOutputDisk``), and powers off (`reboot(RB_POWER_OFF)`; QEMU runs with
/// `-no-reboot`). Nothing it writes is trusted: root in the guest (every scriptlet)
/// could have written the disk itself.
enum VMInit {
    /// The job disk's command file, written by the host before the disk is made.
    static let commandFile = ".vm-command"
    /// The first line of the output disk's header block.
    static let headerMagic = "pacbuild-vm-output 1"

    static let script = """
        #!/bin/busybox sh
        # pacbuild's init for VM builds; see pacbuild's Sources/Sandbox/Backends/VMInit.swift.
        B=/bin/busybox
        export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        off() { $B sync; $B poweroff -f; echo o >/proc/sysrq-trigger; }
        fail() { echo "pacbuild-vm: $*"; off; }
        $B mount -t devtmpfs dev /dev
        $B mount -t proc proc /proc
        $B mount -t sysfs sys /sys
        for m in $($B cat /lib/modules/order); do $B insmod /lib/modules/$m.ko || fail "cannot load the module $m"; done
        n=0; while [ ! -b /dev/vdc ] && [ $n -lt 500 ]; do $B usleep 10000; n=$((n + 1)); done
        $B mount -t ext4 /dev/vda /root || fail "cannot mount the build root"
        R=/root
        $B mkdir -p $R\(SandboxJob.mountPoint)
        $B mount -t ext4 -o nosuid,nodev /dev/vdb $R\(SandboxJob.mountPoint) || fail "cannot mount the job disk"
        $B mount -t proc -o nosuid,nodev,noexec proc $R/proc
        $B mount -t sysfs -o nosuid,nodev,noexec,ro sysfs $R/sys
        $B mount -t tmpfs -o nosuid,mode=755,size=1m dev $R/dev
        $B mknod -m 666 $R/dev/null c 1 3; $B mknod -m 666 $R/dev/zero c 1 5; $B mknod -m 666 $R/dev/full c 1 7
        $B mknod -m 666 $R/dev/random c 1 8; $B mknod -m 666 $R/dev/urandom c 1 9; $B mknod -m 666 $R/dev/tty c 5 0
        $B ln -s /proc/self/fd $R/dev/fd; $B ln -s /proc/self/fd/0 $R/dev/stdin
        $B ln -s /proc/self/fd/1 $R/dev/stdout; $B ln -s /proc/self/fd/2 $R/dev/stderr
        $B mkdir -p $R/dev/pts $R/dev/shm
        $B mount -t devpts -o ptmxmode=0666,mode=620 devpts $R/dev/pts; $B ln -s pts/ptmx $R/dev/ptmx
        $B mount -t tmpfs -o nosuid,nodev,size=256m shm $R/dev/shm
        $B mount -t tmpfs -o nosuid,nodev,mode=1777,size=${pb_tmp:-1024}m tmp $R/tmp
        $B hostname pacbuild
        $B ip link set lo up 2>/dev/null
        C=/cgroup
        $B mount -t cgroup2 cgroup2 $C || fail "cannot mount cgroup2"
        echo "+memory +pids" >$C/cgroup.subtree_control
        $B mkdir $C/build
        echo "${pb_pids:-max}" >$C/build/pids.max
        echo "${pb_mem:-max}" >$C/build/memory.max
        echo 0 >$C/build/memory.swap.max 2>/dev/null
        $B sh -c 'echo $$ >/cgroup/build/cgroup.procs && exec /bin/busybox chroot /root /usr/bin/env -i \\
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root TERM=dumb \\
            /bin/sh -c "cd \(SandboxJob.mountPoint) && exec /bin/sh \(SandboxJob.mountPoint)/\(commandFile)"' </dev/null &
        job=$!
        counter() { $B awk -v k="$1" '$1 == k { print $2 }' "$2"; }
        while $B kill -0 $job 2>/dev/null; do
            if [ "$(counter max $C/build/pids.events)" != 0 ] || [ "$(counter oom_kill $C/build/memory.events)" != 0 ]; then
                echo 1 >$C/build/cgroup.kill
            fi
            $B usleep 200000
        done
        wait $job; status=$?
        echo 1 >$C/build/cgroup.kill
        avail() { $B df -k "$1" 2>/dev/null | $B awk 'NR == 2 { print $4 }'; }
        {
            printf '\(headerMagic)\\nstatus %s\\noom_kill %s\\npids_max %s\\njob_free_kb %s\\ntmp_free_kb %s\\n' \\
                "$status" "$(counter oom_kill $C/build/memory.events)" "$(counter max $C/build/pids.events)" \\
                "$(avail $R\(SandboxJob.mountPoint))" "$(avail $R/tmp)" | $B dd bs=512 count=1 conv=sync 2>/dev/null
            O=$R\(SandboxJob.mountPoint)/out
            if [ -d $O ] && [ ! -L $O ]; then cd $O && $B tar -cf - .; fi
        } >/dev/vdc
        off
        """
}
