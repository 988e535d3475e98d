package dev.tungate.wire;

import io.netty.buffer.ByteBuf;

/**
 * IPv6 header in place (RFC 8200 §3), with the extension-header chain walked once in
 * {@link #wrap} to the upper-layer protocol. Valid until the next wrap; must not escape.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                    Source Address (16 bytes)                  |
 * |                 Destination Address (16 bytes)                |
 * </pre>
 *
 * Addresses are read as two big-endian longs ({@code srcHi()} = bytes 0..7, {@code srcLo()} =
 * bytes 8..15), so a lookup needs no byte array.
 */
public final class Ipv6Header {
    public static final int LENGTH = 40;
    public static final int OFF_PAYLOAD_LENGTH = 4, OFF_NEXT_HEADER = 6, OFF_HOP_LIMIT = 7, OFF_SRC = 8, OFF_DST = 24;
    /** Extension headers walked (RFC 8200 §4.1); AH and ESP end the walk as upper layers. */
    public static final int HOP_BY_HOP = 0, ROUTING = 43, FRAGMENT = 44, DESTINATION_OPTIONS = 60;
    /** Bounds the walk: more headers than this is an attack or garbage, not a packet to serve. */
    static final int MAX_EXTENSION_HEADERS = 8;

    private ByteBuf buf;
    private int off;
    private int end;
    private int protocol;
    private int l4Offset;
    /** Offset of the Fragment header, or -1 when absent. */
    private int fragmentHeader;

    /**
     * Checks version and payload length, then walks hop-by-hop, routing, fragment and
     * destination-options headers. Jumbograms (payload length 0, RFC 2675) are refused: the
     * TUN MTU never carries one. Fragments are recognised, not refused: {@link IpPacket#wrap} does.
     */
    public Drop wrap(ByteBuf buf, int off, int len) {
        if (len < LENGTH) {
            return Drop.IP_TRUNCATED;
        }
        if (buf.getUnsignedByte(off) >>> 4 != 6) {
            return Drop.IP_BAD_VERSION;
        }
        int payload = buf.getUnsignedShort(off + OFF_PAYLOAD_LENGTH);
        if (payload == 0 && buf.getUnsignedByte(off + OFF_NEXT_HEADER) == HOP_BY_HOP || LENGTH + payload > len) {
            return Drop.IPV6_BAD_PAYLOAD_LENGTH;
        }
        int end = off + LENGTH + payload;
        int nh = buf.getUnsignedByte(off + OFF_NEXT_HEADER);
        int pos = off + LENGTH;
        int frag = -1;
        for (int n = 0; ; n++) {
            int extLen;
            if (nh == HOP_BY_HOP || nh == ROUTING || nh == DESTINATION_OPTIONS) {
                // RFC 8200 §4.3: "The Hop-by-Hop Options header ... MUST immediately follow the IPv6 header."
                if (nh == HOP_BY_HOP && n != 0 || pos + 2 > end) {
                    return Drop.IPV6_BAD_EXTENSION_HEADER;
                }
                extLen = (buf.getUnsignedByte(pos + 1) + 1) << 3;
            } else if (nh == FRAGMENT) {
                if (frag >= 0) {
                    return Drop.IPV6_BAD_EXTENSION_HEADER;
                }
                frag = pos;
                extLen = 8;
            } else {
                break;
            }
            if (n == MAX_EXTENSION_HEADERS || pos + extLen > end) {
                return Drop.IPV6_BAD_EXTENSION_HEADER;
            }
            nh = buf.getUnsignedByte(pos);
            pos += extLen;
            if (frag >= 0 && (buf.getUnsignedShort(frag + 2) & 0xFFF8) != 0) {
                break;      // a non-first fragment: what follows is the middle of a payload, not headers
            }
        }
        this.buf = buf;
        this.off = off;
        this.end = end;
        this.protocol = nh;
        this.l4Offset = pos;
        this.fragmentHeader = frag;
        return Drop.NONE;
    }

