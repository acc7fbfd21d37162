/*
 * The PC: QEMU's "pc" machine (pc-i440fx), the default of
 * emu-system-x86_64.  An i440FX host bridge with PAM shadowing, the
 * PIIX3 ISA bridge and the PIIX4 power management function on PCI bus 0;
 * the ISA devices of a PC (UARTs, i8042, CMOS RTC filled as QEMU fills
 * it, port 0x92, the POST port) and fw_cfg, from which SeaBIOS (Debian's
 * bios-256k.bin by default) reads the machine's configuration.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/boards.h"
#include "hw/qdev.h"
#include "hw/core/cpu.h"
#include "hw/char/serial.h"
#include "hw/i386/pc-acpi.h"
#include "hw/i386/pc-ferr.h"
#include "hw/i386/pc-linuxboot.h"
#include "hw/i386/x86-boot.h"
#include "hw/i386/x86-irqchip.h"
#include "hw/ide/piix.h"
#include "hw/intc/i8259.h"
#include "hw/isa/piix.h"
#include "hw/loader.h"
#include "hw/misc/i8042.h"
#include "hw/misc/mc146818rtc.h"
#include "hw/misc/port92.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci-host/i440fx.h"
#include "hw/smbios/smbios.h"
#include "hw/sysbus.h"
#include "hw/timer/hpet.h"
#include "net/net.h"
#include "sysemu/blockdev.h"
#include "sysemu/datadir.h"
#include "sysemu/kvm.h"
#include "sysemu/process.h"
#include "sysemu/sysemu.h"
#include "target/i386/cpu.h"

#define TYPE_PC_MACHINE "pc-i440fx-7.2" TYPE_MACHINE_SUFFIX

#define PC_DEFAULT_BIOS    "bios-256k.bin"
/* QEMU 7.2's pc-i440fx: with 3.5 GiB or more, RAM below 4 GiB stops at
 * 3 GiB ("gigabyte_align"), the rest continues at 4 GiB. */
#define PC_LOWMEM_SPLIT    0xe0000000ull
#define PC_LOWMEM          (3 * X86_GiB)

#define PC_PIIX3_DEVFN     PCI_DEVFN(1, 0)
#define PC_PIIX3_IDE_DEVFN PCI_DEVFN(1, 1)
#define PC_PIIX4_PM_DEVFN  PCI_DEVFN(1, 3)
#define PC_SCI_IRQ         9
#define PC_IDE_IRQ_PRIMARY   14
#define PC_IDE_IRQ_SECONDARY 15
#define PC_IDE_DRIVES      4
#define PC_RTC_IOBASE      0x70
#define PC_RTC_IRQ         8
#define PC_I8042_IRQ_KBD   1
#define PC_I8042_IRQ_MOUSE 12
#define PC_POST_PORT       0x80
#define PC_FERR_IRQ        13
#define PC_FW_CFG_IOBASE   0x510
#define PC_FW_CFG_DMA      0x514

typedef struct PCMachineState {
    MachineState parent_obj;
    X86RamLayout ram_layout;
    MemoryRegion ram_below_4g;
    MemoryRegion ram_above_4g;
    MemoryRegion pci_memory;
    MemoryRegion post_port;
    PCFerr ferr;
    X86Firmware firmware;
    PCIBus *pci_bus;
    BusState *isa_bus;           /* the PIIX3's */
    FWCfgState *fw_cfg;
    PCIDevice *pm;
    PCAcpi *acpi;
    DeviceState *rtc;
    DeviceState *hpet;           /* NULL with hpet=off */
    X86IRQChip irqchip;
    OnOffAuto smm;               /* -M pc,smm= */
    OnOffAuto vmport;            /* -M pc,vmport= */
    bool hpet_enabled;           /* the "hpet" property */
} PCMachineState;

#define PC_MACHINE(obj) INSTANCE_CAST(PCMachineState, (obj), TYPE_PC_MACHINE)

