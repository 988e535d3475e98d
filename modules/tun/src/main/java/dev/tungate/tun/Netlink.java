package dev.tungate.tun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * rtnetlink (RFC 3549, rtnetlink(7)) over an AF_NETLINK/NETLINK_ROUTE socket made through jnr-ffi: the few link,
 * address and route requests needed to bring a TUN device up. The socket belongs to the namespace of the thread that
 * called {@link #open}, so open it inside the namespace: {@code ns.call(() -> { try (Netlink nl = Netlink.open()) {..} })}.
 * Every request asks for an ACK (NLM_F_ACK) and waits for it; a negative errno in the answer becomes a
 * NetlinkException naming the request. Not thread-safe; control path only.
 */
public final class Netlink implements AutoCloseable {
    // <linux/netlink.h>
    static final int NETLINK_ROUTE = 0, NLMSG_HDRLEN = 16, NLMSG_ERROR = 2;
    static final int NLM_F_REQUEST = 0x1, NLM_F_ACK = 0x4, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
    // <linux/rtnetlink.h>
    static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_SETLINK = 19, RTM_NEWADDR = 20,
            RTM_NEWROUTE = 24;
    static final int RT_TABLE_MAIN = 254, RTPROT_BOOT = 3, RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253, RTN_UNICAST = 1;
    static final int RTA_OIF = 4, RTA_GATEWAY = 5, RTNH_F_ONLINK = 4;
    // <linux/if_link.h>, <linux/if_addr.h>, <linux/if.h>
    static final int IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_TXQLEN = 13;
    static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_FLAGS = 8, IFA_F_NODAD = 0x02;
    static final int IFF_UP = 0x1;
    /** sizeof(struct ifinfomsg). */
    static final int IFINFOMSG_LEN = 16;
    private static final int BUF_SIZE = 32 * 1024;
    /** Messages read while waiting for one ACK before giving up; the kernel answers a unicast request at once. */
    private static final int MAX_REPLIES = 64;

    private final int fd;
    private final byte[] rx = new byte[BUF_SIZE];
    private final ByteBuffer tx = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
    private int seq;
    private boolean closed;

    private Netlink(int fd) {
        this.fd = fd;
    }

    /** A NETLINK_ROUTE socket in the calling thread's network namespace. */
    public static Netlink open() {
        int fd = LibC.C.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw new NetlinkException("netlink socket: " + LibC.describe(LibC.errno()), LibC.errno());
        }
        byte[] sockaddrNl = new byte[12];     // sa_family, pad, nl_pid 0 (the kernel picks), nl_groups 0
        sockaddrNl[0] = (byte) LibC.AF_NETLINK;
        if (LibC.C.bind(fd, sockaddrNl, sockaddrNl.length) != 0) {
            int errno = LibC.errno();
            LibC.closeQuietly(fd);
            throw new NetlinkException("netlink bind: " + LibC.describe(errno), errno);
        }
        return new Netlink(fd);
    }

    /** RTM_GETLINK with IFLA_IFNAME: the ifindex of link name. */
    public int linkIndex(String name) {
        begin(RTM_GETLINK, 0);
        ifinfomsg(0, 0, 0);
        attr(IFLA_IFNAME, (name + "\0").getBytes(StandardCharsets.UTF_8));
        return query("RTM_GETLINK " + name, RTM_NEWLINK).getInt(NLMSG_HDRLEN + 4);   // ifinfomsg.ifi_index
    }

    /** RTM_SETLINK IFF_UP (`ip link set dev X up`). */
    public void setLinkUp(int ifindex) {
        begin(RTM_SETLINK, 0);
        ifinfomsg(ifindex, IFF_UP, IFF_UP);
        transact("RTM_SETLINK up", ifindex);
    }

    /** RTM_SETLINK IFLA_MTU (`ip link set dev X mtu N`). */
    public void setMtu(int ifindex, int mtu) {
        setLinkInt(ifindex, IFLA_MTU, "mtu", mtu);
    }

    /** RTM_SETLINK IFLA_TXQLEN (`ip link set dev X txqueuelen N`). */
    public void setTxQueueLen(int ifindex, int qlen) {
        setLinkInt(ifindex, IFLA_TXQLEN, "txqueuelen", qlen);
    }

    /** RTM_SETLINK with one 32-bit IFLA_* attribute; what names it in an error, as `ip link set` spells it. */
    private void setLinkInt(int ifindex, int attr, String what, int value) {
        begin(RTM_SETLINK, 0);
        ifinfomsg(ifindex, 0, 0);
        attrInt(attr, value);
        transact("RTM_SETLINK " + what + " " + value, ifindex);
    }

    /** RTM_NEWADDR addr/prefixLen on ifindex; IPv6 addresses get IFA_F_NODAD so they are usable at once. */
    public void addAddress(int ifindex, InetAddress addr, int prefixLen) {
        boolean v4 = addr instanceof Inet4Address;
        if (prefixLen < 0 || prefixLen > (v4 ? 32 : 128)) {
            throw new IllegalArgumentException("bad prefix length " + prefixLen + " for " + addr.getHostAddress());
        }
        begin(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
        tx.put((byte) (v4 ? LibC.AF_INET : LibC.AF_INET6)).put((byte) prefixLen).put((byte) (v4 ? 0 : IFA_F_NODAD))
                .put((byte) RT_SCOPE_UNIVERSE).putInt(ifindex);
        attr(IFA_LOCAL, addr.getAddress());
        attr(IFA_ADDRESS, addr.getAddress());
        if (!v4) {
            attrInt(IFA_FLAGS, IFA_F_NODAD);
        }
        transact("RTM_NEWADDR " + addr.getHostAddress() + "/" + prefixLen, ifindex);
    }

    /**
     * RTM_NEWROUTE default route (0.0.0.0/0 or ::/0 by the gateway's family) out of ifindex in the main table. With a
     * gateway the route is "via gateway onlink", so the gateway need not lie inside an address prefix; without one it is
     * an IPv4 link-scope route (`ip route add default dev X`).
     */
    public void addDefaultRoute(int ifindex, InetAddress gatewayOrNull) {
        boolean v4 = gatewayOrNull == null || gatewayOrNull instanceof Inet4Address;
        begin(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
        // rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags
        tx.put((byte) (v4 ? LibC.AF_INET : LibC.AF_INET6)).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) RT_TABLE_MAIN).put((byte) RTPROT_BOOT)
                .put((byte) (gatewayOrNull == null ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE)).put((byte) RTN_UNICAST)
                .putInt(gatewayOrNull == null ? 0 : RTNH_F_ONLINK);
        attrInt(RTA_OIF, ifindex);
        if (gatewayOrNull != null) {
            attr(RTA_GATEWAY, gatewayOrNull.getAddress());
        }
        transact("RTM_NEWROUTE default" + (gatewayOrNull == null ? "" : " via " + gatewayOrNull.getHostAddress()), ifindex);
    }

    /** RTM_DELLINK (`ip link del`). */
    public void deleteLink(int ifindex) {
        begin(RTM_DELLINK, 0);
        ifinfomsg(ifindex, 0, 0);
        transact("RTM_DELLINK", ifindex);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.closeQuietly(fd);
        }
    }

    private void begin(int type, int flags) {
        if (closed) {
            throw new IllegalStateException("netlink socket is closed");
        }
        tx.clear();
        tx.putInt(0).putShort((short) type).putShort((short) (NLM_F_REQUEST | NLM_F_ACK | flags)).putInt(++seq).putInt(0);
    }

    private void ifinfomsg(int ifindex, int flags, int change) {
        tx.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifindex).putInt(flags).putInt(change);
    }

    private void attr(int type, byte[] value) {
        tx.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        while ((tx.position() & 3) != 0) {
            tx.put((byte) 0);
        }
    }

    private void attrInt(int type, int value) {
        tx.putShort((short) 8).putShort((short) type).putInt(value);
    }

    /** Sends tx and waits for the ACK; a refusal names the request and the link. */
    private void transact(String what, int ifindex) {
        Answer a = exchange(0);
        if (a.errno != 0) {
            throw new NetlinkException("netlink " + what + " on " + linkLabel(ifindex) + ": " + LibC.describe(a.errno),
                    a.errno);
        }
    }

    /** Sends tx and waits for the reply of replyType and the ACK; returns the reply message (header included). */
    private ByteBuffer query(String what, int replyType) {
        Answer a = exchange(replyType);
        if (a.errno != 0) {
            throw new NetlinkException("netlink " + what + ": " + LibC.describe(a.errno), a.errno);
        }
        if (a.reply == null) {
            throw new NetlinkException("netlink " + what + ": no answer", 0);
        }
        return a.reply;
    }

    /** What the kernel said to one request: a positive errno (0 = ACK) and the reply message if one was asked for. */
    private record Answer(int errno, ByteBuffer reply) { }

    /**
     * Sends the request in tx, then reads datagrams until the NLMSG_ERROR carrying our sequence number (netlink(7):
     * an error code of 0 is the ACK). A message of replyType with our sequence number is copied out on the way.
     */
    private Answer exchange(int replyType) {
        int len = tx.position();
        tx.putInt(0, len);
        long sent;
        do {
            sent = LibC.C.send(fd, tx.array(), len, 0);
        } while (sent < 0 && LibC.errno() == LibC.EINTR);
        if (sent != len) {
            int errno = sent < 0 ? LibC.errno() : 0;
            throw new NetlinkException("netlink send: " + (sent < 0 ? LibC.describe(errno) : "short write"), errno);
        }
        ByteBuffer reply = null;
        for (int i = 0; i < MAX_REPLIES; i++) {
            long n = LibC.C.recv(fd, rx, rx.length, 0);
            if (n < 0) {
                int errno = LibC.errno();
                if (errno == LibC.EINTR) {
                    continue;
                }
                throw new NetlinkException("netlink recv: " + LibC.describe(errno), errno);
            }
            ByteBuffer in = ByteBuffer.wrap(rx, 0, (int) n).order(ByteOrder.nativeOrder());
            for (int off = 0; off + NLMSG_HDRLEN <= n; ) {
                int msgLen = in.getInt(off);
                int type = in.getShort(off + 4) & 0xffff;
                if (msgLen < NLMSG_HDRLEN || off + msgLen > n) {
                    break;
                }
                if (in.getInt(off + 8) == seq) {
                    if (type == NLMSG_ERROR) {
                        return new Answer(-in.getInt(off + NLMSG_HDRLEN), reply);
                    }
                    if (type == replyType && reply == null) {
                        reply = ByteBuffer.wrap(Arrays.copyOfRange(rx, off, off + msgLen))
                                .order(ByteOrder.nativeOrder());
                    }
                }
                off += (msgLen + 3) & ~3;
            }
        }
        throw new NetlinkException("netlink: no ACK after " + MAX_REPLIES + " datagrams", 0);
    }

    /** The link's name for a message (RTM_GETLINK by index), or "ifindex N" if even that fails. */
    private String linkLabel(int ifindex) {
        try {
            begin(RTM_GETLINK, 0);
            ifinfomsg(ifindex, 0, 0);
            ByteBuffer m = query("RTM_GETLINK", RTM_NEWLINK);
            for (int off = NLMSG_HDRLEN + IFINFOMSG_LEN; off + 4 <= m.limit(); ) {
                int attrLen = m.getShort(off) & 0xffff;
                if (attrLen < 4) {
                    break;
                }
                if ((m.getShort(off + 2) & 0x3fff) == IFLA_IFNAME) {
                    int end = off + 4;
                    while (end < off + attrLen && m.get(end) != 0) {
                        end++;
                    }
                    return new String(m.array(), off + 4, end - off - 4, StandardCharsets.UTF_8);
                }
                off += (attrLen + 3) & ~3;
            }
        } catch (NetlinkException ignored) {
            // The original refusal is the error to report; the name is only a courtesy.
        }
        return "ifindex " + ifindex;
    }
}
