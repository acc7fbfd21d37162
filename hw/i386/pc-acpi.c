/*
 * The PC's ACPI tables as QEMU 7.2's pc machine builds them (facts from
 * its tables as a guest sees them, disassembled with iasl, and the ACPI
 * 6.4 specification): RSDP (revision 0, in the F segment) -> RSDT ->
 * FADT (revision 1: the PIIX4 PM blocks at the base the firmware
 * programmed, SCI on IRQ 9, the APM port for ACPI enable, QEMU's GPE0
 * block) -> FACS and DSDT; MADT (a local APIC per CPU, the IOAPIC, the
 * interrupt source overrides of IRQ 0 and the PCI IRQs 5, 9, 10, 11,
 * LINT1 as NMI); WAET.  The DSDT describes the PCI root bridge (its
 * windows, a _PRT routing each slot's INTA-D to the PIIX3 link devices
 * LNKA-LNKD, and the PIIX4 PM's pin to LNKS, the SCI), a device per
 * slot of bus 0 with QEMU's ACPI PCI hotplug methods (hw/acpi/pcihp.c),
 * the ISA devices the board has (keyboard, mouse, serial ports, RTC)
 * in the PIIX3's slot, the processors, and \_S5 with sleep type 0,
 * which the PIIX4 PM takes for soft-off.
 *
 * With the HPET (hpet=on): the HPET table and \_SB.HPET (hw/acpi/hpet.c).
 * Not described (emu does not have them): floppy, parallel port,
 * CPU hotplug, S3/S4.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/hpet.h"
#include "hw/acpi/pcihp.h"
#include "hw/acpi/table-loader.h"
#include "hw/loader.h"
#include "hw/i386/pc-acpi.h"
#include "hw/isa/piix.h"
#include "target/i386/cpu.h"

#define RSDP_SIZE             20       /* revision 0 */
#define RSDP_CHECKSUM         8
#define RSDP_RSDT_ADDRESS     16
#define FACS_SIZE             64
#define FADT_FIRMWARE_CTRL    36
#define FADT_DSDT             40
/* QEMU pads the tables blob to this, so that rebuilding it keeps its
 * size (and SeaBIOS reserves as much RAM as with QEMU). */
#define ACPI_TABLES_BLOB_SIZE 0x20000
#define ACPI_LOADER_BLOB_ALIGN 0x1000

#define PC_APM_CNT_IOPORT     0xb2
#define ACPI_ENABLE_CMD       0xf1
#define ACPI_DISABLE_CMD      0xf0
#define RTC_CENTURY           0x32
/* FADT flags: WBINVD, PROC_C1, SLP_BUTTON (no sleep button), RTC_S4,
 * USE_PLATFORM_CLOCK; the power button is the fixed one. */
#define FADT_FLAGS            0x000080a5
#define WAET_PM_TIMER_GOOD    0x2
#define MADT_PCAT_COMPAT      0x1
#define MADT_LAPIC            0
#define MADT_IOAPIC           1
#define MADT_INT_OVERRIDE     2
#define MADT_LAPIC_NMI        4
#define MADT_ENABLED          0x1
#define MADT_LEVEL_HIGH       0x000d   /* active high, level triggered */
#define PC_IOAPIC_ID          0

#define PCI_HOLE_END          (X86_IOAPIC_ADDR - 1)
#define PCI_HOLE64_SIZE       (2 * X86_GiB)
#define FW_CFG_IO_RANGE       0x0c     /* 0x510-0x51b: data, DMA */
#define PCI_SLOTS             32

struct PCAcpi {
    FWCfgState *fw_cfg;
    PCAcpiConfig cfg;
    bool built_for_guest;        /* since the last reset */
};

/* ---- DSDT ---- */

static Aml *resource_device(const char *name, const char *hid, Aml *crs,
                            int uid, bool has_sta)
{
    Aml *dev = aml_device(name);

    aml_append(dev, aml_name_decl("_HID", aml_eisaid(hid)));
    if (uid >= 0) {
        aml_append(dev, aml_name_decl("_UID", aml_int(uid)));
    }
    if (has_sta) {
        aml_append(dev, aml_name_decl("_STA", aml_int(0xf)));
    }
    aml_append(dev, aml_name_decl("_CRS", crs));
    return dev;
}

