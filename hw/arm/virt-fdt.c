/*
 * The virt board's device tree, built with libfdt as QEMU 7.2 builds it:
 * the same nodes, properties, phandles and values, created in the same
 * order (libfdt puts each new node and property first, so the order of
 * creation is visible in the blob), in a 1 MiB tree.  What QEMU has and
 * emu does not model is left out, so no driver probes a device that is
 * not there: the platform bus (docs/boards/virt.md).
 * "-M virt,dumpdtb=FILE" writes it out; `dtc -I dtb` shows it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <libfdt.h>
#include <linux/input-event-codes.h>  /* KEY_POWER */
#include "hw/arm/virt.h"
#include "hw/core/cpu.h"
#include "hw/pci/pci.h"

/* The interrupts property's first cell, and the level/edge flags. */
#define GIC_FDT_IRQ_TYPE_SPI 0
#define GIC_FDT_IRQ_TYPE_PPI 1
#define GIC_FDT_IRQ_FLAGS_EDGE_LO_HI 1
#define GIC_FDT_IRQ_FLAGS_LEVEL_HI 4

/* The PCI bus's address cells: space code, then the 64-bit address. */
#define FDT_PCI_RANGE_IOPORT 0x01000000
#define FDT_PCI_RANGE_MMIO 0x02000000
#define FDT_PCI_RANGE_MMIO_64BIT 0x03000000

/* The first phandle QEMU hands out. */
#define VIRT_FIRST_PHANDLE 0x8000

typedef struct FdtBuilder {
    void *fdt;
    int err;                     /* the first libfdt error, or 0 */
    uint32_t next_phandle;
} FdtBuilder;

static void fdt_check(FdtBuilder *b, int ret)
{
    if (ret < 0 && !b->err) {
        b->err = ret;
    }
}

static int fdt_node(FdtBuilder *b, const char *path)
{
    int off = fdt_path_offset(b->fdt, path);

    fdt_check(b, off);
    return off;
}

/* Adds path's last component under its parent, creating missing
 * ancestors first, as QEMU's qemu_fdt_add_path does. */
static void fdt_add_path(FdtBuilder *b, const char *path)
{
    const char *slash = strrchr(path, '/');
    g_autofree char *parent = g_strndup(path, slash - path);
    int parent_off;

    if (fdt_path_offset(b->fdt, path) >= 0) {
        return;
    }
    if (parent[0] && fdt_path_offset(b->fdt, parent) < 0) {
        fdt_add_path(b, parent);
    }
    parent_off = parent[0] ? fdt_node(b, parent) : 0;
    if (parent_off >= 0) {
        fdt_check(b, fdt_add_subnode(b->fdt, parent_off, slash + 1));
    }
}

static void fdt_prop(FdtBuilder *b, const char *path, const char *name,
                     const void *val, int len)
{
    int off = fdt_node(b, path);

    if (off >= 0) {
        fdt_check(b, fdt_setprop(b->fdt, off, name, val, len));
    }
}

static void fdt_prop_string(FdtBuilder *b, const char *path,
                            const char *name, const char *s)
{
    fdt_prop(b, path, name, s, strlen(s) + 1);
}

