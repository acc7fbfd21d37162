/*
 * The drive table filled from -drive, -hda..-hdd, -cdrom and -pflash,
 * with QEMU's option names, numbering, names and messages.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "sysemu/blockdev.h"

typedef struct DriveEntry {
    DriveInfo info;
    bool used;
} DriveEntry;

/* What one -drive (or -hda, -cdrom) asks for, before it is opened. */
typedef struct DriveOptions {
    BlockInterfaceType type;
    int index, bus, unit;        /* -1: not given */
    bool cdrom;
    const char *file;
    const char *id;
    BlockOpenOptions open;
    const char *option;
} DriveOptions;

static const char *const if_names[IF_COUNT] = {
    [IF_NONE] = "none", [IF_IDE] = "ide", [IF_SCSI] = "scsi",
    [IF_FLOPPY] = "floppy", [IF_PFLASH] = "pflash", [IF_MTD] = "mtd",
    [IF_SD] = "sd", [IF_VIRTIO] = "virtio",
};

/* Units on one bus; 0: one unit per index on bus 0. */
static const int if_max_devs[IF_COUNT] = {
    [IF_IDE] = 2,
    [IF_SCSI] = 7,
};

static GPtrArray *drives;        /* DriveEntry * */
static BlockInterfaceType default_type = IF_NONE;
static int default_units_per_bus;
static bool default_snapshot;

void drive_set_machine_defaults(BlockInterfaceType type, int units_per_bus)
{
    default_type = type;
    default_units_per_bus = units_per_bus;
}

void drive_set_default_snapshot(bool snapshot)
{
    default_snapshot = snapshot;
}

const char *drive_interface_name(BlockInterfaceType type)
{
    return if_names[type];
}

static int max_devs(BlockInterfaceType type)
{
    return type == default_type && default_units_per_bus ?
           default_units_per_bus : if_max_devs[type];
}

static DriveEntry *drive_find(BlockInterfaceType type, int bus, int unit)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveEntry *d = g_ptr_array_index(drives, i);

        if (d->info.type == type && d->info.bus == bus &&
            d->info.unit == unit) {
            return d;
        }
    }
    return NULL;
}

static DriveEntry *drive_find_id(const char *id)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveEntry *d = g_ptr_array_index(drives, i);

        if (!strcmp(d->info.id, id)) {
            return d;
        }
    }
    return NULL;
}

/* Bus and unit from index= or bus=/unit=, or the first free unit. */
static bool drive_place(DriveOptions *o, Error **errp)
{
    int max = max_devs(o->type);

    if (o->index >= 0) {
        if (o->bus >= 0 || o->unit >= 0) {
            error_setg(errp, "index cannot be used with bus and unit");
            return false;
        }
        o->bus = max ? o->index / max : 0;
        o->unit = max ? o->index % max : o->index;
    }
    if (o->bus < 0) {
        o->bus = 0;
    }
    if (o->unit < 0) {
        o->unit = 0;
        while (drive_find(o->type, o->bus, o->unit)) {
            o->unit++;
            if (max && o->unit >= max) {
                o->unit -= max;
                o->bus++;
            }
        }
    }
    if (max && o->unit >= max) {
        error_setg(errp, "unit %d too big (max is %d)", o->unit, max - 1);
        return false;
    }
    o->index = max ? o->bus * max + o->unit : o->unit;
    if (drive_find(o->type, o->bus, o->unit)) {
        error_setg(errp, "drive with bus=%d, unit=%d (index=%d) exists",
                   o->bus, o->unit, o->index);
        return false;
    }
    return true;
}

/* QEMU's names: ide0-hd0, ide1-cd0, none0, pflash0, virtio0. */
static char *drive_default_id(const DriveOptions *o)
{
    const char *media = "";

    if (o->type == IF_IDE || o->type == IF_SCSI) {
        media = o->cdrom ? "-cd" : "-hd";
    }
    if (max_devs(o->type)) {
        return g_strdup_printf("%s%d%s%d", if_names[o->type], o->bus, media,
                               o->unit);
    }
    return g_strdup_printf("%s%s%d", if_names[o->type], media, o->unit);
}

