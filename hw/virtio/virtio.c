/*
 * The virtio core (include/hw/virtio/virtio.h): device status and
 * reset, feature negotiation, configuration space, and split virtqueues
 * read and written in guest memory with the big lock held (a transport's
 * register handlers run with it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/trace.h"
#include "util/log.h"
#include "hw/virtio/virtio.h"

/* Descriptor flags and layout (virtio 1.1, 2.6.5). */
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_DESC_SIZE 16
/* The driver does not want interrupts; the device does not want kicks. */
#define VRING_AVAIL_F_NO_INTERRUPT 1

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VRingDesc;

/* ---- guest memory ---- */

static bool vring_ld(VirtIODevice *vdev, hwaddr addr, unsigned size,
                     uint64_t *value)
{
    if (address_space_ld(&address_space_memory, addr, size, value) !=
        MEMTX_OK) {
        virtio_error(vdev, "virtio: ring access at 0x%" PRIx64 " failed",
                     (uint64_t)addr);
        *value = 0;
        return false;
    }
    return true;
}

static void vring_st(VirtIODevice *vdev, hwaddr addr, unsigned size,
                     uint64_t value)
{
    if (address_space_st(&address_space_memory, addr, size, value) !=
        MEMTX_OK) {
        virtio_error(vdev, "virtio: ring access at 0x%" PRIx64 " failed",
                     (uint64_t)addr);
    }
}

static uint16_t vring_avail_idx(VirtQueue *vq)
{
    uint64_t v;

    vring_ld(vq->vdev, vq->avail + 2, 2, &v);
    return v;
}

static uint16_t vring_avail_flags(VirtQueue *vq)
{
    uint64_t v;

    vring_ld(vq->vdev, vq->avail, 2, &v);
    return v;
}

/* avail->used_event and used->avail_event, after the rings (event idx). */
static uint16_t vring_used_event(VirtQueue *vq)
{
    uint64_t v;

    vring_ld(vq->vdev, vq->avail + 4 + 2 * vq->num, 2, &v);
    return v;
}

static void vring_set_avail_event(VirtQueue *vq, uint16_t idx)
{
    vring_st(vq->vdev, vq->used + 4 + 8 * vq->num, 2, idx);
}

static bool vring_read_desc(VirtIODevice *vdev, hwaddr table, unsigned i,
                            VRingDesc *d)
{
    hwaddr at = table + (hwaddr)i * VRING_DESC_SIZE;
    uint64_t v;

    if (!vring_ld(vdev, at, 8, &v)) {
        return false;
    }
    d->addr = v;
    vring_ld(vdev, at + 8, 4, &v);
    d->len = v;
    vring_ld(vdev, at + 12, 2, &v);
    d->flags = v;
    return vring_ld(vdev, at + 14, 2, &v) && (d->next = v, true);
}

/* ---- errors, features ---- */

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    emu_log_mask(LOG_GUEST_ERROR, "%s: %s\n",
                 object_get_typename(OBJECT(vdev)), msg);
    if (!vdev->legacy) {
        vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
        virtio_notify_config(vdev);
    }
    /* No queue runs again until the driver resets the device. */
    for (int i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        vdev->vq[i].ready = false;
    }
}

bool virtio_has_feature(const VirtIODevice *vdev, unsigned bit)
{
    return (vdev->guest_features >> bit) & 1;
}

uint64_t virtio_get_host_features(VirtIODevice *vdev)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    uint64_t f = 1ULL << VIRTIO_RING_F_INDIRECT_DESC |
                 1ULL << VIRTIO_RING_F_EVENT_IDX |
                 1ULL << VIRTIO_F_NOTIFY_ON_EMPTY |
                 1ULL << VIRTIO_F_ANY_LAYOUT;

    if (vdc->get_features) {
        f |= vdc->get_features(vdev);
    }
    /* A legacy driver cannot accept VERSION_1; a modern one must. */
    if (!vdev->legacy) {
        f |= 1ULL << VIRTIO_F_VERSION_1;
    }
    return f;
}

void virtio_set_guest_features(VirtIODevice *vdev, uint64_t features)
{
    /* Not once the driver has said FEATURES_OK. */
    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        emu_log_mask(LOG_GUEST_ERROR, "%s: features written after "
                     "FEATURES_OK: ignored\n",
                     object_get_typename(OBJECT(vdev)));
        return;
    }
    vdev->guest_features = features & virtio_get_host_features(vdev);
    if (features & ~vdev->guest_features) {
        emu_log_mask(LOG_GUEST_ERROR, "%s: the driver accepted features "
                     "0x%" PRIx64 " the device did not offer\n",
                     object_get_typename(OBJECT(vdev)),
                     features & ~vdev->guest_features);
    }
}