/* What the PIIX3 function, 00:01.0, adds to its slot's device: its
 * PIRQ route registers as a PCI config region and the ISA devices
 * behind it. */
static void build_isa_bridge(Aml *dev, const PCAcpiConfig *cfg)
{
    Aml *crs;

    aml_append(dev, aml_operation_region("P40C", AML_PCI_CONFIG, 0x60, 4));

    crs = aml_resource_template();
    aml_append(crs, aml_io(0x60, 0x60, 1, 1));
    aml_append(crs, aml_io(0x64, 0x64, 1, 1));
    aml_append(crs, aml_irq_no_flags(1));
    aml_append(dev, resource_device("KBD", "PNP0303", crs, -1, true));

    crs = aml_resource_template();
    aml_append(crs, aml_irq_no_flags(12));
    aml_append(dev, resource_device("MOU", "PNP0F13", crs, -1, true));

    for (unsigned i = 0; i < cfg->nr_serials; i++) {
        g_autofree char *name = g_strdup_printf("COM%u", i + 1);

        crs = aml_resource_template();
        aml_append(crs, aml_io(cfg->serials[i].iobase, cfg->serials[i].iobase,
                               0, 8));
        aml_append(crs, aml_irq_no_flags(cfg->serials[i].irq));
        aml_append(dev, resource_device(name, "PNP0501", crs, i + 1, true));
    }

    crs = aml_resource_template();
    aml_append(crs, aml_io(0x70, 0x70, 1, 8));
    aml_append(crs, aml_irq_no_flags(8));
    aml_append(dev, resource_device("RTC", "PNP0B00", crs, -1, false));
}

/* A VGA adapter's slot: the device keeps no state in S1-S3 (D0). */
static void build_vga_sleep_states(Aml *dev)
{
    for (unsigned state = 1; state <= 3; state++) {
        g_autofree char *name = g_strdup_printf("_S%uD", state);
        Aml *method = aml_method(name, 0, false);

        aml_append(method, aml_return(aml_int(0)));
        aml_append(dev, method);
    }
}

/* A device for each slot of bus 0, as QEMU describes them with ACPI
 * PCI hotplug: every empty slot and every slot whose device may go
 * can be ejected and is notified from \_GPE._E01. */
static void build_pci_slots(Aml *pci0, const PCAcpiConfig *cfg)
{
    PCIBus *bus = pci_get_bus(cfg->pm);
    uint32_t hotpluggable = 0;

    acpi_pcihp_build_methods(pci0);
    for (unsigned slot = 0; slot < PCI_SLOTS; slot++) {
        PCIDevice *pdev = bus->devices[PCI_DEVFN(slot, 0)];
        uint16_t class_id = pdev ? PCI_DEVICE_GET_CLASS(pdev)->class_id : 0;
        bool can_go = !pdev ||
            qdev_class_hotpluggable(DEVICE_GET_CLASS(pdev));
        Aml *dev = acpi_pcihp_slot_device(slot, can_go);

        if (class_id == PCI_CLASS_BRIDGE_ISA) {
            build_isa_bridge(dev, cfg);
        } else if (class_id == PCI_CLASS_DISPLAY_VGA) {
            build_vga_sleep_states(dev);
        }
        aml_append(pci0, dev);
        hotpluggable |= can_go ? 1u << slot : 0;
    }
    acpi_pcihp_build_notify(pci0, hotpluggable);
}

/* The root bridge's windows: bus numbers, the config ports, all I/O
 * but them, the VGA window, the 32-bit hole up to the IOAPIC and a
 * 64-bit hole above RAM. */
static Aml *build_pci0_crs(const PCAcpiConfig *cfg)
{
    Aml *crs = aml_resource_template();
    uint64_t hole64 = (X86_4GiB + cfg->ram.above_4g + X86_GiB - 1) & ~(X86_GiB - 1);

    aml_append(crs, aml_word_bus_number(0x00, 0xff));
    aml_append(crs, aml_io(0x0cf8, 0x0cf8, 1, 8));
    aml_append(crs, aml_word_io(0x0000, 0x0cf7));
    aml_append(crs, aml_word_io(0x0d00, 0xffff));
    aml_append(crs, aml_dword_memory(0x000a0000, 0x000bffff, true));
    aml_append(crs, aml_dword_memory(cfg->ram.below_4g, PCI_HOLE_END, false));
    aml_append(crs, aml_qword_memory(hole64, hole64 + PCI_HOLE64_SIZE - 1,
                                     true));
    return crs;
}

