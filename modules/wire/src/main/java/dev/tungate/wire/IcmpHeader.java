package dev.tungate.wire;

import io.netty.buffer.ByteBuf;

/**
 * ICMPv4 (RFC 792) or ICMPv6 (RFC 4443) message in place; both share type, code, checksum and a
 * 4-byte rest-of-header, which holds echo id/seq, the frag-needed MTU (RFC 1191 §4) or the
 * packet-too-big MTU (RFC 4443 §3.2). Error messages quote the offending datagram from
 * {@link #quotedOffset()}. Valid until the next {@link #wrap}; must not escape.
 */
public final class IcmpHeader {
    public static final int LENGTH = 8;
    public static final int OFF_TYPE = 0, OFF_CODE = 1, OFF_CHECKSUM = 2, OFF_ID = 4, OFF_SEQ = 6, OFF_REST = 4;
    /** ICMPv4 types (RFC 792). */
    public static final int V4_ECHO_REPLY = 0, V4_DEST_UNREACHABLE = 3, V4_ECHO_REQUEST = 8, V4_TIME_EXCEEDED = 11,
            V4_PARAMETER_PROBLEM = 12;
    /** ICMPv4 destination-unreachable codes (RFC 792, RFC 1122 §3.2.2.1, RFC 1812 §5.2.7.1). */
    public static final int V4_NET_UNREACHABLE = 0, V4_HOST_UNREACHABLE = 1, V4_PROTOCOL_UNREACHABLE = 2,
            V4_PORT_UNREACHABLE = 3, V4_FRAG_NEEDED = 4, V4_ADMIN_PROHIBITED = 13;
    /** ICMPv6 types (RFC 4443 §2.1). */
    public static final int V6_DEST_UNREACHABLE = 1, V6_PACKET_TOO_BIG = 2, V6_TIME_EXCEEDED = 3,
            V6_PARAMETER_PROBLEM = 4, V6_ECHO_REQUEST = 128, V6_ECHO_REPLY = 129;
    /** ICMPv6 destination-unreachable codes (RFC 4443 §3.1). */
    public static final int V6_NO_ROUTE = 0, V6_ADMIN_PROHIBITED = 1, V6_ADDRESS_UNREACHABLE = 3,
            V6_PORT_UNREACHABLE = 4, V6_REJECT_ROUTE = 6;

    /** Largest ICMPv4 error datagram: RFC 1812 §4.3.2.3 quotes "as much as possible ... 576 bytes". */
    public static final int V4_ERROR_MAX_LENGTH = 576;
    /** Largest ICMPv6 error packet: the IPv6 minimum MTU (RFC 4443 §2.4 (c)). */
    public static final int V6_ERROR_MAX_LENGTH = 1280;

    private ByteBuf buf;
    private int off;
    private int len;
    private boolean v6;

    /** {@code len} is the IP payload length; {@code v6} selects ICMPv6 numbering and checksum. */
    public Drop wrap(ByteBuf buf, int off, int len, boolean v6) {
        if (len < LENGTH) {
            return Drop.ICMP_TRUNCATED;
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.v6 = v6;
        return Drop.NONE;
    }

    public ByteBuf buf() { return buf; }
    public int offset() { return off; }
    public int length() { return len; }
    public boolean isV6() { return v6; }
    public int type() { return buf.getUnsignedByte(off + OFF_TYPE); }
    public int code() { return buf.getUnsignedByte(off + OFF_CODE); }
    public int checksum() { return buf.getUnsignedShort(off + OFF_CHECKSUM); }
    /** The 32-bit word after the checksum, whatever the type. */
    public int rest() { return buf.getInt(off + OFF_REST); }
    public boolean isEchoRequest() { return type() == (v6 ? V6_ECHO_REQUEST : V4_ECHO_REQUEST); }
    public boolean isEchoReply() { return type() == (v6 ? V6_ECHO_REPLY : V4_ECHO_REPLY); }
    public int echoId() { return buf.getUnsignedShort(off + OFF_ID); }
    public int echoSeq() { return buf.getUnsignedShort(off + OFF_SEQ); }
    public boolean isDestUnreachable() { return type() == (v6 ? V6_DEST_UNREACHABLE : V4_DEST_UNREACHABLE); }

    /** An error that quotes the offending datagram (unreachable, too big, time exceeded, parameter problem). */
    public boolean isError() {
        int t = type();
        return v6 ? t < 128 : t == V4_DEST_UNREACHABLE || t == V4_TIME_EXCEEDED || t == V4_PARAMETER_PROBLEM;
    }

    /**
     * The path MTU an error reports: next-hop MTU of an ICMPv4 frag-needed (RFC 1191 §4, low 16
     * bits of rest), or the MTU of an ICMPv6 packet-too-big (RFC 4443 §3.2); -1 otherwise.
     */
    public int mtu() {
        if (v6) {
            return type() == V6_PACKET_TOO_BIG ? rest() : -1;
        }
        return type() == V4_DEST_UNREACHABLE && code() == V4_FRAG_NEEDED ? buf.getUnsignedShort(off + 6) : -1;
    }

    /** Start of the quoted original datagram (its IP header) in an error message. */
    public int quotedOffset() { return off + LENGTH; }
    public int quotedLength() { return len - LENGTH; }
    public int payloadOffset() { return off + LENGTH; }
    public int payloadLength() { return len - LENGTH; }

    /** ICMPv4 sums the message alone; ICMPv6 adds the pseudo-header (RFC 4443 §2.3). */
    public Drop verify(long pseudoHeaderSum) {
        return Checksum.verify(buf, off, len, v6 ? pseudoHeaderSum : 0) ? Drop.NONE : Drop.ICMP_BAD_CHECKSUM;
    }

    public IcmpHeader fillChecksum(long pseudoHeaderSum) {
        buf.setShort(off + OFF_CHECKSUM, 0);
        buf.setShort(off + OFF_CHECKSUM, Checksum.finish(Checksum.partial(buf, off, len, v6 ? pseudoHeaderSum : 0)));
        return this;
    }
}