/* The four ISA serial ports of a PC, for serial_hd(0..3). */
static const struct {
    uint32_t iobase;
    int irq;
} pc_serials[] = {
    { 0x3f8, 4 }, { 0x2f8, 3 }, { 0x3e8, 4 }, { 0x2e8, 3 },
};

/* Where ISA interrupt n goes: the 8259s and IOAPIC that the
 * accelerator seam gave the board (kvm's in-kernel ones or emu's). */
static IRQLine *pc_isa_irq(PCMachineState *pcms, int n)
{
    return pcms->irqchip.gsi[n];
}

static void pc_map_ram(PCMachineState *pcms)
{
    MachineState *ms = &pcms->parent_obj;
    X86RamLayout *layout = &pcms->ram_layout;

    layout->below_4g = ms->ram_size >= PC_LOWMEM_SPLIT ? PC_LOWMEM
                                                       : ms->ram_size;
    layout->above_4g = ms->ram_size - layout->below_4g;
    memory_region_init_alias(&pcms->ram_below_4g, NULL, "ram-below-4g",
                             ms->ram, 0, layout->below_4g);
    memory_region_add_subregion(get_system_memory(), 0, &pcms->ram_below_4g);
    if (layout->above_4g) {
        memory_region_init_alias(&pcms->ram_above_4g, NULL, "ram-above-4g",
                                 ms->ram, layout->below_4g,
                                 layout->above_4g);
        memory_region_add_subregion(get_system_memory(), X86_4GiB,
                                    &pcms->ram_above_4g);
    }
    /* Whatever RAM does not cover is the PCI bus's: BARs, the BIOS. */
    memory_region_init(&pcms->pci_memory, NULL, "pci", UINT64_MAX);
    memory_region_add_subregion_overlap(get_system_memory(), 0,
                                        &pcms->pci_memory, -1);
}

static bool pc_load_firmware(PCMachineState *pcms, Error **errp)
{
    MachineState *ms = &pcms->parent_obj;
    const char *path = ms->firmware;

    if (!path) {
        g_autofree char *searched = NULL;

        path = datadir_find_default_firmware(PC_DEFAULT_BIOS, &searched);
        if (!path) {
            error_setg(errp, "could not find the PC BIOS '%s' (looked in %s)",
                       PC_DEFAULT_BIOS, searched);
            error_append_hint(errp, "Install Debian's seabios package, add "
                              "its directory with -L DIR, or give -bios "
                              "FILE.\n");
            return false;
        }
    }
    /* In the PCI space: the PAM registers decide whether the CPU sees
     * its copy below 1 MiB or the shadow RAM. */
    if (!x86_firmware_load(&pcms->firmware, &pcms->pci_memory, false, path,
                           errp)) {
        return false;
    }
    rom_list_add_image(ms->firmware ? ms->firmware : PC_DEFAULT_BIOS,
                       X86_4GiB - pcms->firmware.size, pcms->firmware.size,
                       ROM_VIEW_SYSTEM);
    return true;
}

/* Creates a board device in /machine/unattached; realize with
 * pc_realize_isa_device. */
static DeviceState *pc_new_device(const char *type)
{
    DeviceState *dev = qdev_new(type);

    machine_add_unattached(OBJECT(dev));
    return dev;
}

/* Realizes dev and wires its output pins, in order, to the ISA
 * interrupts listed in irqs (-1 terminated). */
static bool pc_realize_isa_device(PCMachineState *pcms, DeviceState *dev,
                                  const int *irqs, Error **errp)
{
    if (!qdev_realize_and_unref(dev, pcms->isa_bus, errp)) {
        object_unparent(OBJECT(dev));
        return false;
    }
    for (int n = 0; irqs[n] >= 0; n++) {
        qdev_connect_gpio_out(dev, n, pc_isa_irq(pcms, irqs[n]));
    }
    return true;
}

