package dev.tungate.gateway.icmp;

import static dev.tungate.gateway.udp.TestShard.GATEWAY;
import static dev.tungate.gateway.udp.TestShard.GATEWAY6;
import static dev.tungate.gateway.udp.TestShard.NS;
import static dev.tungate.gateway.udp.TestShard.NS6;
import static dev.tungate.gateway.udp.TestShard.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.udp.Packets;
import dev.tungate.gateway.udp.TestShard;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import io.netty.buffer.ByteBuf;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ICMP errors sent for a destination")
class IcmpErrorsTest {
    private final TestShard shard = new TestShard();
    private final IcmpErrors errors = new IcmpErrors(shard);
    private final IpPacket ip = new IpPacket();
    private final IcmpHeader icmp = new IcmpHeader();

    @AfterEach
    void tearDown() throws InterruptedException {
        shard.close();
    }

    /** Calls one IcmpErrors method with the original packet, releases it, and returns whether an error was sent. */
    private boolean answer(BiPredicate<ByteBuf, Integer> method, ByteBuf original) {
        try {
            return method.test(original, Packets.version(original));
        } finally {
            original.release();
        }
    }

    /** The error on the TUN: checked IP/ICMP checksums, addresses swapped, returns the header view positioned on it. */
    private IcmpHeader sent(ByteBuf r, boolean v6) {
        assertEquals(Drop.NONE, ip.wrap(r, 0, r.readableBytes()));
        assertEquals(v6 ? IpPacket.ICMPV6 : IpPacket.ICMP, ip.protocol());
        assertEquals(Drop.NONE, icmp.wrap(r, ip.l4Offset(), ip.l4Length(), v6));
        assertEquals(Drop.NONE, icmp.verify(ip.pseudoHeaderSum()), "ICMP checksum");
        return icmp;
    }

    @Test
    @DisplayName("RFC 1122 §3.2.2.1: IPv4 protocol unreachable quotes the datagram, from its destination")
    void protocolUnreachableV4() throws InterruptedException {
        ByteBuf orig = Packets.udp(NS, 1000, GATEWAY, 2000, new byte[10]);
        orig.setByte(9, 132);   // SCTP: any protocol tungate does not relay (checksum is not re-verified by the helper)
        byte[] quoted = Packets.bytes(orig, 0, orig.readableBytes());
        assertTrue(answer(errors::protocolUnreachable, orig));
        ByteBuf r = shard.nextToTun();
        try {
            IcmpHeader h = sent(r, false);
            assertEquals(IcmpHeader.V4_DEST_UNREACHABLE, h.type());
            assertEquals(IcmpHeader.V4_PROTOCOL_UNREACHABLE, h.code());
            assertEquals(0, h.rest());
            assertArrayEquals(GATEWAY.getAddress(), Packets.bytes(r, 12, 4));
            assertArrayEquals(NS.getAddress(), Packets.bytes(r, 16, 4));
            assertArrayEquals(quoted, Packets.bytes(r, h.quotedOffset(), h.quotedLength()));
        } finally {
            r.release();
        }
    }

    @Test
    @DisplayName("RFC 8200 §4 / RFC 4443 §3.4: IPv6 unknown next header answers Parameter Problem code 1, pointer 6")
    void protocolUnreachableV6() throws InterruptedException {
        ByteBuf orig = Packets.udp(NS6, 1000, GATEWAY6, 2000, new byte[10]);
        orig.setByte(6, 132);
        assertTrue(answer(errors::protocolUnreachable, orig));
        ByteBuf r = shard.nextToTun();
        try {
            IcmpHeader h = sent(r, true);
            assertEquals(IcmpHeader.V6_PARAMETER_PROBLEM, h.type());
            assertEquals(1, h.code());
            assertEquals(6, h.rest(), "pointer to the fixed header's Next Header field");
        } finally {
            r.release();
        }
    }

    @Test
    @DisplayName("RFC 1812 §4.3.2.3: a long datagram is quoted only up to a 576-byte error")
    void quoteIsCutAt576() throws InterruptedException {
        assertTrue(answer(errors::portUnreachable, Packets.udp(NS, 1000, GATEWAY, 2000, new byte[1400])));
        ByteBuf r = shard.nextToTun();
        try {
            sent(r, false);
            assertEquals(576, r.readableBytes());
        } finally {
            r.release();
        }
    }

    @Test
    @DisplayName("RFC 4443 §2.4(c): an ICMPv6 error stays within 1280 bytes")
    void quoteIsCutAt1280() throws InterruptedException {
        assertTrue(answer(errors::hostUnreachable, Packets.udp(NS6, 1000, GATEWAY6, 2000, new byte[3000])));
        ByteBuf r = shard.nextToTun();
        try {
            IcmpHeader h = sent(r, true);
            assertEquals(IcmpHeader.V6_DEST_UNREACHABLE, h.type());
            assertEquals(IcmpHeader.V6_ADDRESS_UNREACHABLE, h.code());
            assertEquals(1280, r.readableBytes());
        } finally {
            r.release();
        }
    }

    @Test
    @DisplayName("RFC 1122 §3.2.2 / RFC 4443 §2.4(e): no error about an ICMP error, a multicast destination or a bad source")
    void neverAnswered() throws InterruptedException {
        assertFalse(answer(errors::portUnreachable,
                Packets.icmp(NS, GATEWAY, IcmpHeader.V4_DEST_UNREACHABLE, 3, 0, new byte[28])));
        assertFalse(answer(errors::portUnreachable, Packets.udp(NS, 1, ip("224.0.0.251"), 5353, new byte[4])));
        assertFalse(answer(errors::portUnreachable, Packets.udp(NS, 1, ip("255.255.255.255"), 67, new byte[4])));
        assertFalse(answer(errors::portUnreachable, Packets.udp(ip("0.0.0.0"), 68, GATEWAY, 67, new byte[4])));
        assertFalse(answer(errors::portUnreachable,
                Packets.icmp(NS6, GATEWAY6, IcmpHeader.V6_PACKET_TOO_BIG, 0, 1280, new byte[48])));
        assertFalse(answer(errors::portUnreachable, Packets.udp(NS6, 1, ip("ff02::fb"), 5353, new byte[4])));
        assertFalse(answer(errors::portUnreachable, Packets.udp(ip("::"), 1, GATEWAY6, 547, new byte[4])));
        // An echo request is not an error: it may be answered.
        assertTrue(answer(errors::adminProhibited, Packets.icmp(NS, GATEWAY, IcmpHeader.V4_ECHO_REQUEST, 0, 0, new byte[8])));
        shard.nextToTun().release();
    }

    @Test
    @DisplayName("RFC 4443 §2.4(f): errors are rate-limited: a burst of 50, then one per millisecond")
    void rateLimited() throws Exception {
        shard.frozenNanos = 1_000_000_000L;
        assertEquals(IcmpErrors.BURST, shard.onLoop(() -> portUnreachables(60)));
        shard.frozenNanos += 1_000_000L;   // one token earned back
        assertEquals(1, shard.onLoop(() -> portUnreachables(5)));
        for (int i = 0; i < IcmpErrors.BURST + 1; i++) {
            shard.nextToTun().release();
        }
    }

    private int portUnreachables(int calls) {
        int n = 0;
        for (int i = 0; i < calls; i++) {
            if (answer(errors::portUnreachable, Packets.udp(NS, 1000 + i, GATEWAY, 2000, new byte[4]))) {
                n++;
            }
        }
        return n;
    }
}
