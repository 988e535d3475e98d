package dev.tungate.wire;

import io.netty.buffer.ByteBuf;

/**
 * IPv4 header in place (RFC 791 §3.1), options included. Valid until the next {@link #wrap};
 * must not escape. Setters of covered fields keep the header checksum right (RFC 1624).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |  DSCP     |ECN|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options                    |    Padding    |
 * </pre>
 */
public final class Ipv4Header {
    public static final int MIN_LENGTH = 20;
    public static final int OFF_VERSION_IHL = 0, OFF_TOS = 1, OFF_TOTAL_LENGTH = 2, OFF_ID = 4,
            OFF_FLAGS_FRAGMENT = 6, OFF_TTL = 8, OFF_PROTOCOL = 9, OFF_CHECKSUM = 10, OFF_SRC = 12, OFF_DST = 16;
    /** Flag bits within the 16-bit flags/fragment-offset word (RFC 791 §3.1). */
    public static final int FLAG_DF = 0x4000, FLAG_MF = 0x2000, FRAGMENT_OFFSET_MASK = 0x1FFF;

    private ByteBuf buf;
    private int off;
    private int headerLength;
    private int totalLength;

    /**
     * Checks version, IHL and total length against the {@code len} bytes available. Does not
     * verify the checksum nor refuse fragments: see {@link #checksumOk()}, {@link #isFragment()}
     * and {@link IpPacket#wrap}, which does both.
     */
    public Drop wrap(ByteBuf buf, int off, int len) {
        if (len < MIN_LENGTH) {
            return Drop.IP_TRUNCATED;
        }
        int b0 = buf.getUnsignedByte(off);
        if (b0 >>> 4 != 4) {
            return Drop.IP_BAD_VERSION;
        }
        int hlen = (b0 & 0x0F) << 2;
        if (hlen < MIN_LENGTH || hlen > len) {
            return Drop.IPV4_BAD_IHL;
        }
        int total = buf.getUnsignedShort(off + OFF_TOTAL_LENGTH);
        // A frame may carry link padding after the datagram, never less than Total Length.
        if (total < hlen || total > len) {
            return Drop.IPV4_BAD_TOTAL_LENGTH;
        }
        this.buf = buf;
        this.off = off;
        this.headerLength = hlen;
        this.totalLength = total;
        return Drop.NONE;
    }

    public ByteBuf buf() { return buf; }
    public int offset() { return off; }
    /** IHL in bytes (IHL field times 4). */
    public int headerLength() { return headerLength; }
    public int ihl() { return headerLength >>> 2; }
    public int totalLength() { return totalLength; }
    public int payloadOffset() { return off + headerLength; }
    public int payloadLength() { return totalLength - headerLength; }
    /** Type of Service byte: DSCP in the upper six bits, ECN in the lower two (RFC 2474, RFC 3168). */
    public int tos() { return buf.getUnsignedByte(off + OFF_TOS); }
    public int dscp() { return tos() >>> 2; }
    /** ECN codepoint: 0 Not-ECT, 1 ECT(1), 2 ECT(0), 3 CE (RFC 3168 §5). */
    public int ecn() { return tos() & 0x03; }
    public int identification() { return buf.getUnsignedShort(off + OFF_ID); }
    private int flagsFragment() { return buf.getUnsignedShort(off + OFF_FLAGS_FRAGMENT); }
    /** The reserved flag bit (RFC 791: must be zero; exposed, not enforced). */
    public boolean reservedFlag() { return (flagsFragment() & 0x8000) != 0; }
    public boolean dontFragment() { return (flagsFragment() & FLAG_DF) != 0; }
    public boolean moreFragments() { return (flagsFragment() & FLAG_MF) != 0; }
    /** Fragment offset in 8-byte units. */
    public int fragmentOffset() { return flagsFragment() & FRAGMENT_OFFSET_MASK; }
    /** Any piece of a fragmented datagram: MF set or a non-zero offset (RFC 791 §2.3). */
    public boolean isFragment() { return (flagsFragment() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0; }
    public int ttl() { return buf.getUnsignedByte(off + OFF_TTL); }
    public int protocol() { return buf.getUnsignedByte(off + OFF_PROTOCOL); }
    public int checksum() { return buf.getUnsignedShort(off + OFF_CHECKSUM); }
    public int src() { return buf.getInt(off + OFF_SRC); }
    public int dst() { return buf.getInt(off + OFF_DST); }
    public int optionsOffset() { return off + MIN_LENGTH; }
    public int optionsLength() { return headerLength - MIN_LENGTH; }

    /** The header checksum covers the header only, options included (RFC 791 §3.1). */
    public boolean checksumOk() {
        return Checksum.verify(buf, off, headerLength, 0);
    }

    /** Pseudo-header partial sum for this datagram's transport checksum (RFC 9293 §3.1). */
    public long pseudoHeaderSum() {
        return Checksum.pseudoIpv4(src(), dst(), protocol(), payloadLength());
    }

    /** Recomputes the header checksum from scratch, e.g. after raw edits. */
    public Ipv4Header fillChecksum() {
        buf.setShort(off + OFF_CHECKSUM, 0);
        buf.setShort(off + OFF_CHECKSUM, Checksum.compute(buf, off, headerLength));
        return this;
    }

    public Ipv4Header checksum(int v) { buf.setShort(off + OFF_CHECKSUM, v); return this; }

    public Ipv4Header ttl(int v) { return setWord(OFF_TTL, (v << 8) | protocol()); }

    public Ipv4Header tos(int v) { return setWord(OFF_VERSION_IHL, (buf.getUnsignedByte(off) << 8) | (v & 0xFF)); }

    /** Sets the ECN codepoint, e.g. to CE (3) when emulating congestion (RFC 3168 §5). */
    public Ipv4Header ecn(int v) { return tos((tos() & ~0x03) | (v & 0x03)); }

    public Ipv4Header identification(int v) { return setWord(OFF_ID, v); }

    /**
     * Rewrites the source address and the IP checksum. The transport checksum covers the address
     * too, through the pseudo-header: adjust it with {@link Checksum#update32}.
     */
    public Ipv4Header src(int v) { return setInt(OFF_SRC, v); }

    /** Rewrites the destination address; see {@link #src(int)} about the transport checksum. */
    public Ipv4Header dst(int v) { return setInt(OFF_DST, v); }

    private Ipv4Header setWord(int field, int v) {
        int old = buf.getUnsignedShort(off + field);
        buf.setShort(off + field, v);
        buf.setShort(off + OFF_CHECKSUM, Checksum.update16(checksum(), old, v & 0xFFFF));
        return this;
    }

    private Ipv4Header setInt(int field, int v) {
        int old = buf.getInt(off + field);
        buf.setInt(off + field, v);
        buf.setShort(off + OFF_CHECKSUM, Checksum.update32(checksum(), old, v));
        return this;
    }
}