/* _PRT: INTx of slot s goes to PIRQ (s - 1 + x) mod 4, as the PIIX3 is
 * wired; the PIIX4 PM's INTA (slot 1, pin 0) is the SCI, LNKS. */
static Aml *build_prt(void)
{
    Aml *prt = aml_package();

    for (unsigned slot = 0; slot < PCI_SLOTS; slot++) {
        for (unsigned pin = 0; pin < 4; pin++) {
            Aml *entry = aml_package();
            char link[16];

            if (slot == 1 && pin == 0) {
                g_strlcpy(link, "\\_SB.LNKS", sizeof(link));
            } else {
                g_snprintf(link, sizeof(link), "\\_SB.LNK%c",
                           'A' + (slot + 3 + pin) % 4);
            }
            aml_append(entry, aml_int(slot << 16 | 0xffff));
            aml_append(entry, aml_int(pin));
            aml_append(entry, aml_name(link));
            aml_append(entry, aml_int(0));
            aml_append(prt, entry);
        }
    }
    return aml_name_decl("_PRT", prt);
}

/* IQST (route): a disabled route (bit 7) is "present, not enabled". */
static Aml *build_iqst(void)
{
    Aml *method = aml_method("IQST", 1, false);
    Aml *disabled = aml_if(aml_and(aml_int(0x80), aml_arg(0)));

    aml_append(disabled, aml_return(aml_int(0x09)));
    aml_append(method, disabled);
    aml_append(method, aml_return(aml_int(0x0b)));
    return method;
}

static Aml *level_interrupt(const uint32_t *irqs, unsigned count)
{
    Aml *crs = aml_resource_template();

    aml_append(crs, aml_interrupt(irqs, count));
    return crs;
}

/* IQCR (route): the current interrupt of a link as a resource. */
static Aml *build_iqcr(void)
{
    static const uint32_t none[] = { 0 };
    Aml *method = aml_method("IQCR", 1, true);
    Aml *routed = aml_if(aml_lless(aml_arg(0), aml_int(0x80)));

    aml_append(method, aml_name_decl("PRR0", level_interrupt(none, 1)));
    /* The interrupt number of the Extended Interrupt Descriptor. */
    aml_append(method, aml_create_dword_field(aml_name("PRR0"), aml_int(5),
                                              "PRRI"));
    aml_append(routed, aml_store(aml_arg(0), aml_name("PRRI")));
    aml_append(method, routed);
    aml_append(method, aml_return(aml_name("PRR0")));
    return method;
}

static Aml *build_link(const char *name, unsigned uid, const char *route)
{
    static const uint32_t pci_irqs[] = { 5, 10, 11 };
    Aml *dev = aml_device(name);
    Aml *method;

    aml_append(dev, aml_name_decl("_HID", aml_eisaid("PNP0C0F")));
    aml_append(dev, aml_name_decl("_UID", aml_int(uid)));
    aml_append(dev, aml_name_decl("_PRS", level_interrupt(pci_irqs, 3)));

    method = aml_method("_STA", 0, false);
    aml_append(method, aml_return(aml_call1("IQST", aml_name(route))));
    aml_append(dev, method);

    method = aml_method("_DIS", 0, false);
    aml_append(method, aml_or(aml_name(route), aml_int(0x80),
                              aml_name(route)));
    aml_append(dev, method);

    method = aml_method("_CRS", 0, false);
    aml_append(method, aml_return(aml_call1("IQCR", aml_name(route))));
    aml_append(dev, method);

    method = aml_method("_SRS", 1, false);
    aml_append(method, aml_create_dword_field(aml_arg(0), aml_int(5),
                                              "PRRI"));
    aml_append(method, aml_store(aml_name("PRRI"), aml_name(route)));
    aml_append(dev, method);
    return dev;
}

