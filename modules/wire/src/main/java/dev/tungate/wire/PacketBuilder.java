package dev.tungate.wire;

import io.netty.buffer.ByteBuf;

/**
 * Writes complete IPv4 or IPv6 datagrams carrying TCP, UDP or ICMP, checksums included.
 * A mutable, reusable template: set addresses and fields with the fluent setters (they keep
 * their values between packets), then call a {@code write*} method, which appends at
 * {@code out.writerIndex()}, advances it and returns the bytes written. Nothing is allocated.
 *
 * <p>With {@link #checksumOffload(boolean) checksum offload} the TCP/UDP checksum field is left
 * holding the folded pseudo-header sum, as Linux expects for CHECKSUM_PARTIAL and virtio_net_hdr
 * VIRTIO_NET_HDR_F_NEEDS_CSUM: csum_start = {@link #l4Offset()}, csum_offset =
 * {@link TcpHeader#OFF_CHECKSUM} or {@link UdpHeader#OFF_CHECKSUM}. The IPv4 header checksum and
 * ICMP checksums are always complete.
 *
 * <p>TCP options are written from a {@link TcpOptions} in Linux tcp_options_write() order:
 * MSS; SACK-permitted+timestamps (or NOP,NOP,TS, or NOP,NOP,SACK-permitted); NOP,WS;
 * NOP,NOP,SACK blocks. SACK blocks that do not fit in 40 option bytes are left out, last first.
 */
public final class PacketBuilder {
    /** Options never exceed 40 bytes (RFC 9293 §3.1: Data Offset is at most 15 words). */
    public static final int MAX_OPTIONS_LENGTH = 40;

    private int version = 4;
    private int src4, dst4;
    private long srcHi, srcLo, dstHi, dstLo;
    private int hopLimit = 64;
    private int tos;
    private int flowLabel;
    private int identification;
    private boolean dontFragment = true;
    private boolean offload;

    private int srcPort, dstPort, seq, ack, flags, window, urgentPointer;
    private TcpOptions options;

    private int l4Offset;

    public PacketBuilder ipv4(int src, int dst) {
        version = 4;
        src4 = src;
        dst4 = dst;
        return this;
    }

    public PacketBuilder ipv6(long srcHi, long srcLo, long dstHi, long dstLo) {
        version = 6;
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        return this;
    }

    public PacketBuilder ipv6(byte[] src16, byte[] dst16) {
        return ipv6(Ipv6Header.hi(src16), Ipv6Header.lo(src16), Ipv6Header.hi(dst16), Ipv6Header.lo(dst16));
    }

    /**
     * Addresses of a reply to {@code ip}: its destination becomes our source and vice versa, in
     * its IP version (for an RST, an ICMP error, or a SYN-ACK to the namespace).
     */
    public PacketBuilder replyTo(IpPacket ip) {
        if (ip.isIpv4()) {
            return ipv4(ip.v4().dst(), ip.v4().src());
        }
        Ipv6Header h = ip.v6();
        return ipv6(h.dstHi(), h.dstLo(), h.srcHi(), h.srcLo());
    }

    /** TTL (IPv4) or hop limit (IPv6); 64 by default, as Linux net.ipv4.ip_default_ttl. */
    public PacketBuilder hopLimit(int v) { hopLimit = v & 0xFF; return this; }
    /** IPv4 TOS or IPv6 traffic class, ECN in the low two bits (RFC 3168 §5). */
    public PacketBuilder tos(int v) { tos = v & 0xFF; return this; }
    /** IPv6 flow label (RFC 6437); ignored for IPv4. */
    public PacketBuilder flowLabel(int v) { flowLabel = v & 0xF_FFFF; return this; }
    /** IPv4 Identification; with DF set it may be anything (RFC 6864 §4.1). */
    public PacketBuilder identification(int v) { identification = v & 0xFFFF; return this; }
    /** IPv4 DF, set by default: TCP does path MTU discovery (RFC 1191). */
    public PacketBuilder dontFragment(boolean v) { dontFragment = v; return this; }
    public PacketBuilder checksumOffload(boolean v) { offload = v; return this; }

