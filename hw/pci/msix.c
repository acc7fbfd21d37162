/*
 * MSI-X: the capability, the vector table and the pending-bit array of a
 * PCI function (see include/hw/pci/msix.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/pci/msix.h"

/* The capability (PCI 3.0, 6.8.2.1): message control, then the table's
 * and the PBA's offset | BAR indicator. */
#define MSIX_CAP_SIZE 12
#define MSIX_CONTROL 2
#define  MSIX_CONTROL_ENABLE 0x8000
#define  MSIX_CONTROL_MASKALL 0x4000
#define MSIX_TABLE 4
#define MSIX_PBA 8
/* A table entry: address low, address high, data, vector control. */
#define MSIX_ENTRY_SIZE 16
#define MSIX_ENTRY_ADDR_LO 0
#define MSIX_ENTRY_ADDR_HI 4
#define MSIX_ENTRY_DATA 8
#define MSIX_ENTRY_CTRL 12
#define  MSIX_ENTRY_CTRL_MASKED 1
/* QEMU's exclusive BAR: 4 KiB, the PBA from its middle unless the table
 * needs more room. */
#define MSIX_BAR_MIN 4096

struct MSIX {
    uint8_t cap;                 /* offset in configuration space */
    unsigned nentries;
    uint8_t *table;              /* nentries * MSIX_ENTRY_SIZE */
    uint8_t *pba;                /* a bit a vector, in 64-bit words */
    unsigned pba_size;
    bool function_masked;        /* disabled or MASKALL: nothing is sent */
    MemoryRegion bar, table_mmio, pba_mmio;
};

static uint16_t msix_control(PCIDevice *dev)
{
    return pci_get_word(dev->config + dev->msix->cap + MSIX_CONTROL);
}

bool msix_enabled(PCIDevice *dev)
{
    return dev->msix && (msix_control(dev) & MSIX_CONTROL_ENABLE);
}

bool msix_vector_exists(PCIDevice *dev, unsigned vector)
{
    return dev->msix && vector < dev->msix->nentries;
}

static uint8_t *msix_entry(PCIDevice *dev, unsigned vector)
{
    return dev->msix->table + vector * MSIX_ENTRY_SIZE;
}

static bool msix_entry_masked(PCIDevice *dev, unsigned vector)
{
    return pci_get_long(msix_entry(dev, vector) + MSIX_ENTRY_CTRL) &
           MSIX_ENTRY_CTRL_MASKED;
}

static bool msix_masked(PCIDevice *dev, unsigned vector)
{
    return dev->msix->function_masked || msix_entry_masked(dev, vector);
}

static bool msix_pending(PCIDevice *dev, unsigned vector)
{
    return dev->msix->pba[vector / 8] & (1u << (vector % 8));
}

static void msix_set_pending(PCIDevice *dev, unsigned vector, bool pending)
{
    uint8_t bit = 1u << (vector % 8);

    if (pending) {
        dev->msix->pba[vector / 8] |= bit;
    } else {
        dev->msix->pba[vector / 8] &= ~bit;
    }
}

static void msix_send(PCIDevice *dev, unsigned vector)
{
    const uint8_t *e = msix_entry(dev, vector);

    pci_send_msi(dev, pci_get_long(e + MSIX_ENTRY_ADDR_LO) |
                      (uint64_t)pci_get_long(e + MSIX_ENTRY_ADDR_HI) << 32,
                 pci_get_long(e + MSIX_ENTRY_DATA));
}

void msix_notify(PCIDevice *dev, unsigned vector)
{
    if (!msix_vector_exists(dev, vector)) {
        return;
    }
    if (msix_masked(dev, vector)) {
        msix_set_pending(dev, vector, true);
        return;
    }
    msix_send(dev, vector);
}

/* A vector was masked (was_masked) and may not be now: what it held
 * back goes out (PCI 3.0, 6.8.2.9). */
static void msix_unmasked(PCIDevice *dev, unsigned vector, bool was_masked)
{
    if (was_masked && !msix_masked(dev, vector) &&
        msix_pending(dev, vector)) {
        msix_set_pending(dev, vector, false);
        msix_send(dev, vector);
    }
}

static bool msix_function_masked(PCIDevice *dev)
{
    uint16_t control = msix_control(dev);

    return !(control & MSIX_CONTROL_ENABLE) ||
           (control & MSIX_CONTROL_MASKALL);
}

void msix_write_config(PCIDevice *dev, uint32_t addr, int len)
{
    MSIX *m = dev->msix;
    unsigned control = m ? m->cap + MSIX_CONTROL + 1 : 0;
    bool was_masked;

    /* Enable and MASKALL are the high byte of message control. */
    if (!m || addr > control || addr + len <= control) {
        return;
    }
    was_masked = m->function_masked;
    m->function_masked = msix_function_masked(dev);
    if (!msix_enabled(dev)) {
        return;
    }
    /* With MSI-X on, the function does not use its pin (6.8.2). */
    pci_set_irq(dev, 0);
    /* A function that was masked releases what its unmasked vectors
     * hold back; one that was not holds nothing back for them. */
    if (was_masked) {
        for (unsigned v = 0; v < m->nentries; v++) {
            msix_unmasked(dev, v, true);
        }
    }
}

