package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 8200: IPv6 header and extension-header walk")
class Ipv6HeaderTest {
    static final String SRC = "2001 0db8 0000 0000 0000 0000 0000 0001";
    static final String DST = "fd00 0000 0000 0000 0000 0000 0000 0002";
    static final String TCP20 = "0000 0000 0000 0000 0000 0000 0000 0000 0000 0000";
    /** Version 6, traffic class b9, flow label 12345, hop limit 64. */
    static String fixed(int payloadLength, int nextHeader) {
        return String.format("6b91 2345 %04x %02x40 ", payloadLength, nextHeader) + SRC + DST;
    }
    static final String HBH_TO_DEST = "3c00 0104 0000 0000";                                  // 8 bytes, PadN
    static final String DEST_TO_ROUTING = "2b01 010c 0000 0000 0000 0000 0000 0000";          // 16 bytes
    static final String ROUTING_TO_FRAGMENT = "2c00 fd00 0000 0000";                          // segments left 0
    static final String ATOMIC_FRAGMENT_TO_TCP = "0600 0000 dead beef";                       // offset 0, M 0

    private final Ipv6Header ip = new Ipv6Header();
    private final IpPacket pkt = new IpPacket();

    @Test
    @DisplayName("fixed header fields and addresses as hi/lo longs and bytes")
    void fields() {
        ByteBuf b = Hex.buf(fixed(20, 6) + TCP20);
        assertEquals(Drop.NONE, ip.wrap(b, 0, 60));
        assertEquals(0xB9, ip.trafficClass());
        assertEquals(1, ip.ecn());
        assertEquals(0x12345, ip.flowLabel());
        assertEquals(20, ip.payloadLength());
        assertEquals(6, ip.nextHeader());
        assertEquals(64, ip.hopLimit());
        assertEquals(0x2001_0db8_0000_0000L, ip.srcHi());
        assertEquals(1L, ip.srcLo());
        assertEquals(0xfd00_0000_0000_0000L, ip.dstHi());
        assertEquals(2L, ip.dstLo());
        byte[] a = new byte[16];
        ip.copySrc(a);
        assertArrayEquals(Hex.bytes(SRC), a);
        ip.copyDst(a);
        assertArrayEquals(Hex.bytes(DST), a);
        assertEquals(ip.dstHi(), Ipv6Header.hi(a));
        assertEquals(ip.dstLo(), Ipv6Header.lo(a));
        assertEquals(6, ip.protocol());
        assertEquals(40, ip.l4Offset());
        assertEquals(20, ip.l4Length());
        assertFalse(ip.hasFragmentHeader());
    }

    @Test
    @DisplayName("walks hop-by-hop, destination options, routing and an atomic fragment to TCP")
    void extensionChain() {
        String ext = HBH_TO_DEST + DEST_TO_ROUTING + ROUTING_TO_FRAGMENT + ATOMIC_FRAGMENT_TO_TCP;
        ByteBuf b = Hex.buf(fixed(60, Ipv6Header.HOP_BY_HOP) + ext + TCP20);
        assertEquals(Drop.NONE, pkt.wrap(b, 0, 100));
        assertEquals(6, pkt.version());
        assertEquals(IpPacket.TCP, pkt.protocol());
        assertEquals(80, pkt.l4Offset());
        assertEquals(20, pkt.l4Length());
        Ipv6Header h = pkt.v6();
        assertEquals(40, h.extensionLength());
        assertEquals(Ipv6Header.HOP_BY_HOP, h.nextHeader());
        assertTrue(h.hasFragmentHeader());
        assertEquals(0xDEAD_BEEF, h.fragmentId());
        assertFalse(h.isFragment()); // RFC 6946: an atomic fragment is a whole datagram
        // The pseudo-header carries the upper-layer length, not the IPv6 payload length (RFC 8200 §8.1).
        assertEquals(Checksum.fold(Checksum.pseudoIpv6(h.srcHi(), h.srcLo(), h.dstHi(), h.dstLo(), 6, 20)),
                Checksum.fold(pkt.pseudoHeaderSum()));
    }

    @Test
    @DisplayName("a real fragment (offset 1, M set) is recognised and set apart for reassembly")
    void fragment() {
        ByteBuf b = Hex.buf(fixed(28, Ipv6Header.FRAGMENT) + "0600 0009 0000 0007" + TCP20);
        assertEquals(Drop.NONE, ip.wrap(b, 0, 68));
        assertEquals(1, ip.fragmentOffset());
        assertTrue(ip.moreFragments());
        assertEquals(7, ip.fragmentId());
        assertTrue(ip.isFragment());
        assertEquals(Drop.IPV6_FRAGMENT, pkt.wrap(b, 0, 68));
    }

