/*
 * The kvm accelerator in a build configured with --disable-kvm: it is
 * still listed and named, and says why it cannot be used.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/accel.h"
#include "sysemu/kvm.h"

static bool kvm_stub_available(Error **errp)
{
    error_setg(errp, "kvm support is not compiled into this emu");
    error_append_hint(errp, "Reconfigure without --disable-kvm (it needs "
                      "linux/kvm.h from linux-libc-dev), or use -accel tcg.\n");
    return false;
}

bool kvm_enabled(void)
{
    return false;
}

bool kvm_present(void)
{
    return false;
}

IRQLine *kvm_irqchip_gsi(int gsi)
{
    return NULL;
}

bool kvm_irqchip_route_irq0_to_pin2(Error **errp)
{
    return true;
}

bool kvm_irqchip_send_msi(uint64_t addr, uint32_t data)
{
    return false;
}

static const AccelOps kvm_stub_ops = {
    .available = kvm_stub_available,
};

static void kvm_stub_class_init(ObjectClass *klass)
{
    AccelClass *ac = ACCEL_CLASS(klass);

    ac->name = "kvm";
    ac->ops = &kvm_stub_ops;
}

static const TypeInfo kvm_stub_types[] = {
    {
        .name = "kvm" TYPE_ACCEL_SUFFIX,
        .parent = TYPE_ACCEL,
        .class_init = kvm_stub_class_init,
    },
};

DEFINE_TYPES(kvm_stub_types)
