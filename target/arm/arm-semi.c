/*
 * ARM semihosting: the calls a guest makes with svc 0x123456 (ARM) or
 * svc 0xab (Thumb) under -semihosting, the operation in r0 and its
 * parameter block at r1, the result back in r0.  Console, host files,
 * time, the command line, the heap layout and exit, as the ARM
 * semihosting specification defines them and QEMU implements them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include "util/log.h"
#include "semihosting/semihost.h"
#include "sysemu/runstate.h"
#include "gdbstub/gdbstub.h"
#include "internals.h"

enum {
    SYS_OPEN = 0x01,
    SYS_CLOSE = 0x02,
    SYS_WRITEC = 0x03,
    SYS_WRITE0 = 0x04,
    SYS_WRITE = 0x05,
    SYS_READ = 0x06,
    SYS_READC = 0x07,
    SYS_ISERROR = 0x08,
    SYS_ISTTY = 0x09,
    SYS_SEEK = 0x0a,
    SYS_FLEN = 0x0c,
    SYS_TMPNAM = 0x0d,
    SYS_REMOVE = 0x0e,
    SYS_RENAME = 0x0f,
    SYS_CLOCK = 0x10,
    SYS_TIME = 0x11,
    SYS_SYSTEM = 0x12,
    SYS_ERRNO = 0x13,
    SYS_GET_CMDLINE = 0x15,
    SYS_HEAPINFO = 0x16,
    SYS_EXIT = 0x18,
    SYS_EXIT_EXTENDED = 0x20,
    SYS_ELAPSED = 0x30,
    SYS_TICKFREQ = 0x31,
};

#define ADP_STOPPED_APPLICATION_EXIT 0x20026

/*
 * The ":semihosting-features" file: a magic, then a byte of extension
 * bits (semihosting specification 2.0).  newlib's rdimon reads it, and
 * only uses SYS_EXIT_EXTENDED (which carries the exit status) when bit 0
 * is set; bit 1 lets ":tt" opened for append be stderr.  Both are what
 * QEMU 7.2 offers.
 */
#define SH_EXT_EXIT_EXTENDED 0x01
#define SH_EXT_STDOUT_STDERR 0x02
static const uint8_t semi_features[] = {
    'S', 'H', 'F', 'B', SH_EXT_EXIT_EXTENDED | SH_EXT_STDOUT_STDERR,
};

/* Longest file name or TMPNAM buffer the guest may pass. */
#define SEMI_PATH_MAX 4096
/* Host I/O is done in pieces of this size, through a bounce buffer. */
#define SEMI_CHUNK 4096

/*
 * Guest handles index this table; handle 0 is never given out (the
 * specification wants non-zero handles).  ":tt" opens the host's stdin,
 * stdout or stderr by the mode, as QEMU does; those are not closed.
 * ":semihosting-features" opens a read-only file held in memory.
 */
typedef enum SemiFdKind {
    SEMI_FD_FREE,
    SEMI_FD_HOST,                /* a file the guest opened */
    SEMI_FD_CONSOLE,             /* a host stdio descriptor */
    SEMI_FD_MEMORY,              /* data/size, read at pos */
    SEMI_FD_GDB,                 /* gdb's descriptor (target=gdb) */
} SemiFdKind;

typedef struct SemiFd {
    SemiFdKind kind;
    int host_fd;                 /* or gdb's */
    const uint8_t *data;
    uint32_t size;
    uint32_t pos;
} SemiFd;

#define SEMI_MAX_FDS 64
static SemiFd semi_fds[SEMI_MAX_FDS];

/* Errno of the last failed call, for SYS_ERRNO (host values, as QEMU). */
static int semi_errno;
/* Start of the SYS_CLOCK and SYS_ELAPSED time base (the first call). */
static int64_t semi_start_ns = -1;

static int64_t semi_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- guest memory, through the guest's own MMU and permissions ---- */

/*
 * A bad pointer from the guest makes the call fail with EFAULT instead
 * of raising an abort inside the semihosting call: probe each page
 * first, then access it through the TLB the probe filled.
 */
