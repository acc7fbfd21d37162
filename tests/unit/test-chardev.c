/*
 * Character device tests: spec parsing and its errors, the file, null,
 * socket, pty and stdio backends, and the mux with its Ctrl-A keys.
 *
 * Everything runs on unix sockets and loopback addresses under /tmp;
 * the terminal tests give a forked child a pseudo-terminal as stdio,
 * so no /dev/tty is needed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "main-loop-util.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include "chardev/char.h"
#include "monitor/monitor.h"

static char tmpdir[] = "/tmp/emu-chardev-XXXXXX";

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}


/* ---- a frontend that records what it gets ---- */

typedef struct Fe {
    CharBackend be;
    GString *in;
    GArray *events;
    int budget;              /* bytes it still takes; -1: any number */
} Fe;

static int fe_can_read(void *opaque)
{
    Fe *fe = opaque;

    return fe->budget < 0 ? 1024 : fe->budget;
}

static void fe_read(void *opaque, const uint8_t *buf, int len)
{
    Fe *fe = opaque;

    g_assert_cmpint(len, <=, fe_can_read(fe));
    if (fe->budget > 0) {
        fe->budget -= len;
    }
    g_string_append_len(fe->in, (const char *)buf, len);
}

static void fe_event(void *opaque, ChrEvent event)
{
    int e = event;

    g_array_append_val(((Fe *)opaque)->events, e);
}

static Fe *fe_new(Chardev *chr)
{
    Fe *fe = g_new0(Fe, 1);

    fe->in = g_string_new(NULL);
    fe->events = g_array_new(FALSE, FALSE, sizeof(int));
    fe->budget = -1;
    g_assert_true(chr_fe_init(&fe->be, chr, &error_fatal));
    chr_fe_set_handlers(&fe->be, fe_can_read, fe_read, fe_event, fe);
    return fe;
}

static void fe_free(Fe *fe)
{
    chr_fe_deinit(&fe->be);
    g_string_free(fe->in, TRUE);
    g_array_free(fe->events, TRUE);
    g_free(fe);
}

/* Checks the events fe got since the last check, then forgets them. */
static void fe_assert_events(Fe *fe, int n, ...)
{
    va_list ap;

    g_assert_cmpint(fe->events->len, ==, n);
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        g_assert_cmpint(g_array_index(fe->events, int, i), ==,
                        va_arg(ap, int));
    }
    va_end(ap);
    g_array_set_size(fe->events, 0);
}

static void fe_assert_input(Fe *fe, const char *want)
{
    g_assert_cmpstr(fe->in->str, ==, want);
    g_string_truncate(fe->in, 0);
}

/* ---- helpers ---- */

static char *info_text(void)
{
    return monitor_run_command_to_string("info chardev");
}

static void assert_info_has(const char *line)
{
    g_autofree char *info = info_text();
    g_autofree char *want = g_strdup_printf("%s\n", line);

    if (!strstr(info, want)) {
        g_error("'%s' not in info chardev:\n%s", line, info);
    }
}

/* Creates from a spec that must fail; returns the error for checks. */
static Error *legacy_error(const char *spec, const char *label)
{
    Error *err = NULL;

    g_assert_null(chardev_new_from_legacy(spec, label, &err));
    g_assert_nonnull(err);
    return err;
}

static Error *opts_error(const char *opts)
{
    Error *err = NULL;

    g_assert_null(chardev_new_from_opts(opts, &err));
    g_assert_nonnull(err);
    return err;
}

static void assert_error(Error *err, const char *msg)
{
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static int tcp_connect(int port)
{
    struct sockaddr_in sin = {
        .sin_family = AF_INET,
        .sin_port = htons(port),
        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    return fd;
}

static void send_str(int fd, const char *text)
{
    g_assert_cmpint(send(fd, text, strlen(text), MSG_NOSIGNAL), ==,
                    strlen(text));
}

/* Reads n bytes from fd while running the main loop. */
static char *recv_n(int fd, size_t n)
{
    GString *got = g_string_new(NULL);
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    while (got->len < n) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        char buf[4096];

        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_main_context_iteration(NULL, FALSE);
        if (poll(&pfd, 1, 10) == 1) {
            ssize_t r = read(fd, buf, MIN(sizeof(buf), n - got->len));

            g_assert_cmpint(r, >, 0);
            g_string_append_len(got, buf, r);
        }
    }
    return g_string_free(got, FALSE);
}

static void assert_recv(int fd, const char *want)
{
    g_autofree char *got = recv_n(fd, strlen(want));

    g_assert_cmpstr(got, ==, want);
}

static void assert_nothing_to_read(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };

    pump_for(50);
    g_assert_cmpint(poll(&pfd, 1, 0), ==, 0);
}

