/// The init User Mode Linux boots into (`init=`), installed into every build root by
/// `sandbox create`. Minbase has no init system, and a build needs little: `/proc`,
/// `/sys`, a minimal `/dev` with the `/dev/fd` links makepkg relies on, `/tmp`, the job
/// directory over hostfs; then the job, its status in a file (UML's own exit status
/// does not carry it), and an immediate power-off.
enum UMLInit {
    static let path = "/etc/pacbuild/uml-init"
    /// The job directory's files the init reads and writes.
    static let commandFile = ".uml-command"
    static let statusFile = ".uml-status"
    /// What the machine's kernel killed for lack of memory during the job, written by
    /// the command file after it (``UMLMemoryKills``).
    static let memoryKillsFile = ".uml-memory-kills"

    static let script = """
        #!/bin/sh
        # pacbuild's init for User Mode Linux builds; see pacbuild's Sources/Sandbox.
        export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root TERM=dumb
        off() { sync; busybox poweroff -f 2>/dev/null; echo o > /proc/sysrq-trigger; }
        mount -t proc -o nosuid,nodev,noexec proc /proc
        mount -t sysfs -o nosuid,nodev,noexec,ro sysfs /sys
        mount -t tmpfs -o nosuid,mode=755,size=1m dev /dev
        mknod -m 666 /dev/null c 1 3; mknod -m 666 /dev/zero c 1 5; mknod -m 666 /dev/full c 1 7
        mknod -m 666 /dev/random c 1 8; mknod -m 666 /dev/urandom c 1 9; mknod -m 666 /dev/tty c 5 0
        ln -s /proc/self/fd /dev/fd; ln -s /proc/self/fd/0 /dev/stdin
        ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr
        mkdir -p /dev/pts /dev/shm /pacbuild
        mount -t devpts -o ptmxmode=0666,mode=620 devpts /dev/pts; ln -s pts/ptmx /dev/ptmx
        mount -t tmpfs -o nosuid,nodev shm /dev/shm
        mount -t tmpfs -o nosuid,nodev,mode=1777 tmp /tmp
        mount -t hostfs hostfs /pacbuild || { echo "pacbuild-sandbox: cannot mount the job directory"; off; }
        hostname pacbuild
        busybox ip link set lo up 2>/dev/null
        cd /pacbuild
        sh /pacbuild/\(commandFile) </dev/null
        echo $? > /pacbuild/\(statusFile)
        off
        """
}