/*
 * Why a drive's image did not open, as QEMU says it.  QEMU takes an
 * image's locks when the device attaches, after the options are read:
 * another process holding the image is reported without the option or
 * "Could not open", as 'Failed to get "write" lock'.
 */
static void drive_open_failed(const DriveOptions *o, Error *err,
                              Error **errp)
{
    const char *lock = strstr(error_get_pretty(err), "Failed to get ");

    if (lock) {
        error_setg(errp, "%s", lock);
        if (error_get_hint(err)) {
            error_append_hint(errp, "%s", error_get_hint(err));
        }
        error_clear_cmdline_location();
        error_free(err);
        return;
    }
    error_propagate(errp, err);
    if (o->type == IF_PFLASH && access(o->file, F_OK) < 0 &&
        errno == ENOENT) {
        error_append_hint(errp, "A flash image must exist before emu starts: "
                          "make one of the flash's size, such as truncate "
                          "-s 16M %s for the connex (docs/boards/)\n",
                          o->file);
    }
}

static bool drive_new(DriveOptions *o, Error **errp)
{
    g_autofree char *id = NULL;
    BlockBackend *blk = NULL;
    DriveEntry *d;

    if (!drive_place(o, errp)) {
        return false;
    }
    id = o->id ? g_strdup(o->id) : drive_default_id(o);
    if (drive_find_id(id)) {
        error_setg(errp, "Duplicate ID '%s' for drive", id);
        return false;
    }
    if (o->cdrom) {
        o->open.read_only = true;
    }
    if (o->file && o->file[0]) {
        Error *err = NULL;

        blk = blk_new_open(id, o->file, &o->open, &err);
        if (!blk) {
            drive_open_failed(o, err, errp);
            return false;
        }
    } else {
        blk = blk_new_empty(id, o->open.read_only);
    }
    d = g_new0(DriveEntry, 1);
    d->info.type = o->type;
    d->info.bus = o->bus;
    d->info.unit = o->unit;
    d->info.index = o->index;
    d->info.cdrom = o->cdrom;
    d->info.id = g_steal_pointer(&id);
    d->info.blk = blk;
    d->info.file = g_strdup(o->file);
    d->info.option = g_strdup(o->option);
    if (!drives) {
        drives = g_ptr_array_new();
    }
    g_ptr_array_add(drives, d);
    return true;
}

static void drive_options_init(DriveOptions *o, BlockInterfaceType type,
                               const char *option)
{
    *o = (DriveOptions) {
        .type = type,
        .index = -1, .bus = -1, .unit = -1,
        .open.snapshot = default_snapshot,
        .option = option,
    };
}

bool drive_add_pflash(const char *file, Error **errp)
{
    g_autofree char *option = g_strdup_printf("-pflash %s", file);
    DriveOptions o;

    drive_options_init(&o, IF_PFLASH, option);
    o.file = file;
    return drive_new(&o, errp);
}

bool drive_add_hd(int index, const char *file, Error **errp)
{
    g_autofree char *option = g_strdup_printf("-hd%c %s", 'a' + index, file);
    DriveOptions o;

    drive_options_init(&o, default_type, option);
    o.index = index;
    o.file = file;
    return drive_new(&o, errp);
}

bool drive_add_cdrom(const char *file, Error **errp)
{
    g_autofree char *option = g_strdup_printf("-cdrom %s", file);
    DriveOptions o;

    drive_options_init(&o, default_type, option);
    o.index = 2;
    o.cdrom = true;
    o.file = file;
    return drive_new(&o, errp);
}

static bool parse_int_option(const char *name, const char *text, int *value,
                             Error **errp)
{
    uint64_t v;

    if (!parse_uint64(text, &v) || v > INT_MAX) {
        error_setg(errp, "Parameter '%s' expects a number", name);
        return false;
    }
    *value = v;
    return true;
}

