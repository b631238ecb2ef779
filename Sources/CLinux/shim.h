// Linux interfaces Swift cannot call directly (prctl is variadic) for the sandbox's
// confinement: no_new_privs and a seccomp filter, both for the calling thread only.
#include <sys/prctl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/audit.h>

static inline int pacbuild_set_no_new_privs(void) {
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static inline int pacbuild_install_seccomp_filter(struct sock_filter *filter, unsigned short count) {
    struct sock_fprog program = { .len = count, .filter = filter };
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0);
}

static const unsigned int PACBUILD_AUDIT_ARCH_X86_64 = AUDIT_ARCH_X86_64;
static const unsigned int PACBUILD_AUDIT_ARCH_I386 = AUDIT_ARCH_I386;
static const unsigned int PACBUILD_SECCOMP_RET_ALLOW = SECCOMP_RET_ALLOW;
static const unsigned int PACBUILD_SECCOMP_RET_ERRNO = SECCOMP_RET_ERRNO;
static const unsigned int PACBUILD_SECCOMP_RET_KILL_PROCESS = SECCOMP_RET_KILL_PROCESS;

// glibc 2.34+: close every descriptor from `from` on in a posix_spawn child (declared by
// spawn.h only under _GNU_SOURCE, which Swift's Glibc module is not built with).
#include <spawn.h>
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
static inline int pacbuild_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

// POSIX_SPAWN_SETSID (glibc 2.26+), also only under _GNU_SOURCE.
static inline int pacbuild_spawn_setsid_flag(void) { return 0x80; }
