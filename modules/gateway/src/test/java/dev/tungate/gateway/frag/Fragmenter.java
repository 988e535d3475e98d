package dev.tungate.gateway.frag;

import dev.tungate.wire.Ipv4Header;
import dev.tungate.wire.Ipv6Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Cuts whole datagrams into fragments the way a sending kernel does (RFC 791 §3.2, RFC 8200 §4.5), for tests. */
final class Fragmenter {
    private Fragmenter() { }

    /** The IPv4 fragment with payload bytes [first, last) of {@code whole}; {@code more} sets MF. */
    static ByteBuf v4(ByteBuf whole, int first, int last, boolean more) {
        int hlen = (whole.getUnsignedByte(0) & 0x0F) << 2;
        ByteBuf f = Unpooled.buffer(hlen + last - first);
        f.writeBytes(whole, 0, hlen).writeBytes(whole, hlen + first, last - first);
        f.setShort(Ipv4Header.OFF_TOTAL_LENGTH, f.readableBytes());
        f.setShort(Ipv4Header.OFF_FLAGS_FRAGMENT, (more ? Ipv4Header.FLAG_MF : 0) | first >>> 3);
        Ipv4Header h = new Ipv4Header();
        h.wrap(f, 0, f.readableBytes());
        h.fillChecksum();
        return f;
    }

    /** The IPv6 fragment with payload bytes [first, last) after the fixed header of {@code whole} (no extensions). */
    static ByteBuf v6(ByteBuf whole, int id, int first, int last, boolean more) {
        ByteBuf f = Unpooled.buffer(Ipv6Header.LENGTH + 8 + last - first);
        f.writeBytes(whole, 0, Ipv6Header.LENGTH);
        f.writeByte(whole.getUnsignedByte(Ipv6Header.OFF_NEXT_HEADER)).writeByte(0)
                .writeShort(first | (more ? 1 : 0)).writeInt(id);
        f.writeBytes(whole, Ipv6Header.LENGTH + first, last - first);
        f.setByte(Ipv6Header.OFF_NEXT_HEADER, Ipv6Header.FRAGMENT);
        f.setShort(Ipv6Header.OFF_PAYLOAD_LENGTH, f.readableBytes() - Ipv6Header.LENGTH);
        return f;
    }
}