static bool semi_page_ok(CPUARMState *env, uint32_t addr, MMUAccessType type)
{
    CPUState *cs = env_cpu(env);

    return CPU_GET_CLASS(cs)->tcg_ops->tlb_fill(cs, addr, 1, type,
                                                arm_mmu_idx(env), true, 0);
}

static bool semi_read(CPUARMState *env, uint32_t addr, void *buf, size_t len)
{
    uint8_t *p = buf;

    for (size_t i = 0; i < len; i++, addr++) {
        if ((i == 0 || !(addr & ~TARGET_PAGE_MASK)) &&
            !semi_page_ok(env, addr, MMU_DATA_LOAD)) {
            return false;
        }
        p[i] = cpu_ldub_mmuidx_ra(env_cpu(env), addr, arm_mmu_idx(env), 0);
    }
    return true;
}

static bool semi_write(CPUARMState *env, uint32_t addr, const void *buf,
                       size_t len)
{
    const uint8_t *p = buf;

    for (size_t i = 0; i < len; i++, addr++) {
        if ((i == 0 || !(addr & ~TARGET_PAGE_MASK)) &&
            !semi_page_ok(env, addr, MMU_DATA_STORE)) {
            return false;
        }
        cpu_stb_mmuidx_ra(env_cpu(env), addr, p[i], arm_mmu_idx(env), 0);
    }
    return true;
}

static bool semi_write_word(CPUARMState *env, uint32_t addr, uint32_t val)
{
    uint8_t bytes[4] = { val, val >> 8, val >> 16, val >> 24 };

    return semi_write(env, addr, bytes, 4);
}

/* Word n of the parameter block at r1. */
static bool semi_arg(CPUARMState *env, int n, uint32_t *val)
{
    uint8_t b[4];

    if (!semi_read(env, env->regs[1] + 4 * n, b, 4)) {
        return false;
    }
    *val = ldn_le_p(b, 4);
    return true;
}

/* A NUL-terminated guest string of at most max bytes; NULL if unreadable
 * or too long. */
static char *semi_read_string(CPUARMState *env, uint32_t addr, size_t max)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (uint32_t a = addr; s->len < max; a++) {
        char c;

        if ((a == addr || !(a & ~TARGET_PAGE_MASK)) &&
            !semi_page_ok(env, a, MMU_DATA_LOAD)) {
            return NULL;
        }
        c = cpu_ldub_mmuidx_ra(env_cpu(env), a, arm_mmu_idx(env), 0);
        if (!c) {
            return g_string_free(g_steal_pointer(&s), false);
        }
        g_string_append_c(s, c);
    }
    return NULL;
}

/* A file name given as (pointer, length): the length excludes the NUL. */
static char *semi_read_name(CPUARMState *env, uint32_t addr, uint32_t len)
{
    char *name;

    if (len > SEMI_PATH_MAX) {
        return NULL;
    }
    name = g_malloc(len + 1);
    if (!semi_read(env, addr, name, len)) {
        g_free(name);
        return NULL;
    }
    name[len] = 0;
    return name;
}

/* ---- the console ---- */

/* Without a semihosting chardev, QEMU 7.2 writes the guest's console
 * output to its stderr; scripts written for it read it there. */
static void semi_console_write(const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(STDERR_FILENO, p, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        p += n;
        len -= n;
    }
}

static int semi_console_getc(void)
{
    uint8_t c;
    ssize_t n;

    do {
        n = read(STDIN_FILENO, &c, 1);
    } while (n < 0 && errno == EINTR);
    return n == 1 ? c : -1;
}

/* ---- handles ---- */

static int semi_alloc_fd(SemiFd fd)
{
    for (int i = 1; i < SEMI_MAX_FDS; i++) {
        if (semi_fds[i].kind == SEMI_FD_FREE) {
            semi_fds[i] = fd;
            return i;
        }
    }
    return -1;
}

static SemiFd *semi_get_fd(uint32_t handle)
{
    if (handle >= SEMI_MAX_FDS || semi_fds[handle].kind == SEMI_FD_FREE) {
        return NULL;
    }
    return &semi_fds[handle];
}

