/*
 * The accelerator registry: "-accel help", lookup by name, the one in use.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/accel.h"

AccelState *current_accel;

AccelClass *accel_find(const char *name)
{
    g_autofree char *type = g_strconcat(name, TYPE_ACCEL_SUFFIX, NULL);
    ObjectClass *klass = object_class_by_name(type);

    if (!klass || !object_class_dynamic_cast(klass, TYPE_ACCEL) ||
        object_class_is_abstract(klass)) {
        return NULL;
    }
    return ACCEL_CLASS(klass);
}

void accel_print_list(GString *out)
{
    GSList *list = object_class_get_list_sorted(TYPE_ACCEL, false);

    g_string_append(out, "Accelerators supported in emu binary:\n");
    /* tcg first, as QEMU lists it; then the rest by name. */
    for (int pass = 0; pass < 2; pass++) {
        for (GSList *l = list; l; l = l->next) {
            AccelClass *ac = l->data;

            if ((pass == 0) == !strcmp(ac->name, "tcg")) {
                g_string_append_printf(out, "%s\n", ac->name);
            }
        }
    }
    g_slist_free(list);
}

const AccelOps *accel_ops(void)
{
    return current_accel ? ACCEL_GET_CLASS(current_accel)->ops : NULL;
}

const char *accel_name(void)
{
    return current_accel ? ACCEL_GET_CLASS(current_accel)->name : NULL;
}

bool accel_irqchip_in_kernel(void)
{
    const AccelOps *ops = accel_ops();

    return ops && ops->irqchip_in_kernel && ops->irqchip_in_kernel();
}

static const TypeInfo accel_types[] = {
    {
        .name = TYPE_ACCEL,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(AccelState),
        .class_size = sizeof(AccelClass),
        .abstract = true,
    },
};

DEFINE_TYPES(accel_types)