static char *file_contents(const char *path)
{
    char *text;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static int fe_write_str(Fe *fe, const char *text)
{
    return chr_fe_write(&fe->be, (const uint8_t *)text, strlen(text));
}

/* ---- legacy -serial/-monitor specs ---- */

static void test_legacy_forms(void)
{
    g_autofree char *file = tmp_path("legacy.txt");
    g_autofree char *sock = tmp_path("legacy.sock");
    g_autofree char *sock2 = tmp_path("legacy2.sock");
    g_autofree char *spec = NULL;
    g_autofree char *line = NULL;
    Chardev *chr, *mux;

    chr = chardev_new_from_legacy("null", "serial0", &error_fatal);
    g_assert_cmpstr(chardev_label(chr), ==, "serial0");
    g_assert_false(chardev_is_mux(chr));
    g_assert_true(chardev_new_from_legacy("chardev:serial0", NULL,
                                          &error_fatal) == chr);

    spec = g_strdup_printf("file:%s", file);
    chardev_new_from_legacy(spec, "serial1", &error_fatal);
    g_assert_true(g_file_test(file, G_FILE_TEST_EXISTS));
    g_free(spec);

    spec = g_strdup_printf("unix:%s,server,nowait", sock);
    chardev_new_from_legacy(spec, "serial2", &error_fatal);
    g_free(spec);
    spec = g_strdup_printf("unix:%s,server=on,wait=off", sock2);
    chardev_new_from_legacy(spec, "serial3", &error_fatal);
    chardev_new_from_legacy("tcp:localhost:0,server,nowait", "serial4",
                            &error_fatal);
    chardev_new_from_legacy("tcp:127.0.0.1:0,server=on,wait=off", "serial5",
                            &error_fatal);
    mux = chardev_new_from_legacy("mon:null", "compat_monitor0",
                                  &error_fatal);
    g_assert_true(chardev_is_mux(mux));
    g_assert_cmpstr(chardev_label(mux), ==, "compat_monitor0");
    g_assert_nonnull(chardev_find("compat_monitor0-base"));

    assert_info_has("serial0: filename=null");
    assert_info_has("serial1: filename=file");
    line = g_strdup_printf("serial2: filename=disconnected:unix:%s,server=on",
                           sock);
    assert_info_has(line);
    g_free(line);
    line = g_strdup_printf("serial3: filename=disconnected:unix:%s,server=on",
                           sock2);
    assert_info_has(line);
    /* A mux is listed just before its backend, as QEMU shows them. */
    assert_info_has("compat_monitor0: filename=mux\n"
                    "compat_monitor0-base: filename=null");
    {
        g_autofree char *info = info_text();

        /* Named by the address bound, as QEMU does. */
        g_assert_nonnull(strstr(info, "serial4: filename=disconnected:tcp:"
                                "127.0.0.1:"));
        g_assert_nonnull(strstr(info, "serial5: filename=disconnected:tcp:"
                                "127.0.0.1:"));
        /* Port 0 shows as the port the kernel chose. */
        g_assert_null(strstr(info, ":0,server=on"));
    }

    g_assert_true(g_file_test(sock, G_FILE_TEST_EXISTS));
    chardev_cleanup_all();
    g_assert_false(g_file_test(sock, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(sock2, G_FILE_TEST_EXISTS));
    g_assert_null(chardev_find("serial0"));
    /* Idempotent. */
    chardev_cleanup_all();
}

static void test_legacy_errors(void)
{
    g_autofree char *sock = tmp_path("legacy-err.sock");
    g_autofree char *spec = NULL;
    Error *err;

    err = legacy_error("foo", "serial0");
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'foo' is not a valid char driver");
    g_assert_cmpstr(error_get_hint(err), ==,
                    "Valid forms: stdio, null, file:PATH, pipe:PATH, pty, "
                    "/dev/DEVICE, unix:PATH[,server][,nowait], "
                    "tcp:[HOST]:PORT[,server][,nowait], "
                    "telnet:[HOST]:PORT[,server][,nowait], "
                    "udp:[HOST]:PORT[@[LOCALADDR]:LOCALPORT], mon:stdio, "
                    "chardev:ID\n");
    error_free(err);
    assert_error(legacy_error("foo:", "serial0"),
                 "'foo:' is not a valid char driver");
    assert_error(legacy_error("udp:5", "serial0"),
                 "'udp:5' is not a valid char driver");
    assert_error(legacy_error("tcp:4555,server,nowait", "serial0"),
                 "'tcp:4555,server,nowait' is not a valid char driver");
    assert_error(legacy_error("chardev:nope", "serial0"),
                 "chardev 'nope' not found");
    assert_error(legacy_error("file:", "serial0"),
                 "Could not open '': No such file or directory");

    spec = g_strdup_printf("unix:%s,server,nowait,bogus", sock);
    assert_error(legacy_error(spec, "serial0"), "Invalid parameter 'bogus'");
    g_free(spec);
    spec = g_strdup_printf("unix:%s,nowait", sock);
    assert_error(legacy_error(spec, "serial0"),
                 "'wait' option is incompatible with socket in client "
                 "connect mode");
    g_free(spec);
    spec = g_strdup_printf("unix:%s,server=maybe", sock);
    assert_error(legacy_error(spec, "serial0"),
                 "Parameter 'server' expects 'on' or 'off'");

    chardev_new_from_legacy("null", "serial0", &error_fatal);
    assert_error(legacy_error("null", "serial0"),
                 "Duplicate ID 'serial0' for chardev");
    /* Failures leave nothing behind. */
    g_assert_false(g_file_test(sock, G_FILE_TEST_EXISTS));
    chardev_cleanup_all();
}

/* ---- -chardev options ---- */

static void test_opts_errors(void)
{
    g_autofree char *nodir = tmp_path("nodir/s.sock");
    g_autofree char *missing = tmp_path("missing.sock");
    g_autofree char *opts = NULL;
    Error *err;

    assert_error(opts_error("null"), "chardev: no id specified");
    err = opts_error("null,id=1x");
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'id' expects an identifier");
    g_assert_nonnull(strstr(error_get_hint(err), "starting with a letter"));
    error_free(err);

    err = opts_error("foo,id=x");
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'foo' is not a valid char driver name");
    g_assert_cmpstr(error_get_hint(err), ==,
                    "Available chardev backend types: stdio serial pipe "
                    "pty null socket udp file ringbuf\n");
    error_free(err);

    assert_error(opts_error("null,id=x,bogus=1"), "Invalid parameter 'bogus'");
    g_assert_null(chardev_find("x"));
    assert_error(opts_error("file,id=x"), "chardev: file: no filename given");
    assert_error(opts_error("socket,id=x"),
                 "chardev: socket: no path or host given");
    assert_error(opts_error("socket,id=x,host=127.0.0.1"),
                 "chardev: socket: no port given");
    assert_error(opts_error("socket,id=x,path=/tmp/p,port=4"),
                 "Invalid parameter 'port'");
    assert_error(opts_error("stdio,id=x,signal=maybe"),
                 "Parameter 'signal' expects 'on' or 'off'");
    assert_error(opts_error("null,id=x,mux=maybe"),
                 "Parameter 'mux' expects 'on' or 'off'");
    opts = g_strdup_printf("socket,id=x,path=%s,server=on,wait=off", nodir);
    err = opts_error(opts);
    g_assert_true(g_str_has_prefix(error_get_pretty(err),
                                   "Failed to bind socket to "));
    g_assert_true(g_str_has_suffix(error_get_pretty(err),
                                   "nodir/s.sock: No such file or directory"));
    error_free(err);
    g_free(opts);
    opts = g_strdup_printf("socket,id=x,path=%s", missing);
    err = opts_error(opts);
    g_assert_true(g_str_has_prefix(error_get_pretty(err),
                                   "Failed to connect to '/tmp/"));
    g_assert_true(g_str_has_suffix(error_get_pretty(err),
                                   "missing.sock': No such file or directory"));
    error_free(err);

    chardev_new_from_opts("null,id=a", &error_fatal);
    assert_error(opts_error("null,id=a"), "Duplicate ID 'a' for chardev");
    /* A mux needs its base's label free too. */
    chardev_new_from_opts("null,id=m-base", &error_fatal);
    assert_error(opts_error("null,id=m,mux=on"),
                 "Duplicate ID 'm-base' for chardev");
    g_assert_null(chardev_find("m"));
    chardev_cleanup_all();
}

static void test_tcp_client_refused(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof(sin);
    g_autofree char *opts = NULL;
    g_autofree char *want = NULL;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    /* A port that was free a moment ago: nobody listens there. */
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    close(fd);
    opts = g_strdup_printf("socket,id=t,host=127.0.0.1,port=%d",
                           ntohs(sin.sin_port));
    want = g_strdup_printf("Failed to connect to '127.0.0.1:%d': "
                           "Connection refused", ntohs(sin.sin_port));
    assert_error(opts_error(opts), want);
    g_assert_null(chardev_find("t"));
}

static void test_help(void)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);

    chardev_print_help(out);
    fclose(out);
    g_assert_cmpstr(text, ==, "Available chardev backend types: \n"
                    "  stdio\n  serial\n  pipe\n  pty\n  null\n  socket\n"
                    "  udp\n  file\n  ringbuf\n");
    free(text);
}

