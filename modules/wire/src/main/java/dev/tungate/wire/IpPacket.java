package dev.tungate.wire;

import io.netty.buffer.ByteBuf;

/**
 * One IP datagram of either version, as read from TUN: wraps the right header view, validates
 * it for delivery to a transport, and exposes what the transport needs. Keep one per shard.
 *
 * <pre>{@code
 * Drop d = ip.wrap(frame, 0, frame.readableBytes());
 * if (d == Drop.NONE && ip.protocol() == IpPacket.TCP) d = tcp.wrap(frame, ip.l4Offset(), ip.l4Length());
 * if (d == Drop.NONE) d = tcp.verify(ip.pseudoHeaderSum());
 * }</pre>
 */
public final class IpPacket {
    /** IANA protocol numbers used here. */
    public static final int ICMP = 1, TCP = 6, UDP = 17, ICMPV6 = 58;

    private final Ipv4Header v4 = new Ipv4Header();
    private final Ipv6Header v6 = new Ipv6Header();
    private int version;

    /**
     * Wraps and validates: structure (per version), the IPv4 header checksum, and fragments,
     * which are set apart (IPV4_FRAGMENT / IPV6_FRAGMENT): the caller hands them to its
     * reassembler, whose whole datagram then comes back through here.
     */
    public Drop wrap(ByteBuf buf, int off, int len) {
        version = 0;
        if (len < 1) {
            return Drop.IP_TRUNCATED;
        }
        int v = buf.getUnsignedByte(off) >>> 4;
        Drop d;
        if (v == 4) {
            d = v4.wrap(buf, off, len);
            if (d == Drop.NONE && !v4.checksumOk()) {
                d = Drop.IPV4_BAD_CHECKSUM;
            } else if (d == Drop.NONE && v4.isFragment()) {
                d = Drop.IPV4_FRAGMENT;
            }
        } else if (v == 6) {
            d = v6.wrap(buf, off, len);
            if (d == Drop.NONE && v6.isFragment()) {
                d = Drop.IPV6_FRAGMENT;
            }
        } else {
            return Drop.IP_BAD_VERSION;
        }
        if (d == Drop.NONE) {
            version = v;
        }
        return d;
    }

    /** 4 or 6; 0 when the last wrap failed. */
    public int version() { return version; }
    public boolean isIpv4() { return version == 4; }
    public boolean isIpv6() { return version == 6; }
    /** The IPv4 view; meaningful only when {@link #isIpv4()}. */
    public Ipv4Header v4() { return v4; }
    /** The IPv6 view; meaningful only when {@link #isIpv6()}. */
    public Ipv6Header v6() { return v6; }
    /** Upper-layer protocol (after IPv6 extension headers). */
    public int protocol() { return version == 4 ? v4.protocol() : v6.protocol(); }
    public int l4Offset() { return version == 4 ? v4.payloadOffset() : v6.l4Offset(); }
    public int l4Length() { return version == 4 ? v4.payloadLength() : v6.l4Length(); }
    public int ecn() { return version == 4 ? v4.ecn() : v6.ecn(); }
    /** TTL or hop limit. */
    public int hopLimit() { return version == 4 ? v4.ttl() : v6.hopLimit(); }
    /** Pseudo-header partial sum for the L4 checksum (RFC 9293 §3.1, RFC 8200 §8.1). */
    public long pseudoHeaderSum() { return version == 4 ? v4.pseudoHeaderSum() : v6.pseudoHeaderSum(); }
}