    @Test
    @DisplayName("a non-first fragment whose header names an extension: its payload is not walked as headers")
    void laterFragmentPayloadIsNotHeaders() {
        // The Fragment header names Destination Options (60) for the fragmentable part; in a fragment at offset 8
        // the bytes after it are the middle of that part, here a length byte (0xff) that would run past the end.
        ByteBuf b = Hex.buf(fixed(16, Ipv6Header.FRAGMENT) + "3c00 0040 0000 0007" + "00ff 0000 0000 0000");
        assertEquals(Drop.NONE, ip.wrap(b, 0, 56));
        assertEquals(8, ip.fragmentOffset());
        assertEquals(Ipv6Header.DESTINATION_OPTIONS, ip.protocol());
        assertEquals(Drop.IPV6_FRAGMENT, pkt.wrap(b, 0, 56));
    }

    @Test
    @DisplayName("No Next Header (59) ends the walk with nothing after it")
    void noNextHeader() {
        ByteBuf b = Hex.buf(fixed(8, Ipv6Header.DESTINATION_OPTIONS) + "3b00 0104 0000 0000");
        assertEquals(Drop.NONE, pkt.wrap(b, 0, 48));
        assertEquals(59, pkt.protocol());
        assertEquals(0, pkt.l4Length());
    }

    @Test
    @DisplayName("hop-by-hop anywhere but first is refused (RFC 8200 §4.3)")
    void hopByHopNotFirst() {
        ByteBuf b = Hex.buf(fixed(36, Ipv6Header.DESTINATION_OPTIONS) + "0000 0104 0000 0000" + "0600 0104 0000 0000" + TCP20);
        assertEquals(Drop.IPV6_BAD_EXTENSION_HEADER, ip.wrap(b, 0, 76));
    }

    @Test
    @DisplayName("an extension header running past the payload is refused")
    void extensionPastPayload() {
        ByteBuf b = Hex.buf(fixed(16, Ipv6Header.DESTINATION_OPTIONS) + "0602 0104 0000 0000" + "0000 0000 0000 0000");
        assertEquals(Drop.IPV6_BAD_EXTENSION_HEADER, ip.wrap(b, 0, 56));
        ByteBuf cut = Hex.buf(fixed(1, Ipv6Header.ROUTING) + "06");
        assertEquals(Drop.IPV6_BAD_EXTENSION_HEADER, ip.wrap(cut, 0, 41));
        ByteBuf fragCut = Hex.buf(fixed(4, Ipv6Header.FRAGMENT) + "0600 0000");
        assertEquals(Drop.IPV6_BAD_EXTENSION_HEADER, ip.wrap(fragCut, 0, 44));
    }

    @Test
    @DisplayName("two fragment headers, or more than 8 extension headers, are refused")
    void tooMany() {
        ByteBuf twoFrags = Hex.buf(fixed(16, Ipv6Header.FRAGMENT) + "2c00 0000 0000 0001" + "0600 0000 0000 0001");
        assertEquals(Drop.IPV6_BAD_EXTENSION_HEADER, ip.wrap(twoFrags, 0, 56));
        StringBuilder chain = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            chain.append(i < 8 ? "3c00 0104 0000 0000" : "0600 0104 0000 0000");
        }
        ByteBuf nine = Hex.buf(fixed(72 + 20, Ipv6Header.DESTINATION_OPTIONS) + chain + TCP20);
        assertEquals(Drop.IPV6_BAD_EXTENSION_HEADER, ip.wrap(nine, 0, 132));
        ByteBuf eight = Hex.buf(fixed(64 + 20, Ipv6Header.DESTINATION_OPTIONS) + chain.substring(chain.length() - 8 * 19) + TCP20);
        assertEquals(Drop.NONE, ip.wrap(eight, 0, 124));
        assertEquals(6, ip.protocol());
    }

    @Test
    @DisplayName("malformed fixed headers each return their Drop")
    void malformed() {
        assertEquals(Drop.IP_TRUNCATED, ip.wrap(Hex.buf(fixed(0, 59)), 0, 39));
        assertEquals(Drop.IP_BAD_VERSION, ip.wrap(Hex.buf("4" + fixed(0, 59).substring(1)), 0, 40));
        assertEquals(Drop.IPV6_BAD_PAYLOAD_LENGTH, ip.wrap(Hex.buf(fixed(21, 6) + TCP20), 0, 60));
        // A jumbogram: payload length 0 with a hop-by-hop header (RFC 2675).
        assertEquals(Drop.IPV6_BAD_PAYLOAD_LENGTH, ip.wrap(Hex.buf(fixed(0, 0) + "0600 c204 0000 0040" + TCP20), 0, 68));
    }

    @Test
    @DisplayName("setters: hop limit, traffic class/ECN, addresses")
    void setters() {
        ByteBuf b = Hex.buf(fixed(20, 6) + TCP20);
        ip.wrap(b, 0, 60);
        ip.hopLimit(1).ecn(3).src(5L, 6L).dst(7L, 8L);
        assertEquals(1, ip.hopLimit());
        assertEquals(0xBB, ip.trafficClass());
        assertEquals(0x12345, ip.flowLabel());
        assertEquals(6, b.getUnsignedByte(0) >>> 4);
        assertEquals(5L, ip.srcHi());
        assertEquals(6L, ip.srcLo());
        assertEquals(7L, ip.dstHi());
        assertEquals(8L, ip.dstLo());
    }
}