/* A failed call: remember errno for SYS_ERRNO and return -1. */
static uint32_t semi_fail(int err)
{
    semi_errno = err;
    return (uint32_t)-1;
}

/* ---- the calls ---- */

/*
 * The parameter block of a call on an open file: the handle, then nrest
 * more words into rest.  NULL, with semi_errno set (EFAULT, EBADF), when
 * the block cannot be read or the handle is not open.
 */
static SemiFd *semi_file_args(CPUARMState *env, uint32_t *rest, int nrest)
{
    uint32_t handle;
    SemiFd *f;

    if (!semi_arg(env, 0, &handle)) {
        semi_fail(EFAULT);
        return NULL;
    }
    for (int i = 0; i < nrest; i++) {
        if (!semi_arg(env, i + 1, &rest[i])) {
            semi_fail(EFAULT);
            return NULL;
        }
    }
    f = semi_get_fd(handle);
    if (!f) {
        semi_fail(EBADF);
    }
    return f;
}

static uint32_t semi_open(CPUARMState *env)
{
    /* Modes 0-11 as the specification maps them to fopen modes: r, rb,
     * r+, r+b, w, wb, w+, w+b, a, ab, a+, a+b. */
    static const int open_flags[] = {
        O_RDONLY, O_RDONLY, O_RDWR, O_RDWR,
        O_WRONLY | O_CREAT | O_TRUNC, O_WRONLY | O_CREAT | O_TRUNC,
        O_RDWR | O_CREAT | O_TRUNC, O_RDWR | O_CREAT | O_TRUNC,
        O_WRONLY | O_CREAT | O_APPEND, O_WRONLY | O_CREAT | O_APPEND,
        O_RDWR | O_CREAT | O_APPEND, O_RDWR | O_CREAT | O_APPEND,
    };
    uint32_t name_addr, mode, len;
    g_autofree char *name = NULL;
    int host_fd, handle;

    if (!semi_arg(env, 0, &name_addr) || !semi_arg(env, 1, &mode) ||
        !semi_arg(env, 2, &len) ||
        !(name = semi_read_name(env, name_addr, len))) {
        return semi_fail(EFAULT);
    }
    if (mode >= ARRAY_SIZE(open_flags)) {
        emu_log_mask(LOG_GUEST_ERROR, "semihosting: SYS_OPEN mode %" PRIu32
                     " is not 0-11\n", mode);
        return semi_fail(EINVAL);
    }
    if (!strcmp(name, ":tt")) {
        /* r and r+ read stdin, w and w+ write stdout, a and a+ stderr */
        handle = semi_alloc_fd((SemiFd){
            .kind = SEMI_FD_CONSOLE,
            .host_fd = mode < 4 ? STDIN_FILENO
                       : mode < 8 ? STDOUT_FILENO : STDERR_FILENO });
        return handle < 0 ? semi_fail(EMFILE) : (uint32_t)handle;
    }
    if (!strcmp(name, ":semihosting-features")) {
        /* read-only: only modes r and rb (QEMU: EACCES otherwise) */
        if (mode > 1) {
            return semi_fail(EACCES);
        }
        handle = semi_alloc_fd((SemiFd){
            .kind = SEMI_FD_MEMORY, .host_fd = -1, .data = semi_features,
            .size = sizeof(semi_features) });
        return handle < 0 ? semi_fail(EMFILE) : (uint32_t)handle;
    }
    host_fd = semihosting_open(name, open_flags[mode], 0644);
    if (host_fd < 0) {
        return semi_fail(errno);
    }
    handle = semi_alloc_fd((SemiFd){ .kind = SEMI_FD_HOST,
                                     .host_fd = host_fd });
    if (handle < 0) {
        close(host_fd);
        return semi_fail(EMFILE);
    }
    return handle;
}

static uint32_t semi_close(CPUARMState *env)
{
    SemiFd *f = semi_file_args(env, NULL, 0);
    SemiFdKind kind;

    if (!f) {
        return (uint32_t)-1;
    }
    kind = f->kind;
    f->kind = SEMI_FD_FREE;
    if (kind == SEMI_FD_HOST && close(f->host_fd) < 0) {
        return semi_fail(errno);
    }
    return 0;
}