/* ---- file and null ---- */

static void test_file(void)
{
    g_autofree char *path = tmp_path("out.txt");
    g_autofree char *opts = g_strdup_printf("file,id=f,path=%s", path);
    g_autofree char *text = NULL;
    Fe *fe;

    g_assert_true(g_file_set_contents(path, "old contents\n", -1, NULL));
    fe = fe_new(chardev_new_from_opts(opts, &error_fatal));
    /* Truncated at open, as QEMU does. */
    text = file_contents(path);
    g_assert_cmpstr(text, ==, "");
    fe_assert_events(fe, 1, CHR_EVENT_OPENED);
    g_assert_true(chr_fe_is_connected(&fe->be));
    g_assert_true(chr_fe_backend_connected(&fe->be));
    g_assert_false(chr_fe_is_terminal(&fe->be));

    g_assert_cmpint(fe_write_str(fe, "hello "), ==, 6);
    g_assert_cmpint(chr_fe_write_all(&fe->be, (const uint8_t *)"world", 5),
                    ==, 5);
    chr_fe_printf(&fe->be, " %d\n", 42);
    g_free(text);
    text = file_contents(path);
    g_assert_cmpstr(text, ==, "hello world 42\n");
    assert_info_has("f: filename=file");
    fe_free(fe);
    chardev_cleanup_all();

    /* append=on keeps what is there. */
    g_free(opts);
    opts = g_strdup_printf("file,id=f,path=%s,append=on", path);
    fe = fe_new(chardev_new_from_opts(opts, &error_fatal));
    fe_write_str(fe, "more\n");
    g_free(text);
    text = file_contents(path);
    g_assert_cmpstr(text, ==, "hello world 42\nmore\n");
    fe_free(fe);
    chardev_cleanup_all();
}

#define WRITER_THREADS 4
#define WRITER_LINES 2000

static gpointer file_writer(gpointer opaque)
{
    CharBackend *be = opaque;
    static int next_id;
    int id = g_atomic_int_add(&next_id, 1);

    for (int i = 0; i < WRITER_LINES; i++) {
        g_autofree char *line = g_strdup_printf("thread %d line %06d\n",
                                                id, i);

        chr_fe_write(be, (const uint8_t *)line, strlen(line));
    }
    return NULL;
}

static void test_file_threads(void)
{
    g_autofree char *path = tmp_path("threads.txt");
    g_autofree char *opts = g_strdup_printf("file,id=f,path=%s", path);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GThread *threads[WRITER_THREADS];
    int next[WRITER_THREADS] = { 0 };
    Fe *fe = fe_new(chardev_new_from_opts(opts, &error_fatal));

    for (int i = 0; i < WRITER_THREADS; i++) {
        threads[i] = g_thread_new("writer", file_writer, &fe->be);
    }
    for (int i = 0; i < WRITER_THREADS; i++) {
        g_thread_join(threads[i]);
    }
    /* Every line whole, each thread's lines in order. */
    text = file_contents(path);
    lines = g_strsplit(text, "\n", -1);
    g_assert_cmpint(g_strv_length(lines), ==,
                    WRITER_THREADS * WRITER_LINES + 1);
    for (int i = 0; i < WRITER_THREADS * WRITER_LINES; i++) {
        int id, n;

        g_assert_cmpint(sscanf(lines[i], "thread %d line %d", &id, &n), ==, 2);
        g_assert_cmpint(id, >=, 0);
        g_assert_cmpint(id, <, WRITER_THREADS);
        g_assert_cmpint(n, ==, next[id]++);
    }
    fe_free(fe);
    chardev_cleanup_all();
}

static void test_null(void)
{
    Chardev *chr = chardev_new_from_opts("null,id=n", &error_fatal);
    Fe *fe = fe_new(chr);
    CharBackend other;
    Error *err = NULL;

    fe_assert_events(fe, 1, CHR_EVENT_OPENED);
    g_assert_cmpint(fe_write_str(fe, "swallowed"), ==, 9);
    g_assert_cmpint(chr_fe_write_all(&fe->be, (const uint8_t *)"x", 1), ==, 1);
    g_assert_true(chr_fe_is_connected(&fe->be));
    pump_for(20);
    g_assert_cmpstr(fe->in->str, ==, "");
    assert_info_has("n: filename=null");

    /* Without a mux, one frontend only. */
    g_assert_false(chr_fe_init(&other, chr, &err));
    assert_error(err, "Device 'n' is in use");
    fe_free(fe);
    g_assert_true(chr_fe_init(&other, chr, &error_fatal));
    chr_fe_deinit(&other);

    /* A frontend without a backend writes nowhere. */
    g_assert_true(chr_fe_init(&other, NULL, &error_fatal));
    g_assert_false(chr_fe_backend_connected(&other));
    g_assert_false(chr_fe_is_connected(&other));
    g_assert_cmpint(chr_fe_write(&other, (const uint8_t *)"x", 1), ==, 0);
    chardev_cleanup_all();
}

/* ---- sockets ---- */

static void test_unix_server(void)
{
    g_autofree char *path = tmp_path("server.sock");
    g_autofree char *opts = NULL;
    g_autofree char *line = NULL;
    int c1, c2;
    Fe *fe;

    opts = g_strdup_printf("socket,id=s,path=%s,server=on,wait=off", path);
    fe = fe_new(chardev_new_from_opts(opts, &error_fatal));
    fe_assert_events(fe, 0);
    g_assert_false(chr_fe_is_connected(&fe->be));
    /* Nobody there: dropped, yet reported as taken. */
    g_assert_cmpint(fe_write_str(fe, "lost"), ==, 4);

    c1 = unix_connect(path);
    WAIT_FOR(fe->events->len == 1);
    fe_assert_events(fe, 1, CHR_EVENT_OPENED);
    g_assert_true(chr_fe_is_connected(&fe->be));
    line = g_strdup_printf("s: filename=unix:%s,server=on", path);
    assert_info_has(line);

    send_str(c1, "hello");
    WAIT_FOR(fe->in->len == 5);
    fe_assert_input(fe, "hello");
    g_assert_cmpint(fe_write_str(fe, "world"), ==, 5);
    assert_recv(c1, "world");

    /* A second client waits while the first is connected. */
    c2 = unix_connect(path);
    send_str(c2, "second");
    pump_for(50);
    fe_assert_events(fe, 0);
    g_assert_cmpstr(fe->in->str, ==, "");
    fe_write_str(fe, "only-first");
    assert_recv(c1, "only-first");
    assert_nothing_to_read(c2);

    /* The first leaves: CLOSED, then the second is taken. */
    close(c1);
    WAIT_FOR(fe->events->len == 2);
    fe_assert_events(fe, 2, CHR_EVENT_CLOSED, CHR_EVENT_OPENED);
    WAIT_FOR(fe->in->len == 6);
    fe_assert_input(fe, "second");
    fe_write_str(fe, "to-second");
    assert_recv(c2, "to-second");

    close(c2);
    WAIT_FOR(fe->events->len == 1);
    fe_assert_events(fe, 1, CHR_EVENT_CLOSED);
    g_free(line);
    line = g_strdup_printf("s: filename=disconnected:unix:%s,server=on",
                           path);
    assert_info_has(line);

    fe_free(fe);
    chardev_cleanup_all();
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

static void test_unix_server_stale_file(void)
{
    g_autofree char *path = tmp_path("stale.sock");
    g_autofree char *opts = NULL;
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    /* What an emulator killed with SIGKILL leaves behind. */
    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    close(fd);
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));

    opts = g_strdup_printf("socket,id=s,path=%s,server=on,wait=off", path);
    g_assert_nonnull(chardev_new_from_opts(opts, &error_fatal));
    close(unix_connect(path));
    chardev_cleanup_all();
}

