package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PacketBuilder: complete datagrams with checksums")
class PacketBuilderTest {
    static final int SRC4 = 0xC612_0001, DST4 = 0xC613_0002;
    static final long SRC_HI = 0x2001_0db8_0000_0000L, DST_HI = 0xfd00_0000_0000_0000L;

    private final PacketBuilder pb = new PacketBuilder();
    private final IpPacket ip = new IpPacket();
    private final TcpHeader tcp = new TcpHeader();
    private final TcpOptions opts = new TcpOptions();
    private final TcpOptions parsed = new TcpOptions();
    private final ByteBuf out = Unpooled.buffer(2048);
    private final ByteBuf hello = Unpooled.copiedBuffer("hello, world", StandardCharsets.US_ASCII);

    private void parseTcp(int len) {
        assertEquals(Drop.NONE, ip.wrap(out, 0, len));
        assertEquals(IpPacket.TCP, ip.protocol());
        assertEquals(Drop.NONE, tcp.wrap(out, ip.l4Offset(), ip.l4Length()));
        assertEquals(Drop.NONE, tcp.verify(ip.pseudoHeaderSum()));
        assertEquals(Drop.NONE, tcp.parseOptions(parsed));
    }

    private String optionBytes() {
        return ByteBufUtil.hexDump(out, tcp.optionsOffset(), tcp.optionsLength());
    }

    @Test
    @DisplayName("IPv4 TCP: every header field and the payload come back")
    void ipv4Tcp() {
        int n = pb.ipv4(SRC4, DST4).hopLimit(63).tos(0xB9).identification(0x1234)
                .ports(40000, 443).seq(0xFFFF_FFF0).ack(0x10).flags(TcpHeader.PSH | TcpHeader.ACK | TcpHeader.URG)
                .window(512).urgentPointer(3).options(null).writeTcp(out, hello, 0, 12);
        assertEquals(20 + 20 + 12, n);
        assertEquals(n, out.writerIndex());
        parseTcp(n);
        Ipv4Header h = ip.v4();
        assertEquals(SRC4, h.src());
        assertEquals(DST4, h.dst());
        assertEquals(63, h.ttl());
        assertEquals(0xB9, h.tos());
        assertEquals(0x1234, h.identification());
        assertEquals(true, h.dontFragment());
        assertEquals(40000, tcp.srcPort());
        assertEquals(443, tcp.dstPort());
        assertEquals(0xFFFF_FFF0, tcp.seq());
        assertEquals(0x10, tcp.ack());
        assertEquals(TcpHeader.PSH | TcpHeader.ACK | TcpHeader.URG, tcp.flags());
        assertEquals(0, tcp.reserved());
        assertEquals(512, tcp.window());
        assertEquals(3, tcp.urgentPointer());
        assertEquals("hello, world", out.toString(tcp.payloadOffset(), tcp.payloadLength(), StandardCharsets.US_ASCII));
        assertEquals(20, pb.l4Offset());
    }

    @Test
    @DisplayName("IPv6 TCP: addresses, traffic class, flow label")
    void ipv6Tcp() {
        int n = pb.ipv6(SRC_HI, 1, DST_HI, 2).tos(0x02).flowLabel(0xABCDE).hopLimit(255)
                .ports(1, 2).flags(TcpHeader.SYN).options(null).writeTcp(out, null, 0, 0);
        assertEquals(60, n);
        parseTcp(n);
        Ipv6Header h = ip.v6();
        assertEquals(SRC_HI, h.srcHi());
        assertEquals(1, h.srcLo());
        assertEquals(DST_HI, h.dstHi());
        assertEquals(2, h.dstLo());
        assertEquals(2, h.ecn());
        assertEquals(0xABCDE, h.flowLabel());
        assertEquals(255, h.hopLimit());
        assertEquals(40, pb.l4Offset());
        byte[] a = new byte[16];
        h.copyDst(a);
        pb.ipv6(a, a);
        assertEquals(DST_HI, Ipv6Header.hi(a));
    }

    @Test
    @DisplayName("options in Linux order: MSS, SACK-perm+TS, NOP WS")
    void synOptionOrder() {
        opts.mss = 1460;
        opts.sackPermitted = true;
        opts.hasTimestamps = true;
        opts.tsVal = 0x0102_0304;
        opts.windowScale = 7;
        pb.ipv4(SRC4, DST4).flags(TcpHeader.SYN).options(opts);
        assertEquals(40, pb.tcpHeaderLength());
        parseTcp(pb.writeTcp(out, null, 0, 0));
        assertEquals("020405b4" + "0402080a" + "01020304" + "00000000" + "01030307", optionBytes());
        assertEquals(1460, parsed.mss);
        assertEquals(7, parsed.windowScale);
    }

