package dev.tungate.gateway.icmp;

import dev.tungate.gateway.shard.Counters;
import dev.tungate.tcp.table.ConnectionTable;
import dev.tungate.wire.IcmpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.UnixChannel;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * ICMP errors from the real path, relayed into the namespace (issue 8 item 10): the upstream sockets
 * of TCP and UDP flows run with IP_RECVERR / IPV6_RECVERR and the namespace's TTL less one, so a
 * router that drops a flow's datagram (time exceeded, unreachable, fragmentation needed / packet
 * too big) is heard in the socket's error queue ({@link ErrorQueue}), with its address. Each such
 * error goes to the namespace as the same ICMP message from the same router, quoting the
 * namespace's own packet of that flow ({@link IcmpErrors#fromNode}, quote limits and rate limit
 * included), so {@code traceroute} in the namespace sees the hops behind the gateway and a path MTU
 * reaches the namespace's sender.
 *
 * <p>An error whose offender is the upstream address itself is sent from the namespace's original
 * destination (which the gateway may have mapped, e.g. the gateway address to host loopback). An
 * error about a flow whose upstream is of the other IP family (a DNS address relayed to a resolver
 * of the other family) is not relayed: its type and code would not translate faithfully.
 *
 * <p>One per shard, on its loop.
 */
public final class PathErrors {
    /** {@code <netinet/in.h>}: IPPROTO_IP / IPPROTO_IPV6 levels and their options. */
    static final IntegerUnixChannelOption IP_TTL = new IntegerUnixChannelOption("IP_TTL", 0, 2);
    static final IntegerUnixChannelOption IP_RECVERR = new IntegerUnixChannelOption("IP_RECVERR", 0, 11);
    static final IntegerUnixChannelOption IPV6_UNICAST_HOPS = new IntegerUnixChannelOption("IPV6_UNICAST_HOPS", 41, 16);
    static final IntegerUnixChannelOption IPV6_RECVERR = new IntegerUnixChannelOption("IPV6_RECVERR", 41, 25);
    /** errno EMSGSIZE: a datagram larger than the path MTU the host already knows (ORIGIN_LOCAL). */
    static final int EMSGSIZE = 90;

    private final IcmpErrors errors;
    private final Counters counters;
    private final ErrorQueue queue = new ErrorQueue();
    private final SockExtendedErr err = new SockExtendedErr();

    public PathErrors(IcmpErrors errors, Counters counters) {
        this.errors = errors;
        this.counters = counters;
    }

    /** A new upstream datagram socket's options: error queue on, TTL / hop limit {@code hops}. */
    public static void options(io.netty.bootstrap.Bootstrap b, boolean v6, int hops) {
        b.option(v6 ? IPV6_RECVERR : IP_RECVERR, 1).option(v6 ? IPV6_UNICAST_HOPS : IP_TTL, valid(hops));
    }

    /** Turns the error queue of an upstream socket on or off (ip(7) IP_RECVERR, ipv6(7) IPV6_RECVERR). */
    public static void recvErr(Channel ch, boolean v6, boolean on) {
        ch.config().setOption(v6 ? IPV6_RECVERR : IP_RECVERR, on ? 1 : 0);
    }

    /** Sets the TTL / hop limit of an upstream socket's packets (1..255). */
    public static void hopLimit(Channel ch, boolean v6, int hops) {
        ch.config().setOption(v6 ? IPV6_UNICAST_HOPS : IP_TTL, valid(hops));
    }

    /** IP_TTL and IPV6_UNICAST_HOPS take 1..255 (ip(7), ipv6(7)); anything else fails the setsockopt. */
    private static int valid(int hops) {
        return Math.max(1, Math.min(255, hops));
    }

    /**
     * Drains the error queue of {@code ch} (an open epoll channel with IP_RECVERR on) and relays
     * every ICMP error in it, quoting {@code original} (the namespace's packet from its IP header,
     * not taken). Returns how many were relayed; 0 also when the queue was empty.
     */
    public int drain(Channel ch, ByteBuf original, int nsVersion, InetAddress upstream) {
        if (!ch.isOpen() || !(ch instanceof UnixChannel u)) {
            return 0;   // closed: its fd number may be another socket's now
        }
        int fd = u.fd().intValue();
        int relayed = 0;
        for (int i = 0; i < ErrorQueue.MAX_PER_DRAIN && queue.next(fd, err); i++) {
            if (relay(err, original, nsVersion, upstream)) {
                relayed++;
            }
        }
        return relayed;
    }