/* ---- status and reset ---- */

void virtio_reset(VirtIODevice *vdev)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    vdev->status = 0;
    vdev->isr = 0;
    vdev->guest_features = 0;
    for (int i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        VirtQueue *vq = &vdev->vq[i];

        vq->num = vq->num_max;
        vq->ready = false;
        vq->desc = vq->avail = vq->used = 0;
        vq->last_avail_idx = vq->used_idx = vq->signalled_used = 0;
        vq->signalled_used_valid = false;
    }
    if (vdc->reset) {
        vdc->reset(vdev);
    }
}

void virtio_set_status(VirtIODevice *vdev, uint8_t status)
{
    if (status == 0) {
        virtio_reset(vdev);
        return;
    }
    /* FEATURES_OK only for what the device can do: the driver reads the
     * bit back to know (virtio 1.1, 3.1.1). */
    if (!vdev->legacy && (status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
    }
    vdev->status = status;
}

/* ---- configuration space ---- */

uint64_t virtio_config_read(VirtIODevice *vdev, uint32_t offset,
                            unsigned size)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    g_autofree uint8_t *config = g_malloc0(MAX(vdc->config_size, 1));
    uint64_t value = 0;

    if (offset + size > vdc->config_size) {
        emu_log_mask(LOG_GUEST_ERROR, "%s: config read of %u bytes at %u "
                     "beyond its %zu\n", object_get_typename(OBJECT(vdev)),
                     size, offset, vdc->config_size);
        return 0;
    }
    if (vdc->get_config) {
        vdc->get_config(vdev, config);
    }
    for (unsigned i = 0; i < size; i++) {
        value |= (uint64_t)config[offset + i] << (8 * i);
    }
    return value;
}

void virtio_config_write(VirtIODevice *vdev, uint32_t offset,
                         unsigned size, uint64_t value)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    g_autofree uint8_t *config = g_malloc0(MAX(vdc->config_size, 1));

    if (offset + size > vdc->config_size) {
        emu_log_mask(LOG_GUEST_ERROR, "%s: config write of %u bytes at %u "
                     "beyond its %zu\n", object_get_typename(OBJECT(vdev)),
                     size, offset, vdc->config_size);
        return;
    }
    if (vdc->get_config) {
        vdc->get_config(vdev, config);
    }
    for (unsigned i = 0; i < size; i++) {
        config[offset + i] = value >> (8 * i);
    }
    if (vdc->set_config) {
        vdc->set_config(vdev, config);
    }
}

/* ---- queues ---- */

void virtio_add_queue(VirtIODevice *vdev, unsigned n, unsigned num_max,
                      VirtQueueHandler *handle)
{
    g_assert(n < VIRTIO_QUEUE_MAX);
    vdev->vq[n].vdev = vdev;
    vdev->vq[n].num_max = vdev->vq[n].num = num_max;
    vdev->vq[n].handle = handle;
}

bool virtio_queue_set_num(VirtQueue *vq, unsigned num)
{
    if (!num || num > vq->num_max || (num & (num - 1))) {
        emu_log_mask(LOG_GUEST_ERROR, "%s: queue size %u refused (at most "
                     "%u, a power of 2)\n",
                     object_get_typename(OBJECT(vq->vdev)), num,
                     vq->num_max);
        return false;
    }
    vq->num = num;
    return true;
}

