package dev.tungate.gateway.udp;

import dev.tungate.wire.Ipv6Header;
import dev.tungate.wire.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Namespace-side packets for relay tests, written by wire's PacketBuilder into pooled direct buffers. */
public final class Packets {
    private Packets() { }

    /** IPv4 or IPv6 (by the addresses' family) + UDP + payload. */
    public static ByteBuf udp(InetAddress src, int srcPort, InetAddress dst, int dstPort, byte[] payload) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(64 + payload.length);
        addresses(src, dst).ports(srcPort, dstPort).writeUdp(out, Unpooled.wrappedBuffer(payload), 0, payload.length);
        return out;
    }

    /** IPv4 + ICMP or IPv6 + ICMPv6 message; {@code rest} is the 32-bit word after the checksum. */
    public static ByteBuf icmp(InetAddress src, InetAddress dst, int type, int code, int rest, byte[] body) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(64 + body.length);
        addresses(src, dst).writeIcmp(out, type, code, rest, Unpooled.wrappedBuffer(body), 0, body.length);
        return out;
    }

    public static PacketBuilder addresses(InetAddress src, InetAddress dst) {
        PacketBuilder b = new PacketBuilder();
        byte[] s = src.getAddress();
        byte[] d = dst.getAddress();
        if (s.length == 4) {
            return b.ipv4(ByteBuffer.wrap(s).getInt(), ByteBuffer.wrap(d).getInt());
        }
        return b.ipv6(Ipv6Header.hi(s), Ipv6Header.lo(s), Ipv6Header.hi(d), Ipv6Header.lo(d));
    }

    /** The L4 offset of a packet built here (no options, no extension headers). */
    public static int l4Offset(ByteBuf p) {
        return (p.getUnsignedByte(p.readerIndex()) >>> 4) == 4 ? 20 : 40;
    }

    public static int version(ByteBuf p) {
        return p.getUnsignedByte(p.readerIndex()) >>> 4;
    }

    public static byte[] bytes(ByteBuf b, int index, int len) {
        byte[] a = new byte[len];
        b.getBytes(index, a);
        return a;
    }

    /** The same packet behind {@code n} bytes of something else (as after a virtio_net_hdr): readerIndex n. Releases p. */
    public static ByteBuf withHeadroom(ByteBuf p, int n) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(n + p.readableBytes());
        out.writeZero(n).writeBytes(p);
        p.release();
        return out.readerIndex(n);
    }
}
