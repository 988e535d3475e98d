package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 768: UDP header")
class UdpHeaderTest {
    private final UdpHeader udp = new UdpHeader();
    private final long pseudo4 = Checksum.pseudoIpv4(0xC612_0001, 0xC612_0002, 17, 10);
    private final long pseudo6 = Checksum.pseudoIpv6(0x2001_0db8_0000_0000L, 1, 0x2001_0db8_0000_0000L, 2, 17, 10);

    @Test
    @DisplayName("fields, payload, and a filled checksum that verifies")
    void fields() {
        ByteBuf b = Hex.buf("d431 0035 000a 0000 6869 ffff");
        assertEquals(Drop.NONE, udp.wrap(b, 0, 12));
        assertEquals(0xD431, udp.srcPort());
        assertEquals(53, udp.dstPort());
        assertEquals(10, udp.length());
        assertEquals(8, udp.payloadOffset());
        assertEquals(2, udp.payloadLength());
        udp.fillChecksum(pseudo4);
        assertEquals(Drop.NONE, udp.verify(pseudo4, false));
        b.setByte(9, 0);
        assertEquals(Drop.UDP_BAD_CHECKSUM, udp.verify(pseudo4, false));
    }

    @Test
    @DisplayName("zero checksum: none over IPv4, invalid over IPv6 (RFC 8200 §8.1)")
    void zeroChecksum() {
        ByteBuf b = Hex.buf("d431 0035 000a 0000 6869");
        udp.wrap(b, 0, 10);
        assertEquals(Drop.NONE, udp.verify(pseudo4, false));
        assertEquals(Drop.UDP_BAD_CHECKSUM, udp.verify(pseudo6, true));
        udp.fillChecksum(pseudo6);
        assertEquals(Drop.NONE, udp.verify(pseudo6, true));
    }

    @Test
    @DisplayName("a checksum that computes to zero is sent as ffff")
    void computedZeroIsAllOnes() {
        // Pseudo-header and message chosen so the one's complement sum is ffff.
        ByteBuf b = Hex.buf("0000 0000 0008 0000");
        udp.wrap(b, 0, 8);
        udp.fillChecksum(0xFFFF - 8);
        assertEquals(0xFFFF, udp.checksum());
        assertEquals(Drop.NONE, udp.verify(0xFFFF - 8, true));
    }

    @Test
    @DisplayName("malformed: truncated, Length below 8, Length past the IP payload")
    void malformed() {
        assertEquals(Drop.UDP_TRUNCATED, udp.wrap(Hex.buf("d431 0035 0008 00"), 0, 7));
        assertEquals(Drop.UDP_BAD_LENGTH, udp.wrap(Hex.buf("d431 0035 0007 0000"), 0, 8));
        assertEquals(Drop.UDP_BAD_LENGTH, udp.wrap(Hex.buf("d431 0035 000b 0000 6869"), 0, 10));
    }
}