static void test_input_flow_control(void)
{
    g_autofree char *path = tmp_path("flow.sock");
    g_autofree char *opts = NULL;
    int c;
    Fe *fe;

    opts = g_strdup_printf("socket,id=s,path=%s,server=on,wait=off", path);
    fe = fe_new(chardev_new_from_opts(opts, &error_fatal));
    c = unix_connect(path);
    WAIT_FOR(fe->events->len == 1);

    /* A busy frontend gets nothing, and the loop does not spin. */
    fe->budget = 0;
    send_str(c, "queued");
    pump_for(50);
    g_assert_cmpstr(fe->in->str, ==, "");
    g_assert_false(g_main_context_pending(NULL));

    /* can_read is honoured byte for byte. */
    fe->budget = 4;
    chr_fe_accept_input(&fe->be);
    WAIT_FOR(fe->in->len == 4);
    pump_for(20);
    g_assert_cmpstr(fe->in->str, ==, "queu");
    fe->budget = -1;
    chr_fe_accept_input(&fe->be);
    WAIT_FOR(fe->in->len == 6);
    fe_assert_input(fe, "queued");

    close(c);
    fe_free(fe);
    chardev_cleanup_all();
}

static void test_tcp_server(void)
{
    g_autofree char *info = NULL;
    g_autofree char *want = NULL;
    const char *p;
    int port, c;
    Fe *fe;

    fe = fe_new(chardev_new_from_opts("socket,id=t,host=127.0.0.1,port=0,"
                                      "server=on,wait=off", &error_fatal));
    info = info_text();
    p = strstr(info, "t: filename=disconnected:tcp:127.0.0.1:");
    g_assert_nonnull(p);
    port = atoi(p + strlen("t: filename=disconnected:tcp:127.0.0.1:"));
    g_assert_cmpint(port, >, 0);
    g_assert_nonnull(strstr(p, ",server=on\n"));

    c = tcp_connect(port);
    WAIT_FOR(fe->events->len == 1);
    fe_assert_events(fe, 1, CHR_EVENT_OPENED);
    {
        struct sockaddr_in sin;
        socklen_t len = sizeof(sin);

        g_assert_cmpint(getsockname(c, (struct sockaddr *)&sin, &len), ==, 0);
        want = g_strdup_printf("t: filename=tcp:127.0.0.1:%d,server=on <-> "
                               "127.0.0.1:%d", port, ntohs(sin.sin_port));
        assert_info_has(want);
    }
    send_str(c, "ping");
    WAIT_FOR(fe->in->len == 4);
    fe_assert_input(fe, "ping");
    fe_write_str(fe, "pong");
    assert_recv(c, "pong");

    close(c);
    WAIT_FOR(fe->events->len == 1);
    fe_assert_events(fe, 1, CHR_EVENT_CLOSED);
    g_free(want);
    want = g_strdup_printf("t: filename=disconnected:tcp:127.0.0.1:%d,"
                           "server=on", port);
    assert_info_has(want);
    fe_free(fe);
    chardev_cleanup_all();
}