    /** Reads the first queued error of {@code ch} into {@link #last()}; false when none. */
    public boolean read(Channel ch) {
        return ch.isOpen() && ch instanceof UnixChannel u && queue.next(u.fd().intValue(), err)
                && err.origin != SockExtendedErr.ORIGIN_NONE;
    }

    /** The error {@link #read} found; valid until the next call on this shard. */
    public SockExtendedErr last() {
        return err;
    }

    /** Relays one error (see the class comment); true when an ICMP message went to the namespace. */
    public boolean relay(SockExtendedErr e, ByteBuf original, int nsVersion, InetAddress upstream) {
        if ((upstream instanceof Inet4Address ? 4 : 6) != nsVersion) {
            return false;
        }
        int type;
        int code = e.code;
        int rest = 0;
        if (e.origin == SockExtendedErr.ORIGIN_ICMP && nsVersion == 4) {
            type = e.type;
            if (type == IcmpHeader.V4_DEST_UNREACHABLE && code == IcmpHeader.V4_FRAG_NEEDED) {
                rest = e.info & 0xFFFF;      // RFC 1191 §4: next-hop MTU in the low 16 bits
            } else if (type != IcmpHeader.V4_DEST_UNREACHABLE && type != IcmpHeader.V4_TIME_EXCEEDED) {
                return false;                // parameter problem's pointer, redirects: not ours to repeat
            }
        } else if (e.origin == SockExtendedErr.ORIGIN_ICMP6 && nsVersion == 6) {
            type = e.type;
            if (type == IcmpHeader.V6_PACKET_TOO_BIG) {
                rest = e.info;               // RFC 4443 §3.2
            } else if (type != IcmpHeader.V6_DEST_UNREACHABLE && type != IcmpHeader.V6_TIME_EXCEEDED) {
                return false;
            }
        } else if (e.origin == SockExtendedErr.ORIGIN_LOCAL && e.errno == EMSGSIZE && e.info > 0) {
            // The host knew the path MTU before sending: tell the namespace as the path would have.
            type = nsVersion == 4 ? IcmpHeader.V4_DEST_UNREACHABLE : IcmpHeader.V6_PACKET_TOO_BIG;
            code = nsVersion == 4 ? IcmpHeader.V4_FRAG_NEEDED : 0;
            rest = nsVersion == 4 ? e.info & 0xFFFF : e.info;
            return send(original, nsVersion, type, code, rest, null, upstream);
        } else {
            return false;
        }
        return send(original, nsVersion, type, code, rest, e, upstream);
    }

    private boolean send(ByteBuf original, int nsVersion, int type, int code, int rest, SockExtendedErr e, InetAddress upstream) {
        boolean sent;
        if (e == null || e.offenderVersion == 0 || e.offenderIs(upstream.getAddress())) {
            // From the destination the namespace dialled (which may not be the upstream address).
            sent = errors.fromDestination(original, nsVersion, type, code, rest);
        } else if (e.offenderVersion != nsVersion) {
            return false;
        } else {
            sent = errors.fromNode(original, nsVersion, type, code, rest, hi(e.offender, nsVersion), lo(e.offender, nsVersion));
        }
        if (sent) {
            counters.icmpPathErrors++;
            counters.icmpErrors++;   // every ICMP error tungate sends, whoever caused it
        }
        return sent;
    }

    /** The flow key's layout: IPv4 a.b.c.d as ::ffff:a.b.c.d (high word 0). */
    static long hi(byte[] a, int version) {
        return version == 4 ? 0 : bigEndian(a, 0, 8);
    }

    static long lo(byte[] a, int version) {
        return version == 4 ? ConnectionTable.mappedV4Lo((int) bigEndian(a, 0, 4)) : bigEndian(a, 8, 8);
    }

    private static long bigEndian(byte[] a, int at, int n) {
        long v = 0;
        for (int i = at; i < at + n; i++) {
            v = v << 8 | (a[i] & 0xFF);
        }
        return v;
    }
}
