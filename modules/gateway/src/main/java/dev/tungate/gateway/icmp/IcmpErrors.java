package dev.tungate.gateway.icmp;

import dev.tungate.gateway.shard.ShardContext;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.Ipv4Header;
import dev.tungate.wire.Ipv6Header;
import dev.tungate.wire.PacketBuilder;
import io.netty.buffer.ByteBuf;

/**
 * ICMP errors that tungate sends into the namespace in the name of a destination: port, host and
 * protocol unreachable, administratively prohibited; and those of the path (see {@link PathErrors}),
 * in the name of the destination or of a router ({@link #fromNode}). One per shard; every call on its loop.
 *
 * <p>The error comes from the original destination and quotes the original datagram from its IP
 * header: as much as fits in 576 bytes for ICMPv4 (RFC 1812 §4.3.2.3; RFC 792 needs only the
 * header and 64 bits) and in 1280 bytes for ICMPv6 (RFC 4443 §2.4(c)).
 *
 * <p>No error is sent where RFC 1122 §3.2.2 and RFC 4443 §2.4(e) forbid it: in answer to an ICMP
 * error, to a multicast or broadcast destination, from a source that is not a unicast host, or to
 * a non-initial fragment. Errors are rate-limited by a token bucket (RFC 4443 §2.4(f) MUST; RFC
 * 1812 §4.3.2.8 SHOULD), with Linux's defaults: 1000 per second, bursts of 50.
 *
 * <p>Each method takes the original datagram with its readerIndex at the IP header, does not
 * take ownership of it, and returns whether an error was written to the TUN.
 */
public final class IcmpErrors {
    /** Linux net.ipv4.icmp_msgs_per_sec and icmp_msgs_burst. */
    static final int PER_SECOND = 1000, BURST = 50;
    private static final long NANOS_PER_TOKEN = 1_000_000_000L / PER_SECOND;
    /** RFC 4443 §3.4: "1 - unrecognized Next Header type encountered". */
    static final int V6_PARAMETER_PROBLEM_NEXT_HEADER = 1;

    private final ShardContext ctx;
    private final PacketBuilder builder = new PacketBuilder();
    private final Ipv4Header v4 = new Ipv4Header();
    private final Ipv6Header v6 = new Ipv6Header();
    private long tokens = BURST;
    private long refilledNanos;
    private boolean refilledOnce;
    /** Set during {@link #fromNode}: the error's source is nodeHi:nodeLo, not the original's destination. */
    private boolean nodeSource;
    private long nodeHi, nodeLo;

    public IcmpErrors(ShardContext ctx) {
        this.ctx = ctx;
    }

    /** A UDP datagram nobody listens for: ICMPv4 3/3, ICMPv6 1/4. */
    public boolean portUnreachable(ByteBuf original, int ipVersion) {
        return ipVersion == 4
                ? send(original, 4, IcmpHeader.V4_DEST_UNREACHABLE, IcmpHeader.V4_PORT_UNREACHABLE, 0)
                : send(original, 6, IcmpHeader.V6_DEST_UNREACHABLE, IcmpHeader.V6_PORT_UNREACHABLE, 0);
    }

    /** The destination cannot be reached (connect timed out, no route): ICMPv4 3/1, ICMPv6 1/3. */
    public boolean hostUnreachable(ByteBuf original, int ipVersion) {
        return ipVersion == 4
                ? send(original, 4, IcmpHeader.V4_DEST_UNREACHABLE, IcmpHeader.V4_HOST_UNREACHABLE, 0)
                : send(original, 6, IcmpHeader.V6_DEST_UNREACHABLE, IcmpHeader.V6_ADDRESS_UNREACHABLE, 0);
    }

    /** Refused by policy or --disable-host-loopback: ICMPv4 3/13 (RFC 1812 §5.2.7.1), ICMPv6 1/1. */
    public boolean adminProhibited(ByteBuf original, int ipVersion) {
        return ipVersion == 4
                ? send(original, 4, IcmpHeader.V4_DEST_UNREACHABLE, IcmpHeader.V4_ADMIN_PROHIBITED, 0)
                : send(original, 6, IcmpHeader.V6_DEST_UNREACHABLE, IcmpHeader.V6_ADMIN_PROHIBITED, 0);
    }

