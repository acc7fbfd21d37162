/*
 * Merging of repeated -machine options (see softmmu/machine-opts.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "softmmu/machine-opts.h"
#include "util/keyval.h"

typedef struct MachineOptValue {
    char *key;
    char *value;
    const char *option;          /* "-M", "-machine", "-enable-kvm" */
    char *arg;                   /* the option's whole argument, or NULL */
    bool taken;
} MachineOptValue;

struct MachineOpts {
    GArray *values;              /* MachineOptValue, first given first */
};

static void value_clear(gpointer data)
{
    MachineOptValue *v = data;

    g_free(v->key);
    g_free(v->value);
    g_free(v->arg);
}

MachineOpts *machine_opts_new(void)
{
    MachineOpts *mo = g_new0(MachineOpts, 1);

    mo->values = g_array_new(FALSE, TRUE, sizeof(MachineOptValue));
    g_array_set_clear_func(mo->values, value_clear);
    return mo;
}

void machine_opts_free(MachineOpts *mo)
{
    if (mo) {
        g_array_free(mo->values, TRUE);
        g_free(mo);
    }
}

static MachineOptValue *find_value(const MachineOpts *mo, const char *key)
{
    for (guint i = 0; i < mo->values->len; i++) {
        MachineOptValue *v = &g_array_index(mo->values, MachineOptValue, i);

        if (!strcmp(v->key, key)) {
            return v;
        }
    }
    return NULL;
}

static void set_value(MachineOpts *mo, const char *option, const char *arg,
                      const char *key, const char *value)
{
    MachineOptValue *v = find_value(mo, key);

    if (!v) {
        MachineOptValue fresh = { .key = g_strdup(key) };

        g_array_append_val(mo->values, fresh);
        v = &g_array_index(mo->values, MachineOptValue, mo->values->len - 1);
    }
    /* The later option wins, and is the one an error will name. */
    g_free(v->value);
    g_free(v->arg);
    v->value = g_strdup(value);
    v->option = option;
    v->arg = g_strdup(arg);
}

bool machine_opts_add(MachineOpts *mo, const char *option, const char *arg,
                      Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse_strict(arg, "type", errp);

    if (!kv) {
        return false;
    }
    for (guint i = 0; i < kv->pairs->len; i++) {
        const KeyValPair *pair = &g_array_index(kv->pairs, KeyValPair, i);

        set_value(mo, option, arg, pair->key, pair->value);
    }
    return true;
}

void machine_opts_set(MachineOpts *mo, const char *option, const char *key,
                      const char *value)
{
    set_value(mo, option, NULL, key, value);
}

const char *machine_opts_take(MachineOpts *mo, const char *key)
{
    MachineOptValue *v = find_value(mo, key);

    if (!v) {
        return NULL;
    }
    v->taken = true;
    error_set_cmdline_location(v->option, v->arg);
    return v->value;
}

bool machine_opts_given(const MachineOpts *mo)
{
    return mo->values->len > 0;
}

bool machine_opts_apply(MachineOpts *mo, Object *machine, Error **errp)
{
    for (guint i = 0; i < mo->values->len; i++) {
        MachineOptValue *v = &g_array_index(mo->values, MachineOptValue, i);

        if (v->taken) {
            continue;
        }
        if (!object_class_find_property(machine->klass, v->key)) {
            /* QEMU's words, without the option's name. */
            error_clear_cmdline_location();
            error_setg(errp, "Property '%s.%s' not found",
                       object_get_typename(machine), v->key);
            return false;
        }
        error_set_cmdline_location(v->option, v->arg);
        if (!object_property_parse(machine, v->key, v->value, errp)) {
            return false;
        }
        v->taken = true;
    }
    error_clear_cmdline_location();
    return true;
}