/* The PIIX3 IDE function with -hda..-hdd, -cdrom and -drive if=ide:
 * index 0-1 on the primary channel (ide.0), 2-3 on the secondary, each
 * an ide-hd or ide-cd device made in index order, as QEMU makes them. */
static bool pc_create_ide(PCMachineState *pcms, Error **errp)
{
    DeviceState *ide = qdev_new(TYPE_PIIX3_IDE);

    machine_add_unattached(OBJECT(ide));
    PCI_DEVICE(ide)->devfn = PC_PIIX3_IDE_DEVFN;
    if (!qdev_realize_and_unref(ide, BUS(pcms->pci_bus), errp)) {
        return false;
    }
    qdev_connect_gpio_out(ide, 0, pc_isa_irq(pcms, PC_IDE_IRQ_PRIMARY));
    qdev_connect_gpio_out(ide, 1, pc_isa_irq(pcms, PC_IDE_IRQ_SECONDARY));
    for (int index = 0; index < PC_IDE_DRIVES; index++) {
        DriveInfo *drive = drive_get(IF_IDE, index);
        g_autofree char *bus = g_strdup_printf("ide.%d", index / 2);
        DeviceState *dev;

        if (!drive) {
            continue;
        }
        if (!drive->blk) {
            error_setg(errp, "IDE drive %s needs an image", drive->id);
            return false;
        }
        dev = pc_new_device(drive->cdrom ? "ide-cd" : "ide-hd");
        if (!object_property_set_str(OBJECT(dev), "drive", drive->id, errp) ||
            !object_property_set_uint(OBJECT(dev), "unit", index % 2,
                                      errp) ||
            !qdev_realize_and_unref(dev, qbus_find(bus), errp)) {
            object_unparent(OBJECT(dev));
            return false;
        }
        drive_mark_used(drive);
    }
    return true;
}

/* The host bridge, the PIIX3 with its ISA bus, and on that bus the
 * interrupt controllers, in QEMU's order. */
static bool pc_create_pci(PCMachineState *pcms, Error **errp)
{
    MachineState *ms = &pcms->parent_obj;
    PCIDevice *piix3;

    pcms->pci_bus = i440fx_init(get_system_memory(), ms->ram,
                                &pcms->pci_memory, errp);
    if (!pcms->pci_bus) {
        return false;
    }
    piix3 = pci_create_simple(pcms->pci_bus, PC_PIIX3_DEVFN,
                              TYPE_PIIX3_PCI_DEVICE, true, errp);
    if (!piix3) {
        return false;
    }
    for (int irq = 0; irq < ISA_NUM_IRQS; irq++) {
        qdev_connect_gpio_out(DEVICE(piix3), irq, pc_isa_irq(pcms, irq));
    }
    pcms->isa_bus = piix3_isa_bus(piix3);
    /* QEMU's two i8257 DMA controllers: emu has no ISA DMA. */
    machine_skip_unattached(2);
    if (!x86_irqchip_create_pic(&pcms->irqchip, errp)) {
        return false;
    }
    if (pcms->irqchip.pic) {
        i8259_pair_set_bus(pcms->irqchip.pic, pcms->isa_bus);
    }
    /* /machine/i440fx/ioapic, as QEMU files it. */
    return x86_irqchip_create_ioapic(&pcms->irqchip,
                                     OBJECT(BUS(pcms->pci_bus)->parent),
                                     errp);
}

/* The PIIX4's power management function (ACPI), after the IDE. */
static bool pc_create_pm(PCMachineState *pcms, Error **errp)
{
    pcms->pm = pci_create_simple(pcms->pci_bus, PC_PIIX4_PM_DEVFN,
                                 TYPE_PIIX4_PM, false, errp);
    if (!pcms->pm) {
        return false;
    }
    qdev_connect_gpio_out(DEVICE(pcms->pm), 0, pc_isa_irq(pcms, PC_SCI_IRQ));
    /* QEMU's eight smbus-eeprom (SPD data for the DIMMs) on the PM's
     * SMBus: emu's SMBus has no devices. */
    machine_skip_unattached(8);
    return true;
}

