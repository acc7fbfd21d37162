/*
 * What the files of the gdb stub share: the framing of the remote
 * protocol (packet.c), the target description (xml.c) and the session
 * (gdbstub.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef GDBSTUB_INTERNAL_H
#define GDBSTUB_INTERNAL_H

#include "util/osdep.h"
#include "hw/core/cpu.h"
#include "gdbstub/registers.h"

/* The largest packet body either side sends (qSupported PacketSize). */
#define GDB_MAX_PACKET 4096

/* ---- framing (packet.c) ---- */

typedef enum GDBReaderEvent {
    GDB_READ_NONE,               /* byte taken, nothing complete yet */
    GDB_READ_PACKET,             /* a packet with a good checksum */
    GDB_READ_BAD_PACKET,         /* a packet with a bad checksum or too
                                  * long: answer it with a NAK */
    GDB_READ_INTERRUPT,          /* Ctrl-C (0x03) between packets */
    GDB_READ_ACK,                /* '+' */
    GDB_READ_NAK,                /* '-': send the last packet again */
} GDBReaderEvent;

typedef struct GDBReader {
    int state;
    GByteArray *body;            /* unescaped, NUL-terminated when done */
    uint8_t sum;                 /* of the bytes as received */
    uint8_t sent_sum;            /* the two hex digits after '#' */
    bool escape;                 /* the last byte was '}' */
    bool overflow;               /* longer than GDB_MAX_PACKET */
} GDBReader;

void gdb_reader_init(GDBReader *r);
void gdb_reader_free(GDBReader *r);
/* Takes one byte of the stream; on GDB_READ_PACKET, r->body holds the
 * packet until the next call. */
GDBReaderEvent gdb_reader_feed(GDBReader *r, uint8_t byte);

/* "$body#cs", escaping the bytes the protocol reserves. */
void gdb_frame_packet(GString *out, const uint8_t *body, size_t len);

/* Hex digits <-> bytes. */
void gdb_hex_append(GString *out, const uint8_t *buf, size_t len);
/* Decodes exactly len bytes from 2 * len hex digits; false on a bad one. */
bool gdb_hex_decode(const char *hex, uint8_t *buf, size_t len);
/* A hex number up to a delimiter in stop (or the end); advances *p.
 * False when there are no digits or the value overflows. */
bool gdb_parse_hex(const char **p, uint64_t *value);

/* ---- target description (xml.c) ---- */

/* The whole target.xml for cpu (all features inline). */
char *gdb_target_xml(CPUState *cpu);
/* Every register of cpu's features, sorted by gdb number. */
GPtrArray *gdb_register_list(CPUState *cpu);
/* The register numbered regnum, or NULL. */
const GDBRegister *gdb_find_register(CPUState *cpu, int regnum);

#endif