static void test_socket_clients(void)
{
    g_autofree char *path = tmp_path("listener.sock");
    g_autofree char *opts = NULL;
    g_autofree char *want = NULL;
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof(sin);
    int ul = socket(AF_UNIX, SOCK_STREAM, 0);
    int tl = socket(AF_INET, SOCK_STREAM, 0);
    int uc, tc;
    Fe *ufe, *tfe;

    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(bind(ul, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    g_assert_cmpint(listen(ul, 1), ==, 0);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(tl, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(listen(tl, 1), ==, 0);
    g_assert_cmpint(getsockname(tl, (struct sockaddr *)&sin, &len), ==, 0);

    /* Connected at creation: OPENED as soon as a frontend attaches. */
    opts = g_strdup_printf("socket,id=u,path=%s", path);
    ufe = fe_new(chardev_new_from_opts(opts, &error_fatal));
    fe_assert_events(ufe, 1, CHR_EVENT_OPENED);
    g_free(opts);
    opts = g_strdup_printf("tcp:127.0.0.1:%d", ntohs(sin.sin_port));
    tfe = fe_new(chardev_new_from_legacy(opts, "serial0", &error_fatal));
    fe_assert_events(tfe, 1, CHR_EVENT_OPENED);
    uc = accept(ul, NULL, NULL);
    tc = accept(tl, NULL, NULL);

    /* QEMU names a unix client by its own (empty) address. */
    assert_info_has("u: filename=unix:");
    {
        struct sockaddr_in peer;
        socklen_t plen = sizeof(peer);

        g_assert_cmpint(getpeername(tc, (struct sockaddr *)&peer, &plen),
                        ==, 0);
        want = g_strdup_printf("serial0: filename=tcp:127.0.0.1:%d <-> "
                               "127.0.0.1:%d", ntohs(peer.sin_port),
                               ntohs(sin.sin_port));
        assert_info_has(want);
    }

    send_str(uc, "to-unix");
    send_str(tc, "to-tcp");
    WAIT_FOR(ufe->in->len == 7 && tfe->in->len == 6);
    fe_assert_input(ufe, "to-unix");
    fe_assert_input(tfe, "to-tcp");
    fe_write_str(ufe, "from-unix");
    fe_write_str(tfe, "from-tcp");
    assert_recv(uc, "from-unix");
    assert_recv(tc, "from-tcp");

    /* The server goes away: CLOSED, and no reconnection. */
    close(uc);
    close(tc);
    WAIT_FOR(ufe->events->len == 1 && tfe->events->len == 1);
    fe_assert_events(ufe, 1, CHR_EVENT_CLOSED);
    fe_assert_events(tfe, 1, CHR_EVENT_CLOSED);
    g_free(want);
    want = g_strdup_printf("u: filename=disconnected:unix:%s", path);
    assert_info_has(want);
    g_assert_cmpint(fe_write_str(ufe, "dropped"), ==, 7);

    fe_free(ufe);
    fe_free(tfe);
    chardev_cleanup_all();
    /* A client does not remove the server's socket file. */
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    close(ul);
    close(tl);
    unlink(path);
}

typedef struct WaitClient {
    char *path;
    int fd;
} WaitClient;

static gpointer wait_client_thread(gpointer opaque)
{
    WaitClient *wc = opaque;
    struct sockaddr_un sun = { .sun_family = AF_UNIX };

    g_strlcpy(sun.sun_path, wc->path, sizeof(sun.sun_path));
    for (int tries = 0; tries < 5000; tries++) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
            wc->fd = fd;
            return NULL;
        }
        close(fd);
        g_usleep(1000);
    }
    return NULL;
}

static void capture_report(void *opaque, const char *text)
{
    g_string_append(opaque, text);
}

static void test_socket_wait(void)
{
    g_autofree char *path = tmp_path("wait.sock");
    g_autofree char *opts = NULL;
    g_autofree char *want = NULL;
    g_autoptr(GString) reports = g_string_new(NULL);
    WaitClient wc = { path, -1 };
    GThread *thread;
    Fe *fe;

    /* Creation blocks until the client thread connects. */
    thread = g_thread_new("client", wait_client_thread, &wc);
    error_set_printer(capture_report, reports);
    opts = g_strdup_printf("socket,id=w,path=%s,server=on", path);
    fe = fe_new(chardev_new_from_opts(opts, &error_fatal));
    error_set_printer(NULL, NULL);
    g_thread_join(thread);
    g_assert_cmpint(wc.fd, >=, 0);

    want = g_strdup_printf("info: emu waiting for connection on: "
                           "disconnected:unix:%s,server=on\n", path);
    g_assert_cmpstr(reports->str, ==, want);
    fe_assert_events(fe, 1, CHR_EVENT_OPENED);
    fe_write_str(fe, "hi");
    assert_recv(wc.fd, "hi");
    close(wc.fd);
    WAIT_FOR(fe->events->len == 1);
    fe_assert_events(fe, 1, CHR_EVENT_CLOSED);
    fe_free(fe);
    chardev_cleanup_all();
}

#define BIG_WRITE (1024 * 1024)

static gpointer big_writer(gpointer opaque)
{
    Fe *fe = opaque;
    g_autofree uint8_t *buf = g_malloc(BIG_WRITE);

    for (int i = 0; i < BIG_WRITE; i++) {
        buf[i] = i % 251;
    }
    return GINT_TO_POINTER(chr_fe_write_all(&fe->be, buf, BIG_WRITE));
}

static void test_socket_write_all(void)
{
    g_autofree char *path = tmp_path("bulk.sock");
    g_autofree char *opts = NULL;
    g_autofree char *got = NULL;
    GThread *thread;
    int c;
    Fe *fe;

    opts = g_strdup_printf("socket,id=b,path=%s,server=on,wait=off", path);
    fe = fe_new(chardev_new_from_opts(opts, &error_fatal));
    c = unix_connect(path);
    WAIT_FOR(fe->events->len == 1);

    /* Far more than the socket buffers: the writer has to wait. */
    thread = g_thread_new("writer", big_writer, fe);
    got = recv_n(c, BIG_WRITE);
    g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(thread)), ==, BIG_WRITE);
    for (int i = 0; i < BIG_WRITE; i++) {
        g_assert_cmpint((uint8_t)got[i], ==, i % 251);
    }

    /* A peer that leaves mid-way does not leave the writer stuck. */
    thread = g_thread_new("writer", big_writer, fe);
    g_usleep(20000);
    close(c);
    g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(thread)), ==, BIG_WRITE);
    WAIT_FOR(fe->events->len == 2);
    fe_free(fe);
    chardev_cleanup_all();
}

/* ---- mux ---- */

static int quit_requests;

static void count_quit(void)
{
    quit_requests++;
}

typedef struct MuxFixture {
    char *path;
    Fe *a;                   /* attached first: the serial port */
    Fe *b;                   /* attached second: the monitor */
    int client;
} MuxFixture;

static void mux_setup(MuxFixture *f, gconstpointer data)
{
    g_autofree char *opts = NULL;
    Chardev *chr;

    f->path = tmp_path("mux.sock");
    opts = g_strdup_printf("socket,id=m,path=%s,server=on,wait=off,mux=on",
                           f->path);
    chr = chardev_new_from_opts(opts, &error_fatal);
    g_assert_true(chardev_is_mux(chr));
    f->a = fe_new(chr);
    f->b = fe_new(chr);
    g_assert_cmpint(f->a->be.mux_tag, ==, 0);
    g_assert_cmpint(f->b->be.mux_tag, ==, 1);
    /* Nobody connected yet; the second starts in the background. */
    fe_assert_events(f->a, 0);
    fe_assert_events(f->b, 1, CHR_EVENT_MUX_OUT);

    f->client = unix_connect(f->path);
    WAIT_FOR(f->a->events->len == 1 && f->b->events->len == 1);
    fe_assert_events(f->a, 1, CHR_EVENT_OPENED);
    fe_assert_events(f->b, 1, CHR_EVENT_OPENED);
    quit_requests = 0;
    chardev_set_quit_handler(count_quit);
}

static void mux_teardown(MuxFixture *f, gconstpointer data)
{
    close(f->client);
    fe_free(f->a);
    fe_free(f->b);
    chardev_cleanup_all();
    chardev_set_quit_handler(NULL);
    g_free(f->path);
}

static void test_mux_focus(MuxFixture *f, gconstpointer data)
{
    g_autofree char *line = g_strdup_printf(
        "m: filename=mux\nm-base: filename=unix:%s,server=on", f->path);

    assert_info_has(line);

    /* Input goes to the focused frontend only. */
    send_str(f->client, "abc");
    WAIT_FOR(f->a->in->len == 3);
    pump_for(20);
    fe_assert_input(f->a, "abc");
    g_assert_cmpstr(f->b->in->str, ==, "");

    /* Ctrl-A c moves the focus on; the key press itself is not input. */
    send_str(f->client, "\001c");
    WAIT_FOR(f->b->events->len == 1);
    fe_assert_events(f->a, 1, CHR_EVENT_MUX_OUT);
    fe_assert_events(f->b, 1, CHR_EVENT_MUX_IN);
    send_str(f->client, "xyz");
    WAIT_FOR(f->b->in->len == 3);
    fe_assert_input(f->b, "xyz");
    g_assert_cmpstr(f->a->in->str, ==, "");

    /* ... and round again, with Ctrl-A and c in separate reads. */
    send_str(f->client, "\001");
    pump_for(20);
    send_str(f->client, "c");
    WAIT_FOR(f->a->events->len == 1);
    fe_assert_events(f->a, 1, CHR_EVENT_MUX_IN);
    fe_assert_events(f->b, 1, CHR_EVENT_MUX_OUT);

    /* A frontend can take the focus itself. */
    chr_fe_take_focus(&f->b->be);
    fe_assert_events(f->a, 1, CHR_EVENT_MUX_OUT);
    fe_assert_events(f->b, 1, CHR_EVENT_MUX_IN);
    chr_fe_take_focus(&f->b->be);
    fe_assert_events(f->b, 0);

    /* Output from every frontend goes out. */
    fe_write_str(f->a, "from-a ");
    fe_write_str(f->b, "from-b");
    assert_recv(f->client, "from-a from-b");
}