/* The standard VGA (-vga std, the default), at 00:02.0 as on QEMU. */
static bool pc_create_vga(PCMachineState *pcms, Error **errp)
{
    return !default_vga_wanted() ||
           pci_create_simple(pcms->pci_bus, -1, "VGA", false, errp);
}

static bool pc_create_isa_devices(PCMachineState *pcms, Error **errp)
{
    static const int i8042_irqs[] = {
        PC_I8042_IRQ_KBD, PC_I8042_IRQ_MOUSE, -1,
    };
    static const int rtc_irqs[] = { PC_RTC_IRQ, -1 };
    static const int no_irqs[] = { -1 };
    DeviceState *dev, *i8042, *port92;
    IRQLine *a20;

    dev = pc_new_device(TYPE_MC146818_RTC);
    if (!object_property_set_uint(OBJECT(dev), "iobase", PC_RTC_IOBASE,
                                  errp) ||
        !pc_realize_isa_device(pcms, dev, rtc_irqs, errp)) {
        return false;
    }
    pcms->rtc = dev;
    if (pcms->hpet) {
        qdev_connect_gpio_out(dev, 0, qdev_get_gpio_in(pcms->hpet,
                                                       HPET_IN_RTC));
    }
    if (!x86_irqchip_create_pit(&pcms->irqchip, errp)) {
        return false;
    }
    if (pcms->irqchip.pit) {
        qdev_set_parent_bus(pcms->irqchip.pit, pcms->isa_bus);
        /* The HPET takes the PIT's interrupt over in legacy mode. */
        if (pcms->hpet) {
            qdev_connect_gpio_out(pcms->irqchip.pit, 0,
                                  qdev_get_gpio_in(pcms->hpet, HPET_IN_PIT));
        }
    }
    /* QEMU's isa-pcspk: emu's port 0x61 is the PIT's, with no speaker. */
    machine_skip_unattached(1);

    for (unsigned i = 0; i < ARRAY_SIZE(pc_serials); i++) {
        Chardev *chr = serial_hd(i);
        const int irqs[] = { pc_serials[i].irq, -1 };

        if (!chr) {
            continue;
        }
        dev = pc_new_device(TYPE_ISA_SERIAL);
        if (!object_property_set_uint(OBJECT(dev), "iobase",
                                      pc_serials[i].iobase, errp) ||
            !object_property_set_uint(OBJECT(dev), "irq", pc_serials[i].irq,
                                      errp) ||
            !object_property_set_str(OBJECT(dev), "chardev",
                                     chardev_label(chr), errp) ||
            !pc_realize_isa_device(pcms, dev, irqs, errp)) {
            return false;
        }
    }
    /* QEMU's default parallel port (isa-parallel), its isa-fdc, and the
     * floppy device of its default drive: emu has neither a parallel
     * port nor a floppy controller. */
    machine_skip_unattached(default_legacy_devices_wanted() ? 3 : 1);

    i8042 = pc_new_device(TYPE_I8042);
    if (!pc_realize_isa_device(pcms, i8042, i8042_irqs, errp)) {
        return false;
    }
    /* QEMU's vmport and vmmouse (vmport=auto is on there): refused. */
    if (pcms->vmport != ON_OFF_AUTO_OFF) {
        machine_skip_unattached(2);
    }
    port92 = pc_new_device(TYPE_PORT92);
    if (!pc_realize_isa_device(pcms, port92, no_irqs, errp)) {
        return false;
    }
    /* Either gate sets the boot CPU's A20 pin (the last write wins;
     * QEMU's gates reach only its first CPU too); kvm does not mask
     * A20. */
    a20 = qdev_get_gpio_in(DEVICE(g_ptr_array_index(cpus, 0)), X86_CPU_A20);
    qdev_connect_gpio_out(i8042, 2, a20);
    qdev_connect_gpio_out(port92, 0, a20);

    /* Port 0x80 (POST codes): an I/O delay for firmware and kernels; a
     * region without ops reads 0 and takes writes silently. */
    memory_region_init_io(&pcms->post_port, OBJECT(pcms), NULL, NULL,
                          "ioport80", 1);
    memory_region_add_subregion(get_system_io(), PC_POST_PORT,
                                &pcms->post_port);

    /* The boot CPU's FERR# on IRQ 13, port 0xf0 to its IGNNE#; the
     * APs' FERR# is not connected, so they ignore the error (under kvm
     * FERR# never rises) */
    pc_ferr_init(&pcms->ferr, OBJECT(pcms),
                 DEVICE(g_ptr_array_index(cpus, 0)),
                 pc_isa_irq(pcms, PC_FERR_IRQ));
    return true;
}

