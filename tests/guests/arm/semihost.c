/*
 * The semihosting calls, one group per command-line word (from
 * -semihosting-config arg=...): "files DIR" works on DIR/a.txt,
 * b.txt and c.txt; "fence OUTSIDE" tries to leave a chroot=DIR (in
 * which OUTSIDE is the absolute name of a directory beside DIR);
 * "console", "time", "heap", "errno", "exit", "exit-error" and "exit42";
 * "hlt" writes a line and exits through the HLT form of the trap;
 * anything else prints the command line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest.h"
#include "print.h"

static char cmdline[256];

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix) {
        if (*s++ != *prefix++) {
            return 0;
        }
    }
    return 1;
}

static unsigned length(const char *s)
{
    unsigned n = 0;

    while (s[n]) {
        n++;
    }
    return n;
}

static int sys_open(const char *name, unsigned mode)
{
    uint32_t block[3] = { (uint32_t)name, mode, length(name) };

    return (int)semi_call(SYS_OPEN, block);
}

static int sys_write(int fd, const char *buf, unsigned len)
{
    uint32_t block[3] = { (uint32_t)fd, (uint32_t)buf, len };

    return (int)semi_call(SYS_WRITE, block);
}

static int sys_read(int fd, char *buf, unsigned len)
{
    uint32_t block[3] = { (uint32_t)fd, (uint32_t)buf, len };

    return (int)semi_call(SYS_READ, block);
}

static int sys_1(unsigned op, uint32_t arg)
{
    uint32_t block[1] = { arg };

    return (int)semi_call(op, block);
}

static int sys_seek(int fd, unsigned pos)
{
    uint32_t block[2] = { (uint32_t)fd, pos };

    return (int)semi_call(SYS_SEEK, block);
}

static void path(char *out, const char *dir, const char *file)
{
    while (*dir) {
        *out++ = *dir++;
    }
    *out++ = '/';
    while ((*out++ = *file++)) {
    }
}

static void files(const char *dir)
{
    char a[200], b[200], c[200], buf[32];
    int fd;

    path(a, dir, "a.txt");
    path(b, dir, "b.txt");
    path(c, dir, "c.txt");
    fd = sys_open(a, 4);                        /* "w" */
    tprintf("open w %s\n", fd > 0 ? "ok" : "failed");
    tprintf("write left %d\n", sys_write(fd, "hello semihosting\n", 18));
    tprintf("istty file %d\n", sys_1(SYS_ISTTY, (uint32_t)fd));
    tprintf("close %d\n", sys_1(SYS_CLOSE, (uint32_t)fd));
    fd = sys_open(a, 1);                        /* "rb" */
    tprintf("flen %d\n", sys_1(SYS_FLEN, (uint32_t)fd));
    tprintf("seek %d\n", sys_seek(fd, 6));
    buf[11] = 0;
    tprintf("read left %d\n", sys_read(fd, buf, 11));
    tprintf("read '%s'\n", buf);
    tprintf("read at end left %d\n", sys_read(fd, buf, 8));
    sys_1(SYS_CLOSE, (uint32_t)fd);
    tprintf("close again %d\n", sys_1(SYS_CLOSE, (uint32_t)fd));
    uint32_t names[4] = { (uint32_t)a, length(a), (uint32_t)b, length(b) };
    tprintf("rename %d\n", (int)semi_call(SYS_RENAME, names));
    tprintf("open old name %d errno %d\n", sys_open(a, 0),
            (int)semi_call(SYS_ERRNO, 0));
    fd = sys_open(b, 8);                        /* "a" */
    sys_write(fd, "more\n", 5);
    sys_1(SYS_CLOSE, (uint32_t)fd);
    fd = sys_open(c, 6);                        /* "w+" */
    sys_write(fd, "scratch", 7);
    sys_seek(fd, 0);
    buf[7] = 0;
    tprintf("w+ read left %d '%s'\n", sys_read(fd, buf, 7), buf);
    sys_1(SYS_CLOSE, (uint32_t)fd);
    uint32_t name[2] = { (uint32_t)c, length(c) };
    tprintf("remove %d\n", (int)semi_call(SYS_REMOVE, name));
    tprintf("remove again %d\n", (int)semi_call(SYS_REMOVE, name) != 0);
}

/* A call that fails prints its errno: the fence says EACCES (13). */
static void result(const char *what, int ret)
{
    if (ret < 0) {
        tprintf("%s -1 errno %d\n", what, (int)semi_call(SYS_ERRNO, 0));
    } else {
        tprintf("%s ok\n", what);
    }
}

static int sys_remove(const char *name)
{
    uint32_t block[2] = { (uint32_t)name, length(name) };

    return (int)semi_call(SYS_REMOVE, block);
}

static int sys_rename(const char *from, const char *to)
{
    uint32_t block[4] = { (uint32_t)from, length(from), (uint32_t)to,
                          length(to) };

    return (int)semi_call(SYS_RENAME, block);
}

