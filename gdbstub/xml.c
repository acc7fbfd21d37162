/*
 * The target description (qXfer:features:read:target.xml), written from
 * the target's feature tables: one document with every feature inline,
 * so gdb needs no further annex.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "gdbstub/internal.h"

char *gdb_target_xml(CPUState *cpu)
{
    CPUClass *cc = CPU_GET_CLASS(cpu);
    const GDBFeature *const *features = cc->gdb_features(cpu);
    GString *xml = g_string_new(
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
        "<target>\n");

    g_string_append_printf(xml, "  <architecture>%s</architecture>\n",
                           cc->gdb_arch);
    for (; *features; features++) {
        const GDBFeature *f = *features;

        g_string_append_printf(xml, "  <feature name=\"%s\">\n", f->name);
        if (f->types) {
            g_string_append(xml, f->types);
        }
        for (size_t i = 0; i < f->nregs; i++) {
            const GDBRegister *r = &f->regs[i];

            g_string_append_printf(xml, "    <reg name=\"%s\" bitsize=\"%d\""
                                   " regnum=\"%d\"", r->name, r->bitsize,
                                   r->regnum);
            if (r->type) {
                g_string_append_printf(xml, " type=\"%s\"", r->type);
            }
            if (r->group) {
                g_string_append_printf(xml, " group=\"%s\"", r->group);
            }
            g_string_append(xml, "/>\n");
        }
        g_string_append(xml, "  </feature>\n");
    }
    g_string_append(xml, "</target>\n");
    return g_string_free(xml, FALSE);
}

static gint compare_regnum(gconstpointer a, gconstpointer b)
{
    const GDBRegister *ra = *(const GDBRegister *const *)a;
    const GDBRegister *rb = *(const GDBRegister *const *)b;

    return ra->regnum - rb->regnum;
}

GPtrArray *gdb_register_list(CPUState *cpu)
{
    const GDBFeature *const *features = CPU_GET_CLASS(cpu)->gdb_features(cpu);
    GPtrArray *list = g_ptr_array_new();

    for (; *features; features++) {
        for (size_t i = 0; i < (*features)->nregs; i++) {
            g_ptr_array_add(list, (gpointer)&(*features)->regs[i]);
        }
    }
    g_ptr_array_sort(list, compare_regnum);
    return list;
}

const GDBRegister *gdb_find_register(CPUState *cpu, int regnum)
{
    const GDBFeature *const *features = CPU_GET_CLASS(cpu)->gdb_features(cpu);

    for (; *features; features++) {
        for (size_t i = 0; i < (*features)->nregs; i++) {
            if ((*features)->regs[i].regnum == regnum) {
                return &(*features)->regs[i];
            }
        }
    }
    return NULL;
}
