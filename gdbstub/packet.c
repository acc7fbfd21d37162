/*
 * The framing of the gdb remote protocol: "$body#cs" packets with a
 * two-digit checksum (the sum of the body bytes modulo 256), '+'/'-'
 * acknowledgements, a lone 0x03 for Ctrl-C, and '}' escaping (the next
 * byte XOR 0x20) of the bytes '$', '#', '}' and '*' inside a body.
 *
 * The reader never trusts the stream: bytes outside packets other than
 * '+', '-' and 0x03 are dropped, an overlong packet is read to its end
 * and refused, and a bad checksum digit makes a bad packet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "gdbstub/internal.h"

enum {
    RS_IDLE,
    RS_BODY,
    RS_SUM1,
    RS_SUM2,
};

void gdb_reader_init(GDBReader *r)
{
    memset(r, 0, sizeof(*r));
    r->body = g_byte_array_sized_new(GDB_MAX_PACKET + 1);
}

void gdb_reader_free(GDBReader *r)
{
    g_byte_array_unref(r->body);
    r->body = NULL;
}

static int hex_value(uint8_t c)
{
    return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

GDBReaderEvent gdb_reader_feed(GDBReader *r, uint8_t byte)
{
    int digit;

    switch (r->state) {
    case RS_IDLE:
        if (byte == '$') {
            g_byte_array_set_size(r->body, 0);
            r->sum = 0;
            r->escape = false;
            r->overflow = false;
            r->state = RS_BODY;
        } else if (byte == 0x03) {
            return GDB_READ_INTERRUPT;
        } else if (byte == '+') {
            return GDB_READ_ACK;
        } else if (byte == '-') {
            return GDB_READ_NAK;
        }
        return GDB_READ_NONE;
    case RS_BODY:
        if (byte == '#') {
            r->state = RS_SUM1;
            return GDB_READ_NONE;
        }
        if (byte == '$') {
            /* A new packet before the end of this one: gdb gave up on
             * it (or this is noise); start again. */
            g_byte_array_set_size(r->body, 0);
            r->sum = 0;
            r->escape = false;
            r->overflow = false;
            return GDB_READ_NONE;
        }
        r->sum += byte;
        if (r->escape) {
            byte ^= 0x20;
            r->escape = false;
        } else if (byte == '}') {
            r->escape = true;
            return GDB_READ_NONE;
        }
        if (r->body->len >= GDB_MAX_PACKET) {
            r->overflow = true;
        } else {
            g_byte_array_append(r->body, &byte, 1);
        }
        return GDB_READ_NONE;
    case RS_SUM1:
        digit = hex_value(byte);
        r->sent_sum = digit < 0 ? 0 : digit << 4;
        r->overflow |= digit < 0;
        r->state = RS_SUM2;
        return GDB_READ_NONE;
    default:
        digit = hex_value(byte);
        r->state = RS_IDLE;
        if (digit < 0 || r->overflow ||
            (uint8_t)(r->sent_sum | digit) != r->sum) {
            return GDB_READ_BAD_PACKET;
        }
        g_byte_array_append(r->body, (const uint8_t *)"", 1);
        g_byte_array_set_size(r->body, r->body->len - 1);
        return GDB_READ_PACKET;
    }
}

void gdb_frame_packet(GString *out, const uint8_t *body, size_t len)
{
    uint8_t sum = 0;

    g_string_append_c(out, '$');
    for (size_t i = 0; i < len; i++) {
        uint8_t c = body[i];

        if (c == '$' || c == '#' || c == '}' || c == '*') {
            g_string_append_c(out, '}');
            sum += '}';
            c ^= 0x20;
        }
        g_string_append_c(out, c);
        sum += c;
    }
    g_string_append_printf(out, "#%02x", sum);
}

void gdb_hex_append(GString *out, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        g_string_append_printf(out, "%02x", buf[i]);
    }
}

bool gdb_hex_decode(const char *hex, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int hi = hex_value(hex[2 * i]);
        int lo = hi < 0 ? -1 : hex_value(hex[2 * i + 1]);

        if (lo < 0) {
            return false;
        }
        buf[i] = hi << 4 | lo;
    }
    return true;
}

bool gdb_parse_hex(const char **p, uint64_t *value)
{
    const char *s = *p;
    uint64_t v = 0;
    int digit;

    if (hex_value(*s) < 0) {
        return false;
    }
    while ((digit = hex_value(*s)) >= 0) {
        if (v >> 60) {
            return false;
        }
        v = v << 4 | digit;
        s++;
    }
    *p = s;
    *value = v;
    return true;
}
