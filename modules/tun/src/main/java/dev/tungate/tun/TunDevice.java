package dev.tungate.tun;

import java.nio.charset.StandardCharsets;

/**
 * A TUN device inside a network namespace: IFF_TUN|IFF_NO_PI, one fd per queue, all non-blocking.
 *
 * <p>Every queue is opened from a thread inside the namespace, because a TUN device is created in the namespace of
 * the process that opened /dev/net/tun, not of the one that issues TUNSETIFF. The device is not persistent: the kernel
 * removes it when the last queue fd closes.
 */
public final class TunDevice implements AutoCloseable {
    // <linux/if_tun.h>
    static final long TUNSETIFF = 0x400454caL, TUNSETOFFLOAD = 0x400454d0L, TUNSETVNETHDRSZ = 0x400454d8L;
    static final int IFF_TUN = 0x0001, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000, IFF_MULTI_QUEUE = 0x0100;
    static final int TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02, TUN_F_TSO6 = 0x04;
    // <linux/sockios.h>
    static final long SIOCGIFINDEX = 0x8933;
    /** struct ifreq: ifr_name[IFNAMSIZ] then a 24-byte union (ifr_flags short, ifr_ifindex int). */
    static final int IFNAMSIZ = 16, IFREQ_SIZE = 40;
    /** The kernel's sanity cap on queues per device (MAX_TAP_QUEUES in drivers/net/tun.c). */
    static final int MAX_QUEUES = 256;

    private final String name;
    private final int ifindex;
    private final int[] fds;
    private final boolean offload;
    private boolean closed;

    private TunDevice(String name, int ifindex, int[] fds, boolean offload) {
        this.name = name;
        this.ifindex = ifindex;
        this.fds = fds;
        this.offload = offload;
    }

    /**
     * Opens queues queues of device name inside ns (IFF_MULTI_QUEUE on every queue when queues &gt; 1); with offload,
     * IFF_VNET_HDR, TUNSETVNETHDRSZ 12 and TUNSETOFFLOAD(TUN_F_CSUM|TUN_F_TSO4|TUN_F_TSO6). Fails with a one-line
     * TunException ("device tun0 is busy", "no /dev/net/tun", ...).
     */
    public static TunDevice open(Netns ns, String name, int queues, boolean offload) {
        if (queues < 1 || queues > MAX_QUEUES) {
            throw new TunException("bad queue count " + queues + " for device " + name + " (1.." + MAX_QUEUES + ")");
        }
        byte[] nameBytes = checkName(name);
        return ns.call(() -> openHere(name, nameBytes, queues, offload));
    }

    private static TunDevice openHere(String name, byte[] nameBytes, int queues, boolean offload) {
        int flags = IFF_TUN | IFF_NO_PI | (queues > 1 ? IFF_MULTI_QUEUE : 0) | (offload ? IFF_VNET_HDR : 0);
        int[] fds = new int[queues];
        java.util.Arrays.fill(fds, -1);
        try {
            for (int q = 0; q < queues; q++) {
                fds[q] = openQueue(name, nameBytes, flags, offload);
            }
            return new TunDevice(name, ifindex(name, nameBytes), fds, offload);
        } catch (TunException e) {
            for (int fd : fds) {
                LibC.closeQuietly(fd);
            }
            throw e;
        }
    }

