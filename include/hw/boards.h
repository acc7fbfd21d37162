/*
 * Machines (boards).  A board is one file: a memory-map table and an init
 * function that builds the SoC and devices, wires interrupts and attaches
 * the backends.  Its type is "<name>-machine"; it lives at /machine.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

#include "qom/object.h"
#include "softmmu/memory.h"

#define TYPE_MACHINE "machine"
#define TYPE_MACHINE_SUFFIX "-machine"

typedef struct MachineState MachineState;

typedef enum CpuSlotPropsKind {
    CPU_SLOT_PROPS_NONE,
    CPU_SLOT_PROPS_SOCKET_CORE_THREAD,
    CPU_SLOT_PROPS_WITH_CLUSTER,
} CpuSlotPropsKind;

/* Where vCPU slot INDEX sits in the -smp topology. */
typedef struct CpuSlotProps {
    bool has_cluster;
    unsigned socket, cluster, core, thread;
} CpuSlotProps;

typedef struct MachineClass {
    ObjectClass parent_class;
    const char *desc;            /* the "-M help" line */
    /* A versioned type (pc-i440fx-7.2) also answers to its alias (pc), as
     * QEMU's; -M help lists the alias just before it. */
    const char *alias;
    /* Versions of one board form a family, listed newest first. */
    const char *family;
    bool (*init)(MachineState *ms, Error **errp);
    uint64_t default_ram_size;   /* 0: no RAM unless -m is given */
    const char *default_ram_id;  /* name of the RAM region; NULL: "ram" */
    /* The RAM is a memory-backend-ram /objects/<default_ram_id> (info
     * memdev, query-memdev), as QEMU 7.2 makes it for boards with a RAM
     * id; false: a region of the board's own (QEMU's connex). */
    bool ram_is_memdev;
    unsigned max_cpus;           /* 0: the board makes no CPU */
    /* What query-cpus-fast and query-hotpluggable-cpus say of each vCPU
     * slot, as QEMU's boards: nothing (connex, none), its socket, core
     * and thread (x86), virt's cluster too. */
    CpuSlotPropsKind cpu_slot_props;
    /* query-hotpluggable-cpus lists the slots (QEMU's pc does; emu plugs
     * no vCPU at run time, on any board). */
    bool lists_cpu_slots;
    const char *default_cpu_model; /* NULL: none unless -cpu is given */
    bool is_default;             /* used when -M is not given */
    bool loads_firmware;         /* accepts -bios */
    bool loads_kernel;           /* accepts -kernel, -initrd, -append */
    bool loads_dtb;              /* accepts -dtb (a device tree board) */
    /* -hda and -cdrom: the interface (a BlockInterfaceType, IF_NONE by
     * default, as QEMU's) and units per bus of that interface (0: its
     * own, sysemu/blockdev.h). */
    int block_default_type;
    int units_per_default_bus;
    /* The NIC model -nic and -net nic create (net/net.c); NULL: the
     * board has none to offer. */
    const char *default_nic;
    /* Without a network option (or -nodefaults), that NIC on user
     * networking, as QEMU's "-net nic -net user" (net_add_default_nic). */
    bool default_nic_on_user_net;
    /* -drive if=virtio: the device made for each drive the board did not
     * take, after the -device ones (QEMU's virtio-blk-pci); NULL: none. */
    const char *virtio_drive_model;
    /* A data access that no device answers is not an error for the CPU:
     * reads give 0, writes are dropped.  For boards whose guests rely on
     * it (Linux on connex probes past the end of its flash), as QEMU's
     * boards of the same name do; other boards take the CPU's external
     * abort. */
    bool ignore_memory_transaction_failures;
    /* Runs on every machine reset after devices and vCPUs are reset,
     * to put the boot state in place (a kernel's entry registers). */
    void (*reset)(MachineState *ms);
} MachineClass;