static void msix_mask_all(PCIDevice *dev)
{
    for (unsigned v = 0; v < dev->msix->nentries; v++) {
        pci_set_long(msix_entry(dev, v) + MSIX_ENTRY_CTRL,
                     MSIX_ENTRY_CTRL_MASKED);
    }
}

void msix_reset(PCIDevice *dev)
{
    MSIX *m = dev->msix;

    if (!m) {
        return;
    }
    dev->config[m->cap + MSIX_CONTROL + 1] &=
        ~((MSIX_CONTROL_ENABLE | MSIX_CONTROL_MASKALL) >> 8);
    m->function_masked = true;
    memset(m->table, 0, m->nentries * MSIX_ENTRY_SIZE);
    memset(m->pba, 0, m->pba_size);
    msix_mask_all(dev);
}

/* ---- the table and the PBA in the BAR ---- */

static uint64_t msix_table_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIDevice *dev = opaque;

    return pci_get_long(dev->msix->table + addr);
}

static void msix_table_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    PCIDevice *dev = opaque;
    unsigned vector = addr / MSIX_ENTRY_SIZE;
    bool was_masked = msix_masked(dev, vector);

    pci_set_long(dev->msix->table + addr, value);
    msix_unmasked(dev, vector, was_masked);
}

static uint64_t msix_pba_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIDevice *dev = opaque;

    return pci_get_long(dev->msix->pba + addr);
}

static void msix_pba_write(void *opaque, hwaddr addr, uint64_t value,
                           unsigned size)
{
    emu_log_mask(LOG_GUEST_ERROR, "msix: write to the pending-bit array "
                 "at 0x%" PRIx64 ": read-only, ignored\n", (uint64_t)addr);
}

/* DWORD or QWORD accesses only (6.8.2), handled a DWORD at a time. */
static const MemoryRegionOps msix_table_ops = {
    .read = msix_table_read,
    .write = msix_table_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static const MemoryRegionOps msix_pba_ops = {
    .read = msix_pba_read,
    .write = msix_pba_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

bool msix_init_exclusive_bar(PCIDevice *dev, unsigned nentries, int bar_nr,
                             Error **errp)
{
    const char *type = object_get_typename(OBJECT(dev));
    unsigned table_size = nentries * MSIX_ENTRY_SIZE;
    unsigned pba_offset = MSIX_BAR_MIN / 2;
    unsigned pba_size = DIV_ROUND_UP(nentries, 64) * 8;
    uint64_t bar_size = MSIX_BAR_MIN;
    g_autofree char *name = NULL;
    MSIX *m;
    uint8_t cap;

    if (nentries < 1 || nentries > MSIX_MAX_VECTORS) {
        error_setg(errp, "%s: %u MSI-X vectors: a function has 1 to %u",
                   type, nentries, MSIX_MAX_VECTORS);
        return false;
    }
    if (dev->cap_end + MSIX_CAP_SIZE > PCI_CONFIG_SPACE_SIZE) {
        error_setg(errp, "%s: no room for the MSI-X capability", type);
        return false;
    }
    if (table_size > pba_offset) {
        pba_offset = table_size;
    }
    if (pba_offset + pba_size > MSIX_BAR_MIN) {
        bar_size = pci_bar_size(pba_offset + pba_size);
    }

    m = dev->msix = g_new0(MSIX, 1);
    m->nentries = nentries;
    m->table = g_malloc0(table_size);
    m->pba = g_malloc0(pba_size);
    m->pba_size = pba_size;
    m->function_masked = true;
    m->cap = cap = pci_add_capability(dev, PCI_CAP_ID_MSIX, MSIX_CAP_SIZE);
    pci_set_word(dev->config + cap + MSIX_CONTROL, nentries - 1);
    pci_set_long(dev->config + cap + MSIX_TABLE, bar_nr);
    pci_set_long(dev->config + cap + MSIX_PBA, pba_offset | bar_nr);
    dev->wmask[cap + MSIX_CONTROL + 1] =
        (MSIX_CONTROL_ENABLE | MSIX_CONTROL_MASKALL) >> 8;
    msix_mask_all(dev);

    name = g_strdup_printf("%s-msix", type);
    memory_region_init(&m->bar, OBJECT(dev), name, bar_size);
    memory_region_init_io(&m->table_mmio, OBJECT(dev), &msix_table_ops, dev,
                          "msix-table", table_size);
    memory_region_add_subregion(&m->bar, 0, &m->table_mmio);
    memory_region_init_io(&m->pba_mmio, OBJECT(dev), &msix_pba_ops, dev,
                          "msix-pba", pba_size);
    memory_region_add_subregion(&m->bar, pba_offset, &m->pba_mmio);
    pci_register_bar(dev, bar_nr, 0, &m->bar);
    return true;
}

void msix_uninit_exclusive_bar(PCIDevice *dev)
{
    MSIX *m = dev->msix;

    if (!m) {
        return;
    }
    memory_region_del_subregion(&m->bar, &m->table_mmio);
    memory_region_del_subregion(&m->bar, &m->pba_mmio);
    memory_region_destroy(&m->table_mmio);
    memory_region_destroy(&m->pba_mmio);
    memory_region_destroy(&m->bar);
    g_free(m->table);
    g_free(m->pba);
    g_free(m);
    dev->msix = NULL;
}
