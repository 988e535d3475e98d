package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 792 / RFC 4443: ICMP and ICMPv6")
class IcmpHeaderTest {
    private final IcmpHeader icmp = new IcmpHeader();
    private final IpPacket quoted = new IpPacket();
    private final TcpHeader quotedTcp = new TcpHeader();

    @Test
    @DisplayName("ICMPv4 echo request: id, seq, literal checksum f7fd")
    void echoV4() {
        ByteBuf b = Hex.buf("0800 f7fd 0001 0001");
        assertEquals(Drop.NONE, icmp.wrap(b, 0, 8, false));
        assertTrue(icmp.isEchoRequest());
        assertFalse(icmp.isEchoReply());
        assertFalse(icmp.isError());
        assertEquals(1, icmp.echoId());
        assertEquals(1, icmp.echoSeq());
        assertEquals(-1, icmp.mtu());
        assertEquals(Drop.NONE, icmp.verify(0));
        b.setByte(7, 2);
        assertEquals(Drop.ICMP_BAD_CHECKSUM, icmp.verify(0));
    }

    @Test
    @DisplayName("ICMPv4 frag needed: code 4, next-hop MTU, quoted IPv4 + TCP ports (RFC 1191 §4)")
    void fragNeeded() {
        String quotedIp = "4500 0028 1c46 4000 4006 522a c0a8 0001 0a00 00fe";
        String quotedTcp8 = "d431 01bb 0000 0001";
        ByteBuf b = Hex.buf("0304 0000 0000 05dc" + quotedIp + quotedTcp8);
        assertEquals(Drop.NONE, icmp.wrap(b, 0, 36, false));
        icmp.fillChecksum(0);
        assertEquals(Drop.NONE, icmp.verify(0));
        assertTrue(icmp.isDestUnreachable());
        assertTrue(icmp.isError());
        assertEquals(IcmpHeader.V4_FRAG_NEEDED, icmp.code());
        assertEquals(1500, icmp.mtu());
        assertEquals(8, icmp.quotedOffset());
        assertEquals(28, icmp.quotedLength());
        // The quote is cut after 8 bytes of TCP: the IP view sees a truncated datagram.
        assertEquals(Drop.IPV4_BAD_TOTAL_LENGTH, quoted.wrap(b, icmp.quotedOffset(), icmp.quotedLength()));
        assertEquals(0xD431, b.getUnsignedShort(icmp.quotedOffset() + 20));
        assertEquals(Drop.TCP_TRUNCATED, quotedTcp.wrap(b, icmp.quotedOffset() + 20, 8));
    }

    @Test
    @DisplayName("ICMPv6 packet too big: MTU 1280; checksum includes the pseudo-header")
    void packetTooBig() {
        long pseudo = Checksum.pseudoIpv6(0xfd00_0000_0000_0000L, 1, 0x2001_0db8_0000_0000L, 1, 58, 16);
        ByteBuf b = Hex.buf("0200 0000 0000 0500 6000 0000 0000 0640");
        assertEquals(Drop.NONE, icmp.wrap(b, 0, 16, true));
        icmp.fillChecksum(pseudo);
        assertEquals(Drop.NONE, icmp.verify(pseudo));
        assertEquals(Drop.ICMP_BAD_CHECKSUM, icmp.verify(pseudo + 1));
        assertTrue(icmp.isError());
        assertEquals(1280, icmp.mtu());
        assertEquals(6, b.getUnsignedByte(icmp.quotedOffset()) >>> 4);
    }

    @Test
    @DisplayName("ICMPv6 echo reply and destination unreachable, port unreachable code")
    void v6Types() {
        icmp.wrap(Hex.buf("8100 0000 abcd 0007"), 0, 8, true);
        assertTrue(icmp.isEchoReply());
        assertEquals(0xABCD, icmp.echoId());
        assertEquals(7, icmp.echoSeq());
        assertEquals(-1, icmp.mtu());
        icmp.wrap(Hex.buf("0104 0000 0000 0000"), 0, 8, true);
        assertTrue(icmp.isDestUnreachable());
        assertEquals(IcmpHeader.V6_PORT_UNREACHABLE, icmp.code());
        assertEquals(-1, icmp.mtu());
        // The same bytes as ICMPv4 mean type 1, which is not unreachable.
        icmp.wrap(Hex.buf("0104 0000 0000 0000"), 0, 8, false);
        assertFalse(icmp.isDestUnreachable());
    }

    @Test
    @DisplayName("truncated message")
    void truncated() {
        assertEquals(Drop.ICMP_TRUNCATED, icmp.wrap(Hex.buf("0800 f7fd 0001 00"), 0, 7, false));
    }
}
