/*
 * virtio-serial ("-device virtio-serial-device") and its ports
 * ("-device virtconsole,chardev=ID", "-device virtserialport,chardev=ID,
 * name=NAME"): byte streams between the guest (/dev/hvc0 for a
 * console, /dev/vport*p* for a port) and emu's chardevs, with the
 * multiport protocol of virtio 1.1, 5.3.6: the driver and the device
 * tell each other about ports over the control queues.
 *
 * Queues: the port 0 receive/transmit pair (0, 1), control receive and
 * transmit (2, 3), then a pair per port from 1 on.  A console takes
 * port 0 when free, as in QEMU.  Bytes from the chardev go into the
 * port's receive buffers once the guest has the port open; what the
 * guest transmits is written to the chardev whole.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "chardev/char.h"
#include "hw/char/serial.h"
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_SERIAL "virtio-serial-device"
#define TYPE_VIRTIO_SERIAL_BUS "virtio-serial-bus"
#define TYPE_VIRTIO_SERIAL_PORT "virtserialport"
#define TYPE_VIRTIO_CONSOLE "virtconsole"

#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_CONSOLE_F_MULTIPORT 1
#define MAX_PORTS 31
#define QUEUE_SIZE 128

/* Control events (5.3.6.2). */
#define VIRTIO_CONSOLE_DEVICE_READY 0
#define VIRTIO_CONSOLE_DEVICE_ADD 1
#define VIRTIO_CONSOLE_PORT_READY 3
#define VIRTIO_CONSOLE_CONSOLE_PORT 4
#define VIRTIO_CONSOLE_PORT_OPEN 6
#define VIRTIO_CONSOLE_PORT_NAME 7
#define CONTROL_RX_QUEUE 2
#define CONTROL_TX_QUEUE 3
#define CONTROL_MSG_SIZE 8

/* The configuration space: cols, rows (u16), max_nr_ports, emerg_wr. */
#define CFG_MAX_NR_PORTS 4
#define CFG_SIZE 12

typedef struct VirtIOSerial VirtIOSerial;

typedef struct VirtIOSerialPort {
    DeviceState parent_obj;
    char *chardev;
    char *name;                  /* the guest's /sys/.../name */
    bool is_console;
    unsigned nr;
    CharBackend chr;
    bool guest_connected;        /* the guest has the port open */
    VirtIOSerial *vser;
    VirtQueueElement *rx_elem;   /* a receive buffer taken for input */
} VirtIOSerialPort;

struct VirtIOSerial {
    VirtIODevice parent_obj;
    BusState *bus;
    VirtIOSerialPort *ports[MAX_PORTS];
    GQueue ctrl_pending;         /* GBytes: messages for the driver */
};

#define VIRTIO_SERIAL(obj) \
    INSTANCE_CAST(VirtIOSerial, (obj), TYPE_VIRTIO_SERIAL)
#define VIRTIO_SERIAL_PORT(obj) \
    INSTANCE_CAST(VirtIOSerialPort, (obj), TYPE_VIRTIO_SERIAL_PORT)

static unsigned port_rx_queue(unsigned nr)
{
    return nr ? 2 * nr + 2 : 0;
}

/* The port whose transmit or receive queue is n, or NULL. */
static VirtIOSerialPort *port_of_queue(VirtIOSerial *s, unsigned n)
{
    unsigned nr = n < 2 ? 0 : n / 2 - 1;

    return nr < MAX_PORTS ? s->ports[nr] : NULL;
}

/* ---- control ---- */

