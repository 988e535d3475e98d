package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Frames of a real Linux curl handshake and teardown over loopback (see the resource headers
 * for the commands). Field values are those tcpdump printed; seq/ack after the SYNs are the
 * absolute values behind tcpdump's relative ones.
 */
@DisplayName("A real Linux capture: curl over loopback, IPv4 and IPv6")
class RealCaptureTest {
    /** Linux lo frames carry a 14-byte Ethernet header (LINKTYPE_ETHERNET). */
    static final int ETHERNET = 14;
    static final int LOOPBACK = 0x7F00_0001;
    static List<byte[]> v4;
    static List<byte[]> v6;

    private final IpPacket ip = new IpPacket();
    private final TcpHeader tcp = new TcpHeader();
    private final TcpOptions o = new TcpOptions();

    @BeforeAll
    static void load() throws IOException {
        v4 = HexDump.frames("curl-loopback-ipv4.hex");
        v6 = HexDump.frames("curl-loopback-ipv6.hex");
    }

    private void parse(byte[] frame) {
        ByteBuf b = Unpooled.wrappedBuffer(frame);
        assertEquals(Drop.NONE, ip.wrap(b, ETHERNET, frame.length - ETHERNET));
        assertEquals(IpPacket.TCP, ip.protocol());
        assertEquals(Drop.NONE, tcp.wrap(b, ip.l4Offset(), ip.l4Length()));
        assertEquals(Drop.NONE, tcp.parseOptions(o));
        // Loopback leaves checksums to "offload" (CHECKSUM_PARTIAL): the field holds the folded
        // pseudo-header sum, which pins our pseudo-header arithmetic to the kernel's.
        assertEquals(Checksum.fold(ip.pseudoHeaderSum()), tcp.checksum());
    }

    @Test
    @DisplayName("all 26 frames parse; every IPv4 header checksum is good")
    void everyFrameParses() {
        assertEquals(13, v4.size());
        assertEquals(13, v6.size());
        for (byte[] f : v4) {
            parse(f);
            assertTrue(ip.v4().checksumOk());
        }
        for (byte[] f : v6) {
            parse(f);
        }
    }

    @Test
    @DisplayName("IPv4 SYN: ports, seq, window, MSS, SACK-permitted, TS, WS")
    void synV4() {
        parse(v4.get(0));
        Ipv4Header h = ip.v4();
        assertEquals(LOOPBACK, h.src());
        assertEquals(LOOPBACK, h.dst());
        assertEquals(64, h.ttl());
        assertTrue(h.dontFragment());
        assertEquals(0x1508, h.identification());
        assertEquals(60, h.totalLength());
        assertEquals(54206, tcp.srcPort());
        assertEquals(18931, tcp.dstPort());
        assertEquals((int) 358890028L, tcp.seq());
        assertEquals(0, tcp.ack());
        assertEquals(TcpHeader.SYN, tcp.flags());
        assertEquals(65495, tcp.window());
        assertEquals(40, tcp.headerLength());
        assertEquals(0, tcp.payloadLength());
        assertEquals(65495, o.mss);
        assertTrue(o.sackPermitted);
        assertTrue(o.hasTimestamps);
        assertEquals((int) 1093031137L, o.tsVal);
        assertEquals(0, o.tsEcr);
        assertEquals(10, o.windowScale);
        assertEquals(0, o.sackBlocks);
    }

    @Test
    @DisplayName("IPv4 SYN-ACK: ack = ISS+1, TS echo")
    void synAckV4() {
        parse(v4.get(1));
        assertEquals(18931, tcp.srcPort());
        assertEquals(54206, tcp.dstPort());
        assertEquals((int) 2673582360L, tcp.seq());
        assertEquals((int) 358890029L, tcp.ack());
        assertEquals(TcpHeader.SYN | TcpHeader.ACK, tcp.flags());
        assertEquals(65483, tcp.window());
        assertEquals(65495, o.mss);
        assertTrue(o.sackPermitted);
        assertEquals(479256195, o.tsVal);
        assertEquals(1093031137, o.tsEcr);
        assertEquals(10, o.windowScale);
    }

    @Test
    @DisplayName("IPv4 server FIN: seq ISS+464, ack IRS+80, NOP NOP TS only")
    void finV4() {
        parse(v4.get(9));
        assertEquals(18931, tcp.srcPort());
        assertEquals(TcpHeader.FIN | TcpHeader.ACK, tcp.flags());
        assertEquals((int) (2673582360L + 464), tcp.seq());
        assertEquals((int) (358890028L + 80), tcp.ack());
        assertEquals(64, tcp.window());
        assertEquals(1, tcp.segLen());
        assertEquals(-1, o.mss);
        assertEquals(-1, o.windowScale);
        assertFalse(o.sackPermitted);
        assertTrue(o.hasTimestamps);
        assertEquals(479256197, o.tsVal);
        assertEquals(1093031139, o.tsEcr);
    }

    @Test
    @DisplayName("IPv4 data segment: 79 bytes of HTTP request text")
    void dataV4() {
        parse(v4.get(3));
        assertEquals(TcpHeader.PSH | TcpHeader.ACK, tcp.flags());
        assertEquals(79, tcp.payloadLength());
        ByteBuf b = Unpooled.wrappedBuffer(v4.get(3));
        assertEquals("GET / HTTP/1.1", b.toString(tcp.payloadOffset(), 14, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    @DisplayName("IPv6 SYN and client FIN: ::1, ports, seq/ack, options")
    void synAndFinV6() {
        parse(v6.get(0));
        Ipv6Header h = ip.v6();
        assertEquals(0L, h.srcHi());
        assertEquals(1L, h.srcLo());
        assertEquals(1L, h.dstLo());
        assertEquals(0, h.extensionLength());
        assertEquals(42020, tcp.srcPort());
        assertEquals(18932, tcp.dstPort());
        assertEquals(1872868644, tcp.seq());
        assertEquals(TcpHeader.SYN, tcp.flags());
        assertEquals(65476, tcp.window());
        assertEquals(65476, o.mss);
        assertTrue(o.sackPermitted);
        assertEquals((int) 4171661065L, o.tsVal);
        assertEquals(10, o.windowScale);

        parse(v6.get(9));
        assertEquals(TcpHeader.FIN | TcpHeader.ACK, tcp.flags());
        assertEquals(1872868644 + 76, tcp.seq());
        assertEquals((int) (2088140735L + 591), tcp.ack());
        assertEquals((int) 4171661067L, o.tsVal);
        assertEquals(1401320458, o.tsEcr);
    }

    @Test
    @DisplayName("PacketBuilder with offload reproduces the kernel's SYN byte for byte")
    void builderMatchesKernelSyn() {
        byte[] kernel = v4.get(0);
        TcpOptions opts = new TcpOptions();
        opts.mss = 65495;
        opts.sackPermitted = true;
        opts.hasTimestamps = true;
        opts.tsVal = (int) 1093031137L;
        opts.windowScale = 10;
        ByteBuf out = Unpooled.buffer(128);
        new PacketBuilder().ipv4(LOOPBACK, LOOPBACK).identification(0x1508).checksumOffload(true)
                .ports(54206, 18931).seq((int) 358890028L).flags(TcpHeader.SYN).window(65495).options(opts)
                .writeTcp(out, null, 0, 0);
        byte[] ours = ByteBufUtil.getBytes(out);
        byte[] theirs = java.util.Arrays.copyOfRange(kernel, ETHERNET, kernel.length);
        assertArrayEquals(theirs, ours, () -> ByteBufUtil.hexDump(ours) + " vs " + ByteBufUtil.hexDump(theirs));
    }
}