struct MachineState {
    Object parent_obj;
    uint64_t ram_size;           /* -m, or the board's default */
    bool ram_size_given;
    unsigned smp_cpus;           /* -smp */
    char *cpu_model;             /* -cpu, or the board's default */
    char *cpu_options;           /* what follows the model: "+x,y=off" */
    char *cpu_type;              /* its type name, once resolved */
    MemoryRegion *ram;           /* main RAM, created by machine code */
    const char *accel;           /* name of the accelerator in use */
    const char *firmware;        /* -bios */
    const char *kernel_filename; /* -kernel */
    const char *initrd_filename; /* -initrd */
    const char *kernel_cmdline;  /* -append */
    const char *dtb_filename;    /* -dtb */
    /* -smp: the topology; smp_cpus of max_cpus are created. */
    unsigned smp_sockets;
    unsigned smp_cores;
    unsigned smp_threads;
    unsigned smp_max_cpus;
    /* -machine properties every board has (machine_props[]). */
    bool dump_guest_core;        /* off: RAM left out of emu's core dumps */
    bool mem_merge;              /* on: RAM offered to KSM */
    bool usb;
    bool graphics;
    bool suppress_vmdesc;
    char *memory_backend;        /* -machine memory-backend=ID */
    /* The N of the next /machine/unattached/device[N]. */
    unsigned unattached_count;
};

#define MACHINE(obj) INSTANCE_CAST(MachineState, (obj), TYPE_MACHINE)
#define MACHINE_GET_CLASS(obj) \
    CLASS_CAST(MachineClass, OBJECT(obj)->klass, TYPE_MACHINE)
#define MACHINE_CLASS(klass) CLASS_CAST(MachineClass, (klass), TYPE_MACHINE)

/* "none" for "none-machine". */
char *machine_class_short_name(ObjectClass *klass);
/* The name users know a board by: its alias (pc, virt) if it has one. */
char *machine_class_display_name(ObjectClass *klass);
MachineClass *machine_class_find(const char *name);
MachineClass *machine_class_default(void);
/* "Supported machines are:" and "name  description" lines. */
void machine_print_list(GString *out);

/* The running machine (NULL before it is created). */
extern MachineState *current_machine;

/*
 * Allocates the board's main RAM (named default_ram_id, ram_size bytes,
 * as QEMU names it: "microvm.ram", "pc.ram"...) for the board to
 * map where it belongs.  Fails with a clear message when the host cannot
 * provide it.  With -machine memory-backend=ID the RAM is that backend's
 * memory instead.
 */
bool machine_create_ram(MachineState *ms, Error **errp);
/*
 * -machine memory-backend=ID: finds the backend and takes its size as
 * the RAM size (a different -m is refused, as QEMU refuses it); before
 * the board reads ram_size.
 */
bool machine_resolve_memory_backend(MachineState *ms, Error **errp);
/* Slot INDEX's place in the topology; false where the board says
 * nothing of its slots. */
bool machine_cpu_slot_props(MachineState *ms, unsigned index,
                            CpuSlotProps *props);
/* Applies dump-guest-core and mem-merge to a RAM region (done by
 * machine_create_ram; for boards that allocate RAM of their own). */
void machine_advise_ram(MachineState *ms, MemoryRegion *ram);
/*
 * Puts an object that has no place of its own in the tree under
 * /machine/unattached/device[N], N counting up, where QEMU scripts look
 * for it (vCPUs are device[0]...).  qdev_realize does it for every device
 * realized without a parent, as QEMU does.  Nothing happens without a
 * machine.
 */
void machine_add_unattached(Object *obj);
/*
 * Leaves n numbers of /machine/unattached/device[N] unused: where QEMU
 * creates a device that emu folds into another one or does not model,
 * so that the devices after it keep QEMU's paths.  The caller names
 * what QEMU has there.
 */
void machine_skip_unattached(unsigned n);
/* -smp: completes and checks the topology (hw/core/machine-smp.c). */
bool machine_parse_smp_config(MachineState *ms, const char *opts,
                              Error **errp);
/* Creates the -smp vCPUs of ms->cpu_type; the board wires them. */
bool machine_create_cpus(MachineState *ms, Error **errp);

#endif