static bool parse_bool_option(const char *name, const char *text,
                              bool *value, Error **errp)
{
    if (!parse_bool(text, value)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
        return false;
    }
    return true;
}

static bool drive_parse_interface(const char *text, BlockInterfaceType *type,
                                  Error **errp)
{
    for (int i = 0; i < IF_COUNT; i++) {
        if (!strcmp(text, if_names[i])) {
            *type = i;
            return true;
        }
    }
    error_setg(errp, "unsupported bus type '%s'", text);
    return false;
}

static bool drive_parse_aio(const char *aio, Error **errp)
{
    if (!aio || !strcmp(aio, "threads")) {
        return true;
    }
    if (!strcmp(aio, "native")) {
        error_setg(errp, "aio=native was specified, but it requires "
                   "cache.direct=on, which was not specified.");
    } else if (!strcmp(aio, "io_uring")) {
        error_setg(errp, "aio=io_uring is not supported yet: use "
                   "aio=threads");
    } else {
        error_setg(errp, "invalid aio option");
    }
    return false;
}

void block_size_option_error(Error **errp, const char *key)
{
    error_setg(errp, "Parameter '%s' expects a non-negative number below "
               "2^64", key);
    error_append_hint(errp, "Optional suffix k, M, G, T, P or E means kilo-, "
                      "mega-, giga-, tera-, peta-\nand exabytes, "
                      "respectively.\n");
}

/* raw's offset= or size=, a size with QEMU's suffixes ("1M"). */
static bool drive_take_window_value(KeyValList *kv, const char *key,
                                    const char **text, uint64_t *value,
                                    Error **errp)
{
    const char *given = keyval_take(kv, key);

    if (!given) {
        return true;
    }
    if (!parse_size(given, 0, value)) {
        block_size_option_error(errp, key);
        return false;
    }
    *text = given;
    return true;
}

static bool drive_parse_raw_window(KeyValList *kv, BlockOpenOptions *open,
                                   Error **errp)
{
    return drive_take_window_value(kv, "offset", &open->raw_offset,
                                   &open->raw_offset_value, errp) &&
           drive_take_window_value(kv, "size", &open->raw_size,
                                   &open->raw_size_value, errp);
}

