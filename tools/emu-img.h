/*
 * emu-img's commands (one file each) and the helpers they share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TOOLS_EMU_IMG_H
#define TOOLS_EMU_IMG_H

#include "util/osdep.h"
#include "util/error.h"
#include "block/block-int.h"

/* Each gets argv[0] = the command name; returns the exit status. */
int img_amend(int argc, char **argv);
int img_bench(int argc, char **argv);
int img_check(int argc, char **argv);
int img_commit(int argc, char **argv);
int img_compare(int argc, char **argv);
int img_convert(int argc, char **argv);
int img_create(int argc, char **argv);
int img_dd(int argc, char **argv);
int img_info(int argc, char **argv);
int img_map(int argc, char **argv);
int img_measure(int argc, char **argv);
int img_rebase(int argc, char **argv);
int img_resize(int argc, char **argv);
int img_snapshot(int argc, char **argv);

/* "emu-img: <message>" on stderr. */
void img_error(const char *fmt, ...) EMU_PRINTF(1, 2);
/* img_error, then "Try 'emu-img --help' for more information". */
void img_usage_error(const char *fmt, ...) EMU_PRINTF(1, 2);
/* Prints err (after prefix, if any) and its hint; frees it. */
void img_report_err(const char *prefix, Error *err);
/* bdrv_open that reports the error; NULL on failure. */
BlockDriverState *img_open(const char *filename, const char *fmt, int flags);
/* qemu-img's progress line: "    (12.50/100%)" rewritten with \r. */
void img_progress(bool on, double percent);
/* Sizes and option values, with qemu-img's messages. */
bool img_parse_size(const char *text, uint64_t *size);
/* A size option (k, M, G... suffixes) up to max, with qemu-img's
 * messages naming it ("Invalid step_size specified. ..."). */
bool img_cvtnum(const char *name, const char *text, uint64_t max,
                uint64_t *value);
bool img_parse_output(const char *text, bool *json);
bool img_parse_cache(const char *mode, int *flags);
/* qcow2's compat=: "0.10"/"v2" -> 2, "1.1"/"v3" -> 3; false for
 * another name (the caller says so in its own words). */
bool img_parse_compat(const char *name, int *version);
/*
 * Parses "-o key=value,..." into opts (strings point into the kv list
 * that is returned in *keep).  Errors name the file as qemu-img does.
 */
bool img_parse_create_options(const char *text, const char *filename,
                              BlockCreateOptions *opts, void **keep);
/* qemu-img's "Snapshot list:" table (nothing for no snapshots). */
void img_print_snapshots(GString *out, const SnapshotInfo *list, int n);
/* Creates filename in fmt, printing qemu-img's "Formatting ..." line. */
bool img_do_create(const BlockDriver *drv, const char *filename,
                   const BlockCreateOptions *opts, bool quiet);

#endif