/* LNKS: the SCI, fixed at its IRQ. */
static Aml *build_link_sci(const PCAcpiConfig *cfg)
{
    const uint32_t sci[] = { cfg->sci_irq };
    Aml *dev = aml_device("LNKS");
    Aml *method;

    aml_append(dev, aml_name_decl("_HID", aml_eisaid("PNP0C0F")));
    aml_append(dev, aml_name_decl("_UID", aml_int(4)));
    aml_append(dev, aml_name_decl("_PRS", level_interrupt(sci, 1)));
    method = aml_method("_STA", 0, false);
    aml_append(method, aml_return(aml_int(0x0b)));
    aml_append(dev, method);
    aml_append(dev, aml_method("_DIS", 0, false));
    method = aml_method("_CRS", 0, false);
    aml_append(method, aml_return(aml_name("_PRS")));
    aml_append(dev, method);
    aml_append(dev, aml_method("_SRS", 1, false));
    return dev;
}

static Aml *build_cpus(const PCAcpiConfig *cfg)
{
    Aml *cpus = aml_device("\\_SB.CPUS");

    aml_append(cpus, aml_name_decl("_HID", aml_string("ACPI0010")));
    aml_append(cpus, aml_name_decl("_CID", aml_eisaid("PNP0A05")));
    for (unsigned i = 0; i < cfg->smp_cpus; i++) {
        g_autofree char *name = g_strdup_printf("C%03X", i);

        aml_append(cpus, aml_processor(name, i, 0, 0));
    }
    return cpus;
}

static Aml *build_dsdt_body(const PCAcpiConfig *cfg)
{
    Aml *body = aml_list();
    Aml *sb = aml_scope("\\_SB");
    Aml *pci0 = aml_device("PCI0");
    Aml *scope, *field, *dev, *crs, *s5;

    aml_append(pci0, aml_name_decl("_HID", aml_eisaid("PNP0A03")));
    aml_append(pci0, aml_name_decl("_ADR", aml_int(0)));
    aml_append(pci0, aml_name_decl("_UID", aml_int(0)));
    aml_append(pci0, aml_name_decl("_CRS", build_pci0_crs(cfg)));
    aml_append(pci0, build_prt());
    build_pci_slots(pci0, cfg);

    crs = aml_resource_template();
    aml_append(crs, aml_io(PIIX4_GPE0_BLK, PIIX4_GPE0_BLK, 1,
                           PIIX4_GPE0_LEN));
    dev = aml_device("GPE0");
    aml_append(dev, aml_name_decl("_HID", aml_string("PNP0A06")));
    aml_append(dev, aml_name_decl("_UID", aml_string("GPE0 resources")));
    aml_append(dev, aml_name_decl("_STA", aml_int(0xb)));
    aml_append(dev, aml_name_decl("_CRS", crs));
    aml_append(pci0, dev);
    aml_append(pci0, acpi_pcihp_resources());

    /* fw_cfg's ports, so the OS leaves them alone (QEMU's FWCF). */
    crs = aml_resource_template();
    aml_append(crs, aml_io(0x510, 0x510, 1, FW_CFG_IO_RANGE));
    dev = aml_device("FWCF");
    aml_append(dev, aml_name_decl("_HID", aml_string("QEMU0002")));
    aml_append(dev, aml_name_decl("_STA", aml_int(0xb)));
    aml_append(dev, aml_name_decl("_CRS", crs));
    aml_append(pci0, dev);
    aml_append(sb, pci0);

    /* The PIIX3's PIRQ route registers, 0x60-0x63 of 00:01.0. */
    field = aml_field("PCI0.S08.P40C", AML_BYTE_ACC, AML_PRESERVE);
    for (unsigned i = 0; i < PIIX_NUM_PIRQS; i++) {
        char name[8];

        g_snprintf(name, sizeof(name), "PRQ%u", i);
        aml_append(field, aml_named_field(name, 8));
    }
    aml_append(sb, field);
    aml_append(sb, build_iqst());
    aml_append(sb, build_iqcr());
    for (unsigned i = 0; i < PIIX_NUM_PIRQS; i++) {
        char name[8], route[8];

        g_snprintf(name, sizeof(name), "LNK%c", 'A' + i);
        g_snprintf(route, sizeof(route), "PRQ%u", i);
        aml_append(sb, build_link(name, i, route));
    }
    aml_append(sb, build_link_sci(cfg));
    if (cfg->hpet) {
        aml_append(sb, acpi_hpet_device());
    }
    aml_append(body, sb);

    aml_append(body, build_cpus(cfg));

    scope = aml_scope("\\_GPE");
    aml_append(scope, aml_name_decl("_HID", aml_string("ACPI0006")));
    aml_append(scope, acpi_pcihp_gpe_method());
    aml_append(body, scope);

    /* Soft-off: SLP_TYP 0 for PM1a and PM1b. */
    s5 = aml_package();
    for (unsigned i = 0; i < 4; i++) {
        aml_append(s5, aml_int(0));
    }
    scope = aml_scope("\\");
    aml_append(scope, aml_name_decl("_S5", s5));
    aml_append(body, scope);
    return body;
}