/* SYS_WRITE: returns the number of bytes NOT written. */
static uint32_t semi_write_call(CPUARMState *env)
{
    uint32_t args[2], addr, len, done = 0;
    uint8_t buf[SEMI_CHUNK];
    SemiFd *f = semi_file_args(env, args, 2);

    if (!f) {
        return (uint32_t)-1;
    }
    addr = args[0];
    len = args[1];
    if (f->kind == SEMI_FD_MEMORY) {
        semi_errno = EBADF;      /* read-only; nothing written */
        return len;
    }
    while (done < len) {
        uint32_t n = MIN(len - done, sizeof(buf));
        ssize_t w;

        if (!semi_read(env, addr + done, buf, n)) {
            semi_errno = EFAULT;
            break;
        }
        do {
            w = write(f->host_fd, buf, n);
        } while (w < 0 && errno == EINTR);
        if (w < 0) {
            semi_errno = errno;
            break;
        }
        done += w;
        if ((uint32_t)w < n) {
            break;
        }
    }
    return len - done;
}

/* SYS_READ: returns the number of bytes NOT read (len at end of file). */
static uint32_t semi_read_call(CPUARMState *env)
{
    uint32_t args[2], addr, len, done = 0;
    uint8_t buf[SEMI_CHUNK];
    SemiFd *f = semi_file_args(env, args, 2);

    if (!f) {
        return (uint32_t)-1;
    }
    addr = args[0];
    len = args[1];
    if (f->kind == SEMI_FD_MEMORY) {
        uint32_t n = MIN(len, f->size - f->pos);

        if (!semi_write(env, addr, f->data + f->pos, n)) {
            return semi_fail(EFAULT);
        }
        f->pos += n;
        return len - n;
    }
    while (done < len) {
        uint32_t n = MIN(len - done, sizeof(buf));
        ssize_t r;

        do {
            r = read(f->host_fd, buf, n);
        } while (r < 0 && errno == EINTR);
        if (r < 0) {
            return semi_fail(errno);
        }
        if (r == 0) {
            break;
        }
        if (!semi_write(env, addr + done, buf, r)) {
            return semi_fail(EFAULT);
        }
        done += r;
        if ((uint32_t)r < n) {
            /* a short read: the end of a file, or a terminal's line */
            break;
        }
    }
    return len - done;
}

static uint32_t semi_seek(CPUARMState *env)
{
    uint32_t pos;
    SemiFd *f = semi_file_args(env, &pos, 1);

    if (!f) {
        return (uint32_t)-1;
    }
    if (f->kind == SEMI_FD_MEMORY) {
        if (pos > f->size) {
            return semi_fail(EINVAL);
        }
        f->pos = pos;
        return 0;
    }
    if (lseek(f->host_fd, pos, SEEK_SET) < 0) {
        return semi_fail(errno);
    }
    return 0;
}

static uint32_t semi_flen(CPUARMState *env)
{
    SemiFd *f = semi_file_args(env, NULL, 0);
    struct stat st;

    if (!f) {
        return (uint32_t)-1;
    }
    if (f->kind == SEMI_FD_MEMORY) {
        return f->size;
    }
    if (fstat(f->host_fd, &st) < 0) {
        return semi_fail(errno);
    }
    return st.st_size;
}

static uint32_t semi_istty(CPUARMState *env)
{
    SemiFd *f = semi_file_args(env, NULL, 0);

    if (!f) {
        return (uint32_t)-1;
    }
    if (f->kind == SEMI_FD_MEMORY) {
        semi_errno = ENOTTY;
        return 0;
    }
    if (!isatty(f->host_fd)) {
        semi_errno = errno;
        return 0;
    }
    return 1;
}

