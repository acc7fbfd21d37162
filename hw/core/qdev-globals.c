/*
 * -global DRIVER.PROP=VALUE: a default for a property of every device of
 * a type (and its subtypes), set when the device is created, before the
 * properties its -device or its board gives, as QEMU does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/keyval.h"
#include "hw/qdev.h"

typedef struct GlobalProperty {
    char *driver;
    char *property;
    char *value;
    bool used;
} GlobalProperty;

static GPtrArray *global_props;

static void global_free(gpointer data)
{
    GlobalProperty *g = data;

    g_free(g->driver);
    g_free(g->property);
    g_free(g->value);
    g_free(g);
}

/* "driver.prop=value": the driver may contain dots, the property not. */
static bool parse_short_form(const char *spec, GlobalProperty *g)
{
    const char *eq = strchr(spec, '=');
    const char *dot;

    if (!eq) {
        return false;
    }
    dot = g_strrstr_len(spec, eq - spec, ".");
    if (!dot || dot == spec || dot + 1 == eq) {
        return false;
    }
    g->driver = g_strndup(spec, dot - spec);
    g->property = g_strndup(dot + 1, eq - dot - 1);
    g->value = g_strdup(eq + 1);
    return true;
}

bool qdev_add_global(const char *spec, Error **errp)
{
    GlobalProperty *g = g_new0(GlobalProperty, 1);

    if (!parse_short_form(spec, g)) {
        /* The long form: driver=D,property=P,value=V. */
        g_autoptr(KeyValList) kv = keyval_parse(spec, NULL, errp);
        const KeyValPair *extra;

        if (!kv) {
            global_free(g);
            return false;
        }
        g->driver = g_strdup(keyval_take(kv, "driver"));
        g->property = g_strdup(keyval_take(kv, "property"));
        g->value = g_strdup(keyval_take(kv, "value"));
        extra = keyval_first_unused(kv);
        if (extra) {
            error_setg(errp, "Invalid parameter '%s'", extra->key);
            global_free(g);
            return false;
        }
        if (!g->driver || !g->property || !g->value) {
            error_setg(errp, "Parameter '%s' is missing",
                       !g->driver ? "driver" :
                       !g->property ? "property" : "value");
            global_free(g);
            return false;
        }
    }
    if (!global_props) {
        global_props = g_ptr_array_new_with_free_func(global_free);
    }
    g_ptr_array_add(global_props, g);
    return true;
}

void qdev_apply_globals(DeviceState *dev)
{
    Object *obj = OBJECT(dev);

    for (guint i = 0; global_props && i < global_props->len; i++) {
        GlobalProperty *g = g_ptr_array_index(global_props, i);
        Error *err = NULL;

        if (!object_dynamic_cast(obj, g->driver)) {
            continue;
        }
        g->used = true;
        if (!object_property_parse(obj, g->property, g->value, &err)) {
            /* QEMU's wording; fatal as in QEMU, named against the
             * option (-device) that created the device. */
            error_prepend(&err, "can't apply global %s.%s=%s: ", g->driver,
                          g->property, g->value);
            error_report_err(err);
            exit(1);
        }
    }
}

void qdev_check_globals(void)
{
    for (guint i = 0; global_props && i < global_props->len; i++) {
        GlobalProperty *g = g_ptr_array_index(global_props, i);
        ObjectClass *klass = object_class_by_name(g->driver);

        if (g->used) {
            continue;
        }
        if (!klass || !object_class_dynamic_cast(klass, TYPE_DEVICE)) {
            warn_report("global %s.%s has invalid class name", g->driver,
                        g->property);
        } else {
            warn_report("global %s.%s=%s not used", g->driver, g->property,
                        g->value);
        }
    }
}

void qdev_free_globals(void)
{
    if (global_props) {
        g_ptr_array_unref(global_props);
        global_props = NULL;
    }
}