    private static int openQueue(String name, byte[] nameBytes, int flags, boolean offload) {
        int fd = LibC.C.open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            int errno = LibC.errno();
            throw new TunException(errno == LibC.ENOENT ? "no /dev/net/tun (is the tun module loaded?)"
                    : "cannot open /dev/net/tun: " + LibC.describe(errno));
        }
        try {
            byte[] ifr = ifreq(nameBytes);
            ifr[IFNAMSIZ] = (byte) flags;          // ifr_flags, a native-order (little-endian) short
            ifr[IFNAMSIZ + 1] = (byte) (flags >>> 8);
            if (LibC.C.ioctl(fd, TUNSETIFF, ifr) != 0) {
                throw new TunException(setIffMessage(name, LibC.errno()));
            }
            if (offload) {
                byte[] hdrSize = {VirtioNetHdr.LENGTH, 0, 0, 0};
                if (LibC.C.ioctl(fd, TUNSETVNETHDRSZ, hdrSize) != 0) {
                    throw new TunException("device " + name + ": TUNSETVNETHDRSZ: " + LibC.describe(LibC.errno()));
                }
                if (LibC.C.ioctl(fd, TUNSETOFFLOAD, (long) (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)) != 0) {
                    throw new TunException("device " + name + ": TUNSETOFFLOAD: " + LibC.describe(LibC.errno()));
                }
            }
            return fd;
        } catch (TunException e) {
            LibC.closeQuietly(fd);
            throw e;
        }
    }

    private static String setIffMessage(String name, int errno) {
        return switch (errno) {
            case LibC.EBUSY -> "device " + name + " is busy";
            case LibC.EPERM, LibC.EACCES -> "no permission to create device " + name + " (needs CAP_NET_ADMIN)";
            case LibC.EINVAL -> "cannot create device " + name
                    + ": invalid argument (an existing non-TUN device or a different queue mode?)";
            default -> "cannot create device " + name + ": " + LibC.describe(errno);
        };
    }

    /** SIOCGIFINDEX on an AF_INET socket, which must be made in the device's namespace (we are on such a thread). */
    private static int ifindex(String name, byte[] nameBytes) {
        int sock = LibC.C.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (sock < 0) {
            throw new TunException("device " + name + ": socket: " + LibC.describe(LibC.errno()));
        }
        try {
            byte[] ifr = ifreq(nameBytes);
            if (LibC.C.ioctl(sock, SIOCGIFINDEX, ifr) != 0) {
                throw new TunException("device " + name + ": SIOCGIFINDEX: " + LibC.describe(LibC.errno()));
            }
            return (ifr[IFNAMSIZ] & 0xff) | (ifr[IFNAMSIZ + 1] & 0xff) << 8 | (ifr[IFNAMSIZ + 2] & 0xff) << 16
                    | (ifr[IFNAMSIZ + 3] & 0xff) << 24;
        } finally {
            LibC.closeQuietly(sock);
        }
    }

    private static byte[] ifreq(byte[] nameBytes) {
        byte[] ifr = new byte[IFREQ_SIZE];
        System.arraycopy(nameBytes, 0, ifr, 0, nameBytes.length);
        return ifr;
    }

    /** dev_valid_name() in net/core/dev.c: 1..15 bytes, not "." or "..", no '/', ':' or whitespace; no '%' templates. */
    private static byte[] checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new TunException("empty device name");
        }
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        boolean bad = b.length >= IFNAMSIZ || name.equals(".") || name.equals("..");
        for (int i = 0; i < name.length() && !bad; i++) {
            char c = name.charAt(i);
            bad = c == '/' || c == ':' || c == '%' || Character.isWhitespace(c) || c < 0x20;
        }
        if (bad) {
            throw new TunException("bad device name '" + name + "' (1-15 characters, no '/', ':', '%' or spaces)");
        }
        return b;
    }

    public String name() {
        return name;
    }

    public int ifindex() {
        return ifindex;
    }

    public int queueCount() {
        return fds.length;
    }

    /** The raw non-blocking fd of queue q; owned by this device, closed by {@link #close}. */
    public int queueFd(int q) {
        return fds[q];
    }

    /** True when every frame carries a 12-byte virtio_net_hdr and the kernel does TSO/checksum offload. */
    public boolean offload() {
        return offload;
    }

    /**
     * Closes every queue fd; the kernel then removes the device. Close the {@link TunQueueHandle}s first: epoll
     * deregistration needs the fd number to still be this queue.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int fd : fds) {
            LibC.closeQuietly(fd);
        }
    }

    @Override
    public String toString() {
        return "tun " + name + " (ifindex " + ifindex + ", " + fds.length + " queue(s)" + (offload ? ", offload" : "") + ")";
    }
}