static void test_mux_keys(MuxFixture *f, gconstpointer data)
{
    /* Ctrl-A Ctrl-A: one Ctrl-A to the focused frontend. */
    send_str(f->client, "1\001\0012");
    WAIT_FOR(f->a->in->len == 3);
    fe_assert_input(f->a, "1\0012");

    /* Ctrl-A b: a break to the focused frontend only. */
    send_str(f->client, "\001b");
    WAIT_FOR(f->a->events->len == 1);
    fe_assert_events(f->a, 1, CHR_EVENT_BREAK);
    fe_assert_events(f->b, 0);

    /* Unknown keys after Ctrl-A are swallowed. */
    send_str(f->client, "\001z\001s.");
    WAIT_FOR(f->a->in->len == 1);
    fe_assert_input(f->a, ".");

    send_str(f->client, "\001h");
    assert_recv(f->client,
                "\n\r"
                "C-a h    print this help\n\r"
                "C-a x    exit emulator\n\r"
                "C-a s    save disk data back to file (if -snapshot)\n\r"
                "C-a t    toggle console timestamps\n\r"
                "C-a b    send break (magic sysrq)\n\r"
                "C-a c    switch between console and monitor\n\r"
                "C-a C-a  sends C-a\n\r");

    g_assert_cmpint(quit_requests, ==, 0);
    send_str(f->client, "\001x");
    assert_recv(f->client, "emu: Terminated\n\r");
    g_assert_cmpint(quit_requests, ==, 1);
    g_assert_cmpstr(f->a->in->str, ==, "");
    fe_assert_events(f->a, 0);
    fe_assert_events(f->b, 0);
}

static void test_mux_timestamps(MuxFixture *f, gconstpointer data)
{
    g_autofree char *got = NULL;
    const char *after = "one\n[00:00:00.000] two\n[00:00:00.000] three";

    send_str(f->client, "\001t");
    pump_for(20);
    /* Stamps start with the line after the toggle. */
    fe_write_str(f->a, "one\ntwo\nthree");
    got = recv_n(f->client, strlen(after));
    g_assert_true(g_regex_match_simple(
        "^one\n\\[00:00:0\\d\\.\\d\\d\\d\\] two\n"
        "\\[00:00:0\\d\\.\\d\\d\\d\\] three$", got, 0, 0));

    send_str(f->client, "\001t");
    pump_for(20);
    fe_write_str(f->b, "\nplain\n");
    assert_recv(f->client, "\nplain\n");
}

static void test_mux_buffering(MuxFixture *f, gconstpointer data)
{
    /* The focused frontend is busy: its input waits in the mux. */
    f->a->budget = 0;
    send_str(f->client, "wait");
    pump_for(50);
    g_assert_cmpstr(f->a->in->str, ==, "");
    g_assert_cmpstr(f->b->in->str, ==, "");

    f->a->budget = -1;
    chr_fe_accept_input(&f->a->be);
    g_assert_cmpstr(f->a->in->str, ==, "wait");
    g_string_truncate(f->a->in, 0);

    /* Escapes still work while the focused frontend is busy. */
    f->a->budget = 0;
    send_str(f->client, "\001c");
    WAIT_FOR(f->b->events->len == 1);
    fe_assert_events(f->b, 1, CHR_EVENT_MUX_IN);
    fe_assert_events(f->a, 1, CHR_EVENT_MUX_OUT);
}

static void test_mux_attach_detach(MuxFixture *f, gconstpointer data)
{
    Chardev *chr = chardev_find("m");
    CharBackend extra[3];
    Error *err = NULL;
    Fe *c;

    /* A frontend that comes later hears it is in the background. */
    c = fe_new(chr);
    fe_assert_events(c, 2, CHR_EVENT_MUX_OUT, CHR_EVENT_OPENED);
    g_assert_true(chr_fe_is_connected(&c->be));

    g_assert_true(chr_fe_init(&extra[0], chr, &error_fatal));
    g_assert_false(chr_fe_init(&extra[1], chr, &err));
    assert_error(err, "too many uses of multiplexed chardev 'm' "
                 "(maximum is 4)");
    chr_fe_deinit(&extra[0]);
    g_assert_true(chr_fe_init(&extra[2], chr, &error_fatal));
    chr_fe_deinit(&extra[2]);

    /* The focused frontend leaves: the next one gets the focus. */
    fe_free(f->a);
    f->a = fe_new(chr);
    fe_assert_events(f->b, 1, CHR_EVENT_MUX_IN);
    fe_assert_events(f->a, 2, CHR_EVENT_MUX_OUT, CHR_EVENT_OPENED);
    send_str(f->client, "to-b");
    WAIT_FOR(f->b->in->len == 4);
    fe_assert_input(f->b, "to-b");

    /* The peer leaving is news for every frontend. */
    close(f->client);
    WAIT_FOR(c->events->len == 1);
    fe_assert_events(f->a, 1, CHR_EVENT_CLOSED);
    fe_assert_events(f->b, 1, CHR_EVENT_CLOSED);
    fe_assert_events(c, 1, CHR_EVENT_CLOSED);
    g_assert_false(chr_fe_is_connected(&f->b->be));
    f->client = unix_connect(f->path);
    WAIT_FOR(c->events->len == 1);
    fe_assert_events(f->a, 1, CHR_EVENT_OPENED);
    fe_free(c);
}

/* ---- pty ---- */