static uint32_t semi_tmpnam(CPUARMState *env)
{
    uint32_t addr, id, size;
    g_autofree char *name = NULL;

    if (!semi_arg(env, 0, &addr) || !semi_arg(env, 1, &id) ||
        !semi_arg(env, 2, &size)) {
        return semi_fail(EFAULT);
    }
    /* Behind chroot=DIR, a name in DIR: the host's /tmp is outside. */
    name = g_strdup_printf("%s%semu-semihosting-%d-%02x",
                           semihosting_fenced() ? "" : g_get_tmp_dir(),
                           semihosting_fenced() ? "" : "/",
                           (int)getpid(), id & 0xff);
    if (strlen(name) + 1 > size) {
        return semi_fail(ENAMETOOLONG);
    }
    if (!semi_write(env, addr, name, strlen(name) + 1)) {
        return semi_fail(EFAULT);
    }
    return 0;
}

static uint32_t semi_remove(CPUARMState *env)
{
    uint32_t addr, len;
    g_autofree char *name = NULL;

    if (!semi_arg(env, 0, &addr) || !semi_arg(env, 1, &len) ||
        !(name = semi_read_name(env, addr, len))) {
        return semi_fail(EFAULT);
    }
    return semihosting_remove(name) < 0 ? semi_fail(errno) : 0;
}

static uint32_t semi_rename(CPUARMState *env)
{
    uint32_t from_addr, from_len, to_addr, to_len;
    g_autofree char *from = NULL;
    g_autofree char *to = NULL;

    if (!semi_arg(env, 0, &from_addr) || !semi_arg(env, 1, &from_len) ||
        !semi_arg(env, 2, &to_addr) || !semi_arg(env, 3, &to_len) ||
        !(from = semi_read_name(env, from_addr, from_len)) ||
        !(to = semi_read_name(env, to_addr, to_len))) {
        return semi_fail(EFAULT);
    }
    return semihosting_rename(from, to) < 0 ? semi_fail(errno) : 0;
}

/* {buffer, size}: the command line with its NUL if it fits; size is set
 * to its length without the NUL. */
static uint32_t semi_get_cmdline(CPUARMState *env)
{
    const char *cmdline = semihosting_get_cmdline();
    uint32_t addr, size, len = strlen(cmdline);

    if (!semi_arg(env, 0, &addr) || !semi_arg(env, 1, &size)) {
        return semi_fail(EFAULT);
    }
    if (len + 1 > size) {
        return semi_fail(E2BIG);
    }
    if (!semi_write(env, addr, cmdline, len + 1) ||
        !semi_write_word(env, env->regs[1] + 4, len)) {
        return semi_fail(EFAULT);
    }
    return 0;
}

/* r1 points at a pointer to four words: heap base and limit, stack base
 * and limit (see semihosting_get_heapinfo). */
static uint32_t semi_heapinfo(CPUARMState *env)
{
    uint64_t info[4];
    uint32_t block;

    if (!semi_arg(env, 0, &block)) {
        return semi_fail(EFAULT);
    }
    semihosting_get_heapinfo(info);
    for (int i = 0; i < 4; i++) {
        if (!semi_write_word(env, block + 4 * i, info[i])) {
            return semi_fail(EFAULT);
        }
    }
    return 0;
}

static EMU_NORETURN void semi_exit(CPUARMState *env, bool extended)
{
    uint32_t reason, subcode = 0;

    if (extended) {
        /* r1 points at {reason, subcode}. */
        if (!semi_arg(env, 0, &reason) || !semi_arg(env, 1, &subcode)) {
            emu_log_mask(LOG_GUEST_ERROR, "semihosting: SYS_EXIT_EXTENDED "
                         "block at 0x%08" PRIx32 " is unreadable\n",
                         env->regs[1]);
            system_exit_now(1);
        }
    } else {
        /* AArch32 SYS_EXIT passes the reason itself in r1. */
        reason = env->regs[1];
    }
    if (reason != ADP_STOPPED_APPLICATION_EXIT) {
        system_exit_now(1);
    }
    system_exit_now(extended ? (int)subcode : 0);
}

/* ---- target=gdb: the calls gdb carries out (File-I/O) ---- */