    @Test
    @DisplayName("TS without SACK-perm gets NOP NOP; SACK-perm without TS gets NOP NOP")
    void nopPadding() {
        opts.hasTimestamps = true;
        opts.tsVal = 5;
        opts.tsEcr = 6;
        pb.ipv4(SRC4, DST4).options(opts);
        parseTcp(pb.writeTcp(out, null, 0, 0));
        assertEquals("0101080a0000000500000006", optionBytes());
        opts.clear();
        opts.sackPermitted = true;
        out.clear();
        parseTcp(pb.writeTcp(out, null, 0, 0));
        assertEquals("01010402", optionBytes());
    }

    @Test
    @DisplayName("SACK blocks after TS: NOP NOP SACK; only three blocks fit beside TS")
    void sackBlocksFit() {
        opts.hasTimestamps = true;
        opts.sackBlocks = 4;
        for (int i = 0; i < 4; i++) {
            opts.sackLeft[i] = 100 * i;
            opts.sackRight[i] = 100 * i + 50;
        }
        pb.ipv4(SRC4, DST4).flags(TcpHeader.ACK).options(opts);
        parseTcp(pb.writeTcp(out, null, 0, 0));
        assertEquals(60, tcp.headerLength());
        assertEquals(3, parsed.sackBlocks);
        assertEquals(200, parsed.sackLeft[2]);
        assertEquals(250, parsed.sackRight[2]);
        assertEquals("0101051a", optionBytes().substring(24, 32));
        opts.hasTimestamps = false;
        out.clear();
        parseTcp(pb.writeTcp(out, null, 0, 0));
        assertEquals(4, parsed.sackBlocks);
        assertEquals(56, tcp.headerLength());
    }

    @Test
    @DisplayName("writeTcpHeaders: headers only, checksum covering a payload sent separately")
    void headersOnly() {
        pb.ipv6(SRC_HI, 1, DST_HI, 2).flags(TcpHeader.ACK).options(null);
        int n = pb.writeTcpHeaders(out, hello, 0, 12);
        assertEquals(60, n);
        ByteBuf whole = Unpooled.wrappedBuffer(out.copy(), hello.copy());
        assertEquals(Drop.NONE, ip.wrap(whole, 0, whole.readableBytes()));
        assertEquals(Drop.NONE, tcp.wrap(whole, ip.l4Offset(), ip.l4Length()));
        assertEquals(12, tcp.payloadLength());
        assertEquals(Drop.NONE, tcp.verify(ip.pseudoHeaderSum()));
        whole.release();
    }

    @Test
    @DisplayName("offload leaves the folded pseudo-header sum; finishing it yields a valid checksum")
    void offload() {
        pb.ipv4(SRC4, DST4).checksumOffload(true).options(null);
        int n = pb.writeTcp(out, hello, 0, 12);
        assertEquals(Drop.NONE, ip.wrap(out, 0, n));
        tcp.wrap(out, ip.l4Offset(), ip.l4Length());
        assertEquals(Checksum.fold(ip.pseudoHeaderSum()), tcp.checksum());
        assertEquals(Drop.TCP_BAD_CHECKSUM, tcp.verify(ip.pseudoHeaderSum()));
        // What the kernel does for NEEDS_CSUM: sum from csum_start, store the complement at csum_offset.
        int csumStart = pb.l4Offset();
        out.setShort(csumStart + TcpHeader.OFF_CHECKSUM, Checksum.compute(out, csumStart, n - csumStart));
        assertEquals(Drop.NONE, tcp.verify(ip.pseudoHeaderSum()));
    }

    @Test
    @DisplayName("UDP over IPv4 and IPv6, with and without offload")
    void udp() {
        UdpHeader udp = new UdpHeader();
        for (int v = 4; v <= 6; v += 2) {
            for (boolean offload : new boolean[] {false, true}) {
                out.clear();
                if (v == 4) {
                    pb.ipv4(SRC4, DST4);
                } else {
                    pb.ipv6(SRC_HI, 1, DST_HI, 2);
                }
                int n = pb.checksumOffload(offload).ports(5353, 53).writeUdp(out, hello, 0, 12);
                assertEquals(Drop.NONE, ip.wrap(out, 0, n));
                assertEquals(IpPacket.UDP, ip.protocol());
                assertEquals(Drop.NONE, udp.wrap(out, ip.l4Offset(), ip.l4Length()));
                assertEquals(5353, udp.srcPort());
                assertEquals(53, udp.dstPort());
                assertEquals(12, udp.payloadLength());
                if (offload) {
                    assertEquals(Checksum.fold(ip.pseudoHeaderSum()), udp.checksum());
                } else {
                    assertEquals(Drop.NONE, udp.verify(ip.pseudoHeaderSum(), ip.isIpv6()));
                }
            }
        }
    }