/* The HPET at 0xfed00000 (hpet=on, QEMU's default for pc-i440fx-7.2):
 * its timers on the GSIs, and the PIT's and RTC's interrupts through
 * it, which its legacy replacement mode takes over.  Under kvm the
 * in-kernel PIT stays on GSI 0 (Linux stops it when it moves to the
 * HPET). */
static bool pc_create_hpet(PCMachineState *pcms, Error **errp)
{
    DeviceState *dev;

    if (!pcms->hpet_enabled) {
        return true;
    }
    dev = pc_new_device(TYPE_HPET);
    if (!qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        object_unparent(OBJECT(dev));
        return false;
    }
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, HPET_BASE);
    for (int n = 0; n < HPET_GSI_OUTPUTS; n++) {
        sysbus_connect_irq(SYS_BUS_DEVICE(dev), n, pcms->irqchip.gsi[n]);
    }
    x86_irqchip_add_irq0_timer(&pcms->irqchip, hpet_irq0_ack_listener(dev));
    pcms->hpet = dev;
    return true;
}

/* ---- what the firmware reads ---- */

/* CMOS nibble of a -boot drive letter, 0 for none a PC BIOS knows. */
static uint8_t pc_boot_device_nibble(char drive)
{
    switch (drive) {
    case 'a':
    case 'b':
        return 0x01;            /* floppy */
    case 'c':
        return 0x02;            /* hard disk */
    case 'd':
        return 0x03;            /* CD-ROM */
    case 'n':
        return 0x04;            /* network */
    default:
        return 0;
    }
}

/* The boot order in CMOS 0x3d (first and second) and 0x38 (third, and
 * bit 0 clear: check the floppy's boot signature), as QEMU writes it. */
static bool pc_cmos_set_boot_order(DeviceState *rtc, const char *order,
                                   Error **errp)
{
    uint8_t nibbles[3] = { 0 };
    size_t n = strlen(order);

    if (n > ARRAY_SIZE(nibbles)) {
        error_setg(errp, "Too many boot devices for PC");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        nibbles[i] = pc_boot_device_nibble(order[i]);
        if (!nibbles[i]) {
            error_setg(errp, "Invalid boot device for PC: '%c'", order[i]);
            return false;
        }
    }
    rtc_set_cmos(rtc, 0x3d, nibbles[1] << 4 | nibbles[0]);
    rtc_set_cmos(rtc, 0x38, nibbles[2] << 4);
    return true;
}