    public ByteBuf buf() { return buf; }
    public int offset() { return off; }
    public int trafficClass() { return (buf.getUnsignedShort(off) >>> 4) & 0xFF; }
    /** ECN codepoint in the low two bits of the traffic class (RFC 3168 §5). */
    public int ecn() { return trafficClass() & 0x03; }
    public int flowLabel() { return buf.getInt(off) & 0xF_FFFF; }
    public int payloadLength() { return buf.getUnsignedShort(off + OFF_PAYLOAD_LENGTH); }
    /** Next Header of the fixed header: the first extension header or the upper layer. */
    public int nextHeader() { return buf.getUnsignedByte(off + OFF_NEXT_HEADER); }
    public int hopLimit() { return buf.getUnsignedByte(off + OFF_HOP_LIMIT); }
    public long srcHi() { return buf.getLong(off + OFF_SRC); }
    public long srcLo() { return buf.getLong(off + OFF_SRC + 8); }
    public long dstHi() { return buf.getLong(off + OFF_DST); }
    public long dstLo() { return buf.getLong(off + OFF_DST + 8); }
    public void copySrc(byte[] dst16) { buf.getBytes(off + OFF_SRC, dst16, 0, 16); }
    public void copyDst(byte[] dst16) { buf.getBytes(off + OFF_DST, dst16, 0, 16); }
    /** Upper-layer protocol found at the end of the extension-header chain (TCP 6, UDP 17, ICMPv6 58). */
    public int protocol() { return protocol; }
    public int l4Offset() { return l4Offset; }
    public int l4Length() { return end - l4Offset; }
    /** Bytes of extension headers between the fixed header and the upper layer. */
    public int extensionLength() { return l4Offset - off - LENGTH; }
    public boolean hasFragmentHeader() { return fragmentHeader >= 0; }
    /** Where the Fragment header starts in {@link #buf()}, -1 without one. */
    public int fragmentHeaderOffset() { return fragmentHeader; }
    /** Fragment offset in 8-byte units, 0 without a Fragment header (RFC 8200 §4.5). */
    public int fragmentOffset() { return fragmentHeader < 0 ? 0 : buf.getUnsignedShort(fragmentHeader + 2) >>> 3; }
    public boolean moreFragments() { return fragmentHeader >= 0 && (buf.getByte(fragmentHeader + 3) & 1) != 0; }
    public int fragmentId() { return fragmentHeader < 0 ? 0 : buf.getInt(fragmentHeader + 4); }
    /**
     * A piece of a larger datagram. An atomic fragment (offset 0, M clear) is a whole datagram
     * and is processed as one (RFC 6946 §4).
     */
    public boolean isFragment() { return fragmentOffset() != 0 || moreFragments(); }

    /** Pseudo-header partial sum for the upper layer's checksum (RFC 8200 §8.1). */
    public long pseudoHeaderSum() {
        return Checksum.pseudoIpv6(srcHi(), srcLo(), dstHi(), dstLo(), protocol, l4Length());
    }

    public Ipv6Header hopLimit(int v) { buf.setByte(off + OFF_HOP_LIMIT, v); return this; }

    public Ipv6Header trafficClass(int v) {
        int w = buf.getInt(off);
        buf.setInt(off, (w & 0xF00F_FFFF) | (v & 0xFF) << 20);
        return this;
    }

    public Ipv6Header ecn(int v) { return trafficClass((trafficClass() & ~0x03) | (v & 0x03)); }

    /** IPv6 has no header checksum; the transport checksum must be adjusted by the caller. */
    public Ipv6Header src(long hi, long lo) { buf.setLong(off + OFF_SRC, hi); buf.setLong(off + OFF_SRC + 8, lo); return this; }

    public Ipv6Header dst(long hi, long lo) { buf.setLong(off + OFF_DST, hi); buf.setLong(off + OFF_DST + 8, lo); return this; }

    /** Bytes 0..7 of a 16-byte address, big-endian, as {@link #srcHi()} reads them. */
    public static long hi(byte[] a16) { return bytesToLong(a16, 0); }

    /** Bytes 8..15 of a 16-byte address. */
    public static long lo(byte[] a16) { return bytesToLong(a16, 8); }

    private static long bytesToLong(byte[] a, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = v << 8 | (a[i] & 0xFF);
        }
        return v;
    }
}
