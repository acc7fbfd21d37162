/*
 * Tests for the PC's chipset pieces that have no guest-visible effect a
 * firmware boot alone pins down: the PCI core (addresses, configuration
 * space, BAR sizing and mapping, INTx) with a test function, and fw_cfg
 * (selector and data ports, the file directory, DMA and its edge cases)
 * through port accesses, as a vCPU makes them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "bus-access.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/pci/pci.h"

#define TYPE_TEST_PCI "test-pci-function"
#define TEST_MMIO_VALUE 0x5a5a5a5a

typedef struct TestPCIState {
    PCIDevice parent_obj;
    MemoryRegion mmio;
    MemoryRegion io;
    MemoryRegion mmio64;
} TestPCIState;

#define TEST_PCI(obj) INSTANCE_CAST(TestPCIState, (obj), TYPE_TEST_PCI)

static uint64_t test_pci_read(void *opaque, hwaddr addr, unsigned size)
{
    return TEST_MMIO_VALUE;
}

static void test_pci_write(void *opaque, hwaddr addr, uint64_t value,
                           unsigned size)
{
}

static const MemoryRegionOps test_pci_ops = {
    .read = test_pci_read,
    .write = test_pci_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
};

static bool test_pci_realize(PCIDevice *dev, Error **errp)
{
    TestPCIState *s = TEST_PCI(dev);

    memory_region_init_io(&s->mmio, OBJECT(dev), &test_pci_ops, s, "mmio",
                          0x1000);
    memory_region_init_io(&s->io, OBJECT(dev), &test_pci_ops, s, "io", 16);
    memory_region_init_io(&s->mmio64, OBJECT(dev), &test_pci_ops, s,
                          "mmio64", 0x100000);
    pci_register_bar(dev, 0, 0, &s->mmio);
    pci_register_bar(dev, 1, PCI_BASE_ADDRESS_SPACE_IO, &s->io);
    pci_register_bar(dev, 2, PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &s->mmio64);
    return true;
}

static void test_pci_exit(PCIDevice *dev)
{
    TestPCIState *s = TEST_PCI(dev);

    memory_region_destroy(&s->mmio);
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->mmio64);
}

static void test_pci_class_init(ObjectClass *klass)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    pc->realize = test_pci_realize;
    pc->exit = test_pci_exit;
    pc->vendor_id = 0x1234;
    pc->device_id = 0x5678;
    pc->revision = 7;
    pc->class_id = 0x0200;
    pc->interrupt_pin = 1;
}

static const TypeInfo test_pci_types[] = {
    {
        .name = TYPE_TEST_PCI,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(TestPCIState),
        .class_init = test_pci_class_init,
    },
};

DEFINE_TYPES(test_pci_types)

/* ---- a bus with recording INTx wiring ---- */

static int pirq_level[4];

static int test_map_irq(PCIDevice *dev, int pin)
{
    return (PCI_SLOT(dev->devfn) + pin) & 3;
}

static void test_set_irq(void *opaque, int pirq, int level)
{
    pirq_level[pirq] = level;
}

static MemoryRegion pci_mem;
static PCIBus *test_bus;

static PCIBus *bus(void)
{
    if (!test_bus) {
        memory_region_init(&pci_mem, NULL, "pci", UINT64_MAX);
        memory_region_add_subregion_overlap(get_system_memory(), 0, &pci_mem,
                                            -1);
        test_bus = pci_root_bus_new(NULL, TYPE_PCI_BUS, "pci.0", &pci_mem,
                                    get_system_io());
        pci_bus_irqs(test_bus, test_map_irq, test_set_irq, NULL, 4);
    }
    return test_bus;
}

static uint32_t cfg_read(int devfn, int reg, int len)
{
    return pci_host_config_read(bus(), devfn << 8 | reg, len);
}

static void cfg_write(int devfn, int reg, uint32_t val, int len)
{
    pci_host_config_write(bus(), devfn << 8 | reg, val, len);
}

