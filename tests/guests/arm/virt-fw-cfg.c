/*
 * An ELF image for -kernel on -M virt that prints what the board's
 * fw_cfg holds, read through its data register (the traditional
 * interface): the numbered items firmware reads (each as many bytes as
 * it has, or a checksum and length for the kernel's and initrd's data)
 * and every file of the directory, its bytes in hex, then powers the
 * machine off.  It writes nothing but its stack.  test_virt_fw_cfg.py compares the output with QEMU's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>

#include "virt-uart.h"

#define FW_CFG_DATA8 (*(volatile uint8_t *)0x09020000)
#define FW_CFG_SELECTOR (*(volatile uint16_t *)0x09020008)
#define PSCI_SYSTEM_OFF 0x84000008u

/* The directory's entries: size, selector, reserved, name. */
#define FILE_ENTRY_SIZE 64
#define MAX_NAME 56

void entry(void);
void start_c(void);

/* Built twice: linked at 0 for -bios (run from flash) and in RAM for
 * -kernel; the stack is in RAM, 2 MiB in, either way. */
__attribute__((naked, used)) void entry(void)
{
    __asm__ volatile("ldr sp, =0x40200000\n"
                     "bl start_c\n");
}

static void psci(uint32_t fn)
{
    register uint32_t r0 __asm__("r0") = fn;

    __asm__ volatile(".arch_extension virt\n hvc #0" : "+r"(r0) :: "memory");
}

/* The selector register is big-endian. */
static void select_item(uint16_t key)
{
    FW_CFG_SELECTOR = (uint16_t)(key << 8 | key >> 8);
}

static uint32_t read_be32(void)
{
    uint32_t v = 0;

    for (int i = 0; i < 4; i++) {
        v = v << 8 | FW_CFG_DATA8;
    }
    return v;
}

static uint32_t read_le32(void)
{
    uint32_t v = 0;

    for (int i = 0; i < 4; i++) {
        v |= (uint32_t)FW_CFG_DATA8 << (8 * i);
    }
    return v;
}

static void print_byte(uint8_t b)
{
    put("0123456789abcdef"[b >> 4]);
    put("0123456789abcdef"[b & 0xf]);
}

/* LEN bytes of the selected item in hex, 32 a line. */
static void dump(uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        print_byte(FW_CFG_DATA8);
        if (i % 32 == 31 || i == len - 1) {
            put('\n');
        }
    }
}

/* An item of a known size. */
static void item(const char *name, uint16_t key, uint32_t len)
{
    select_item(key);
    print(name);
    print(": ");
    dump(len);
}

/* A data item whose size another item gives: its length and a sum. */
static void data_item(const char *name, uint16_t size_key, uint16_t data_key)
{
    uint32_t len, sum = 0;

    select_item(size_key);
    len = read_le32();
    select_item(data_key);
    for (uint32_t i = 0; i < len; i++) {
        sum = sum * 31 + FW_CFG_DATA8;
    }
    print(name);
    print(": length ");
    print_hex(len);
    print(" sum ");
    print_hex(sum);
    put('\n');
}

void start_c(void)
{
    uint32_t count;

    item("signature", 0x00, 4);
    item("id", 0x01, 4);
    item("uuid", 0x02, 16);
    item("nographic", 0x04, 2);
    item("nb_cpus", 0x05, 2);
    item("boot_menu", 0x0e, 2);
    item("kernel_size", 0x08, 4);
    item("initrd_size", 0x0b, 4);
    item("cmdline_size", 0x14, 4);
    data_item("kernel_data", 0x08, 0x11);
    data_item("initrd_data", 0x0b, 0x12);
    data_item("cmdline_data", 0x14, 0x15);
    select_item(0x19);
    count = read_be32();
    print("files: ");
    print_hex(count);
    put('\n');
    for (uint32_t i = 0; i < count; i++) {
        char name[MAX_NAME];
        uint32_t size;
        uint16_t key;

        /* The directory is reselected for each entry: reading a file
         * moves the data register away from it. */
        select_item(0x19);
        read_be32();
        for (uint32_t skip = 0; skip < i * FILE_ENTRY_SIZE; skip++) {
            (void)FW_CFG_DATA8;
        }
        size = read_be32();
        key = (uint16_t)(FW_CFG_DATA8 << 8);
        key |= FW_CFG_DATA8;
        (void)FW_CFG_DATA8;
        (void)FW_CFG_DATA8;
        for (int j = 0; j < MAX_NAME; j++) {
            name[j] = FW_CFG_DATA8;
        }
        name[MAX_NAME - 1] = 0;
        print(name);
        print(" size ");
        print_hex(size);
        print(" select ");
        print_hex(key);
        put('\n');
        select_item(key);
        dump(size);
    }
    psci(PSCI_SYSTEM_OFF);
    for (;;) {
    }
}