static void ctrl_flush(VirtIOSerial *s)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    VirtQueue *vq = &vdev->vq[CONTROL_RX_QUEUE];
    bool pushed = false;

    while (!g_queue_is_empty(&s->ctrl_pending)) {
        VirtQueueElement *elem = virtqueue_pop(vq);
        g_autoptr(GBytes) msg = NULL;
        gsize len;
        const void *data;

        if (!elem) {
            break;
        }
        msg = g_queue_pop_head(&s->ctrl_pending);
        data = g_bytes_get_data(msg, &len);
        virtqueue_push(vq, elem, virtqueue_write(elem, 0, data, len));
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

static void ctrl_send(VirtIOSerial *s, unsigned id, uint16_t event,
                      uint16_t value, const char *text)
{
    size_t len = CONTROL_MSG_SIZE + (text ? strlen(text) : 0);
    uint8_t *msg = g_malloc(len);

    msg[0] = id;
    msg[1] = id >> 8;
    msg[2] = id >> 16;
    msg[3] = id >> 24;
    msg[4] = event;
    msg[5] = event >> 8;
    msg[6] = value;
    msg[7] = value >> 8;
    if (text) {
        memcpy(msg + CONTROL_MSG_SIZE, text, strlen(text));
    }
    g_queue_push_tail(&s->ctrl_pending, g_bytes_new_take(msg, len));
    ctrl_flush(s);
}

static void ctrl_handle(VirtIOSerial *s, const uint8_t *msg)
{
    unsigned id = msg[0] | msg[1] << 8 | msg[2] << 16 | (unsigned)msg[3] << 24;
    uint16_t event = msg[4] | msg[5] << 8;
    uint16_t value = msg[6] | msg[7] << 8;
    VirtIOSerialPort *port = id < MAX_PORTS ? s->ports[id] : NULL;

    switch (event) {
    case VIRTIO_CONSOLE_DEVICE_READY:
        if (!value) {
            emu_log_mask(LOG_GUEST_ERROR, "virtio-serial: the driver could "
                         "not initialize the device\n");
            return;
        }
        for (unsigned i = 0; i < MAX_PORTS; i++) {
            if (s->ports[i]) {
                ctrl_send(s, i, VIRTIO_CONSOLE_DEVICE_ADD, 1, NULL);
            }
        }
        return;
    case VIRTIO_CONSOLE_PORT_READY:
        if (!port || !value) {
            emu_log_mask(LOG_GUEST_ERROR, "virtio-serial: port %u not ready "
                         "or not there\n", id);
            return;
        }
        if (port->is_console) {
            ctrl_send(s, id, VIRTIO_CONSOLE_CONSOLE_PORT, 1, NULL);
        }
        if (port->name) {
            ctrl_send(s, id, VIRTIO_CONSOLE_PORT_NAME, 1, port->name);
        }
        /* The chardev side is always there. */
        ctrl_send(s, id, VIRTIO_CONSOLE_PORT_OPEN, 1, NULL);
        return;
    case VIRTIO_CONSOLE_PORT_OPEN:
        if (port) {
            port->guest_connected = value;
            if (value) {
                chr_fe_accept_input(&port->chr);
            }
        }
        return;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "virtio-serial: control event %u "
                     "ignored\n", event);
        return;
    }
}

static void virtio_serial_handle_ctrl_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerial *s = VIRTIO_SERIAL(vdev);
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq))) {
        uint8_t msg[CONTROL_MSG_SIZE];

        if (virtqueue_read(elem, 0, msg, sizeof(msg)) == sizeof(msg)) {
            ctrl_handle(s, msg);
        }
        virtqueue_push(vq, elem, 0);
    }
    virtio_notify(vdev, vq);
}

static void virtio_serial_handle_ctrl_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    ctrl_flush(VIRTIO_SERIAL(vdev));
}

/* ---- data ---- */

static void virtio_serial_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerialPort *port = port_of_queue(VIRTIO_SERIAL(vdev),
                                           vq - vdev->vq);
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq))) {
        g_autofree uint8_t *buf = g_malloc(elem->out_size ? elem->out_size
                                                          : 1);
        size_t len = virtqueue_read(elem, 0, buf, elem->out_size);

        if (port) {
            chr_fe_write_all(&port->chr, buf, len);
        }
        virtqueue_push(vq, elem, 0);
    }
    virtio_notify(vdev, vq);
}