void virtio_queue_set_legacy_layout(VirtQueue *vq, hwaddr base,
                                    unsigned align)
{
    vq->desc = base;
    vq->avail = base + (hwaddr)vq->num * VRING_DESC_SIZE;
    vq->used = (vq->avail + 4 + 2 * vq->num + 2 + align - 1) &
               ~(hwaddr)(align - 1);
    vq->ready = base != 0;
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq;

    if (n >= VIRTIO_QUEUE_MAX || !vdev->vq[n].num_max) {
        emu_log_mask(LOG_GUEST_ERROR, "%s: notify of queue %u, which it "
                     "does not have\n", object_get_typename(OBJECT(vdev)),
                     n);
        return;
    }
    vq = &vdev->vq[n];
    trace_virtio_queue_notify(vdev, n, vq);
    if (vq->ready && vq->num && (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        vq->handle(vdev, vq);
    }
}

/* Appends the buffer d to elem's readable or writable list. */
static bool elem_add(VirtIODevice *vdev, GArray *out, GArray *in,
                     const VRingDesc *d)
{
    VirtQueueSeg seg = { d->addr, d->len };

    if (d->flags & VRING_DESC_F_WRITE) {
        g_array_append_val(in, seg);
    } else if (in->len) {
        virtio_error(vdev, "virtio: a readable buffer after a writable one");
        return false;
    } else {
        g_array_append_val(out, seg);
    }
    return true;
}

/* The descriptors of the indirect table d points to. */
static bool walk_indirect(VirtIODevice *vdev, const VRingDesc *d,
                          GArray *out, GArray *in)
{
    unsigned max = d->len / VRING_DESC_SIZE, i = 0, count = 0;
    VRingDesc e;

    if (!max || d->len % VRING_DESC_SIZE) {
        virtio_error(vdev, "virtio: indirect table of %u bytes", d->len);
        return false;
    }
    for (;;) {
        if (++count > max || !vring_read_desc(vdev, d->addr, i, &e)) {
            virtio_error(vdev, "virtio: indirect chain loops or is "
                         "unreadable");
            return false;
        }
        if (e.flags & VRING_DESC_F_INDIRECT) {
            virtio_error(vdev, "virtio: indirect descriptor in an indirect "
                         "table");
            return false;
        }
        if (!elem_add(vdev, out, in, &e)) {
            return false;
        }
        if (!(e.flags & VRING_DESC_F_NEXT)) {
            return true;
        }
        i = e.next;
        if (i >= max) {
            virtio_error(vdev, "virtio: indirect next %u beyond %u", i, max);
            return false;
        }
    }
}

static VirtQueueElement *elem_new(unsigned head, GArray *out, GArray *in)
{
    VirtQueueElement *elem = g_malloc0(sizeof(*elem) + (out->len + in->len) *
                                       sizeof(VirtQueueSeg));

    elem->head = head;
    elem->out_num = out->len;
    elem->in_num = in->len;
    elem->out = (VirtQueueSeg *)(elem + 1);
    elem->in = elem->out + out->len;
    for (unsigned i = 0; i < out->len; i++) {
        elem->out[i] = g_array_index(out, VirtQueueSeg, i);
        elem->out_size += elem->out[i].len;
    }
    for (unsigned i = 0; i < in->len; i++) {
        elem->in[i] = g_array_index(in, VirtQueueSeg, i);
        elem->in_size += elem->in[i].len;
    }
    return elem;
}

VirtQueueElement *virtqueue_pop(VirtQueue *vq)
{
    VirtIODevice *vdev = vq->vdev;
    g_autoptr(GArray) out = NULL, in = NULL;
    uint64_t head64;
    unsigned head, i, count = 0;
    uint16_t avail_idx;
    VRingDesc d;

    if (!vq->ready) {
        return NULL;
    }
    avail_idx = vring_avail_idx(vq);
    if (avail_idx == vq->last_avail_idx &&
        virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        /* Empty: ask for a kick at the next request, then look again
         * in case the driver added one meanwhile (it runs on another
         * vCPU and reads avail_event after writing idx). */
        vring_set_avail_event(vq, avail_idx);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        avail_idx = vring_avail_idx(vq);
    }
    if (avail_idx == vq->last_avail_idx) {
        return NULL;
    }
    if ((uint16_t)(avail_idx - vq->last_avail_idx) > vq->num) {
        virtio_error(vdev, "virtio: avail idx %u is %u ahead of %u entries",
                     avail_idx, (uint16_t)(avail_idx - vq->last_avail_idx),
                     vq->num);
        return NULL;
    }
    /* The ring entries after the index that published them. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    vring_ld(vdev, vq->avail + 4 + 2 * (vq->last_avail_idx % vq->num), 2,
             &head64);
    head = head64;
    if (head >= vq->num) {
        virtio_error(vdev, "virtio: head %u beyond %u entries", head,
                     vq->num);
        return NULL;
    }
    vq->last_avail_idx++;
    if (virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        vring_set_avail_event(vq, vq->last_avail_idx);
    }
    out = g_array_new(FALSE, FALSE, sizeof(VirtQueueSeg));
    in = g_array_new(FALSE, FALSE, sizeof(VirtQueueSeg));
    for (i = head;;) {
        if (++count > vq->num || !vring_read_desc(vdev, vq->desc, i, &d)) {
            virtio_error(vdev, "virtio: descriptor chain loops or is "
                         "unreadable");
            return NULL;
        }
        if (d.flags & VRING_DESC_F_INDIRECT) {
            if (!virtio_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC) ||
                (d.flags & VRING_DESC_F_NEXT) || out->len || in->len) {
                virtio_error(vdev, "virtio: indirect descriptor not "
                             "negotiated or not alone");
                return NULL;
            }
            if (!walk_indirect(vdev, &d, out, in)) {
                return NULL;
            }
            break;
        }
        if (!elem_add(vdev, out, in, &d)) {
            return NULL;
        }
        if (!(d.flags & VRING_DESC_F_NEXT)) {
            break;
        }
        i = d.next;
        if (i >= vq->num) {
            virtio_error(vdev, "virtio: next %u beyond %u entries", i,
                         vq->num);
            return NULL;
        }
    }
    return elem_new(head, out, in);
}

bool virtqueue_empty(VirtQueue *vq)
{
    return !vq->ready || vring_avail_idx(vq) == vq->last_avail_idx;
}

/* Copies between buf and the segments from offset on. */
static size_t elem_copy(const VirtQueueSeg *segs, unsigned n, size_t offset,
                        void *buf, size_t len, bool to_guest)
{
    size_t done = 0;

    for (unsigned i = 0; i < n && done < len; i++) {
        size_t chunk;

        if (offset >= segs[i].len) {
            offset -= segs[i].len;
            continue;
        }
        chunk = MIN(segs[i].len - offset, len - done);
        if (to_guest) {
            address_space_write(&address_space_memory,
                                segs[i].addr + offset,
                                (uint8_t *)buf + done, chunk);
        } else {
            address_space_read(&address_space_memory, segs[i].addr + offset,
                               (uint8_t *)buf + done, chunk);
        }
        done += chunk;
        offset = 0;
    }
    return done;
}

size_t virtqueue_read(const VirtQueueElement *elem, size_t offset,
                      void *buf, size_t len)
{
    return elem_copy(elem->out, elem->out_num, offset, buf, len, false);
}

size_t virtqueue_write(const VirtQueueElement *elem, size_t offset,
                       const void *buf, size_t len)
{
    return elem_copy(elem->in, elem->in_num, offset, (void *)buf, len, true);
}

void virtqueue_push(VirtQueue *vq, VirtQueueElement *elem, uint32_t len)
{
    hwaddr at = vq->used + 4 + 8 * (vq->used_idx % vq->num);

    vring_st(vq->vdev, at, 4, elem->head);
    vring_st(vq->vdev, at + 4, 4, len);
    /* The entry before the index that publishes it. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    vq->used_idx++;
    vring_st(vq->vdev, vq->used + 2, 2, vq->used_idx);
    g_free(elem);
}

/* virtio 1.1, 2.6.7.2: whether the driver asked to hear of used_idx. */
static bool virtio_should_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    uint16_t old, new, event;
    bool valid;

    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (virtio_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) &&
        vring_avail_idx(vq) == vq->last_avail_idx) {
        return true;
    }
    if (!virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return !(vring_avail_flags(vq) & VRING_AVAIL_F_NO_INTERRUPT);
    }
    old = vq->signalled_used;
    new = vq->signalled_used = vq->used_idx;
    valid = vq->signalled_used_valid;
    vq->signalled_used_valid = true;
    event = vring_used_event(vq);
    return !valid || (uint16_t)(new - event - 1) < (uint16_t)(new - old);
}

static void virtio_notify_transport(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtioBusState *bus = VIRTIO_BUS(DEVICE(vdev)->parent_bus);

    if (bus->notify) {
        bus->notify(bus->opaque, vq);
    }
}

void virtio_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    if (!virtio_should_notify(vdev, vq)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_QUEUE;
    virtio_notify_transport(vdev, vq);
}

void virtio_notify_config(VirtIODevice *vdev)
{
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    vdev->config_generation++;
    vdev->isr |= VIRTIO_ISR_CONFIG;
    virtio_notify_transport(vdev, NULL);
}

/* ---- the bus and the device base type ---- */

VirtIODevice *virtio_bus_get_device(BusState *bus)
{
    return bus->children ? VIRTIO_DEVICE(bus->children->data) : NULL;
}

DeviceState *virtio_user_device(VirtIODevice *vdev)
{
    BusState *bus = DEVICE(vdev)->parent_bus;

    if (bus && VIRTIO_BUS(bus)->transport_is_user_device) {
        return bus->parent;
    }
    return DEVICE(vdev);
}

static void virtio_device_reset(DeviceState *dev)
{
    virtio_reset(VIRTIO_DEVICE(dev));
}

static void virtio_device_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->bus_type = TYPE_VIRTIO_BUS;
    dc->reset = virtio_device_reset;
    dc->user_creatable = true;
}

/* A transport carries one device. */
static void virtio_bus_class_init(ObjectClass *klass)
{
    BUS_CLASS(klass)->max_children = 1;
}

static const TypeInfo virtio_types[] = {
    {
        .name = TYPE_VIRTIO_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(VirtioBusState),
        .class_init = virtio_bus_class_init,
    },
    {
        .name = TYPE_VIRTIO_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(VirtIODevice),
        .class_size = sizeof(VirtioDeviceClass),
        .abstract = true,
        .class_init = virtio_device_class_init,
    },
};

DEFINE_TYPES(virtio_types)