/* gdb's open flags (its File-I/O protocol's values) for modes 0-11. */
#define GDB_O_WRONLY 0x1
#define GDB_O_RDWR 0x2
#define GDB_O_APPEND 0x8
#define GDB_O_CREAT 0x200
#define GDB_O_TRUNC 0x400
static const uint32_t gdb_open_flags[] = {
    0, 0, GDB_O_RDWR, GDB_O_RDWR,
    GDB_O_WRONLY | GDB_O_CREAT | GDB_O_TRUNC,
    GDB_O_WRONLY | GDB_O_CREAT | GDB_O_TRUNC,
    GDB_O_RDWR | GDB_O_CREAT | GDB_O_TRUNC,
    GDB_O_RDWR | GDB_O_CREAT | GDB_O_TRUNC,
    GDB_O_WRONLY | GDB_O_CREAT | GDB_O_APPEND,
    GDB_O_WRONLY | GDB_O_CREAT | GDB_O_APPEND,
    GDB_O_RDWR | GDB_O_CREAT | GDB_O_APPEND,
    GDB_O_RDWR | GDB_O_CREAT | GDB_O_APPEND,
};
/* gdb's struct stat, as fstat writes it: st_size, big-endian, at 28 of
 * 64 bytes, which go below the guest's stack pointer as QEMU puts them. */
#define GDB_STAT_SIZE 64
#define GDB_STAT_ST_SIZE 28

/* What gdb's answer is turned into: the call it answers. */
static struct {
    uint32_t op;
    uint32_t len;                /* SYS_READ, SYS_WRITE: bytes asked for */
    uint32_t stat_addr;          /* SYS_FLEN: gdb's struct stat */
} semi_gdb_call;

static void semi_gdb_done(CPUState *cs, int64_t ret, int err)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    uint32_t r0 = ret;
    uint8_t size[8];
    int handle;

    if (ret < 0) {
        semi_errno = err;
    }
    switch (semi_gdb_call.op) {
    case SYS_OPEN:
        if (ret >= 0) {
            handle = semi_alloc_fd((SemiFd){ .kind = SEMI_FD_GDB,
                                             .host_fd = ret });
            r0 = handle < 0 ? semi_fail(EMFILE) : (uint32_t)handle;
        }
        break;
    case SYS_READ:
    case SYS_WRITE:
        /* the bytes NOT transferred; all of them when it failed */
        r0 = ret < 0 ? semi_gdb_call.len : semi_gdb_call.len - ret;
        break;
    case SYS_SEEK:
        r0 = ret < 0 ? (uint32_t)-1 : 0;
        break;
    case SYS_FLEN:
        if (ret >= 0) {
            r0 = cpu_memory_rw_debug(cs, semi_gdb_call.stat_addr +
                                     GDB_STAT_ST_SIZE, size, 8, false)
                 ? (uint32_t)ldn_be_p(size, 8) : semi_fail(EFAULT);
        }
        break;
    case SYS_WRITEC:
    case SYS_WRITE0:
        return;                  /* r0 is left as it was */
    default:
        break;                   /* close, isatty, unlink, rename, system */
    }
    env->regs[0] = r0;
}

/* Sends the request; false (the call failed) without a stub. */
static bool G_GNUC_PRINTF(3, 4)
semi_gdb_request(CPUARMState *env, uint32_t op, const char *fmt, ...)
{
    g_autofree char *request = NULL;
    static bool warned;
    va_list ap;

    va_start(ap, fmt);
    request = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    semi_gdb_call.op = op;
    if (gdb_syscall(env_cpu(env), semi_gdb_done, request)) {
        return true;
    }
    if (!warned) {
        warn_report("semihosting target=gdb: no gdb stub is running (-s, "
                    "-gdb, or the monitor's gdbserver): the calls fail");
        warned = true;
    }
    env->regs[0] = semi_fail(EIO);
    return false;
}