/* The driver gave receive buffers: input may flow again. */
static void virtio_serial_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerialPort *port = port_of_queue(VIRTIO_SERIAL(vdev),
                                           vq - vdev->vq);

    if (port) {
        chr_fe_accept_input(&port->chr);
    }
}

static int port_can_receive(void *opaque)
{
    VirtIOSerialPort *port = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(port->vser);

    if (!port->guest_connected ||
        !(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return 0;
    }
    if (!port->rx_elem) {
        port->rx_elem = virtqueue_pop(&vdev->vq[port_rx_queue(port->nr)]);
    }
    return port->rx_elem ? MIN(port->rx_elem->in_size, INT_MAX) : 0;
}

static void port_receive(void *opaque, const uint8_t *buf, int len)
{
    VirtIOSerialPort *port = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(port->vser);
    VirtQueue *vq = &vdev->vq[port_rx_queue(port->nr)];

    while (len > 0 && port_can_receive(port)) {
        size_t done = virtqueue_write(port->rx_elem, 0, buf, len);

        virtqueue_push(vq, port->rx_elem, done);
        port->rx_elem = NULL;
        buf += done;
        len -= done;
    }
    virtio_notify(vdev, vq);
}

/* ---- the device ---- */

static uint64_t virtio_serial_get_features(VirtIODevice *vdev)
{
    return 1ULL << VIRTIO_CONSOLE_F_MULTIPORT;
}

static void virtio_serial_get_config(VirtIODevice *vdev, uint8_t *config)
{
    config[CFG_MAX_NR_PORTS] = MAX_PORTS;
}

static void virtio_serial_reset(VirtIODevice *vdev)
{
    VirtIOSerial *s = VIRTIO_SERIAL(vdev);

    g_queue_clear_full(&s->ctrl_pending, (GDestroyNotify)g_bytes_unref);
    for (unsigned i = 0; i < MAX_PORTS; i++) {
        if (s->ports[i]) {
            s->ports[i]->guest_connected = false;
            g_clear_pointer(&s->ports[i]->rx_elem, g_free);
        }
    }
}

static bool virtio_serial_realize(DeviceState *dev, Error **errp)
{
    VirtIOSerial *s = VIRTIO_SERIAL(dev);
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    static unsigned bus_count;
    g_autofree char *name = g_strdup_printf("virtio-serial-bus.%u",
                                            bus_count++);

    g_queue_init(&s->ctrl_pending);
    for (unsigned nr = 0; nr < MAX_PORTS; nr++) {
        unsigned rx = port_rx_queue(nr);

        virtio_add_queue(vdev, rx, QUEUE_SIZE, virtio_serial_handle_rx);
        virtio_add_queue(vdev, rx + 1, QUEUE_SIZE, virtio_serial_handle_tx);
    }
    virtio_add_queue(vdev, CONTROL_RX_QUEUE, QUEUE_SIZE,
                     virtio_serial_handle_ctrl_rx);
    virtio_add_queue(vdev, CONTROL_TX_QUEUE, QUEUE_SIZE,
                     virtio_serial_handle_ctrl_tx);
    s->bus = qbus_new(TYPE_VIRTIO_SERIAL_BUS, dev, name);
    return true;
}

static void virtio_serial_finalize(Object *obj)
{
    g_queue_clear_full(&VIRTIO_SERIAL(obj)->ctrl_pending,
                       (GDestroyNotify)g_bytes_unref);
}

/* ---- ports ---- */

static bool virtio_serial_port_realize(DeviceState *dev, Error **errp)
{
    VirtIOSerialPort *port = VIRTIO_SERIAL_PORT(dev);
    VirtIOSerial *s = VIRTIO_SERIAL(dev->parent_bus->parent);
    Chardev *chr;
    unsigned nr;

    /* A console takes port 0 when free; other ports never do (a
     * driver without multiport sees only port 0). */
    nr = port->is_console && !s->ports[0] ? 0 : 1;
    while (nr < MAX_PORTS && s->ports[nr]) {
        nr++;
    }
    if (nr == MAX_PORTS) {
        error_setg(errp, "virtio-serial-bus: Out of port numbers");
        return false;
    }
    if (!serial_find_chardev(dev, port->chardev, &chr, errp) ||
        !chr_fe_init(&port->chr, chr, errp)) {
        return false;
    }
    port->nr = nr;
    port->vser = s;
    s->ports[nr] = port;
    chr_fe_set_handlers(&port->chr, port_can_receive, port_receive, NULL,
                        port);
    return true;
}

static void virtio_serial_port_unrealize(DeviceState *dev)
{
    VirtIOSerialPort *port = VIRTIO_SERIAL_PORT(dev);

    chr_fe_deinit(&port->chr);
    g_clear_pointer(&port->rx_elem, g_free);
    port->vser->ports[port->nr] = NULL;
}

static void virtio_serial_port_finalize(Object *obj)
{
    VirtIOSerialPort *port = VIRTIO_SERIAL_PORT(obj);

    qdev_unrealize(DEVICE(obj));
    g_free(port->chardev);
    g_free(port->name);
}

static void virtio_console_instance_init(Object *obj)
{
    VIRTIO_SERIAL_PORT(obj)->is_console = true;
}

static const Property virtio_serial_port_properties[] = {
    DEFINE_PROP_STRING("chardev", VirtIOSerialPort, chardev,
                       "ID of a chardev to use as a backend"),
    DEFINE_PROP_STRING("name", VirtIOSerialPort, name,
                       "The port's name the guest sees"),
};

static void virtio_serial_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    klass->desc = "virtio serial ports (virtconsole, virtserialport)";
    dc->realize = virtio_serial_realize;
    vdc->device_id = VIRTIO_ID_CONSOLE;
    vdc->config_size = CFG_SIZE;
    vdc->get_features = virtio_serial_get_features;
    vdc->get_config = virtio_serial_get_config;
    vdc->reset = virtio_serial_reset;
}

