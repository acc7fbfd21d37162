/*
 * The tcg accelerator object.  The translator itself (IR, optimiser,
 * x86-64 back end, softmmu TLB, vCPU loop) lands with the first target
 * front end; until then tcg can build machines but runs no vCPU, and
 * says so if a machine asks it to.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/accel.h"

static bool tcg_available(Error **errp)
{
    return true;
}

static bool tcg_init_machine(AccelState *accel, MachineState *ms,
                             Error **errp)
{
    return true;
}

static bool tcg_create_vcpu_thread(CPUState *cpu, Error **errp)
{
    error_setg(errp, "tcg cannot run a '%s' yet: this build has no "
               "translator for it", object_get_typename(OBJECT(cpu)));
    return false;
}

static const AccelOps tcg_accel_ops = {
    .available = tcg_available,
    .init_machine = tcg_init_machine,
    .create_vcpu_thread = tcg_create_vcpu_thread,
};

static void tcg_accel_class_init(ObjectClass *klass)
{
    AccelClass *ac = ACCEL_CLASS(klass);

    ac->name = "tcg";
    ac->ops = &tcg_accel_ops;
}

static const TypeInfo tcg_accel_types[] = {
    {
        .name = "tcg" TYPE_ACCEL_SUFFIX,
        .parent = TYPE_ACCEL,
        .class_init = tcg_accel_class_init,
    },
};

DEFINE_TYPES(tcg_accel_types)
