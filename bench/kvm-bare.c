/*
 * The floor for the kvm benchmarks: a bare KVM_RUN loop with no emulator
 * around it.  Maps a 64 KiB firmware image the way microvm does (at the
 * top of 4 GiB and below 1 MiB), runs one vCPU from the reset vector and
 * counts exits until the guest writes to isa-debug-exit (port 0xf4).
 *
 *   kvm-bare FIRMWARE.bin  ->  "<io exits> io exits, <total> exits, <s> s"
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define ROM_SIZE    0x10000
#define RAM_SIZE    0xf0000         /* up to the firmware's low copy */
#define DEBUG_EXIT  0xf4

static void die(const char *what)
{
    fprintf(stderr, "kvm-bare: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void add_slot(int vm, uint32_t slot, uint64_t gpa, uint64_t size,
                     void *host, uint32_t flags)
{
    struct kvm_userspace_memory_region region = {
        .slot = slot,
        .flags = flags,
        .guest_phys_addr = gpa,
        .memory_size = size,
        .userspace_addr = (uintptr_t)host,
    };

    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
        die("KVM_SET_USER_MEMORY_REGION");
    }
}

int main(int argc, char **argv)
{
    struct timespec start, end;
    struct kvm_run *run;
    unsigned long io_exits = 0, exits = 0;
    uint32_t rom_flags = 0;
    int kvm, vm, cpu, fd;
    long run_size;
    void *ram, *rom;

    if (argc != 2) {
        fprintf(stderr, "usage: kvm-bare FIRMWARE.bin (a 64 KiB image)\n");
        return 1;
    }
    kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) {
        die("/dev/kvm");
    }
    vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) {
        die("KVM_CREATE_VM");
    }
    /* Intel without unrestricted guest needs it for real mode. */
    if (ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000UL) < 0) {
        die("KVM_SET_TSS_ADDR");
    }

    ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rom = mmap(NULL, ROM_SIZE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ram == MAP_FAILED || rom == MAP_FAILED) {
        die("mmap");
    }
    fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        die(argv[1]);
    }
    if (read(fd, rom, ROM_SIZE) != ROM_SIZE) {
        fprintf(stderr, "kvm-bare: %s: not a 64 KiB image\n", argv[1]);
        return 1;
    }
    close(fd);
    if (ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) > 0) {
        rom_flags = KVM_MEM_READONLY;
    }
    add_slot(vm, 0, 0, RAM_SIZE, ram, 0);
    add_slot(vm, 1, 0x100000000ULL - ROM_SIZE, ROM_SIZE, rom, rom_flags);
    add_slot(vm, 2, 0x100000 - ROM_SIZE, ROM_SIZE, rom, rom_flags);

    cpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (cpu < 0) {
        die("KVM_CREATE_VCPU");
    }
    run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (run_size < 0) {
        die("KVM_GET_VCPU_MMAP_SIZE");
    }
    run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, cpu, 0);
    if (run == MAP_FAILED) {
        die("mmap kvm_run");
    }

    /* A new vCPU is in its reset state: CS.base 0xffff0000, IP 0xfff0. */
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (ioctl(cpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("KVM_RUN");
        }
        exits++;
        if (run->exit_reason == KVM_EXIT_IO) {
            io_exits++;
            if (run->io.direction == KVM_EXIT_IO_OUT &&
                run->io.port == DEBUG_EXIT) {
                break;
            }
            continue;
        }
        if (run->exit_reason == KVM_EXIT_MMIO) {
            continue;
        }
        fprintf(stderr, "kvm-bare: unexpected exit reason %u\n",
                run->exit_reason);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("%lu io exits, %lu exits, %.6f s\n", io_exits, exits,
           (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
