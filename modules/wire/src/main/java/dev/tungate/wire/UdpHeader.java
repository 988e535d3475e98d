package dev.tungate.wire;

import io.netty.buffer.ByteBuf;

/** UDP header in place (RFC 768). Valid until the next {@link #wrap}; must not escape. */
public final class UdpHeader {
    public static final int LENGTH = 8;
    public static final int OFF_SRC_PORT = 0, OFF_DST_PORT = 2, OFF_LENGTH = 4, OFF_CHECKSUM = 6;

    private ByteBuf buf;
    private int off;
    private int udpLength;

    /** {@code len} is the IP payload length; the UDP Length field must fit in it. */
    public Drop wrap(ByteBuf buf, int off, int len) {
        if (len < LENGTH) {
            return Drop.UDP_TRUNCATED;
        }
        int ulen = buf.getUnsignedShort(off + OFF_LENGTH);
        if (ulen < LENGTH || ulen > len) {
            return Drop.UDP_BAD_LENGTH;
        }
        this.buf = buf;
        this.off = off;
        this.udpLength = ulen;
        return Drop.NONE;
    }

    public ByteBuf buf() { return buf; }
    public int offset() { return off; }
    public int srcPort() { return buf.getUnsignedShort(off + OFF_SRC_PORT); }
    public int dstPort() { return buf.getUnsignedShort(off + OFF_DST_PORT); }
    /** The Length field: header plus data. */
    public int length() { return udpLength; }
    public int checksum() { return buf.getUnsignedShort(off + OFF_CHECKSUM); }
    public int payloadOffset() { return off + LENGTH; }
    public int payloadLength() { return udpLength - LENGTH; }

    /**
     * Zero means "no checksum" over IPv4 (RFC 768) but is invalid over IPv6 (RFC 8200 §8.1:
     * "IPv6 receivers MUST discard UDP packets containing a zero checksum").
     * The pseudo-header length must be the UDP Length, as {@link IpPacket#pseudoHeaderSum()} gives.
     */
    public Drop verify(long pseudoHeaderSum, boolean ipv6) {
        if (checksum() == 0) {
            return ipv6 ? Drop.UDP_BAD_CHECKSUM : Drop.NONE;
        }
        return Checksum.verify(buf, off, udpLength, pseudoHeaderSum) ? Drop.NONE : Drop.UDP_BAD_CHECKSUM;
    }

    /** Computes and writes the checksum; a computed 0 is sent as 0xFFFF (RFC 768). */
    public UdpHeader fillChecksum(long pseudoHeaderSum) {
        buf.setShort(off + OFF_CHECKSUM, 0);
        int c = Checksum.finish(Checksum.partial(buf, off, udpLength, pseudoHeaderSum));
        buf.setShort(off + OFF_CHECKSUM, c == 0 ? 0xFFFF : c);
        return this;
    }
}
