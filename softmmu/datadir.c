/*
 * -L and the default firmware directories (see include/sysemu/datadir.h).
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

/* Where Debian's packages install the firmware emu's boards default to:
 * seabios (bios-256k.bin, vgabios-*.bin) and qemu-system-data (the
 * option ROMs QEMU's boards load, linuxboot_dma.bin). */
static const char *const firmware_dirs[] = {
    "/usr/share/seabios",
    "/usr/share/qemu",
    "/usr/lib/ipxe/qemu",        /* iPXE's NIC option ROMs (ipxe-qemu) */
};

const char *datadir_find_default_firmware(const char *name, char **searched)
{
    g_autoptr(GPtrArray) dirs = g_ptr_array_new();
    GString *list = g_string_new(NULL);

    for (guint i = 0; data_dirs && i < data_dirs->len; i++) {
        g_ptr_array_add(dirs, g_ptr_array_index(data_dirs, i));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(firmware_dirs); i++) {
        g_ptr_array_add(dirs, (gpointer)firmware_dirs[i]);
    }
    for (guint i = 0; i < dirs->len; i++) {
        g_autofree char *path =
            g_build_filename(g_ptr_array_index(dirs, i), name, NULL);

        if (access(path, R_OK) == 0) {
            g_string_free(list, TRUE);
            *searched = NULL;
            return g_intern_string(path);
        }
        g_string_append_printf(list, "%s%s", i ? ", " : "",
                               (const char *)g_ptr_array_index(dirs, i));
    }
    *searched = g_string_free(list, FALSE);
    return NULL;
}