    public PacketBuilder ports(int src, int dst) { srcPort = src & 0xFFFF; dstPort = dst & 0xFFFF; return this; }
    public PacketBuilder seq(int v) { seq = v; return this; }
    public PacketBuilder ack(int v) { ack = v; return this; }
    /** TCP control bits, e.g. {@code TcpHeader.SYN | TcpHeader.ACK}. */
    public PacketBuilder flags(int v) { flags = v & 0xFF; return this; }
    public PacketBuilder window(int v) { window = v & 0xFFFF; return this; }
    public PacketBuilder urgentPointer(int v) { urgentPointer = v & 0xFFFF; return this; }
    /** Options to write, read at write time; null for none. The builder keeps the reference. */
    public PacketBuilder options(TcpOptions o) { options = o; return this; }

    public int version() { return version; }
    /** Offset of the L4 header from the start of the last packet written (virtio csum_start). */
    public int l4Offset() { return l4Offset; }
    public int ipHeaderLength() { return version == 4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH; }
    /** Header length the current TCP fields and options produce. */
    public int tcpHeaderLength() { return TcpHeader.MIN_LENGTH + optionsLength(options); }

    /** Writes IP + TCP header + {@code len} payload bytes copied from {@code payload} (null when len is 0). */
    public int writeTcp(ByteBuf out, ByteBuf payload, int off, int len) {
        return tcp(out, payload, off, len, true);
    }

    /**
     * Writes IP + TCP headers only, sized and checksummed for a payload the caller sends after
     * them without copying (a composite buffer or an iovec): the payload is read, not written.
     */
    public int writeTcpHeaders(ByteBuf out, ByteBuf payload, int off, int len) {
        return tcp(out, payload, off, len, false);
    }

    private int tcp(ByteBuf out, ByteBuf payload, int off, int len, boolean copy) {
        int optLen = optionsLength(options);
        int hlen = TcpHeader.MIN_LENGTH + optLen;
        int start = out.writerIndex();
        int l4 = start + writeIp(out, start, IpPacket.TCP, hlen + len);
        out.ensureWritable(l4 - start + hlen + (copy ? len : 0));
        out.setShort(l4 + TcpHeader.OFF_SRC_PORT, srcPort);
        out.setShort(l4 + TcpHeader.OFF_DST_PORT, dstPort);
        out.setInt(l4 + TcpHeader.OFF_SEQ, seq);
        out.setInt(l4 + TcpHeader.OFF_ACK, ack);
        out.setByte(l4 + TcpHeader.OFF_DATA_OFFSET, hlen << 2);
        out.setByte(l4 + TcpHeader.OFF_FLAGS, flags);
        out.setShort(l4 + TcpHeader.OFF_WINDOW, window);
        out.setShort(l4 + TcpHeader.OFF_CHECKSUM, 0);
        out.setShort(l4 + TcpHeader.OFF_URGENT, urgentPointer);
        if (optLen > 0) {
            writeOptions(out, l4 + TcpHeader.MIN_LENGTH, options);
        }
        long sum = pseudo(IpPacket.TCP, hlen + len);
        int end = l4 + hlen;
        if (copy && len > 0) {
            out.setBytes(end, payload, off, len);
            end += len;
        }
        if (offload) {
            out.setShort(l4 + TcpHeader.OFF_CHECKSUM, Checksum.fold(sum));
        } else {
            sum = Checksum.partial(out, l4, hlen, sum);
            if (len > 0) {
                sum = copy ? Checksum.partial(out, l4 + hlen, len, sum) : Checksum.partial(payload, off, len, sum);
            }
            out.setShort(l4 + TcpHeader.OFF_CHECKSUM, Checksum.finish(sum));
        }
        out.writerIndex(end);
        return end - start;
    }