static void virtio_serial_bus_class_init(ObjectClass *klass)
{
    BUS_CLASS(klass)->max_children = MAX_PORTS;
}

static void virtio_serial_port_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "a virtio-serial port on a chardev";
    dc->realize = virtio_serial_port_realize;
    dc->unrealize = virtio_serial_port_unrealize;
    dc->bus_type = TYPE_VIRTIO_SERIAL_BUS;
    dc->user_creatable = true;
    class_add_properties(klass, virtio_serial_port_properties,
                         ARRAY_SIZE(virtio_serial_port_properties));
}

static void virtio_console_class_init(ObjectClass *klass)
{
    klass->desc = "a virtio console (hvc in Linux) on a chardev";
}

static const TypeInfo virtio_serial_types[] = {
    {
        .name = TYPE_VIRTIO_SERIAL,
        .parent = TYPE_VIRTIO_DEVICE,
        .instance_size = sizeof(VirtIOSerial),
        .class_init = virtio_serial_class_init,
        .instance_finalize = virtio_serial_finalize,
    },
    {
        .name = TYPE_VIRTIO_SERIAL_BUS,
        .parent = TYPE_BUS,
        .class_init = virtio_serial_bus_class_init,
    },
    {
        .name = TYPE_VIRTIO_SERIAL_PORT,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(VirtIOSerialPort),
        .class_init = virtio_serial_port_class_init,
        .instance_finalize = virtio_serial_port_finalize,
    },
    {
        .name = TYPE_VIRTIO_CONSOLE,
        .parent = TYPE_VIRTIO_SERIAL_PORT,
        .instance_init = virtio_console_instance_init,
        .class_init = virtio_console_class_init,
    },
};

DEFINE_TYPES(virtio_serial_types)
