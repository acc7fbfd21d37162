/*
 * Replays fuzz inputs through a target without libFuzzer, so every
 * target builds with gcc and runs its corpus in make check:
 *
 *   fuzz-NAME FILE-OR-DIR...
 *
 * runs each file (a directory: each file in it, sorted) once, printing a
 * TAP line per input.  An input that crashes the target ends the run
 * with the crash, like libFuzzer would; the last line printed names it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "fuzz.h"

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static GPtrArray *inputs_of(const char *path)
{
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);

    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
        g_autoptr(GError) err = NULL;
        GDir *dir = g_dir_open(path, 0, &err);
        const char *name;

        if (!dir) {
            g_printerr("fuzz driver: %s\n", err->message);
            exit(1);
        }
        while ((name = g_dir_read_name(dir))) {
            g_ptr_array_add(files, g_build_filename(path, name, NULL));
        }
        g_dir_close(dir);
        g_ptr_array_sort(files, compare_names);
    } else {
        g_ptr_array_add(files, g_strdup(path));
    }
    return files;
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(g_free);

    if (argc < 2) {
        g_printerr("usage: %s FILE-OR-DIR...\n", argv[0]);
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        g_autoptr(GPtrArray) files = inputs_of(argv[i]);

        for (guint j = 0; j < files->len; j++) {
            g_ptr_array_add(all, g_strdup(g_ptr_array_index(files, j)));
        }
    }
    LLVMFuzzerInitialize(&argc, &argv);
    printf("1..%u\n", all->len);
    for (guint i = 0; i < all->len; i++) {
        const char *file = g_ptr_array_index(all, i);
        g_autoptr(GError) err = NULL;
        g_autofree char *data = NULL;
        gsize len;

        if (!g_file_get_contents(file, &data, &len, &err)) {
            printf("not ok %u %s: %s\n", i + 1, file, err->message);
            continue;
        }
        printf("# %s\n", file);
        fflush(stdout);
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        printf("ok %u %s\n", i + 1, file);
        fflush(stdout);
    }
    return 0;
}