    /**
     * A transport tungate does not relay. ICMPv4 3/2 (RFC 1122 §3.2.2.1); IPv6 has no such code
     * and answers Parameter Problem, code 1, pointing at the Next Header field that named it
     * (RFC 8200 §4, RFC 4443 §3.4).
     */
    public boolean protocolUnreachable(ByteBuf original, int ipVersion) {
        if (ipVersion == 4) {
            return send(original, 4, IcmpHeader.V4_DEST_UNREACHABLE, IcmpHeader.V4_PROTOCOL_UNREACHABLE, 0);
        }
        int pointer = nextHeaderPointer(original);
        return pointer >= 0 && send(original, 6, IcmpHeader.V6_PARAMETER_PROBLEM, V6_PARAMETER_PROBLEM_NEXT_HEADER, pointer);
    }

    /** An error the path reported about the original (see {@link PathErrors}), sent from the original's destination. */
    public boolean fromDestination(ByteBuf original, int ipVersion, int type, int code, int rest) {
        return send(original, ipVersion, type, code, rest);
    }

    /**
     * An error about the original in another node's name: a router on the path (time exceeded,
     * unreachable, fragmentation needed / packet too big, as the host's error queue reported it) or
     * the gateway itself (time exceeded when the namespace's TTL ends here). The source is
     * {@code srcHi:srcLo} in the flow key's layout (IPv4 as ::ffff:a.b.c.d); {@code rest} is the
     * message's second word (the next-hop MTU of a frag-needed, the MTU of a packet too big).
     */
    public boolean fromNode(ByteBuf original, int ipVersion, int type, int code, int rest, long srcHi, long srcLo) {
        nodeSource = true;
        nodeHi = srcHi;
        nodeLo = srcLo;
        try {
            return send(original, ipVersion, type, code, rest);
        } finally {
            nodeSource = false;
        }
    }

    private boolean send(ByteBuf orig, int version, int type, int code, int rest) {
        int ip = orig.readerIndex();
        int avail = orig.readableBytes();
        int len;
        ByteBuf out;
        // The original may be a copy already cut to the quote limit (the UDP relay keeps one): parse it
        // by the length its header claims, but quote only the bytes that are here.
        if (avail < (version == 4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH)) {
            return false;
        }
        int claimed = version == 4
                ? orig.getUnsignedShort(ip + Ipv4Header.OFF_TOTAL_LENGTH)
                : Ipv6Header.LENGTH + orig.getUnsignedShort(ip + Ipv6Header.OFF_PAYLOAD_LENGTH);
        int parseLength = avail >= quoteLimit(version) ? Math.max(avail, claimed) : avail;
        if (version == 4) {
            if (v4.wrap(orig, ip, parseLength) != Drop.NONE || !mayAnswerV4(orig)) {
                return false;
            }
            len = Math.min(Math.min(v4.totalLength(), avail), quoteLimit(4));
            if (!takeToken()) {
                return false;
            }
            out = ctx.alloc().directBuffer(Ipv4Header.MIN_LENGTH + IcmpHeader.LENGTH + len);
            builder.ipv4(nodeSource ? (int) nodeLo : v4.dst(), v4.src()).dontFragment(false);
        } else {
            if (v6.wrap(orig, ip, parseLength) != Drop.NONE || !mayAnswerV6(orig)) {
                return false;
            }
            len = Math.min(Math.min(Ipv6Header.LENGTH + v6.payloadLength(), avail), quoteLimit(6));
            if (!takeToken()) {
                return false;
            }
            out = ctx.alloc().directBuffer(Ipv6Header.LENGTH + IcmpHeader.LENGTH + len);
            builder.ipv6(nodeSource ? nodeHi : v6.dstHi(), nodeSource ? nodeLo : v6.dstLo(), v6.srcHi(), v6.srcLo());
        }
        builder.writeIcmp(out, type, code, rest, orig, ip, len);
        ctx.writeToTun(out);
        return true;
    }