static void semi_gdb_open(CPUARMState *env)
{
    uint32_t name_addr, mode, len;
    g_autofree char *name = NULL;
    int handle;

    if (!semi_arg(env, 0, &name_addr) || !semi_arg(env, 1, &mode) ||
        !semi_arg(env, 2, &len) ||
        !(name = semi_read_name(env, name_addr, len))) {
        env->regs[0] = semi_fail(EFAULT);
        return;
    }
    if (mode >= ARRAY_SIZE(gdb_open_flags)) {
        env->regs[0] = semi_fail(EINVAL);
        return;
    }
    if (!strcmp(name, ":tt")) {
        /* gdb's own stdin, stdout or stderr, by the mode */
        handle = semi_alloc_fd((SemiFd){
            .kind = SEMI_FD_GDB,
            .host_fd = mode < 4 ? 0 : mode < 8 ? 1 : 2 });
        env->regs[0] = handle < 0 ? semi_fail(EMFILE) : (uint32_t)handle;
        return;
    }
    semi_gdb_request(env, SYS_OPEN, "open,%" PRIx32 "/%" PRIx32 ",%" PRIx32
                     ",%x", name_addr, len + 1, gdb_open_flags[mode], 0644);
}

/*
 * A call on an open file: gdb's request when the handle is one of gdb's,
 * false (the local code answers) when it is not.  A bad handle or
 * parameter block fails here as it would there (-1, EBADF or EFAULT).
 */
static bool semi_gdb_file_call(CPUARMState *env, uint32_t op)
{
    /* after the handle: buffer and length, or the position */
    uint32_t args[2];
    SemiFd *f = semi_file_args(env, args, op == SYS_WRITE || op == SYS_READ
                                          ? 2 : op == SYS_SEEK ? 1 : 0);

    if (!f) {
        env->regs[0] = (uint32_t)-1;
        return true;
    }
    if (f->kind != SEMI_FD_GDB) {
        return false;
    }
    switch (op) {
    case SYS_CLOSE:
        f->kind = SEMI_FD_FREE;
        if (f->host_fd <= 2) {
            env->regs[0] = 0;    /* gdb's console stays open */
            return true;
        }
        semi_gdb_request(env, op, "close,%x", f->host_fd);
        break;
    case SYS_WRITE:
    case SYS_READ:
        semi_gdb_call.len = args[1];
        semi_gdb_request(env, op, "%s,%x,%" PRIx32 ",%" PRIx32,
                         op == SYS_WRITE ? "write" : "read", f->host_fd,
                         args[0], args[1]);
        break;
    case SYS_SEEK:
        semi_gdb_request(env, op, "lseek,%x,%" PRIx32 ",0", f->host_fd,
                         args[0]);
        break;
    case SYS_FLEN:
        semi_gdb_call.stat_addr = env->regs[13] - GDB_STAT_SIZE;
        semi_gdb_request(env, op, "fstat,%x,%" PRIx32, f->host_fd,
                         semi_gdb_call.stat_addr);
        break;
    default:                     /* SYS_ISTTY */
        semi_gdb_request(env, op, "isatty,%x", f->host_fd);
        break;
    }
    return true;
}

/*
 * The calls gdb carries out: files and the console output.  Returns
 * false for those emu answers itself (time, heap, the command line,
 * exit, SYS_READC, ":semihosting-features").
 */
static bool semi_gdb_forward(CPUARMState *env, uint32_t op)
{
    uint32_t args[4];
    g_autofree char *text = NULL;

    switch (op) {
    case SYS_OPEN:
        semi_gdb_open(env);
        return true;
    case SYS_CLOSE:
    case SYS_WRITE:
    case SYS_READ:
    case SYS_SEEK:
    case SYS_FLEN:
    case SYS_ISTTY:
        return semi_gdb_file_call(env, op);
    case SYS_REMOVE:
    case SYS_SYSTEM:
        if (!semi_arg(env, 0, &args[0]) || !semi_arg(env, 1, &args[1])) {
            env->regs[0] = semi_fail(EFAULT);
            return true;
        }
        semi_gdb_request(env, op, "%s,%" PRIx32 "/%" PRIx32,
                         op == SYS_REMOVE ? "unlink" : "system", args[0],
                         args[1] + 1);
        return true;
    case SYS_RENAME:
        for (int i = 0; i < 4; i++) {
            if (!semi_arg(env, i, &args[i])) {
                env->regs[0] = semi_fail(EFAULT);
                return true;
            }
        }
        semi_gdb_request(env, op, "rename,%" PRIx32 "/%" PRIx32 ",%" PRIx32
                         "/%" PRIx32, args[0], args[1] + 1, args[2],
                         args[3] + 1);
        return true;
    case SYS_WRITEC:
        semi_gdb_request(env, op, "write,2,%" PRIx32 ",1", env->regs[1]);
        return true;
    case SYS_WRITE0:
        text = semi_read_string(env, env->regs[1], 1 << 20);
        if (!text) {
            env->regs[0] = semi_fail(EFAULT);
            return true;
        }
        semi_gdb_request(env, op, "write,2,%" PRIx32 ",%zx", env->regs[1],
                         strlen(text));
        return true;
    default:
        return false;
    }
}