/* The CMOS bytes a PC BIOS reads, with QEMU's values. */
static bool pc_cmos_init(PCMachineState *pcms, Error **errp)
{
    MachineState *ms = &pcms->parent_obj;
    DeviceState *rtc = pcms->rtc;
    uint64_t below_4g = pcms->ram_layout.below_4g;
    uint64_t val;

    /* Base memory: 640 KiB. */
    rtc_set_cmos(rtc, 0x15, 640 & 0xff);
    rtc_set_cmos(rtc, 0x16, 640 >> 8);
    /* Extended memory above 1 MiB, in KiB, at most 65535. */
    val = below_4g / X86_KiB > 1024 ? below_4g / X86_KiB - 1024 : 0;
    val = MIN(val, 65535);
    rtc_set_cmos(rtc, 0x17, val);
    rtc_set_cmos(rtc, 0x18, val >> 8);
    rtc_set_cmos(rtc, 0x30, val);
    rtc_set_cmos(rtc, 0x31, val >> 8);
    /* Memory above 16 MiB, in 64 KiB units. */
    val = below_4g > 16 * X86_MiB ? (below_4g - 16 * X86_MiB) / 0x10000 : 0;
    val = MIN(val, 65535);
    rtc_set_cmos(rtc, 0x34, val);
    rtc_set_cmos(rtc, 0x35, val >> 8);
    /* Memory above 4 GiB, in 64 KiB units. */
    val = pcms->ram_layout.above_4g / 0x10000;
    rtc_set_cmos(rtc, 0x5b, val);
    rtc_set_cmos(rtc, 0x5c, val >> 8);
    rtc_set_cmos(rtc, 0x5d, val >> 16);
    /* Processors besides the first. */
    rtc_set_cmos(rtc, 0x5f, ms->smp_cpus - 1);
    /* Equipment: an FPU and a PS/2 mouse, no floppy drive. */
    rtc_set_cmos(rtc, 0x14, 0x02 | 0x04);
    /* No floppy and no hard disk types. */
    rtc_set_cmos(rtc, 0x10, 0);
    rtc_set_cmos(rtc, 0x12, 0);
    return pc_cmos_set_boot_order(rtc, boot_options()->order, errp);
}

/* "etc/e820": the RAM as SeaBIOS builds its memory map from it, one
 * packed entry (base, length, type) per range. */
static void pc_fw_cfg_add_e820(PCMachineState *pcms)
{
    const X86RamLayout *ram = &pcms->ram_layout;
    uint8_t table[2][20];
    size_t n = 0;

    x86_st64(table[n], 0);
    x86_st64(table[n] + 8, ram->below_4g);
    x86_st32(table[n] + 16, E820_RAM);
    n++;
    if (ram->above_4g) {
        x86_st64(table[n], X86_4GiB);
        x86_st64(table[n] + 8, ram->above_4g);
        x86_st32(table[n] + 16, E820_RAM);
        n++;
    }
    fw_cfg_add_file(pcms->fw_cfg, "etc/e820", table, n * sizeof(table[0]));
}

/* The ACPI tables SeaBIOS installs instead of building its own. */
static void pc_create_acpi_tables(PCMachineState *pcms)
{
    MachineState *ms = &pcms->parent_obj;
    PCAcpiConfig cfg = {
        .smp_cpus = ms->smp_cpus,
        .max_cpus = ms->smp_max_cpus,
        .cores = ms->smp_cores,
        .threads = ms->smp_threads,
        .ram = pcms->ram_layout,
        .pm = pcms->pm,
        .sci_irq = PC_SCI_IRQ,
        .irq0_override = true,
        .hpet = pcms->hpet != NULL,
    };

    for (unsigned i = 0; i < ARRAY_SIZE(pc_serials); i++) {
        if (serial_hd(i)) {
            cfg.serials[cfg.nr_serials].iobase = pc_serials[i].iobase;
            cfg.serials[cfg.nr_serials].irq = pc_serials[i].irq;
            cfg.nr_serials++;
        }
    }
    pcms->acpi = pc_acpi_init(pcms->fw_cfg, &cfg);
}

/* QEMU's machine type that emu's pc is: SMBIOS names it. */
#define PC_QEMU_MACHINE "pc-i440fx-7.2"

/* The SMBIOS tables QEMU hands SeaBIOS, which installs them with its
 * own BIOS information (type 0) added. */