static void fence(const char *outside)
{
    char secret[200], victim[200], tmp[200], buf[8] = { 0 };
    uint32_t tmpnam[3] = { (uint32_t)tmp, 7, sizeof(tmp) };
    int fd;

    path(secret, outside, "secret.txt");
    path(victim, outside, "victim.txt");
    /* inside: plain, and through a ".." that stays in */
    fd = sys_open("inside.txt", 0);
    sys_read(fd, buf, 6);
    sys_1(SYS_CLOSE, (uint32_t)fd);
    tprintf("inside read '%s'\n", buf);
    fd = sys_open("sub/../inside.txt", 0);
    result("open sub/../inside.txt", fd);
    sys_1(SYS_CLOSE, (uint32_t)fd);
    /* out: by "..", by an absolute name, through symlinks */
    result("open ../outside/secret.txt", sys_open("../outside/secret.txt", 0));
    result("open OUTSIDE/secret.txt", sys_open(secret, 0));
    result("open escape/secret.txt", sys_open("escape/secret.txt", 0));
    result("open abs-escape/secret.txt",
           sys_open("abs-escape/secret.txt", 0));
    result("open w escape/new.txt", sys_open("escape/new.txt", 4));
    result("open w ../new.txt", sys_open("../new.txt", 4));
    result("remove ../outside/victim.txt",
           sys_remove("../outside/victim.txt"));
    result("remove OUTSIDE/victim.txt", sys_remove(victim));
    result("remove escape/victim.txt", sys_remove("escape/victim.txt"));
    result("rename inside.txt ../outside/moved.txt",
           sys_rename("inside.txt", "../outside/moved.txt"));
    result("rename escape/victim.txt mine.txt",
           sys_rename("escape/victim.txt", "mine.txt"));
    result("remove ..", sys_remove(".."));
    /* what stays possible inside */
    result("tmpnam", (int)semi_call(SYS_TMPNAM, tmpnam));
    fd = sys_open(tmp, 4);
    result("open w tmpnam", fd);
    sys_write(fd, "tmp", 3);
    sys_1(SYS_CLOSE, (uint32_t)fd);
    fd = sys_open("new.txt", 4);
    result("open w new.txt", fd);
    sys_write(fd, "made", 4);
    sys_1(SYS_CLOSE, (uint32_t)fd);
    result("rename new.txt sub/renamed.txt",
           sys_rename("new.txt", "sub/renamed.txt"));
    /* the symlink itself is inside: removing it leaves its target */
    result("remove escape", sys_remove("escape"));
}

static void console(void)
{
    char c = 'A';
    int fd = sys_open(":tt", 4);

    semi_call(SYS_WRITEC, &c);
    c = '\n';
    semi_call(SYS_WRITEC, &c);
    semi_call(SYS_WRITE0, "write0 line\n");
    tprintf("tt handle %s\n", fd > 0 ? "ok" : "failed");
    tprintf("write left %d\n", sys_write(fd, "to the console\n", 15));
    tprintf("iserror %d %d\n", sys_1(SYS_ISERROR, (uint32_t)-1),
            sys_1(SYS_ISERROR, 0));
    tprintf("system %d\n", sys_1(SYS_SYSTEM, 0));
}

static void times(void)
{
    uint32_t t = semi_call(SYS_TIME, 0);
    int clock0 = (int)semi_call(SYS_CLOCK, 0);
    uint32_t freq = semi_call(SYS_TICKFREQ, 0);
    uint32_t e0[2], e1[2];

    semi_call(SYS_ELAPSED, e0);
    for (volatile int i = 0; i < 200000; i++) {
    }
    semi_call(SYS_ELAPSED, e1);
    int clock1 = (int)semi_call(SYS_CLOCK, 0);
    uint64_t t0 = (uint64_t)e0[1] << 32 | e0[0];
    uint64_t t1 = (uint64_t)e1[1] << 32 | e1[0];
    tprintf("time after 2020 %d\n", t > 1577836800u);
    tprintf("clock sane %d\n", clock0 >= 0 && clock1 >= clock0 &&
            clock1 < 100 * 3600);
    tprintf("tickfreq sane %d\n", freq >= 100);
    tprintf("elapsed increases %d\n", t1 > t0);
}

static void heap(void)
{
    uint32_t info[4];
    uint32_t *block = info;

    tprintf("heapinfo %d\n", (int)semi_call(SYS_HEAPINFO, &block));
    tprintf("heap %08x-%08x stack %08x-%08x\n", (unsigned)info[0],
            (unsigned)info[1], (unsigned)info[3], (unsigned)info[2]);
}

int main(void)
{
    uint32_t block[2] = { (uint32_t)cmdline, sizeof(cmdline) };

    if (semi_call(SYS_GET_CMDLINE, block) != 0) {
        tprintf("get_cmdline failed\n");
        return 1;
    }
    if (starts_with(cmdline, "files ")) {
        files(cmdline + 6);
    } else if (starts_with(cmdline, "fence ")) {
        fence(cmdline + 6);
    } else if (starts_with(cmdline, "console")) {
        console();
    } else if (starts_with(cmdline, "time")) {
        times();
    } else if (starts_with(cmdline, "heap")) {
        heap();
    } else if (starts_with(cmdline, "errno")) {
        tprintf("open %d\n", sys_open("/nonexistent/emu-semihosting", 0));
        tprintf("errno %d\n", (int)semi_call(SYS_ERRNO, 0));
    } else if (starts_with(cmdline, "hlt")) {
        print_flush();
        semi_call_hlt(SYS_WRITE0, "hlt: written\n");
        semi_call_hlt(SYS_EXIT, (void *)0x20026);
    } else if (starts_with(cmdline, "exit42")) {
        return 42;
    } else if (starts_with(cmdline, "exit-error")) {
        semi_call(SYS_EXIT, (void *)0x20023);   /* RunTimeErrorUnknown */
    } else if (starts_with(cmdline, "exit")) {
        semi_call(SYS_EXIT, (void *)0x20026);   /* ApplicationExit */
    } else {
        tprintf("cmdline '%s' length %u\n", cmdline, (unsigned)block[1]);
    }
    return 0;
}