static bool drive_parse(KeyValList *kv, DriveOptions *o, Error **errp)
{
    const char *iface = keyval_take(kv, "if");
    const char *index = keyval_take(kv, "index");
    const char *bus = keyval_take(kv, "bus");
    const char *unit = keyval_take(kv, "unit");
    const char *media = keyval_take(kv, "media");
    const char *readonly = keyval_take(kv, "readonly");
    const char *snapshot = keyval_take(kv, "snapshot");
    const char *cache = keyval_take(kv, "cache");
    const char *aio = keyval_take(kv, "aio");
    const char *locking = keyval_take(kv, "file.locking");
    const char *node_name = keyval_take(kv, "node-name");
    const char *discard = keyval_take(kv, "discard");
    const char *file_driver = keyval_take(kv, "file.driver");
    const char *file_name = keyval_take(kv, "file.filename");
    const char *driver = keyval_take(kv, "driver");
    const KeyValPair *extra;

    o->file = keyval_take(kv, "file");
    o->open.format = keyval_take(kv, "format");
    /* QEMU's other spellings: driver= for format=, the file node's
     * options under "file." */
    if (driver && o->open.format) {
        error_setg(errp, "Cannot specify both 'driver' and 'format'");
        return false;
    }
    o->open.format = o->open.format ? o->open.format : driver;
    if (file_name && o->file) {
        error_setg(errp, "Cannot specify both 'file' and 'file.filename'");
        return false;
    }
    o->file = o->file ? o->file : file_name;
    if (file_driver && strcmp(file_driver, "file")) {
        error_setg(errp, "Parameter 'file.driver' does not accept value "
                   "'%s'", file_driver);
        error_append_hint(errp, "emu's protocol driver is 'file'\n");
        return false;
    }
    if (!drive_parse_raw_window(kv, &o->open, errp)) {
        return false;
    }
    o->id = keyval_take(kv, "id");
    if (iface && !drive_parse_interface(iface, &o->type, errp)) {
        return false;
    }
    if ((index && !parse_int_option("index", index, &o->index, errp)) ||
        (bus && !parse_int_option("bus", bus, &o->bus, errp)) ||
        (unit && !parse_int_option("unit", unit, &o->unit, errp))) {
        return false;
    }
    if (media && strcmp(media, "disk") && strcmp(media, "cdrom")) {
        error_setg(errp, "'%s' invalid media", media);
        return false;
    }
    o->cdrom = media && !strcmp(media, "cdrom");
    if ((readonly && !parse_bool_option("read-only", readonly,
                                        &o->open.read_only, errp)) ||
        (snapshot && !parse_bool_option("snapshot", snapshot,
                                        &o->open.snapshot, errp))) {
        return false;
    }
    if (cache && !block_cache_mode_parse(cache, &o->open.cache)) {
        error_setg(errp, "invalid cache option");
        return false;
    }
    if (discard && !block_discard_parse(discard, &o->open.discard_unmap)) {
        error_setg(errp, "Invalid discard option");
        return false;
    }
    if (!drive_parse_aio(aio, errp)) {
        return false;
    }
    /* "auto" locks where the file system can: on Linux, always. */
    if (locking && strcmp(locking, "auto")) {
        bool lock;

        if (!parse_bool(locking, &lock)) {
            error_setg(errp, "invalid parameter value: %s", locking);
            error_append_hint(errp, "file.locking is on, off or auto\n");
            return false;
        }
        o->open.no_lock = !lock;
    }
    if (o->id && !id_wellformed(o->id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        return false;
    }
    if (node_name && !id_wellformed(node_name)) {
        error_setg(errp, "Invalid node-name: '%s'", node_name);
        return false;
    }
    o->open.node_name = node_name;
    extra = keyval_first_unused(kv);
    if (extra) {
        error_setg(errp, "Block format '%s' does not support the option "
                   "'%s'", o->open.format ? o->open.format : "raw",
                   extra->key);
        return false;
    }
    if (o->type == IF_PFLASH && (!o->file || !o->file[0])) {
        error_setg(errp, "-drive if=pflash needs file=FILE");
        return false;
    }
    return true;
}

bool drive_add(const char *opts, Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse(opts, NULL, errp);
    g_autofree char *option = g_strdup_printf("-drive %s", opts);
    DriveOptions o;

    if (!kv) {
        return false;
    }
    drive_options_init(&o, default_type, option);
    return drive_parse(kv, &o, errp) && drive_new(&o, errp);
}

DriveInfo *drive_get(BlockInterfaceType type, int index)
{
    int max = max_devs(type);
    DriveEntry *d = max ? drive_find(type, index / max, index % max)
                        : drive_find(type, 0, index);

    return d ? &d->info : NULL;
}

void drive_mark_used(DriveInfo *drive)
{
    container_of(drive, DriveEntry, info)->used = true;
}

DriveInfo *drive_first_unused(void)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveEntry *d = g_ptr_array_index(drives, i);

        if (!d->used && d->info.type != IF_NONE) {
            return &d->info;
        }
    }
    return NULL;
}

DriveInfo *drive_first_unused_of(BlockInterfaceType type)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveEntry *d = g_ptr_array_index(drives, i);

        if (!d->used && d->info.type == type) {
            return &d->info;
        }
    }
    return NULL;
}

void drive_cleanup_all(void)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        DriveEntry *d = g_ptr_array_index(drives, i);

        blk_unref(d->info.blk);
        g_free(d->info.id);
        g_free(d->info.file);
        g_free(d->info.option);
        g_free(d);
    }
    g_clear_pointer(&drives, g_ptr_array_unref);
    blockdev_cleanup_all();
}