static void pc_create_smbios(PCMachineState *pcms)
{
    MachineState *ms = &pcms->parent_obj;
    X86CPU *cpu = X86_CPU(g_ptr_array_index(cpus, 0));
    const X86RamLayout *ram = &pcms->ram_layout;
    SMBiosConfig cfg = {
        .manufacturer = "QEMU",
        .product = MACHINE_GET_CLASS(ms)->desc,
        .version = PC_QEMU_MACHINE,
        .cpuid_signature = cpu->env.cpuid_version,
        .cpuid_features = cpu->features[FEAT_1_EDX],
        .sockets = ms->smp_sockets,
        .cores = ms->smp_cores,
        .threads = ms->smp_threads,
        .ram_size = ms->ram_size,
        .ram = { { 0, ram->below_4g }, { 4 * X86_GiB, ram->above_4g } },
        .nr_ram = ram->above_4g ? 2 : 1,
    };
    GByteArray *tables, *anchor;

    vm_uuid_bytes(cfg.uuid);
    smbios_build(&cfg, &tables, &anchor);
    fw_cfg_add_file(pcms->fw_cfg, "etc/smbios/smbios-tables", tables->data,
                    tables->len);
    fw_cfg_add_file(pcms->fw_cfg, "etc/smbios/smbios-anchor", anchor->data,
                    anchor->len);
    g_byte_array_free(tables, TRUE);
    g_byte_array_free(anchor, TRUE);
}

/* The items SeaBIOS and Linux read, once the machine is built. */
static bool pc_fill_fw_cfg(PCMachineState *pcms, Error **errp)
{
    MachineState *ms = &pcms->parent_obj;
    /* Legacy e820 reservations (FW_CFG_E820_TABLE): a count, none. */
    uint8_t e820_reserve[4 + 16 * 20] = { 0 };
    unsigned apic_id_limit = x86_apic_id_limit(ms->smp_cores, ms->smp_threads,
                                               ms->smp_max_cpus);
    g_autofree uint64_t *numa = g_new0(uint64_t, 1 + apic_id_limit);
    FWCfgState *s = pcms->fw_cfg;

    fw_cfg_add_i16(s, FW_CFG_NB_CPUS, ms->smp_cpus);
    fw_cfg_add_i16(s, FW_CFG_MAX_CPUS, apic_id_limit);
    fw_cfg_add_i64(s, FW_CFG_RAM_SIZE, ms->ram_size);
    /* No NUMA nodes: the count, then a node per APIC ID, all 0. */
    fw_cfg_add_bytes(s, FW_CFG_NUMA, numa,
                     (1 + apic_id_limit) * sizeof(uint64_t));
    fw_cfg_add_i32(s, FW_CFG_IRQ0_OVERRIDE, 1);
    fw_cfg_add_bytes(s, FW_CFG_E820_TABLE, e820_reserve,
                     sizeof(e820_reserve));
    pc_fw_cfg_add_e820(pcms);
    if (!fw_cfg_add_machine_options(s, ms, errp)) {
        return false;
    }
    pc_create_acpi_tables(pcms);
    pc_create_smbios(pcms);
    return !ms->kernel_filename ||
           pc_linuxboot_init(s, &pcms->ram_layout, ms->kernel_filename,
                             ms->initrd_filename, ms->kernel_cmdline, errp);
}

/*
 * smm= and vmport= are in every libvirt command line: auto and off mean
 * what emu's PC is, on asks for what it does not model.
 */
static bool pc_check_options(PCMachineState *pcms, Error **errp)
{
    if (pcms->smm == ON_OFF_AUTO_ON) {
        error_setg(errp, "smm=on: emu does not emulate System Management "
                   "Mode; use smm=off or smm=auto");
        return false;
    }
    if (pcms->vmport == ON_OFF_AUTO_ON) {
        error_setg(errp, "vmport=on: emu has no VMware I/O port; use "
                   "vmport=off or vmport=auto");
        return false;
    }
    return true;
}

