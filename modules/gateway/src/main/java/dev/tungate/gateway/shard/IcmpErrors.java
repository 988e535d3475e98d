package dev.tungate.gateway.shard;

import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.Ipv4Header;
import dev.tungate.wire.Ipv6Header;
import dev.tungate.wire.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;

/**
 * ICMP and ICMPv6 error messages toward the namespace, quoting the packet that caused them.
 * One per shard; used for unreachable TCP destinations and for protocols tungate does not relay.
 * Services may use it too rather than building their own.
 */
public final class IcmpErrors {
    /** RFC 1812 §4.3.2.3: quote as much as fits in 576 bytes; RFC 4443 §2.4(c): in the minimum MTU 1280. */
    private static final int QUOTE_MAX_V4 = IcmpHeader.V4_ERROR_MAX_LENGTH - Ipv4Header.MIN_LENGTH - IcmpHeader.LENGTH;
    private static final int QUOTE_MAX_V6 = IcmpHeader.V6_ERROR_MAX_LENGTH - Ipv6Header.LENGTH - IcmpHeader.LENGTH;
    /** RFC 4443 §3.4: code 1, "unrecognized Next Header type encountered". */
    private static final int V6_PARAM_PROBLEM = 4, V6_UNRECOGNIZED_NEXT_HEADER = 1;
    /** IPv6 Fragment header (RFC 8200 §4.5): fixed 8 bytes, no length field. */
    private static final int FRAGMENT = 44;

    private final ShardContext ctx;
    private final PacketBuilder pb = new PacketBuilder();
    private final int gateway4;
    private final long gateway6Hi, gateway6Lo;

    public IcmpErrors(ShardContext ctx, InetAddress gateway4, InetAddress gateway6) {
        this.ctx = ctx;
        byte[] a = gateway4.getAddress();
        this.gateway4 = (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
        byte[] b = gateway6.getAddress();
        this.gateway6Hi = Ipv6Header.hi(b);
        this.gateway6Lo = Ipv6Header.lo(b);
    }

    /**
     * Destination unreachable sent by the gateway, as a router would (RFC 792 type 3 with
     * {@code code4}; RFC 4443 §3.1 type 1 with {@code code6}), quoting {@code quoted}, the start
     * of the original packet (at least its IP header).
     */
    public void unreachableFromGateway(byte[] quoted, boolean v6, int code4, int code6) {
        ByteBuf body = Unpooled.wrappedBuffer(quoted);
        if (v6) {
            pb.ipv6(gateway6Hi, gateway6Lo, body.getLong(Ipv6Header.OFF_SRC), body.getLong(Ipv6Header.OFF_SRC + 8));
            write(IcmpHeader.V6_DEST_UNREACHABLE, code6, 0, body, Math.min(quoted.length, QUOTE_MAX_V6));
        } else {
            pb.ipv4(gateway4, body.getInt(Ipv4Header.OFF_SRC));
            write(IcmpHeader.V4_DEST_UNREACHABLE, code4, 0, body, Math.min(quoted.length, QUOTE_MAX_V4));
        }
    }

    /**
     * The destination does not speak this protocol: ICMP protocol unreachable (RFC 792 type 3
     * code 2) or ICMPv6 parameter problem, unrecognized Next Header (RFC 4443 §3.4), sent as from
     * the original destination. Not sent for multicast or broadcast destinations (RFC 1122
     * §3.2.2, RFC 4443 §2.4(e)). {@code frame} is only read; {@code ip} wraps it.
     */
    public void protocolUnreachable(ByteBuf frame, IpPacket ip) {
        int off = frame.readerIndex();
        int len = frame.readableBytes();
        if (ip.isIpv4()) {
            int dst = ip.v4().dst();
            if ((dst & 0xF000_0000) == 0xE000_0000 || dst == -1) {
                return;
            }
            pb.ipv4(dst, ip.v4().src());
            write(IcmpHeader.V4_DEST_UNREACHABLE, IcmpHeader.V4_PROTOCOL_UNREACHABLE, 0, frame.slice(off, len),
                    Math.min(len, QUOTE_MAX_V4));
        } else {
            if (ip.v6().dstHi() >>> 56 == 0xFF) {
                return;
            }
            pb.ipv6(ip.v6().dstHi(), ip.v6().dstLo(), ip.v6().srcHi(), ip.v6().srcLo());
            write(V6_PARAM_PROBLEM, V6_UNRECOGNIZED_NEXT_HEADER, nextHeaderPointer(frame, ip), frame.slice(off, len),
                    Math.min(len, QUOTE_MAX_V6));
        }
    }

    /**
     * Offset of the Next Header field that held the unknown value: the fixed header's (6) when no
     * extension header precedes the upper layer, else the first byte of the last extension header.
     */
    private static int nextHeaderPointer(ByteBuf frame, IpPacket ip) {
        int start = frame.readerIndex();
        int field = start + Ipv6Header.OFF_NEXT_HEADER;
        int nh = frame.getUnsignedByte(field);
        int pos = start + Ipv6Header.LENGTH;
        while (pos < ip.l4Offset()) {
            field = pos;
            int len = nh == FRAGMENT ? 8 : (frame.getUnsignedByte(pos + 1) + 1) << 3;
            nh = frame.getUnsignedByte(pos);
            pos += len;
        }
        return field - start;
    }

    private void write(int type, int code, int rest, ByteBuf body, int len) {
        int size = pb.ipHeaderLength() + IcmpHeader.LENGTH + len;
        ByteBuf out = ctx.alloc().directBuffer(size, size);
        pb.writeIcmp(out, type, code, rest, body, body.readerIndex(), len);
        ctx.writeToTun(out);
    }
}