void arm_do_semihosting(CPUARMState *env)
{
    uint32_t op = env->regs[0];
    uint32_t ret;
    uint32_t arg;

    if (semi_start_ns < 0) {
        semi_start_ns = semi_now_ns();
    }
    if (semihosting_use_gdb() && semi_gdb_forward(env, op)) {
        return;                  /* r0 is set, now or when gdb answers */
    }

    switch (op) {
    case SYS_OPEN:
        ret = semi_open(env);
        break;
    case SYS_CLOSE:
        ret = semi_close(env);
        break;
    case SYS_WRITEC: {
        char c;

        /* r1 points at the character. */
        if (!semi_read(env, env->regs[1], &c, 1)) {
            ret = semi_fail(EFAULT);
            break;
        }
        semi_console_write(&c, 1);
        ret = env->regs[0];
        break;
    }
    case SYS_WRITE0: {
        g_autofree char *s = semi_read_string(env, env->regs[1], 1 << 20);

        if (!s) {
            ret = semi_fail(EFAULT);
            break;
        }
        semi_console_write(s, strlen(s));
        ret = env->regs[0];
        break;
    }
    case SYS_WRITE:
        ret = semi_write_call(env);
        break;
    case SYS_READ:
        ret = semi_read_call(env);
        break;
    case SYS_READC:
        ret = semi_console_getc();
        break;
    case SYS_ISERROR:
        ret = semi_arg(env, 0, &arg) ? (int32_t)arg < 0 : semi_fail(EFAULT);
        break;
    case SYS_ISTTY:
        ret = semi_istty(env);
        break;
    case SYS_SEEK:
        ret = semi_seek(env);
        break;
    case SYS_FLEN:
        ret = semi_flen(env);
        break;
    case SYS_TMPNAM:
        ret = semi_tmpnam(env);
        break;
    case SYS_REMOVE:
        ret = semi_remove(env);
        break;
    case SYS_RENAME:
        ret = semi_rename(env);
        break;
    case SYS_CLOCK:
        ret = (semi_now_ns() - semi_start_ns) / 10000000;
        break;
    case SYS_TIME:
        ret = time(NULL);
        break;
    case SYS_SYSTEM:
        /* Running host commands for the guest is not something a test
         * machine should do. */
        emu_log_mask(LOG_UNIMP, "semihosting: SYS_SYSTEM is refused\n");
        ret = semi_fail(EPERM);
        break;
    case SYS_ERRNO:
        ret = semi_errno;
        break;
    case SYS_GET_CMDLINE:
        ret = semi_get_cmdline(env);
        break;
    case SYS_HEAPINFO:
        ret = semi_heapinfo(env);
        break;
    case SYS_EXIT:
        semi_exit(env, false);
    case SYS_EXIT_EXTENDED:
        semi_exit(env, true);
    case SYS_ELAPSED: {
        /* r1 points at a 64-bit tick count, low word first. */
        uint64_t ticks = semi_now_ns() - semi_start_ns;

        if (!semi_write_word(env, env->regs[1], ticks) ||
            !semi_write_word(env, env->regs[1] + 4, ticks >> 32)) {
            ret = semi_fail(EFAULT);
            break;
        }
        ret = 0;
        break;
    }
    case SYS_TICKFREQ:
        ret = 1000000000;        /* SYS_ELAPSED counts nanoseconds */
        break;
    default:
        emu_log_mask(LOG_UNIMP, "semihosting: unknown call 0x%" PRIx32 "\n",
                     op);
        ret = semi_fail(ENOSYS);
        break;
    }
    env->regs[0] = ret;
}