static void test_pty(void)
{
    g_autofree char *message = NULL;
    g_autofree char *line = NULL;
    char slave_path[64];
    struct termios tio;
    int out_pipe[2], saved_stdout, slave;
    char buf[64];
    ssize_t n;
    Fe *fe;

    /* The slave's name goes to stdout, as in QEMU. */
    g_assert_cmpint(pipe(out_pipe), ==, 0);
    fflush(stdout);
    saved_stdout = dup(1);
    dup2(out_pipe[1], 1);
    fe = fe_new(chardev_new_from_opts("pty,id=p", &error_fatal));
    dup2(saved_stdout, 1);
    close(saved_stdout);
    close(out_pipe[1]);
    n = read(out_pipe[0], buf, sizeof(buf) - 1);
    close(out_pipe[0]);
    g_assert_cmpint(n, >, 0);
    buf[n] = '\0';
    g_assert_cmpint(sscanf(buf, "char device redirected to %63s (label p)",
                           slave_path), ==, 1);
    g_assert_true(g_str_has_prefix(slave_path, "/dev/pts/"));
    message = g_strdup_printf("char device redirected to %s (label p)\n",
                              slave_path);
    g_assert_cmpstr(buf, ==, message);
    line = g_strdup_printf("p: filename=pty:%s", slave_path);
    assert_info_has(line);
    g_assert_true(chr_fe_is_terminal(&fe->be));

    /* Nobody on the other side: output is dropped. */
    fe_assert_events(fe, 0);
    g_assert_cmpint(fe_write_str(fe, "lost"), ==, 4);

    slave = open(slave_path, O_RDWR | O_NOCTTY);
    g_assert_cmpint(slave, >=, 0);
    g_assert_cmpint(tcgetattr(slave, &tio), ==, 0);
    cfmakeraw(&tio);
    g_assert_cmpint(tcsetattr(slave, TCSANOW, &tio), ==, 0);

    g_assert_cmpint(fe_write_str(fe, "ping"), ==, 4);
    n = read(slave, buf, sizeof(buf));
    g_assert_cmpint(n, ==, 4);
    g_assert_cmpmem(buf, 4, "ping", 4);

    WAIT_FOR(fe->events->len == 1);
    fe_assert_events(fe, 1, CHR_EVENT_OPENED);
    g_assert_cmpint(write(slave, "pong", 4), ==, 4);
    WAIT_FOR(fe->in->len == 4);
    fe_assert_input(fe, "pong");

    close(slave);
    WAIT_FOR(fe->events->len == 1);
    fe_assert_events(fe, 1, CHR_EVENT_CLOSED);
    g_assert_cmpint(fe_write_str(fe, "lost again"), ==, 10);
    fe_free(fe);
    chardev_cleanup_all();
}

/* ---- stdio on a terminal, in a child ---- */

typedef enum StdioEnd {
    END_EXIT,                /* exit() from anywhere: atexit */
    END_CLEANUP,             /* chardev_cleanup_all, then _exit */
    END_SIGNAL,              /* killed from outside by a signal */
    END_SIGSEGV,             /* a crash reported with raise() */
    END_FAULT,               /* a bad pointer: SIGSEGV from the kernel */
    END_BREAKPOINT,          /* G_BREAKPOINT, as g_error: SIGTRAP */
    END_UNDEFINED,           /* an undefined instruction: SIGILL */
    END_CTRL_C,              /* signal=off: ^C is a byte */
} StdioEnd;

static void child_fail(int report, const char *what)
{
    dprintf(report, "child: %s\n", what);
    _exit(99);
}

static int child_byte;

static void child_read(void *opaque, const uint8_t *buf, int len)
{
    child_byte = buf[0];
}

static int child_can_read(void *opaque)
{
    return 1;
}

/* Runs in the child, stdin/stdout on the pty slave. */
static void stdio_child(const char *spec, StdioEnd end, int report,
                        int command)
{
    struct rlimit no_core = { 0, 0 };
    CharBackend be;
    Error *err = NULL;
    Chardev *chr;
    char c;

    setrlimit(RLIMIT_CORE, &no_core);
    /* main() ignores SIGPIPE (as emu does), and the test may have been
     * started ignoring others (nohup ignores SIGHUP): the child tests
     * every signal as a program that left them at their defaults. */
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            signal(sig, SIG_DFL);
        }
    }
    chr = chardev_new_from_legacy(spec, "serial0", &err);
    if (!chr) {
        child_fail(report, error_get_pretty(err));
    }
    if (chardev_new_from_opts("stdio,id=again", &err) ||
        strcmp(error_get_pretty(err),
               "cannot use stdio by multiple character devices")) {
        child_fail(report, "a second stdio was not refused");
    }
    error_free(err);
    chr_fe_init(&be, chr, &error_fatal);
    if (!chr_fe_is_terminal(&be)) {
        child_fail(report, "stdio on a pty is not a terminal");
    }
    chr_fe_set_handlers(&be, child_can_read, child_read, NULL, NULL);
    if (write(report, "R", 1) != 1 || read(command, &c, 1) != 1) {
        _exit(98);
    }
    switch (end) {
    case END_EXIT:
        exit(0);
    case END_CLEANUP:
        chardev_cleanup_all();
        chardev_cleanup_all();
        _exit(0);
    case END_SIGNAL:
        for (;;) {
            pause();
        }
    case END_SIGSEGV:
        raise(SIGSEGV);
        _exit(97);
    case END_FAULT: {
        /* A page with no access rather than NULL: UBSan would catch a
         * null store itself, and the point is the kernel's SIGSEGV. */
        volatile int *page = mmap(NULL, 4096, PROT_NONE,
                                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        *page = 1;
        _exit(97);
    }
    case END_BREAKPOINT:
        G_BREAKPOINT();
        _exit(97);
    case END_UNDEFINED:
        __builtin_trap();
    case END_CTRL_C:
        while (!child_byte) {
            g_main_context_iteration(NULL, TRUE);
        }
        dprintf(report, "%d", child_byte);
        _exit(0);
    }
}

/* The signal a child ending that way dies of. */
static int end_signal(StdioEnd end, int sig)
{
    switch (end) {
    case END_SIGNAL:
        return sig;
    case END_SIGSEGV:
    case END_FAULT:
        return SIGSEGV;
    case END_BREAKPOINT:
        return SIGTRAP;
    case END_UNDEFINED:
        return SIGILL;
    default:
        return 0;
    }
}

/* A handler this process started with: a sanitizer's crash reporter,
 * which reports and exits its own way after the terminal is restored. */
static bool reporter_handles(int sig)
{
    struct sigaction act;

    return sigaction(sig, NULL, &act) == 0 &&
           ((act.sa_flags & SA_SIGINFO) ||
            (act.sa_handler != SIG_DFL && act.sa_handler != SIG_IGN));
}

/* sig: the signal END_SIGNAL sends. */
/*
 * waitpid() for a stdio child, bounded: a child that does not end within
 * 10 s is killed and named, so that a hang reads as which case hung
 * rather than as the whole test's timeout.
 */
