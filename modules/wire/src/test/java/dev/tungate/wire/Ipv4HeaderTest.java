package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 791 §3.1: IPv4 header")
class Ipv4HeaderTest {
    /** TOS b9 (DSCP 46 EF, ECN 01), total 40, id 1c46, DF, TTL 64, TCP, 192.168.0.1 -> 10.0.0.254. */
    static final String HEADER = "45b9 0028 1c46 4000 4006 522a c0a8 0001 0a00 00fe";
    static final String TCP_ZEROS = "0000 0000 0000 0000 0000 0000 0000 0000 0000 0000";

    private final Ipv4Header ip = new Ipv4Header();
    private final IpPacket pkt = new IpPacket();

    private static ByteBuf zeros(int n) {
        return Unpooled.buffer(n).writeZero(n);
    }

    @Test
    @DisplayName("every field of a literal header")
    void fields() {
        ByteBuf b = Hex.buf(HEADER + TCP_ZEROS);
        assertEquals(Drop.NONE, ip.wrap(b, 0, 40));
        assertEquals(5, ip.ihl());
        assertEquals(20, ip.headerLength());
        assertEquals(0xB9, ip.tos());
        assertEquals(46, ip.dscp());
        assertEquals(1, ip.ecn());
        assertEquals(40, ip.totalLength());
        assertEquals(0x1C46, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertFalse(ip.reservedFlag());
        assertEquals(0, ip.fragmentOffset());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(6, ip.protocol());
        assertEquals(0x522A, ip.checksum());
        assertTrue(ip.checksumOk());
        assertEquals(0xC0A8_0001, ip.src());
        assertEquals(0x0A00_00FE, ip.dst());
        assertEquals(20, ip.payloadOffset());
        assertEquals(20, ip.payloadLength());
        assertEquals(0, ip.optionsLength());
    }

    @Test
    @DisplayName("options: IHL 6 with Router Alert; the checksum covers them")
    void withOptions() {
        ByteBuf b = Hex.buf("4600 0030 abcd 4000 4011 6dc2 c612 0001 c613 0002 9404 0000" + TCP_ZEROS + "0000 0000");
        assertEquals(Drop.NONE, pkt.wrap(b, 0, 48));
        Ipv4Header h = pkt.v4();
        assertEquals(24, h.headerLength());
        assertEquals(20, h.optionsOffset());
        assertEquals(4, h.optionsLength());
        assertEquals(0x94, b.getUnsignedByte(h.optionsOffset()));
        assertEquals(24, pkt.l4Offset());
        assertEquals(24, pkt.l4Length());
        assertEquals(IpPacket.UDP, pkt.protocol());
        b.setByte(22, 1); // corrupt an option byte
        assertEquals(Drop.IPV4_BAD_CHECKSUM, pkt.wrap(b, 0, 48));
    }

    @Test
    @DisplayName("link padding after Total Length is allowed and not part of the payload")
    void padding() {
        ByteBuf b = Hex.buf(HEADER + TCP_ZEROS + "0000 0000 0000");
        assertEquals(Drop.NONE, pkt.wrap(b, 0, 46));
        assertEquals(20, pkt.l4Length());
    }

    @Test
    @DisplayName("a header at a non-zero offset of the buffer")
    void atOffset() {
        ByteBuf b = Hex.buf("ffff ffff" + HEADER + TCP_ZEROS);
        assertEquals(Drop.NONE, pkt.wrap(b, 4, 40));
        assertEquals(24, pkt.l4Offset());
        assertEquals(0x0A00_00FE, pkt.v4().dst());
    }

    @Test
    @DisplayName("malformed headers each return their Drop")
    void malformed() {
        assertEquals(Drop.IP_TRUNCATED, ip.wrap(Hex.buf(HEADER), 0, 19));
        assertEquals(Drop.IP_TRUNCATED, pkt.wrap(zeros(0), 0, 0));
        assertEquals(Drop.IP_BAD_VERSION, pkt.wrap(Hex.buf("55" + HEADER.substring(2) + TCP_ZEROS), 0, 40));
        assertEquals(Drop.IPV4_BAD_IHL, ip.wrap(Hex.buf("44" + HEADER.substring(2) + TCP_ZEROS), 0, 40));
        assertEquals(Drop.IPV4_BAD_IHL, ip.wrap(Hex.buf("4f" + HEADER.substring(2) + TCP_ZEROS), 0, 40));
        assertEquals(Drop.IPV4_BAD_TOTAL_LENGTH, ip.wrap(Hex.buf("45b9 0013" + HEADER.substring(9) + TCP_ZEROS), 0, 40));
        assertEquals(Drop.IPV4_BAD_TOTAL_LENGTH, ip.wrap(Hex.buf("45b9 0029" + HEADER.substring(9) + TCP_ZEROS), 0, 40));
        assertEquals(Drop.IPV4_BAD_TOTAL_LENGTH, ip.wrap(Hex.buf(HEADER + TCP_ZEROS), 0, 39));
        assertEquals(Drop.IPV4_BAD_CHECKSUM, pkt.wrap(Hex.buf(HEADER.replace("522a", "522b") + TCP_ZEROS), 0, 40));
        assertEquals(0, pkt.version());
    }

    @Test
    @DisplayName("fragments are recognised and refused: MF set, or a non-zero offset")
    void fragments() {
        ByteBuf mf = Hex.buf("4500 0030 0001 2000 4011 ce94 c612 0001 c612 0002" + TCP_ZEROS + "0000 0000 0000 0000");
        assertEquals(Drop.NONE, ip.wrap(mf, 0, 48));
        assertTrue(ip.moreFragments());
        assertTrue(ip.isFragment());
        assertEquals(Drop.IPV4_FRAGMENT, pkt.wrap(mf, 0, 48));
        ByteBuf last = Hex.buf("4500 0030 0001 00b9 4011 eddb c612 0001 c612 0002" + TCP_ZEROS + "0000 0000 0000 0000");
        assertEquals(Drop.NONE, ip.wrap(last, 0, 48));
        assertFalse(ip.moreFragments());
        assertFalse(ip.dontFragment());
        assertEquals(0xB9, ip.fragmentOffset());
        assertEquals(Drop.IPV4_FRAGMENT, pkt.wrap(last, 0, 48));
    }

    @Test
    @DisplayName("setters rewrite fields and keep the header checksum right (RFC 1624)")
    void settersKeepChecksum() {
        ByteBuf b = Hex.buf(HEADER + TCP_ZEROS);
        ip.wrap(b, 0, 40);
        ip.ttl(63).ecn(3).identification(0xFFFF).src(0xC612_0001).dst(0xC613_00FE);
        assertEquals(63, ip.ttl());
        assertEquals(3, ip.ecn());
        assertEquals(46, ip.dscp());
        assertEquals(0xFFFF, ip.identification());
        assertEquals(0xC612_0001, ip.src());
        assertEquals(0xC613_00FE, ip.dst());
        assertEquals(6, ip.protocol());
        assertTrue(ip.checksumOk());
        int incremental = ip.checksum();
        assertEquals(incremental, ip.fillChecksum().checksum());
    }

    @Test
    @DisplayName("pseudo-header sum uses src, dst, protocol and the payload length")
    void pseudoHeader() {
        ByteBuf b = Hex.buf(HEADER + TCP_ZEROS);
        ip.wrap(b, 0, 40);
        assertEquals(Checksum.fold(Checksum.pseudoIpv4(0xC0A8_0001, 0x0A00_00FE, 6, 20)), Checksum.fold(ip.pseudoHeaderSum()));
    }
}