/* ---- the fixed tables ---- */

static size_t build_facs(GByteArray *t)
{
    size_t start = t->len;

    g_byte_array_append(t, (const uint8_t *)"FACS", 4);
    acpi_append_le(t, FACS_SIZE, 4);
    for (unsigned i = 8; i < FACS_SIZE; i++) {
        acpi_append_le(t, 0, 1);
    }
    return start;
}

static size_t build_dsdt(TableLoader *l, GByteArray *t,
                         const PCAcpiConfig *cfg)
{
    size_t start = acpi_table_begin(t, "DSDT", 1);
    Aml *body = build_dsdt_body(cfg);

    g_byte_array_append(t, aml_data(body), aml_len(body));
    aml_free(body);
    acpi_table_end(l, ACPI_TABLES_FILE, t, start);
    return start;
}

static size_t build_fadt(TableLoader *l, GByteArray *t, uint16_t pm_base,
                         const PCAcpiConfig *cfg, size_t facs, size_t dsdt)
{
    size_t start = acpi_table_begin(t, "FACP", 1);

    acpi_append_le(t, facs, 4);                 /* FIRMWARE_CTRL */
    acpi_append_le(t, dsdt, 4);                 /* DSDT */
    acpi_append_le(t, 1, 1);                    /* INT_MODEL: APIC */
    acpi_append_le(t, 0, 1);                    /* unspecified profile */
    acpi_append_le(t, cfg->sci_irq, 2);
    acpi_append_le(t, PC_APM_CNT_IOPORT, 4);    /* SMI_CMD */
    acpi_append_le(t, ACPI_ENABLE_CMD, 1);
    acpi_append_le(t, ACPI_DISABLE_CMD, 1);
    acpi_append_le(t, 0, 1);                    /* S4BIOS_REQ */
    acpi_append_le(t, 0, 1);                    /* PSTATE_CNT */
    acpi_append_le(t, pm_base, 4);              /* PM1a_EVT_BLK */
    acpi_append_le(t, 0, 4);                    /* PM1b_EVT_BLK */
    acpi_append_le(t, pm_base + 4, 4);          /* PM1a_CNT_BLK */
    acpi_append_le(t, 0, 4);                    /* PM1b_CNT_BLK */
    acpi_append_le(t, 0, 4);                    /* PM2_CNT_BLK */
    acpi_append_le(t, pm_base + 8, 4);          /* PM_TMR_BLK */
    acpi_append_le(t, PIIX4_GPE0_BLK, 4);
    acpi_append_le(t, 0, 4);                    /* GPE1_BLK */
    acpi_append_le(t, 4, 1);                    /* PM1_EVT_LEN */
    acpi_append_le(t, 2, 1);                    /* PM1_CNT_LEN */
    acpi_append_le(t, 0, 1);                    /* PM2_CNT_LEN */
    acpi_append_le(t, 4, 1);                    /* PM_TMR_LEN */
    acpi_append_le(t, PIIX4_GPE0_LEN, 1);
    acpi_append_le(t, 0, 1);                    /* GPE1_BLK_LEN */
    acpi_append_le(t, 0, 1);                    /* GPE1_BASE */
    acpi_append_le(t, 0, 1);                    /* CST_CNT */
    acpi_append_le(t, 0xfff, 2);                /* no C2 */
    acpi_append_le(t, 0xfff, 2);                /* no C3 */
    acpi_append_le(t, 0, 2);                    /* FLUSH_SIZE */
    acpi_append_le(t, 0, 2);                    /* FLUSH_STRIDE */
    acpi_append_le(t, 0, 1);                    /* DUTY_OFFSET */
    acpi_append_le(t, 0, 1);                    /* DUTY_WIDTH */
    acpi_append_le(t, 0, 1);                    /* DAY_ALRM */
    acpi_append_le(t, 0, 1);                    /* MON_ALRM */
    acpi_append_le(t, RTC_CENTURY, 1);
    acpi_append_le(t, 0, 2);                    /* IAPC_BOOT_ARCH (2.0) */
    acpi_append_le(t, 0, 1);
    acpi_append_le(t, FADT_FLAGS, 4);
    table_loader_add_pointer(l, ACPI_TABLES_FILE, start + FADT_FIRMWARE_CTRL,
                             4, ACPI_TABLES_FILE);
    table_loader_add_pointer(l, ACPI_TABLES_FILE, start + FADT_DSDT, 4,
                             ACPI_TABLES_FILE);
    acpi_table_end(l, ACPI_TABLES_FILE, t, start);
    return start;
}