    /** Writes IP + UDP + {@code len} payload bytes; ports from {@link #ports}. */
    public int writeUdp(ByteBuf out, ByteBuf payload, int off, int len) {
        int ulen = UdpHeader.LENGTH + len;
        int start = out.writerIndex();
        int l4 = start + writeIp(out, start, IpPacket.UDP, ulen);
        out.ensureWritable(l4 - start + ulen);
        out.setShort(l4 + UdpHeader.OFF_SRC_PORT, srcPort);
        out.setShort(l4 + UdpHeader.OFF_DST_PORT, dstPort);
        out.setShort(l4 + UdpHeader.OFF_LENGTH, ulen);
        out.setShort(l4 + UdpHeader.OFF_CHECKSUM, 0);
        if (len > 0) {
            out.setBytes(l4 + UdpHeader.LENGTH, payload, off, len);
        }
        long sum = pseudo(IpPacket.UDP, ulen);
        int c;
        if (offload) {
            c = Checksum.fold(sum);
        } else {
            c = Checksum.finish(Checksum.partial(out, l4, ulen, sum));
            c = c == 0 ? 0xFFFF : c; // RFC 768: a computed zero is transmitted as all ones
        }
        out.setShort(l4 + UdpHeader.OFF_CHECKSUM, c);
        out.writerIndex(l4 + ulen);
        return l4 + ulen - start;
    }

    /**
     * Writes IP + ICMP (ICMPv4 over IPv4, ICMPv6 over IPv6): type, code, the 32-bit
     * rest-of-header (echo id/seq, MTU, or 0), then {@code len} body bytes, e.g. the quoted
     * datagram of an error, which the caller cuts to {@link IcmpHeader#V4_ERROR_MAX_LENGTH} /
     * {@link IcmpHeader#V6_ERROR_MAX_LENGTH} minus the headers.
     */
    public int writeIcmp(ByteBuf out, int type, int code, int rest, ByteBuf body, int off, int len) {
        int ilen = IcmpHeader.LENGTH + len;
        int protocol = version == 4 ? IpPacket.ICMP : IpPacket.ICMPV6;
        int start = out.writerIndex();
        int l4 = start + writeIp(out, start, protocol, ilen);
        out.ensureWritable(l4 - start + ilen);
        out.setByte(l4 + IcmpHeader.OFF_TYPE, type);
        out.setByte(l4 + IcmpHeader.OFF_CODE, code);
        out.setShort(l4 + IcmpHeader.OFF_CHECKSUM, 0);
        out.setInt(l4 + IcmpHeader.OFF_REST, rest);
        if (len > 0) {
            out.setBytes(l4 + IcmpHeader.LENGTH, body, off, len);
        }
        long sum = version == 4 ? 0 : pseudo(protocol, ilen); // RFC 4443 §2.3; ICMPv4 has none
        out.setShort(l4 + IcmpHeader.OFF_CHECKSUM, Checksum.finish(Checksum.partial(out, l4, ilen, sum)));
        out.writerIndex(l4 + ilen);
        return l4 + ilen - start;
    }

    private long pseudo(int protocol, int l4Length) {
        return version == 4
                ? Checksum.pseudoIpv4(src4, dst4, protocol, l4Length)
                : Checksum.pseudoIpv6(srcHi, srcLo, dstHi, dstLo, protocol, l4Length);
    }