    @Test
    @DisplayName("ICMP: v4 echo reply, v6 packet-too-big quoting a datagram; offload does not apply")
    void icmp() {
        IcmpHeader icmp = new IcmpHeader();
        int n = pb.ipv4(SRC4, DST4).checksumOffload(true).writeIcmp(out, IcmpHeader.V4_ECHO_REPLY, 0, 0x0001_0002, hello, 0, 12);
        assertEquals(Drop.NONE, ip.wrap(out, 0, n));
        assertEquals(IpPacket.ICMP, ip.protocol());
        assertEquals(Drop.NONE, icmp.wrap(out, ip.l4Offset(), ip.l4Length(), false));
        assertEquals(Drop.NONE, icmp.verify(ip.pseudoHeaderSum()));
        assertEquals(1, icmp.echoId());
        assertEquals(2, icmp.echoSeq());
        ByteBuf original = Unpooled.buffer(100);
        pb.ipv6(DST_HI, 2, SRC_HI, 1).checksumOffload(false).options(null).writeTcp(original, hello, 0, 12);
        out.clear();
        n = pb.ipv6(SRC_HI, 1, DST_HI, 2).writeIcmp(out, IcmpHeader.V6_PACKET_TOO_BIG, 0, 1280, original, 0, original.readableBytes());
        assertEquals(Drop.NONE, ip.wrap(out, 0, n));
        assertEquals(IpPacket.ICMPV6, ip.protocol());
        assertEquals(Drop.NONE, icmp.wrap(out, ip.l4Offset(), ip.l4Length(), true));
        assertEquals(Drop.NONE, icmp.verify(ip.pseudoHeaderSum()));
        assertEquals(1280, icmp.mtu());
        IpPacket inner = new IpPacket();
        assertEquals(Drop.NONE, inner.wrap(out, icmp.quotedOffset(), icmp.quotedLength()));
        assertEquals(2, inner.v6().srcLo());
    }

    @Test
    @DisplayName("replyTo swaps the addresses of a received datagram, either version")
    void replyTo() {
        IpPacket received = new IpPacket();
        ByteBuf in = Unpooled.buffer(100);
        pb.ipv4(SRC4, DST4).options(null).writeTcp(in, null, 0, 0);
        received.wrap(in, 0, in.writerIndex());
        parseTcp(new PacketBuilder().replyTo(received).writeTcp(out, null, 0, 0));
        assertEquals(DST4, ip.v4().src());
        assertEquals(SRC4, ip.v4().dst());
        in.clear();
        out.clear();
        pb.ipv6(SRC_HI, 1, DST_HI, 2).writeTcp(in, null, 0, 0);
        received.wrap(in, 0, in.writerIndex());
        parseTcp(new PacketBuilder().replyTo(received).writeTcp(out, null, 0, 0));
        assertEquals(DST_HI, ip.v6().srcHi());
        assertEquals(2, ip.v6().srcLo());
        assertEquals(SRC_HI, ip.v6().dstHi());
        assertEquals(1, ip.v6().dstLo());
    }

    @Test
    @DisplayName("appends at the writer index; consecutive packets do not overlap")
    void appends() {
        pb.ipv4(SRC4, DST4).checksumOffload(false).options(null).seq(1);
        int a = pb.writeTcp(out, hello, 0, 5);
        pb.seq(2);
        int b = pb.writeTcp(out, hello, 5, 7);
        assertEquals(a + b, out.writerIndex());
        assertEquals(Drop.NONE, ip.wrap(out, a, b));
        assertEquals(Drop.NONE, tcp.wrap(out, ip.l4Offset(), ip.l4Length()));
        assertEquals(2, tcp.seq());
        assertEquals(Drop.NONE, tcp.verify(ip.pseudoHeaderSum()));
        assertEquals(", world", out.toString(tcp.payloadOffset(), 7, StandardCharsets.US_ASCII));
    }

    @Test
    @DisplayName("a datagram over 65535 bytes is a programmer error")
    void tooLong() {
        ByteBuf big = Unpooled.buffer(70_000).writeZero(70_000);
        pb.ipv4(SRC4, DST4).options(null);
        assertThrows(IllegalArgumentException.class, () -> pb.writeTcp(out, big, 0, 65_535 - 40 + 1));
        assertEquals(65_535, pb.writeTcp(Unpooled.buffer(), big, 0, 65_535 - 40));
    }
}