static void madt_override(GByteArray *t, uint8_t irq, uint32_t gsi,
                          uint16_t flags)
{
    acpi_append_le(t, MADT_INT_OVERRIDE, 1);
    acpi_append_le(t, 10, 1);
    acpi_append_le(t, 0, 1);                    /* bus: ISA */
    acpi_append_le(t, irq, 1);
    acpi_append_le(t, gsi, 4);
    acpi_append_le(t, flags, 2);
}

static size_t build_madt(TableLoader *l, GByteArray *t,
                         const PCAcpiConfig *cfg)
{
    static const uint8_t pci_irqs[] = { 5, 9, 10, 11 };
    size_t start = acpi_table_begin(t, "APIC", 1);

    acpi_append_le(t, X86_LAPIC_ADDR, 4);
    acpi_append_le(t, MADT_PCAT_COMPAT, 4);
    for (unsigned i = 0; i < cfg->max_cpus; i++) {
        acpi_append_le(t, MADT_LAPIC, 1);
        acpi_append_le(t, 8, 1);
        acpi_append_le(t, i, 1);                /* ACPI processor UID */
        acpi_append_le(t, x86_cpu_apic_id_from_index(cfg->cores,
                                                     cfg->threads, i), 1);
        acpi_append_le(t, i < cfg->smp_cpus ? MADT_ENABLED : 0, 4);
    }
    acpi_append_le(t, MADT_IOAPIC, 1);
    acpi_append_le(t, 12, 1);
    acpi_append_le(t, PC_IOAPIC_ID, 1);
    acpi_append_le(t, 0, 1);
    acpi_append_le(t, X86_IOAPIC_ADDR, 4);
    acpi_append_le(t, 0, 4);                    /* GSI base */
    if (cfg->irq0_override) {
        madt_override(t, 0, 2, 0);
    }
    for (unsigned i = 0; i < ARRAY_SIZE(pci_irqs); i++) {
        madt_override(t, pci_irqs[i], pci_irqs[i], MADT_LEVEL_HIGH);
    }
    /* LINT1 of every processor (0xff) is the NMI. */
    acpi_append_le(t, MADT_LAPIC_NMI, 1);
    acpi_append_le(t, 6, 1);
    acpi_append_le(t, 0xff, 1);
    acpi_append_le(t, 0, 2);
    acpi_append_le(t, 1, 1);
    acpi_table_end(l, ACPI_TABLES_FILE, t, start);
    return start;
}

static size_t build_waet(TableLoader *l, GByteArray *t)
{
    size_t start = acpi_table_begin(t, "WAET", 1);

    acpi_append_le(t, WAET_PM_TIMER_GOOD, 4);
    acpi_table_end(l, ACPI_TABLES_FILE, t, start);
    return start;
}

static size_t build_rsdt(TableLoader *l, GByteArray *t, const size_t *tables,
                         unsigned count)
{
    size_t start = acpi_table_begin(t, "RSDT", 1);

    for (unsigned i = 0; i < count; i++) {
        table_loader_add_pointer(l, ACPI_TABLES_FILE, t->len, 4,
                                 ACPI_TABLES_FILE);
        acpi_append_le(t, tables[i], 4);
    }
    acpi_table_end(l, ACPI_TABLES_FILE, t, start);
    return start;
}

static void build_rsdp(TableLoader *l, GByteArray *r, size_t rsdt)
{
    g_byte_array_append(r, (const uint8_t *)"RSD PTR ", 8);
    acpi_append_le(r, 0, 1);                    /* checksum */
    g_byte_array_append(r, (const uint8_t *)"BOCHS ", 6);
    acpi_append_le(r, 0, 1);                    /* revision 0: ACPI 1.0 */
    acpi_append_le(r, rsdt, 4);
    g_assert(r->len == RSDP_SIZE);
    table_loader_add_pointer(l, ACPI_RSDP_FILE, RSDP_RSDT_ADDRESS, 4,
                             ACPI_TABLES_FILE);
    table_loader_add_checksum(l, ACPI_RSDP_FILE, 0, RSDP_SIZE, RSDP_CHECKSUM);
}