    /** Writes the IP header at {@code at}; returns its length. */
    private int writeIp(ByteBuf out, int at, int protocol, int l4Length) {
        if (version == 4) {
            int total = Ipv4Header.MIN_LENGTH + l4Length;
            if (total > 0xFFFF) {
                throw new IllegalArgumentException("IPv4 datagram too long: " + total);
            }
            out.ensureWritable(Ipv4Header.MIN_LENGTH);
            out.setByte(at, 0x45);
            out.setByte(at + Ipv4Header.OFF_TOS, tos);
            out.setShort(at + Ipv4Header.OFF_TOTAL_LENGTH, total);
            out.setShort(at + Ipv4Header.OFF_ID, identification);
            out.setShort(at + Ipv4Header.OFF_FLAGS_FRAGMENT, dontFragment ? Ipv4Header.FLAG_DF : 0);
            out.setByte(at + Ipv4Header.OFF_TTL, hopLimit);
            out.setByte(at + Ipv4Header.OFF_PROTOCOL, protocol);
            out.setShort(at + Ipv4Header.OFF_CHECKSUM, 0);
            out.setInt(at + Ipv4Header.OFF_SRC, src4);
            out.setInt(at + Ipv4Header.OFF_DST, dst4);
            out.setShort(at + Ipv4Header.OFF_CHECKSUM, Checksum.compute(out, at, Ipv4Header.MIN_LENGTH));
            l4Offset = Ipv4Header.MIN_LENGTH;
        } else {
            if (l4Length > 0xFFFF) {
                throw new IllegalArgumentException("IPv6 payload too long (no jumbograms): " + l4Length);
            }
            out.ensureWritable(Ipv6Header.LENGTH);
            out.setInt(at, 6 << 28 | tos << 20 | flowLabel);
            out.setShort(at + Ipv6Header.OFF_PAYLOAD_LENGTH, l4Length);
            out.setByte(at + Ipv6Header.OFF_NEXT_HEADER, protocol);
            out.setByte(at + Ipv6Header.OFF_HOP_LIMIT, hopLimit);
            out.setLong(at + Ipv6Header.OFF_SRC, srcHi);
            out.setLong(at + Ipv6Header.OFF_SRC + 8, srcLo);
            out.setLong(at + Ipv6Header.OFF_DST, dstHi);
            out.setLong(at + Ipv6Header.OFF_DST + 8, dstLo);
            l4Offset = Ipv6Header.LENGTH;
        }
        return l4Offset;
    }

    /** Bytes of options {@link #writeOptions} writes for {@code o}: a multiple of 4, at most 40. */
    public static int optionsLength(TcpOptions o) {
        if (o == null) {
            return 0;
        }
        int n = fixedOptionsLength(o);
        int blocks = sackBlocksThatFit(o, n);
        return blocks > 0 ? n + 4 + 8 * blocks : n;
    }

    private static int fixedOptionsLength(TcpOptions o) {
        int n = o.mss >= 0 ? 4 : 0;
        if (o.hasTimestamps) {
            n += 12;
        } else if (o.sackPermitted) {
            n += 4;
        }
        return o.windowScale >= 0 ? n + 4 : n;
    }

    private static int sackBlocksThatFit(TcpOptions o, int fixed) {
        return Math.max(0, Math.min(o.sackBlocks, (MAX_OPTIONS_LENGTH - fixed - 4) >> 3));
    }

    /** Writes {@code o} at {@code at} in Linux order (see class comment); returns the length. */
    public static int writeOptions(ByteBuf out, int at, TcpOptions o) {
        int i = at;
        if (o.mss >= 0) {
            out.setInt(i, TcpHeader.OPT_MSS << 24 | 4 << 16 | (o.mss & 0xFFFF));
            i += 4;
        }
        if (o.hasTimestamps) {
            out.setInt(i, o.sackPermitted
                    ? TcpHeader.OPT_SACK_PERMITTED << 24 | 2 << 16 | TcpHeader.OPT_TIMESTAMPS << 8 | 10
                    : TcpHeader.OPT_NOP << 24 | TcpHeader.OPT_NOP << 16 | TcpHeader.OPT_TIMESTAMPS << 8 | 10);
            out.setInt(i + 4, o.tsVal);
            out.setInt(i + 8, o.tsEcr);
            i += 12;
        } else if (o.sackPermitted) {
            out.setInt(i, TcpHeader.OPT_NOP << 24 | TcpHeader.OPT_NOP << 16 | TcpHeader.OPT_SACK_PERMITTED << 8 | 2);
            i += 4;
        }
        if (o.windowScale >= 0) {
            out.setInt(i, TcpHeader.OPT_NOP << 24 | TcpHeader.OPT_WS << 16 | 3 << 8 | (o.windowScale & 0xFF));
            i += 4;
        }
        int blocks = sackBlocksThatFit(o, i - at);
        if (blocks > 0) {
            out.setInt(i, TcpHeader.OPT_NOP << 24 | TcpHeader.OPT_NOP << 16 | TcpHeader.OPT_SACK << 8 | (2 + 8 * blocks));
            i += 4;
            for (int b = 0; b < blocks; b++) {
                out.setInt(i, o.sackLeft[b]);
                out.setInt(i + 4, o.sackRight[b]);
                i += 8;
            }
        }
        return i - at;
    }
}