    /** Most bytes of the original an error may quote: 576 - 20 - 8 for ICMPv4, 1280 - 40 - 8 for ICMPv6. */
    public static int quoteLimit(int ipVersion) {
        return ipVersion == 4
                ? IcmpHeader.V4_ERROR_MAX_LENGTH - Ipv4Header.MIN_LENGTH - IcmpHeader.LENGTH
                : IcmpHeader.V6_ERROR_MAX_LENGTH - Ipv6Header.LENGTH - IcmpHeader.LENGTH;
    }

    /** RFC 1122 §3.2.2: the cases where an ICMP error MUST NOT be sent. */
    private boolean mayAnswerV4(ByteBuf orig) {
        int src = v4.src();
        int dst = v4.dst();
        if (v4.fragmentOffset() != 0 || isMulticastOrBroadcast4(dst) || isMulticastOrBroadcast4(src)
                || src == 0 || src >>> 24 == 127) {
            return false;
        }
        if (v4.protocol() == IpPacket.ICMP) {
            if (v4.payloadLength() < IcmpHeader.LENGTH) {
                return false;
            }
            int t = orig.getUnsignedByte(v4.payloadOffset());
            // Errors (3 unreachable, 4 source quench, 5 redirect, 11 time exceeded, 12 parameter problem) are never answered.
            return t != 3 && t != 4 && t != 5 && t != 11 && t != 12;
        }
        return true;
    }

    private static boolean isMulticastOrBroadcast4(int a) {
        return a >>> 28 == 0xE || a == 0xFFFF_FFFF;
    }

    /** RFC 4443 §2.4(e): not for errors, multicast destinations, or sources that are not unicast. */
    private boolean mayAnswerV6(ByteBuf orig) {
        boolean srcUnspecified = v6.srcHi() == 0 && v6.srcLo() == 0;
        if (v6.dstHi() >>> 56 == 0xFF || v6.srcHi() >>> 56 == 0xFF || srcUnspecified || v6.fragmentOffset() != 0) {
            return false;
        }
        if (v6.protocol() == IpPacket.ICMPV6) {
            // ICMPv6 error types are 0..127 (RFC 4443 §2.1).
            return v6.l4Length() >= IcmpHeader.LENGTH && orig.getUnsignedByte(v6.l4Offset()) >= 128;
        }
        return true;
    }

    /**
     * Offset from the IPv6 header of the Next Header field that names the upper layer: byte 6 of
     * the fixed header, or the first byte of the last extension header (RFC 8200 §4.2).
     */
    private int nextHeaderPointer(ByteBuf orig) {
        int ip = orig.readerIndex();
        if (v6.wrap(orig, ip, orig.readableBytes()) != Drop.NONE) {
            return -1;
        }
        int field = ip + Ipv6Header.OFF_NEXT_HEADER;
        int nh = orig.getUnsignedByte(field);
        int pos = ip + Ipv6Header.LENGTH;
        int end = v6.l4Offset();
        while (pos < end) {   // wrap() walked this chain already: every length is in bounds
            int extLen = nh == Ipv6Header.FRAGMENT ? 8 : (orig.getUnsignedByte(pos + 1) + 1) << 3;
            field = pos;
            nh = orig.getUnsignedByte(pos);
            pos += extLen;
        }
        return field - ip;
    }

    /** Token bucket: refills at PER_SECOND on the shard clock, holds at most BURST. */
    private boolean takeToken() {
        long now = ctx.nowNanos();
        if (!refilledOnce) {
            refilledOnce = true;
            refilledNanos = now;
        }
        long earned = (now - refilledNanos) / NANOS_PER_TOKEN;
        if (earned > 0) {
            tokens = Math.min(BURST, tokens + earned);
            refilledNanos += earned * NANOS_PER_TOKEN;
        }
        if (tokens == 0) {
            return false;
        }
        tokens--;
        return true;
    }
}