static bool pc_init(MachineState *ms, Error **errp)
{
    PCMachineState *pcms = PC_MACHINE(ms);

    if (!pc_check_options(pcms, errp)) {
        return false;
    }

    if (!machine_create_ram(ms, errp)) {
        return false;
    }
    pc_map_ram(pcms);
    return pc_load_firmware(pcms, errp) &&
           x86_check_apic_id_limit(ms->smp_cores, ms->smp_threads,
                                   ms->smp_max_cpus, errp) &&
           x86_create_cpus(ms, errp) &&
           /* The PIT on pin 2, as the MADT and FW_CFG_IRQ0_OVERRIDE say. */
           x86_irqchip_init(&pcms->irqchip, true, errp) &&
           /* fw_cfg first on the system bus, as QEMU's (info qtree); its
            * items come once the machine is built. */
           (pcms->fw_cfg = fw_cfg_init_io_dma(PC_FW_CFG_IOBASE,
                                              PC_FW_CFG_DMA,
                                              &address_space_memory,
                                              errp)) &&
           /* Devices in QEMU's order: QOM numbers them as they come. */
           pc_create_pci(pcms, errp) &&
           pc_create_vga(pcms, errp) &&
           pc_create_hpet(pcms, errp) &&
           pc_create_isa_devices(pcms, errp) &&
           net_create_nics(MACHINE_GET_CLASS(ms)->default_nic, errp) &&
           pc_create_ide(pcms, errp) &&
           pc_create_pm(pcms, errp) &&
           pc_cmos_init(pcms, errp) &&
           pc_fill_fw_cfg(pcms, errp);
}

static void pc_reset(MachineState *ms)
{
    PCMachineState *pcms = PC_MACHINE(ms);

    x86_firmware_reset(&pcms->firmware);
    piix4_pm_reset_hotplug(pcms->pm);
    pc_acpi_reset(pcms->acpi);
}

static const Property pc_properties[] = {
    DEFINE_PROP_ENUM("smm", PCMachineState, smm, on_off_auto_names,
                     ON_OFF_AUTO_AUTO, "Enable SMM (emu: on is refused)"),
    DEFINE_PROP_ENUM("vmport", PCMachineState, vmport, on_off_auto_names,
                     ON_OFF_AUTO_AUTO,
                     "Enable vmport (pc & q35) (emu: on is refused)"),
    DEFINE_PROP_BOOL("hpet", PCMachineState, hpet_enabled, true,
                     "Enable/disable high precision event timer emulation"),
};

static void pc_class_init(ObjectClass *klass)
{
    MachineClass *mc = MACHINE_CLASS(klass);

    mc->desc = "Standard PC (i440FX + PIIX, 1996)";
    /* QEMU 7.2's newest i440FX machine: scripts say "pc" or its name. */
    mc->alias = "pc";
    mc->family = "pc_piix";
    mc->init = pc_init;
    mc->reset = pc_reset;
    mc->is_default = true;
    mc->default_ram_size = 128 * X86_MiB;
    mc->default_ram_id = "pc.ram";
    mc->ram_is_memdev = true;
    mc->max_cpus = 255;
    mc->cpu_slot_props = CPU_SLOT_PROPS_SOCKET_CORE_THREAD;
    mc->lists_cpu_slots = true;
    mc->default_cpu_model = "qemu64";
    mc->loads_firmware = true;
    mc->loads_kernel = true;
    /* -hda and -cdrom are IDE drives, two to a channel, as on QEMU. */
    mc->block_default_type = IF_IDE;
    mc->units_per_default_bus = 2;
    /* -nic and -net nic without model=: QEMU's default NIC here. */
    mc->default_nic = "e1000";
    mc->default_nic_on_user_net = true;
    mc->virtio_drive_model = "virtio-blk-pci";
    class_add_properties(klass, pc_properties, ARRAY_SIZE(pc_properties));
}

static const TypeInfo pc_types[] = {
    {
        .name = TYPE_PC_MACHINE,
        .parent = TYPE_MACHINE,
        .instance_size = sizeof(PCMachineState),
        .class_init = pc_class_init,
    },
};

DEFINE_TYPES(pc_types)
