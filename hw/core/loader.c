/*
 * Loading the files boards take (-bios, -kernel, -initrd, -dtb) into
 * host memory, with the error messages QEMU users know.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <sys/stat.h>
#include "hw/loader.h"
#include "softmmu/memory.h"
#include "util/log.h"

bool load_file(const char *what, const char *filename, uint8_t **data,
               size_t *size, Error **errp)
{
    struct stat st;
    ssize_t got = 0;
    int fd;

    *data = NULL;
    fd = open(filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        error_setg_errno(errp, errno, "could not load %s '%s'", what,
                         filename);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        error_setg(errp, "could not load %s '%s': not a regular file", what,
                   filename);
        goto out;
    }
    *size = st.st_size;
    *data = g_try_malloc(MAX(*size, 1));
    if (!*data) {
        error_setg(errp, "could not load %s '%s': no host memory for its "
                   "%zu bytes", what, filename, *size);
        goto out;
    }
    for (size_t done = 0; done < *size; done += got) {
        got = read(fd, *data + done, *size - done);
        if (got <= 0) {
            error_setg_errno(errp, got < 0 ? errno : EIO,
                             "could not load %s '%s'", what, filename);
            g_free(*data);
            *data = NULL;
            goto out;
        }
    }
out:
    if (fd >= 0) {
        close(fd);
    }
    return *data != NULL;
}

void loader_write_image(hwaddr addr, const void *buf, uint64_t len)
{
    if (address_space_write_rom(&address_space_memory, addr, buf, len) !=
        MEMTX_OK) {
        emu_log_mask(LOG_GUEST_ERROR, "loader: parts of the %" PRIu64 " bytes "
                     "at 0x%" PRIx64 " fall where no memory is\n", len,
                     (uint64_t)addr);
    }
}