static int wait_stdio_child(pid_t pid, StdioEnd end, int sig)
{
    int status;

    for (int tries = 0; tries < 1000; tries++) {
        pid_t done = waitpid(pid, &status, WNOHANG);

        g_assert_cmpint(done, >=, 0);
        if (done == pid) {
            return status;
        }
        g_usleep(10 * 1000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    g_error("stdio child (end %d, signal %d) still running after 10 s",
            end, sig);
}

static void run_stdio_child(const char *spec, StdioEnd end, bool isig, int sig)
{
    struct termios before, during, after;
    int master, slave, report[2], command[2];
    char buf[128] = "";
    int status;
    pid_t pid;

    g_assert_cmpint(openpty(&master, &slave, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint(tcgetattr(slave, &before), ==, 0);
    g_assert_true(before.c_lflag & ECHO);
    g_assert_true(before.c_lflag & ICANON);
    g_assert_cmpint(pipe(report), ==, 0);
    g_assert_cmpint(pipe(command), ==, 0);

    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        close(report[0]);
        close(command[1]);
        dup2(slave, 0);
        dup2(slave, 1);
        stdio_child(spec, end, report[1], command[0]);
    }
    close(report[1]);
    close(command[0]);

    /* Raw while the child runs.  The parent keeps the slave open so
     * that its settings outlive the child. */
    if (poll(&(struct pollfd){ .fd = report[0], .events = POLLIN }, 1,
             10 * 1000) != 1) {
        kill(pid, SIGKILL);
        g_error("stdio child (end %d, signal %d) not ready after 10 s",
                end, sig);
    }
    if (read(report[0], buf, 1) != 1 || buf[0] != 'R') {
        ssize_t n = read(report[0], buf + 1, sizeof(buf) - 2);

        buf[MAX(n, 0) + 1] = '\0';
        g_error("child did not start: %s", buf);
    }
    g_assert_cmpint(tcgetattr(slave, &during), ==, 0);
    g_assert_false(during.c_lflag & ECHO);
    g_assert_false(during.c_lflag & ICANON);
    g_assert_false(during.c_iflag & ICRNL);
    g_assert_true(during.c_oflag & OPOST);
    g_assert_cmpint(!!(during.c_lflag & ISIG), ==, isig);

    if (end == END_SIGNAL) {
        kill(pid, sig);
    } else {
        if (end == END_CTRL_C) {
            g_assert_cmpint(write(master, "\003", 1), ==, 1);
        }
        g_assert_cmpint(write(command[1], "go", 1), ==, 1);
    }
    status = wait_stdio_child(pid, end, sig);

    if (end_signal(end, sig) && reporter_handles(end_signal(end, sig))) {
        g_assert_true(WIFEXITED(status) || WIFSIGNALED(status));
    } else if (end_signal(end, sig)) {
        if (!WIFSIGNALED(status)) {
            g_error("child ended by %d with status %#x, not by signal %d",
                    end, status, end_signal(end, sig));
        }
        g_assert_cmpint(WTERMSIG(status), ==, end_signal(end, sig));
    }
    switch (end) {
    case END_CTRL_C:
        g_assert_true(WIFEXITED(status));
        g_assert_cmpint(WEXITSTATUS(status), ==, 0);
        g_assert_cmpint(read(report[0], buf, sizeof(buf) - 1), ==, 1);
        g_assert_cmpint(buf[0], ==, '3');
        break;
    case END_EXIT:
    case END_CLEANUP:
        g_assert_true(WIFEXITED(status));
        g_assert_cmpint(WEXITSTATUS(status), ==, 0);
        break;
    default:
        break;
    }
    g_assert_cmpint(tcgetattr(slave, &after), ==, 0);
    if (end != END_CTRL_C) {
        g_assert_cmpint(after.c_lflag, ==, before.c_lflag);
        g_assert_cmpint(after.c_iflag, ==, before.c_iflag);
        g_assert_cmpint(after.c_oflag, ==, before.c_oflag);
        g_assert_cmpint(after.c_cflag, ==, before.c_cflag);
    }
    close(report[0]);
    close(command[1]);
    close(master);
    close(slave);
}

static void test_stdio_exit(void)
{
    run_stdio_child("stdio", END_EXIT, true, 0);
}

static void test_stdio_cleanup(void)
{
    run_stdio_child("mon:stdio", END_CLEANUP, false, 0);
}

/*
 * Every signal that ends a process by default, sent from outside: the
 * terminal is restored and the child dies of that signal.
 */
static void test_stdio_fatal_signals(void)
{
    static const int signals[] = {
        SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
        SIGTRAP, SIGILL, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
        SIGXCPU, SIGXFSZ, SIGSYS, SIGPWR, SIGSTKFLT, SIGPIPE, SIGIO,
    };

    for (size_t i = 0; i < ARRAY_SIZE(signals); i++) {
        run_stdio_child("stdio", END_SIGNAL, true, signals[i]);
    }
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
        run_stdio_child("stdio", END_SIGNAL, true, sig);
    }
}

static void test_stdio_crashes(void)
{
    run_stdio_child("mon:stdio", END_SIGSEGV, false, 0);
    run_stdio_child("mon:stdio", END_FAULT, false, 0);
    run_stdio_child("mon:stdio", END_BREAKPOINT, false, 0);
    run_stdio_child("mon:stdio", END_UNDEFINED, false, 0);
}

static void test_stdio_ctrl_c(void)
{
    /* mon:stdio has signal=off: ^C reaches the frontend as 3. */
    run_stdio_child("mon:stdio", END_CTRL_C, false, 0);
}

static void remove_tmpdir(void)
{
    g_autoptr(GDir) dir = g_dir_open(tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = tmp_path(name);

        unlink(path);
    }
    rmdir(tmpdir);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    signal(SIGPIPE, SIG_IGN);
    g_assert_nonnull(mkdtemp(tmpdir));

    g_test_add_func("/chardev/legacy/forms", test_legacy_forms);
    g_test_add_func("/chardev/legacy/errors", test_legacy_errors);
    g_test_add_func("/chardev/opts/errors", test_opts_errors);
    g_test_add_func("/chardev/opts/tcp-refused", test_tcp_client_refused);
    g_test_add_func("/chardev/opts/help", test_help);
    g_test_add_func("/chardev/file/write", test_file);
    g_test_add_func("/chardev/file/threads", test_file_threads);
    g_test_add_func("/chardev/null", test_null);
    g_test_add_func("/chardev/socket/unix-server", test_unix_server);
    g_test_add_func("/chardev/socket/stale-file", test_unix_server_stale_file);
    g_test_add_func("/chardev/socket/flow-control", test_input_flow_control);
    g_test_add_func("/chardev/socket/tcp-server", test_tcp_server);
    g_test_add_func("/chardev/socket/clients", test_socket_clients);
    g_test_add_func("/chardev/socket/wait", test_socket_wait);
    g_test_add_func("/chardev/socket/write-all", test_socket_write_all);
    g_test_add("/chardev/mux/focus", MuxFixture, NULL, mux_setup,
               test_mux_focus, mux_teardown);
    g_test_add("/chardev/mux/keys", MuxFixture, NULL, mux_setup,
               test_mux_keys, mux_teardown);
    g_test_add("/chardev/mux/timestamps", MuxFixture, NULL, mux_setup,
               test_mux_timestamps, mux_teardown);
    g_test_add("/chardev/mux/buffering", MuxFixture, NULL, mux_setup,
               test_mux_buffering, mux_teardown);
    g_test_add("/chardev/mux/attach-detach", MuxFixture, NULL, mux_setup,
               test_mux_attach_detach, mux_teardown);
    g_test_add_func("/chardev/pty", test_pty);
    g_test_add_func("/chardev/stdio/exit", test_stdio_exit);
    g_test_add_func("/chardev/stdio/cleanup", test_stdio_cleanup);
    g_test_add_func("/chardev/stdio/fatal-signals", test_stdio_fatal_signals);
    g_test_add_func("/chardev/stdio/crashes", test_stdio_crashes);
    g_test_add_func("/chardev/stdio/ctrl-c", test_stdio_ctrl_c);

    ret = g_test_run();
    remove_tmpdir();
    return ret;
}