/* A property of n 32-bit cells. */
static void fdt_prop_cells(FdtBuilder *b, const char *path, const char *name,
                           const uint32_t *cells, int n)
{
    g_autofree fdt32_t *be = g_new(fdt32_t, MAX(n, 1));

    for (int i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    fdt_prop(b, path, name, be, n * sizeof(fdt32_t));
}

static void fdt_prop_cell(FdtBuilder *b, const char *path, const char *name,
                          uint32_t cell)
{
    fdt_prop_cells(b, path, name, &cell, 1);
}

/* reg with two address and two size cells per range. */
static void fdt_prop_reg(FdtBuilder *b, const char *path,
                         const VirtMemMapEntry *ranges, int n)
{
    g_autofree uint32_t *cells = g_new(uint32_t, n * 4);

    for (int i = 0; i < n; i++) {
        cells[i * 4] = ranges[i].base >> 32;
        cells[i * 4 + 1] = ranges[i].base;
        cells[i * 4 + 2] = ranges[i].size >> 32;
        cells[i * 4 + 3] = ranges[i].size;
    }
    fdt_prop_cells(b, path, "reg", cells, n * 4);
}

static uint32_t fdt_alloc_phandle(FdtBuilder *b)
{
    return b->next_phandle++;
}

static void fdt_add_root_and_chosen(FdtBuilder *b)
{
    uint32_t kaslr[2], rng[8];

    fdt_prop_string(b, "/", "compatible", "linux,dummy-virt");
    fdt_prop_cell(b, "/", "#address-cells", 2);
    fdt_prop_cell(b, "/", "#size-cells", 2);
    fdt_prop_string(b, "/", "model", "linux,dummy-virt");
    fdt_add_path(b, "/chosen");
    /* Fresh randomness for the kernel on every run, as QEMU gives. */
    for (size_t i = 0; i < G_N_ELEMENTS(kaslr); i++) {
        kaslr[i] = g_random_int();
    }
    for (size_t i = 0; i < G_N_ELEMENTS(rng); i++) {
        rng[i] = g_random_int();
    }
    fdt_prop_cells(b, "/chosen", "kaslr-seed", kaslr, G_N_ELEMENTS(kaslr));
    fdt_prop_cells(b, "/chosen", "rng-seed", rng, G_N_ELEMENTS(rng));
}

static uint32_t fdt_add_clock(FdtBuilder *b)
{
    uint32_t phandle = fdt_alloc_phandle(b);

    fdt_add_path(b, "/apb-pclk");
    fdt_prop_string(b, "/apb-pclk", "compatible", "fixed-clock");
    fdt_prop_cell(b, "/apb-pclk", "#clock-cells", 0);
    fdt_prop_cell(b, "/apb-pclk", "clock-frequency", 24000000);
    fdt_prop_string(b, "/apb-pclk", "clock-output-names", "clk24mhz");
    fdt_prop_cell(b, "/apb-pclk", "phandle", phandle);
    return phandle;
}

static void fdt_add_timer(FdtBuilder *b, unsigned ncpus)
{
    /* The PPIs go to every CPU: the CPU mask in bits 8-15 of the flags. */
    uint32_t flags = GIC_FDT_IRQ_FLAGS_LEVEL_HI | ((1u << ncpus) - 1) << 8;
    const uint32_t irqs[] = {
        GIC_FDT_IRQ_TYPE_PPI, VIRT_TIMER_S_EL1_PPI, flags,
        GIC_FDT_IRQ_TYPE_PPI, VIRT_TIMER_NS_EL1_PPI, flags,
        GIC_FDT_IRQ_TYPE_PPI, VIRT_TIMER_VIRT_PPI, flags,
        GIC_FDT_IRQ_TYPE_PPI, VIRT_TIMER_NS_EL2_PPI, flags,
    };

    fdt_add_path(b, "/timer");
    fdt_prop_string(b, "/timer", "compatible", "arm,armv7-timer");
    fdt_prop(b, "/timer", "always-on", NULL, 0);
    fdt_prop_cells(b, "/timer", "interrupts", irqs, G_N_ELEMENTS(irqs));
}

static void fdt_add_cpus(FdtBuilder *b, MachineState *ms)
{
    g_autofree uint32_t *phandles = g_new(uint32_t, ms->smp_cpus);
    g_autofree char *model = g_strndup(ms->cpu_type,
                                       strlen(ms->cpu_type) -
                                       strlen("-arm-cpu"));
    g_autofree char *compatible = g_strconcat("arm,", model, NULL);

    fdt_add_path(b, "/cpus");
    fdt_prop_cell(b, "/cpus", "#address-cells", 1);
    fdt_prop_cell(b, "/cpus", "#size-cells", 0);
    /* Highest first, as QEMU, so that cpu@0 comes out first. */
    for (int cpu = ms->smp_cpus - 1; cpu >= 0; cpu--) {
        g_autofree char *path = g_strdup_printf("/cpus/cpu@%d", cpu);

        fdt_add_path(b, path);
        fdt_prop_string(b, path, "device_type", "cpu");
        fdt_prop_string(b, path, "compatible", compatible);
        if (ms->smp_cpus > 1) {
            fdt_prop_string(b, path, "enable-method", "psci");
        }
        fdt_prop_cell(b, path, "reg", cpu);
        phandles[cpu] = fdt_alloc_phandle(b);
        fdt_prop_cell(b, path, "phandle", phandles[cpu]);
    }
    fdt_add_path(b, "/cpus/cpu-map");
    for (int cpu = ms->smp_cpus - 1; cpu >= 0; cpu--) {
        g_autofree char *path =
            g_strdup_printf("/cpus/cpu-map/socket0/cluster0/core%d", cpu);

        fdt_add_path(b, path);
        fdt_prop_cell(b, path, "cpu", phandles[cpu]);
    }
}

static void fdt_add_flash(FdtBuilder *b)
{
    const VirtMemMapEntry banks[] = {
        { virt_memmap[VIRT_FLASH].base, VIRT_FLASH_BANK_SIZE },
        { virt_memmap[VIRT_FLASH].base + VIRT_FLASH_BANK_SIZE,
          VIRT_FLASH_BANK_SIZE },
    };

    fdt_add_path(b, "/flash@0");
    fdt_prop_string(b, "/flash@0", "compatible", "cfi-flash");
    fdt_prop_reg(b, "/flash@0", banks, 2);
    fdt_prop_cell(b, "/flash@0", "bank-width", 4);
}

/* Returns the GIC's phandle; *msi_phandle gets the GICv2m frame's. */
static uint32_t fdt_add_gic(FdtBuilder *b, uint32_t *msi_phandle)
{
    const char *path = "/intc@8000000";
    uint32_t phandle = fdt_alloc_phandle(b);
    const VirtMemMapEntry regs[] = {
        virt_memmap[VIRT_GIC_DIST], virt_memmap[VIRT_GIC_CPU],
    };

    fdt_prop_cell(b, "/", "interrupt-parent", phandle);
    fdt_add_path(b, path);
    fdt_prop_cell(b, path, "#interrupt-cells", 3);
    fdt_prop(b, path, "interrupt-controller", NULL, 0);
    fdt_prop_cell(b, path, "#address-cells", 2);
    fdt_prop_cell(b, path, "#size-cells", 2);
    fdt_prop(b, path, "ranges", NULL, 0);
    fdt_prop_string(b, path, "compatible", "arm,cortex-a15-gic");
    fdt_prop_reg(b, path, regs, 2);
    fdt_prop_cell(b, path, "phandle", phandle);

    *msi_phandle = fdt_alloc_phandle(b);
    fdt_add_path(b, "/intc@8000000/v2m@8020000");
    path = "/intc@8000000/v2m@8020000";
    fdt_prop_string(b, path, "compatible", "arm,gic-v2m-frame");
    fdt_prop(b, path, "msi-controller", NULL, 0);
    fdt_prop_reg(b, path, &virt_memmap[VIRT_GIC_V2M], 1);
    fdt_prop_cell(b, path, "phandle", *msi_phandle);
    return phandle;
}

static void fdt_add_pmu(FdtBuilder *b)
{
    /* QEMU adds the node; a 32-bit guest gets no compatible in it. */
    fdt_add_path(b, "/pmu");
}

/* A PrimeCell device: "arm,NAME\0arm,primecell", one SPI, its clocks. */
static void fdt_add_primecell(FdtBuilder *b, const char *name, int region,
                              int irq, const uint32_t *clocks,
                              const char *clock_names, int nclocks)
{
    hwaddr base = virt_memmap[region].base;
    g_autofree char *path = g_strdup_printf("/%s@%" PRIx64, name,
                                            (uint64_t)base);
    g_autofree char *compat = g_strdup_printf("arm,%s%carm,primecell",
                                              name, 0);
    const uint32_t irqs[] = {
        GIC_FDT_IRQ_TYPE_SPI, irq, GIC_FDT_IRQ_FLAGS_LEVEL_HI,
    };
    int names_len = 0;

    for (int i = 0; i < nclocks; i++) {
        names_len += strlen(clock_names + names_len) + 1;
    }
    fdt_add_path(b, path);
    fdt_prop(b, path, "compatible", compat,
             strlen(name) + strlen("arm,") + 1 + strlen("arm,primecell") + 1);
    fdt_prop_reg(b, path, &virt_memmap[region], 1);
    fdt_prop_cells(b, path, "interrupts", irqs, G_N_ELEMENTS(irqs));
    fdt_prop_cells(b, path, "clocks", clocks, nclocks);
    fdt_prop(b, path, "clock-names", clock_names, names_len);
}

/*
 * The PCIe host (pci-host-ecam-generic): its ECAM, the windows in the
 * ranges, MSIs through the GICv2m frame, and an interrupt-map giving
 * each slot's INTA-INTD their swizzled SPI (slot numbers repeat every
 * four: interrupt-map-mask keeps two bits of the device number).
 */
static void fdt_add_pcie(FdtBuilder *b, VirtMachineState *vms,
                         uint32_t gic_phandle, uint32_t msi_phandle)
{
    const VirtMemMapEntry *ecam =
        &virt_memmap[vms->highmem_ecam ? VIRT_HIGH_PCIE_ECAM
                                       : VIRT_PCIE_ECAM];
    const VirtMemMapEntry *pio = &virt_memmap[VIRT_PCIE_PIO];
    const VirtMemMapEntry *mmio = &virt_memmap[VIRT_PCIE_MMIO];
    const VirtMemMapEntry *high = &virt_memmap[VIRT_HIGH_PCIE_MMIO];
    g_autofree char *path = g_strdup_printf("/pcie@%" PRIx64,
                                            (uint64_t)mmio->base);
    const uint32_t bus_range[] = { 0, ecam->size / 0x100000 - 1 };
    const uint32_t msi_map[] = { 0, msi_phandle, 0, 0x10000 };
    const uint32_t ranges[] = {
        FDT_PCI_RANGE_IOPORT, 0, 0,
        pio->base >> 32, pio->base, pio->size >> 32, pio->size,
        FDT_PCI_RANGE_MMIO, mmio->base >> 32, mmio->base,
        mmio->base >> 32, mmio->base, mmio->size >> 32, mmio->size,
        FDT_PCI_RANGE_MMIO_64BIT, high->base >> 32, high->base,
        high->base >> 32, high->base, high->size >> 32, high->size,
    };
    const uint32_t map_mask[] = { PCI_DEVFN(3, 0) << 8, 0, 0, 7 };
    uint32_t map[4 * 4 * 10];
    uint32_t *entry = map;

    for (int slot = 0; slot < 4; slot++) {
        for (int pin = 0; pin < 4; pin++) {
            const uint32_t cells[10] = {
                PCI_DEVFN(slot, 0) << 8, 0, 0, pin + 1, gic_phandle, 0, 0,
                GIC_FDT_IRQ_TYPE_SPI, VIRT_PCIE_IRQ + (slot + pin) % 4,
                GIC_FDT_IRQ_FLAGS_LEVEL_HI,
            };

            memcpy(entry, cells, sizeof(cells));
            entry += 10;
        }
    }
    fdt_add_path(b, path);
    fdt_prop_string(b, path, "compatible", "pci-host-ecam-generic");
    fdt_prop_string(b, path, "device_type", "pci");
    fdt_prop_cell(b, path, "#address-cells", 3);
    fdt_prop_cell(b, path, "#size-cells", 2);
    fdt_prop_cell(b, path, "linux,pci-domain", 0);
    fdt_prop_cells(b, path, "bus-range", bus_range, 2);
    fdt_prop(b, path, "dma-coherent", NULL, 0);
    fdt_prop_cells(b, path, "msi-map", msi_map, 4);
    fdt_prop_reg(b, path, ecam, 1);
    /* The 64-bit window only with highmem: 7 cells a range. */
    fdt_prop_cells(b, path, "ranges", ranges,
                   vms->highmem_mmio ? 21 : 14);
    fdt_prop_cell(b, path, "#interrupt-cells", 1);
    fdt_prop_cells(b, path, "interrupt-map", map, G_N_ELEMENTS(map));
    fdt_prop_cells(b, path, "interrupt-map-mask", map_mask, 4);
}

/* The PL061 and, on its line 3, the power key (linux,code KEY_POWER). */
static void fdt_add_gpio(FdtBuilder *b, uint32_t clock)
{
    static const char compatible[] = "arm,pl061\0arm,primecell";
    g_autofree char *path =
        g_strdup_printf("/pl061@%" PRIx64,
                        (uint64_t)virt_memmap[VIRT_GPIO].base);
    const uint32_t irqs[] = {
        GIC_FDT_IRQ_TYPE_SPI, VIRT_GPIO_IRQ, GIC_FDT_IRQ_FLAGS_LEVEL_HI,
    };
    uint32_t phandle = fdt_alloc_phandle(b);
    uint32_t gpios[] = { phandle, VIRT_GPIO_POWER_KEY_LINE, 0 };

    fdt_add_path(b, path);
    fdt_prop_reg(b, path, &virt_memmap[VIRT_GPIO], 1);
    fdt_prop(b, path, "compatible", compatible, sizeof(compatible));
    fdt_prop_cell(b, path, "#gpio-cells", 2);
    fdt_prop(b, path, "gpio-controller", NULL, 0);
    fdt_prop_cells(b, path, "interrupts", irqs, G_N_ELEMENTS(irqs));
    fdt_prop_cell(b, path, "clocks", clock);
    fdt_prop_string(b, path, "clock-names", "apb_pclk");
    fdt_prop_cell(b, path, "phandle", phandle);

    fdt_add_path(b, "/gpio-keys");
    fdt_prop_string(b, "/gpio-keys", "compatible", "gpio-keys");
    fdt_add_path(b, "/gpio-keys/poweroff");
    fdt_prop_string(b, "/gpio-keys/poweroff", "label", "GPIO Key Poweroff");
    fdt_prop_cell(b, "/gpio-keys/poweroff", "linux,code", KEY_POWER);
    fdt_prop_cells(b, "/gpio-keys/poweroff", "gpios", gpios,
                   G_N_ELEMENTS(gpios));
}

static void fdt_add_virtio_mmio(FdtBuilder *b)
{
    /* Highest first, so that they come out in address order. */
    for (int i = VIRT_NUM_MMIO - 1; i >= 0; i--) {
        VirtMemMapEntry reg = {
            virt_memmap[VIRT_MMIO].base + i * virt_memmap[VIRT_MMIO].size,
            virt_memmap[VIRT_MMIO].size,
        };
        g_autofree char *path = g_strdup_printf("/virtio_mmio@%" PRIx64,
                                                (uint64_t)reg.base);
        const uint32_t irqs[] = {
            GIC_FDT_IRQ_TYPE_SPI, VIRT_MMIO_IRQ + i,
            GIC_FDT_IRQ_FLAGS_EDGE_LO_HI,
        };

        fdt_add_path(b, path);
        fdt_prop_string(b, path, "compatible", "virtio,mmio");
        fdt_prop_reg(b, path, &reg, 1);
        fdt_prop_cells(b, path, "interrupts", irqs, G_N_ELEMENTS(irqs));
        fdt_prop(b, path, "dma-coherent", NULL, 0);
    }
}

static void fdt_add_fw_cfg(FdtBuilder *b)
{
    g_autofree char *path =
        g_strdup_printf("/fw-cfg@%" PRIx64,
                        (uint64_t)virt_memmap[VIRT_FW_CFG].base);

    fdt_add_path(b, path);
    fdt_prop_string(b, path, "compatible", "qemu,fw-cfg-mmio");
    fdt_prop_reg(b, path, &virt_memmap[VIRT_FW_CFG], 1);
    fdt_prop(b, path, "dma-coherent", NULL, 0);
}

static void fdt_add_memory(FdtBuilder *b, MachineState *ms)
{
    VirtMemMapEntry mem = { virt_memmap[VIRT_MEM].base, ms->ram_size };
    g_autofree char *path = g_strdup_printf("/memory@%" PRIx64,
                                            (uint64_t)mem.base);

    fdt_add_path(b, path);
    fdt_prop_string(b, path, "device_type", "memory");
    fdt_prop_reg(b, path, &mem, 1);
}

/* PSCI 1.1 through HVC (target/arm/psci.c), with the 32-bit function
 * numbers of PSCI 0.2. */
static void fdt_add_psci(FdtBuilder *b)
{
    static const char compatible[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";

    fdt_add_path(b, "/psci");
    fdt_prop(b, "/psci", "compatible", compatible, sizeof(compatible));
    fdt_prop_string(b, "/psci", "method", "hvc");
    fdt_prop_cell(b, "/psci", "cpu_suspend", 0x84000001);
    fdt_prop_cell(b, "/psci", "cpu_off", 0x84000002);
    fdt_prop_cell(b, "/psci", "cpu_on", 0x84000003);
    fdt_prop_cell(b, "/psci", "migrate", 0x84000005);
}

bool virt_fdt_replace_psci(void *fdt, Error **errp)
{
    FdtBuilder b = { .fdt = fdt };
    int old = fdt_path_offset(fdt, "/psci");

    /* Its function numbers might not be emu's: QEMU drops it too. */
    if (old >= 0) {
        fdt_check(&b, fdt_del_node(fdt, old));
    }
    fdt_add_psci(&b);
    if (b.err) {
        error_setg(errp, "cannot add the psci node to the device tree: %s",
                   fdt_strerror(b.err));
        return false;
    }
    return true;
}

bool virt_fdt_create(VirtMachineState *vms, Error **errp)
{
    MachineState *ms = MACHINE(vms);
    FdtBuilder b = { .next_phandle = VIRT_FIRST_PHANDLE };
    uint32_t clock, gic, msi;

    b.fdt = g_malloc0(VIRT_FDT_MAX_SIZE);
    fdt_check(&b, fdt_create_empty_tree(b.fdt, VIRT_FDT_MAX_SIZE));
    fdt_add_root_and_chosen(&b);
    clock = fdt_add_clock(&b);
    fdt_add_timer(&b, ms->smp_cpus);
    fdt_add_cpus(&b, ms);
    fdt_add_flash(&b);
    gic = fdt_add_gic(&b, &msi);
    fdt_add_pmu(&b);
    fdt_add_primecell(&b, "pl011", VIRT_UART, VIRT_UART_IRQ,
                      (const uint32_t[]) { clock, clock },
                      "uartclk\0apb_pclk", 2);
    fdt_prop_string(&b, "/chosen", "stdout-path", "/pl011@9000000");
    fdt_add_primecell(&b, "pl031", VIRT_RTC, VIRT_RTC_IRQ,
                      (const uint32_t[]) { clock }, "apb_pclk", 1);
    fdt_add_pcie(&b, vms, gic, msi);
    fdt_add_gpio(&b, clock);
    fdt_add_virtio_mmio(&b);
    fdt_add_fw_cfg(&b);
    fdt_add_memory(&b, ms);
    fdt_add_psci(&b);
    if (b.err) {
        error_setg(errp, "virt: cannot build the device tree: %s",
                   fdt_strerror(b.err));
        g_free(b.fdt);
        return false;
    }
    vms->fdt = b.fdt;
    return true;
}