/* GByteArray does not clear what it grows by. */
static void pad_with_zeros(GByteArray *blob, size_t size)
{
    size_t old = blob->len;

    g_byte_array_set_size(blob, size);
    memset(blob->data + old, 0, size - old);
}

void pc_acpi_build(const PCAcpiConfig *cfg, uint16_t pm_base,
                   GByteArray **tables, GByteArray **rsdp,
                   GByteArray **loader)
{
    TableLoader *l = table_loader_new();
    GByteArray *t = g_byte_array_new();
    GByteArray *r = g_byte_array_new();
    size_t facs, dsdt, rsdt_entries[4];
    unsigned n = 0;

    table_loader_allocate(l, ACPI_TABLES_FILE, 64, false);
    facs = build_facs(t);
    dsdt = build_dsdt(l, t, cfg);
    rsdt_entries[n++] = build_fadt(l, t, pm_base, cfg, facs, dsdt);
    rsdt_entries[n++] = build_madt(l, t, cfg);
    if (cfg->hpet) {
        rsdt_entries[n++] = acpi_build_hpet(l, t);
    }
    rsdt_entries[n++] = build_waet(l, t);
    table_loader_allocate(l, ACPI_RSDP_FILE, 16, true);
    build_rsdp(l, r, build_rsdt(l, t, rsdt_entries, n));

    g_assert(t->len <= ACPI_TABLES_BLOB_SIZE);
    pad_with_zeros(t, ACPI_TABLES_BLOB_SIZE);
    pad_with_zeros(l->cmds, DIV_ROUND_UP(l->cmds->len, ACPI_LOADER_BLOB_ALIGN) *
                            ACPI_LOADER_BLOB_ALIGN);
    *tables = t;
    *rsdp = r;
    *loader = g_byte_array_ref(l->cmds);
    table_loader_free(l);
}

/* ---- fw_cfg ---- */

static void pc_acpi_publish(PCAcpi *acpi, FWCfgSelectCallback cb)
{
    GByteArray *tables, *rsdp, *loader;

    pc_acpi_build(&acpi->cfg, piix4_pm_io_base(acpi->cfg.pm), &tables, &rsdp,
                  &loader);
    /* The first publication, at init (the sizes do not change): for
     * info roms, in QEMU's order. */
    if (cb) {
        rom_list_add_fw_blob(ACPI_TABLES_FILE, tables->len);
        rom_list_add_fw_blob(ACPI_LOADER_FILE, loader->len);
        rom_list_add_fw_blob(ACPI_RSDP_FILE, rsdp->len);
    }
    fw_cfg_add_file_callback(acpi->fw_cfg, ACPI_TABLES_FILE, cb, acpi,
                             tables->data, tables->len);
    fw_cfg_add_file_callback(acpi->fw_cfg, ACPI_RSDP_FILE, cb, acpi,
                             rsdp->data, rsdp->len);
    fw_cfg_add_file_callback(acpi->fw_cfg, ACPI_LOADER_FILE, cb, acpi,
                             loader->data, loader->len);
    g_byte_array_unref(tables);
    g_byte_array_unref(rsdp);
    g_byte_array_unref(loader);
}

/* The firmware is about to read the tables: build them for the machine
 * as it has set it up. */
static void pc_acpi_select(void *opaque)
{
    PCAcpi *acpi = opaque;

    if (!acpi->built_for_guest) {
        acpi->built_for_guest = true;
        pc_acpi_publish(acpi, NULL);
    }
}

PCAcpi *pc_acpi_init(FWCfgState *fw_cfg, const PCAcpiConfig *cfg)
{
    PCAcpi *acpi = g_new0(PCAcpi, 1);

    acpi->fw_cfg = fw_cfg;
    acpi->cfg = *cfg;
    pc_acpi_publish(acpi, pc_acpi_select);
    return acpi;
}

void pc_acpi_reset(PCAcpi *acpi)
{
    acpi->built_for_guest = false;
}