static PCIDevice *new_function(const char *addr, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_TEST_PCI);

    if (addr) {
        g_assert_true(object_property_set_str(OBJECT(dev), "addr", addr,
                                              &error_fatal));
    }
    if (!qdev_realize(dev, BUS(bus()), errp)) {
        object_unref(OBJECT(dev));
        return NULL;
    }
    device_reset(dev);
    return PCI_DEVICE(dev);
}

static void free_function(PCIDevice *dev)
{
    qdev_unrealize(DEVICE(dev));
    object_unref(OBJECT(dev));
}

static void test_pci_addresses(void)
{
    Error *err = NULL;
    PCIDevice *a = new_function("04.2", &error_fatal);
    PCIDevice *b, *c;

    g_assert_cmpint(a->devfn, ==, PCI_DEVFN(4, 2));
    g_assert_cmpstr(a->addr, ==, "04.2");
    /* The first free slot, function 0. */
    b = new_function(NULL, &error_fatal);
    g_assert_cmpint(b->devfn, ==, PCI_DEVFN(0, 0));
    g_assert_null(new_function("4.2", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "PCI: slot 4 function 2 not "
                    "available for test-pci-function, in use by "
                    "test-pci-function,id=(null)");
    error_free(err);
    err = NULL;
    g_assert_null(new_function("20", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Property "
                    "'test-pci-function.addr' doesn't take value '20'");
    error_free(err);
    err = NULL;
    g_assert_null(new_function("1.8", &err));
    error_free(err);
    c = new_function("0x1f", &error_fatal);
    g_assert_cmpint(c->devfn, ==, PCI_DEVFN(0x1f, 0));
    free_function(a);
    free_function(b);
    free_function(c);
}

static void test_pci_config_header(void)
{
    PCIDevice *dev = new_function("3", &error_fatal);
    int devfn = PCI_DEVFN(3, 0);

    g_assert_cmphex(cfg_read(devfn, 0, 4), ==, 0x56781234);
    g_assert_cmphex(cfg_read(devfn, 2, 2), ==, 0x5678);
    g_assert_cmphex(cfg_read(devfn, 8, 4), ==, 0x02000007);
    g_assert_cmphex(cfg_read(devfn, 0x2c, 4), ==, 0x11001af4);
    g_assert_cmphex(cfg_read(devfn, 0x3d, 1), ==, 1);
    /* Nothing at another function or on another bus: all ones. */
    g_assert_cmphex(cfg_read(PCI_DEVFN(3, 1), 0, 4), ==, 0xffffffff);
    g_assert_cmphex(cfg_read(PCI_DEVFN(3, 1), 0, 2), ==, 0xffff);
    g_assert_cmphex(pci_host_config_read(bus(), 1 << 16 | devfn << 8, 4),
                    ==, 0xffffffff);
    /* Read-only IDs; writable line, device-specific registers. */
    cfg_write(devfn, 0, 0, 4);
    g_assert_cmphex(cfg_read(devfn, 0, 4), ==, 0x56781234);
    cfg_write(devfn, 0x3c, 0x0b, 1);
    g_assert_cmphex(cfg_read(devfn, 0x3c, 1), ==, 0x0b);
    cfg_write(devfn, 0x40, 0xdeadbeef, 4);
    g_assert_cmphex(cfg_read(devfn, 0x40, 4), ==, 0xdeadbeef);
    /* Reset clears the line, keeps the IDs. */
    device_reset(DEVICE(dev));
    g_assert_cmphex(cfg_read(devfn, 0x3c, 1), ==, 0);
    g_assert_cmphex(cfg_read(devfn, 0, 4), ==, 0x56781234);
    free_function(dev);
}

static void test_pci_bars(void)
{
    PCIDevice *dev = new_function("5", &error_fatal);
    int devfn = PCI_DEVFN(5, 0);
    uint64_t value;

    /* Sizing: the guest writes all ones and reads the size back. */
    cfg_write(devfn, 0x10, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(devfn, 0x10, 4), ==, 0xfffff000);
    cfg_write(devfn, 0x14, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(devfn, 0x14, 4), ==, 0xfffffff1);
    cfg_write(devfn, 0x18, 0xffffffff, 4);
    cfg_write(devfn, 0x1c, 0xffffffff, 4);
    g_assert_cmphex(cfg_read(devfn, 0x18, 4), ==, 0xfff0000c);
    g_assert_cmphex(cfg_read(devfn, 0x1c, 4), ==, 0xffffffff);

    /* Placed but decoding off: nothing there yet. */
    cfg_write(devfn, 0x10, 0xe0000000, 4);
    cfg_write(devfn, 0x14, 0xc100, 4);
    cfg_write(devfn, 0x18, 0, 4);
    cfg_write(devfn, 0x1c, 0x1, 4);          /* 0x1_0000_0000 */
    g_assert_cmphex(dev->io_regions[0].addr, ==, PCI_BAR_UNMAPPED);
    g_assert_cmpint(address_space_ld(&address_space_memory, 0xe0000000, 4,
                                     &value), !=, MEMTX_OK);

    cfg_write(devfn, 4, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
    g_assert_cmphex(rd(0xe0000ffc), ==, TEST_MMIO_VALUE);
    g_assert_cmphex(ld(0x100000000ull, 4), ==, TEST_MMIO_VALUE);
    g_assert_cmpint(address_space_ld(&address_space_io, 0xc10f, 1, &value),
                    ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0x5a);
    g_assert_cmphex(dev->io_regions[1].addr, ==, 0xc100);

    /* Moving a BAR moves the region. */
    cfg_write(devfn, 0x10, 0xe0010000, 4);
    g_assert_cmphex(rd(0xe0010000), ==, TEST_MMIO_VALUE);
    g_assert_cmpint(address_space_ld(&address_space_memory, 0xe0000000, 4,
                                     &value), !=, MEMTX_OK);
    /* An I/O BAR at 0 is not decoded. */
    cfg_write(devfn, 0x14, 0, 4);
    g_assert_cmphex(dev->io_regions[1].addr, ==, PCI_BAR_UNMAPPED);

    /* Reset: decoding off, BARs cleared to their type bits. */
    device_reset(DEVICE(dev));
    g_assert_cmphex(cfg_read(devfn, 0x10, 4), ==, 0);
    g_assert_cmphex(cfg_read(devfn, 0x14, 4), ==, 1);
    g_assert_cmphex(cfg_read(devfn, 0x18, 4), ==, 0xc);
    g_assert_cmphex(dev->io_regions[0].addr, ==, PCI_BAR_UNMAPPED);
    free_function(dev);
}

static void test_pci_intx(void)
{
    PCIDevice *a = new_function("6", &error_fatal);
    PCIDevice *b = new_function("a", &error_fatal);
    int devfn = PCI_DEVFN(6, 0);

    /* Slots 6 and 10, pin A: both on input (slot + 0) & 3 = 2. */
    pci_set_irq(a, 1);
    g_assert_cmpint(pirq_level[2], ==, 1);
    g_assert_cmphex(cfg_read(devfn, 6, 2) & PCI_STATUS_INTERRUPT, !=, 0);
    pci_set_irq(b, 1);
    pci_set_irq(a, 0);
    g_assert_cmpint(pirq_level[2], ==, 1);   /* wired OR */
    pci_set_irq(b, 0);
    g_assert_cmpint(pirq_level[2], ==, 0);

    /* INTx disable withdraws the pin; the status bit still shows it. */
    pci_set_irq(a, 1);
    cfg_write(devfn, 4, PCI_COMMAND_INTX_DISABLE, 2);
    g_assert_cmpint(pirq_level[2], ==, 0);
    g_assert_cmphex(cfg_read(devfn, 6, 2) & PCI_STATUS_INTERRUPT, !=, 0);
    cfg_write(devfn, 4, 0, 2);
    g_assert_cmpint(pirq_level[2], ==, 1);
    device_reset(DEVICE(a));
    g_assert_cmpint(pirq_level[2], ==, 0);
    free_function(a);
    free_function(b);
}

/* ---- fw_cfg ---- */

#define FW_CFG_PORT 0x510
#define FW_CFG_DMA_PORT 0x514
#define RAM_BASE 0x100000
#define RAM_SIZE 0x10000

static FWCfgState *fw_cfg;
static MemoryRegion ram;

static void outw(uint16_t port, uint16_t value)
{
    g_assert_cmpint(address_space_st(&address_space_io, port, 2, value), ==,
                    MEMTX_OK);
}

static uint64_t in(uint16_t port, unsigned size)
{
    uint64_t value;

    g_assert_cmpint(address_space_ld(&address_space_io, port, size, &value),
                    ==, MEMTX_OK);
    return value;
}

static void fw_cfg_read(uint16_t key, void *buf, size_t len)
{
    uint8_t *p = buf;

    outw(FW_CFG_PORT, key);
    for (size_t i = 0; i < len; i++) {
        p[i] = in(FW_CFG_PORT + 1, 1);
    }
}

static FWCfgState *fw_cfg_device(void)
{
    if (!fw_cfg) {
        g_assert_true(memory_region_init_ram(&ram, NULL, "ram", RAM_SIZE,
                                             &error_fatal));
        memory_region_add_subregion(get_system_memory(), RAM_BASE, &ram);
        fw_cfg = fw_cfg_init_io_dma(FW_CFG_PORT, FW_CFG_DMA_PORT,
                                    &address_space_memory, &error_fatal);
        fw_cfg_add_i32(fw_cfg, FW_CFG_NB_CPUS, 3);
        fw_cfg_add_file(fw_cfg, "etc/zeta", "zz", 2);
        fw_cfg_add_file(fw_cfg, "bootorder", "/pci@i0cf8/ide@1,1\n", 19);
        fw_cfg_add_file(fw_cfg, "etc/alpha", "alpha-data", 10);
        fw_cfg_add_i64(fw_cfg, FW_CFG_IRQ0_OVERRIDE, 1);
    }
    return fw_cfg;
}

static void test_fw_cfg_items(void)
{
    char sig[5] = { 0 };
    uint32_t id, cpus;
    uint64_t irq0;

    fw_cfg_device();
    fw_cfg_read(FW_CFG_SIGNATURE, sig, 4);
    g_assert_cmpstr(sig, ==, "QEMU");
    fw_cfg_read(FW_CFG_ID, &id, 4);
    g_assert_cmpuint(GUINT32_FROM_LE(id), ==, 3);
    fw_cfg_read(FW_CFG_NB_CPUS, &cpus, 4);
    g_assert_cmpuint(GUINT32_FROM_LE(cpus), ==, 3);
    fw_cfg_read(FW_CFG_IRQ0_OVERRIDE, &irq0, 8);
    g_assert_cmpuint(GUINT64_FROM_LE(irq0), ==, 1);
    /* Past the end, and an item nobody set: zeros. */
    outw(FW_CFG_PORT, FW_CFG_SIGNATURE);
    for (int i = 0; i < 4; i++) {
        in(FW_CFG_PORT + 1, 1);
    }
    g_assert_cmpuint(in(FW_CFG_PORT + 1, 1), ==, 0);
    outw(FW_CFG_PORT, FW_CFG_UUID);
    g_assert_cmpuint(in(FW_CFG_PORT + 1, 1), ==, 0);
    outw(FW_CFG_PORT, 0x3fff);
    g_assert_cmpuint(in(FW_CFG_PORT + 1, 1), ==, 0);
}

static void test_fw_cfg_directory(void)
{
    static const char *const names[] = { "bootorder", "etc/alpha",
                                         "etc/zeta" };
    static const uint32_t sizes[] = { 19, 10, 2 };
    uint8_t dir[4 + 3 * 64];
    char data[11] = { 0 };

    fw_cfg_device();
    fw_cfg_read(FW_CFG_FILE_DIR, dir, sizeof(dir));
    g_assert_cmpuint(dir[3], ==, 3);         /* big endian count */
    for (int i = 0; i < 3; i++) {
        const uint8_t *f = dir + 4 + i * 64;

        g_assert_cmpuint(f[0] << 24 | f[1] << 16 | f[2] << 8 | f[3], ==,
                         sizes[i]);
        g_assert_cmpuint(f[4] << 8 | f[5], ==, FW_CFG_FILE_FIRST + i);
        g_assert_cmpstr((const char *)f + 8, ==, names[i]);
    }
    fw_cfg_read(FW_CFG_FILE_FIRST + 1, data, 10);
    g_assert_cmpstr(data, ==, "alpha-data");
}

/* Runs a DMA descriptor placed at RAM_BASE; returns its control word
 * as the device left it. */
static uint32_t fw_cfg_dma(uint32_t control, uint32_t length, uint64_t addr)
{
    uint8_t desc[16];
    uint32_t be;

    be = GUINT32_TO_BE(control);
    memcpy(desc, &be, 4);
    be = GUINT32_TO_BE(length);
    memcpy(desc + 4, &be, 4);
    addr = GUINT64_TO_BE(addr);
    memcpy(desc + 8, &addr, 8);
    g_assert_cmpint(address_space_write(&address_space_memory, RAM_BASE,
                                        desc, 16), ==, MEMTX_OK);
    /* The guest writes big-endian halves: high, then low. */
    g_assert_cmpint(address_space_st(&address_space_io, FW_CFG_DMA_PORT, 4,
                                     GUINT32_TO_BE(0)), ==, MEMTX_OK);
    g_assert_cmpint(address_space_st(&address_space_io, FW_CFG_DMA_PORT + 4,
                                     4, GUINT32_TO_BE(RAM_BASE)), ==,
                    MEMTX_OK);
    g_assert_cmpint(address_space_read(&address_space_memory, RAM_BASE, &be,
                                       4), ==, MEMTX_OK);
    return GUINT32_FROM_BE(be);
}

static void test_fw_cfg_dma(void)
{
    uint8_t buf[16];

    fw_cfg_device();
    /* The DMA register reads "QEMU CFG" in byte order. */
    g_assert_cmphex(in(FW_CFG_DMA_PORT, 4), ==, 0x554d4551);
    g_assert_cmphex(in(FW_CFG_DMA_PORT + 4, 4), ==, 0x47464320);

    /* Select and read, with zeros past the end of the item. */
    memset(buf, 0xff, sizeof(buf));
    address_space_write(&address_space_memory, RAM_BASE + 0x100, buf, 16);
    g_assert_cmphex(fw_cfg_dma((FW_CFG_FILE_FIRST + 1) << 16 | 0x08 | 0x02,
                               16, RAM_BASE + 0x100), ==, 0);
    address_space_read(&address_space_memory, RAM_BASE + 0x100, buf, 16);
    g_assert_cmpmem(buf, 16, "alpha-data\0\0\0\0\0\0", 16);

    /* Skip, then read the rest; the offset carries over. */
    g_assert_cmphex(fw_cfg_dma(FW_CFG_SIGNATURE << 16 | 0x08 | 0x04, 2, 0),
                    ==, 0);
    g_assert_cmphex(fw_cfg_dma(0x02, 2, RAM_BASE + 0x200), ==, 0);
    address_space_read(&address_space_memory, RAM_BASE + 0x200, buf, 2);
    g_assert_cmpmem(buf, 2, "MU", 2);

    /* Writes are refused with the error bit; so is memory that is not. */
    g_assert_cmphex(fw_cfg_dma(FW_CFG_NB_CPUS << 16 | 0x08 | 0x10, 4,
                               RAM_BASE + 0x200), ==, 0x01);
    g_assert_cmphex(fw_cfg_dma(FW_CFG_NB_CPUS << 16 | 0x08 | 0x02, 4,
                               0x80000000), ==, 0x01);
}

/* The MMIO flavour (the ARM virt board's): the selector is a 16-bit
 * big-endian register at +8, the data register at +0 gives up to 8
 * bytes of the item in its order, the DMA register at +16 reads as
 * "QEMU CFG" in memory order. */
#define FW_CFG_MEM_BASE 0x09020000

static void test_fw_cfg_mmio(void)
{
    FWCfgState *mem;
    uint64_t value;

    mem = fw_cfg_init_mem_dma(FW_CFG_MEM_BASE, &address_space_memory,
                              &error_fatal);
    fw_cfg_add_i16(mem, FW_CFG_NB_CPUS, 2);
    fw_cfg_add_file(mem, "etc/one", "0123456789", 10);
    g_assert_cmpint(address_space_st(&address_space_memory,
                                     FW_CFG_MEM_BASE + 8, 2,
                                     GUINT16_SWAP_LE_BE(FW_CFG_SIGNATURE)),
                    ==, MEMTX_OK);
    g_assert_cmpint(address_space_ld(&address_space_memory, FW_CFG_MEM_BASE,
                                     4, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0x554d4551);      /* "QEMU" in memory */
    /* A file read 8 bytes at a time; past its end zeros. */
    address_space_st(&address_space_memory, FW_CFG_MEM_BASE + 8, 2,
                     GUINT16_SWAP_LE_BE(FW_CFG_FILE_FIRST));
    address_space_ld(&address_space_memory, FW_CFG_MEM_BASE, 8, &value);
    g_assert_cmphex(value, ==, GUINT64_FROM_LE(*(const uint64_t *)"01234567"));
    address_space_ld(&address_space_memory, FW_CFG_MEM_BASE, 8, &value);
    g_assert_cmphex(value, ==, 0x3938);
    address_space_st(&address_space_memory, FW_CFG_MEM_BASE + 8, 2,
                     GUINT16_SWAP_LE_BE(FW_CFG_NB_CPUS));
    address_space_ld(&address_space_memory, FW_CFG_MEM_BASE, 2, &value);
    g_assert_cmphex(value, ==, 2);
    address_space_ld(&address_space_memory, FW_CFG_MEM_BASE + 16, 8, &value);
    g_assert_cmphex(value, ==, GUINT64_FROM_LE(*(const uint64_t *)"QEMU CFG"));
    /* The selector takes 16-bit writes only. */
    g_assert_cmpint(address_space_st(&address_space_memory,
                                     FW_CFG_MEM_BASE + 8, 4, 0), !=,
                    MEMTX_OK);
    object_unref(OBJECT(mem));
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    memory_system_init(true);

    g_test_add_func("/pci/addresses", test_pci_addresses);
    g_test_add_func("/pci/config-header", test_pci_config_header);
    g_test_add_func("/pci/bars", test_pci_bars);
    g_test_add_func("/pci/intx", test_pci_intx);
    g_test_add_func("/fw_cfg/items", test_fw_cfg_items);
    g_test_add_func("/fw_cfg/directory", test_fw_cfg_directory);
    g_test_add_func("/fw_cfg/dma", test_fw_cfg_dma);
    g_test_add_func("/fw_cfg/mmio", test_fw_cfg_mmio);
    ret = g_test_run();

    if (fw_cfg) {
        qdev_unrealize(DEVICE(fw_cfg));
        object_unref(OBJECT(fw_cfg));
        memory_region_del_subregion(get_system_memory(), &ram);
        memory_region_destroy(&ram);
    }
    return ret;
}
