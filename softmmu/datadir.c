/*
 * -L (see include/sysemu/datadir.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sysemu/datadir.h"

static GPtrArray *data_dirs;

void datadir_add(const char *dir)
{
    if (!data_dirs) {
        data_dirs = g_ptr_array_new();
    }
    /* Interned: they live as long as emu, like the option strings. */
    g_ptr_array_add(data_dirs, (gpointer)g_intern_string(dir));
}

void datadir_print_list(FILE *out)
{
    for (guint i = 0; data_dirs && i < data_dirs->len; i++) {
        fprintf(out, "%s\n", (const char *)g_ptr_array_index(data_dirs, i));
    }
}

const char *datadir_find_file(const char *name)
{
    if (access(name, R_OK) == 0) {
        return name;
    }
    for (guint i = 0; data_dirs && i < data_dirs->len; i++) {
        g_autofree char *path =
            g_build_filename(g_ptr_array_index(data_dirs, i), name, NULL);

        if (access(path, R_OK) == 0) {
            return g_intern_string(path);
        }
    }
    return name;
}
