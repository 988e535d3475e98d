package dev.tungate.gateway.frag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tungate.gateway.shard.Counters;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.PacketBuilder;
import dev.tungate.wire.UdpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Fragment reassembly (RFC 791, RFC 815, RFC 8200 §4.5, RFC 5722): bounded, timed out, counted")
class ReassemblerTest {
    private static final long T0 = 5_000_000_000L;
    private final Counters counters = new Counters();
    private final Reassembler r = new Reassembler(PooledByteBufAllocator.DEFAULT, counters);
    private final List<ByteBuf> fed = new ArrayList<>();

    @AfterEach
    void everyFragmentReleased() {
        r.clear();
        assertEquals(0, r.bytesHeld(), "bytes held after clear");
        for (ByteBuf f : fed) {
            assertEquals(0, f.refCnt(), "a fragment was not released");
        }
    }

    private ByteBuf offer(ByteBuf fragment) {
        fed.add(fragment);
        return r.offer(fragment, T0);
    }

    /** A UDP datagram 10.0.0.2:5000 -> 198.18.0.1:7 with {@code n} bytes of a counting pattern. */
    private static ByteBuf udp4(int n, int id) {
        ByteBuf payload = Unpooled.buffer(n);
        for (int i = 0; i < n; i++) {
            payload.writeByte(i * 7);
        }
        ByteBuf b = Unpooled.buffer(n + 28);
        new PacketBuilder().ipv4(0x0A00_0002, 0xC612_0001).identification(id).dontFragment(false).ports(5000, 7)
                .writeUdp(b, payload, 0, n);
        return b;
    }

    private static ByteBuf udp6(int n) {
        ByteBuf payload = Unpooled.buffer(n).writeZero(n);
        for (int i = 0; i < n; i++) {
            payload.setByte(i, i * 13);
        }
        ByteBuf b = Unpooled.buffer(n + 48);
        new PacketBuilder().ipv6(0xFD00_0000_0000_0000L, 2, 0x2001_0DB8_0000_0000L, 1).ports(5000, 7).writeUdp(b, payload, 0, n);
        return b;
    }

    private static void assertSameBytes(ByteBuf expected, ByteBuf actual) {
        assertEquals(ByteBufUtil.hexDump(expected), ByteBufUtil.hexDump(actual), () -> "reassembled:\n" + ByteBufUtil.prettyHexDump(actual));
    }

    /** The whole datagram must pass the shard's own checks, UDP checksum included. */
    private static void assertValidUdp(ByteBuf whole) {
        IpPacket ip = new IpPacket();
        assertEquals(Drop.NONE, ip.wrap(whole, whole.readerIndex(), whole.readableBytes()));
        UdpHeader udp = new UdpHeader();
        assertEquals(Drop.NONE, udp.wrap(whole, ip.l4Offset(), ip.l4Length()));
        assertEquals(Drop.NONE, udp.verify(ip.pseudoHeaderSum(), ip.isIpv6()));
    }

    @Test
    @DisplayName("Literal IPv4 fragments (ping -s 20 cut at 8 bytes) become the datagram, header made whole")
    void literalIpv4() {
        // ICMP echo request 10.0.0.2 -> 198.18.0.1, id 0x1c46, 28 bytes of ICMP: two fragments of 16 and 12.
        ByteBuf f1 = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
                "45000024" + "1c462000" + "4001" + "0000" + "0a000002" + "c6120001"
                + "0800a5e3" + "04d20001" + "0001020304050607"));
        ByteBuf f2 = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
                "45000020" + "1c460002" + "4001" + "0000" + "0a000002" + "c6120001"
                + "08090a0b0c0d0e0f10111213"));
        fixIpChecksum(f1);
        fixIpChecksum(f2);
        assertNull(offer(f1));
        ByteBuf whole = offer(f2);
        assertNotNull(whole);
        ByteBuf expected = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
                "45000030" + "1c460000" + "4001" + "0000" + "0a000002" + "c6120001"
                + "0800a5e3" + "04d20001" + "0001020304050607" + "08090a0b0c0d0e0f10111213"));
        fixIpChecksum(expected);
        assertSameBytes(expected, whole);
        whole.release();
        assertEquals(1, counters.datagramsReassembled);
        assertEquals(2, counters.fragmentsIn);
    }

    private static void fixIpChecksum(ByteBuf b) {
        dev.tungate.wire.Ipv4Header h = new dev.tungate.wire.Ipv4Header();
        h.wrap(b, 0, b.readableBytes());
        h.fillChecksum();
    }

    @Test
    @DisplayName("IPv4: a 4000-byte UDP datagram in 3 fragments, out of order with a duplicate, equals the original")
    void ipv4OutOfOrderWithDuplicate() {
        ByteBuf whole = udp4(4000, 0x4242);
        int payload = whole.readableBytes() - 20;
        assertNull(offer(Fragmenter.v4(whole, 2960, payload, false)));
        assertNull(offer(Fragmenter.v4(whole, 1480, 2960, true)));
        assertNull(offer(Fragmenter.v4(whole, 1480, 2960, true)));
        ByteBuf got = offer(Fragmenter.v4(whole, 0, 1480, true));
        assertNotNull(got);
        assertSameBytes(whole, got);
        assertValidUdp(got);
        got.release();
        assertEquals(1, counters.fragmentDuplicates);
        assertEquals(0, r.pending());
        assertEquals(0, r.bytesHeld());
    }

    @Test
    @DisplayName("IPv6: fragments with a Fragment header become the datagram without it (next header restored)")
    void ipv6() {
        ByteBuf whole = udp6(3000);
        int payload = whole.readableBytes() - 40;
        assertNull(offer(Fragmenter.v6(whole, 77, 1232, 2464, true)));
        assertNull(offer(Fragmenter.v6(whole, 77, 0, 1232, true)));
        ByteBuf got = offer(Fragmenter.v6(whole, 77, 2464, payload, false));
        assertNotNull(got);
        assertSameBytes(whole, got);
        assertValidUdp(got);
        got.release();
    }

    @Test
    @DisplayName("RFC 5722: an overlapping IPv6 fragment discards the whole datagram, later pieces do not revive it")
    void ipv6OverlapDiscards() {
        ByteBuf whole = udp6(3000);
        int payload = whole.readableBytes() - 40;
        assertNull(offer(Fragmenter.v6(whole, 9, 0, 1232, true)));
        assertNull(offer(Fragmenter.v6(whole, 9, 1224, 2464, true)));       // overlaps [1224, 1232)
        assertEquals(1, counters.fragmentOverlaps);
        assertEquals(0, r.pending());
        assertNull(offer(Fragmenter.v6(whole, 9, 2464, payload, false)));
        assertEquals(0, counters.datagramsReassembled);
    }

    @Test
    @DisplayName("IPv4 overlaps are refused as well (as Linux does): no bytes slipped in under a filter")
    void ipv4OverlapDiscards() {
        ByteBuf whole = udp4(3000, 1);
        assertNull(offer(Fragmenter.v4(whole, 0, 1480, true)));
        assertNull(offer(Fragmenter.v4(whole, 8, 1488, true)));
        assertEquals(1, counters.fragmentOverlaps);
        assertEquals(0, r.pending());
    }

    @Test
    @DisplayName("Invalid: a middle fragment not a multiple of 8, a datagram beyond 64 KiB, a second different end")
    void invalid() {
        ByteBuf whole = udp4(3000, 2);
        assertNull(offer(Fragmenter.v4(whole, 0, 1481, true)));
        assertEquals(1, counters.fragmentsInvalid);
        ByteBuf big = udp4(2000, 3);
        ByteBuf tail = Fragmenter.v4(big, 0, 100, false);
        tail.setShort(6, 8180);                                   // offset 65440 + 100 bytes > 65535
        fixIpChecksum(tail);
        assertNull(offer(tail));
        assertEquals(2, counters.fragmentsInvalid);
        assertNull(offer(Fragmenter.v4(whole, 1480, 2000, false)));
        assertNull(offer(Fragmenter.v4(whole, 2000, 2008, false)));   // a second last fragment, another end
        assertEquals(3, counters.fragmentsInvalid);
        assertEquals(0, r.pending());
    }

    @Test
    @DisplayName("A datagram unfinished after the timeout is discarded, counted, and its buffer released")
    void timeout() {
        ByteBuf whole = udp4(3000, 4);
        assertNull(offer(Fragmenter.v4(whole, 0, 1480, true)));
        r.expire(T0 + Reassembler.TIMEOUT_NANOS - 1);
        assertEquals(1, r.pending());
        r.expire(T0 + Reassembler.TIMEOUT_NANOS);
        assertEquals(0, r.pending());
        assertEquals(0, r.bytesHeld());
        assertEquals(1, counters.reassemblyTimeouts);
    }

    @Test
    @DisplayName("At the datagram limit the oldest is evicted; the byte budget holds under a flood of first fragments")
    void bounds() {
        Reassembler small = new Reassembler(PooledByteBufAllocator.DEFAULT, counters, 4, 16_384, Reassembler.TIMEOUT_NANOS);
        for (int i = 0; i < 20; i++) {
            ByteBuf f = Fragmenter.v4(udp4(3000, 100 + i), 0, 1480, true);
            fed.add(f);
            assertNull(small.offer(f, T0 + i));
            assertEquals(Math.min(i + 1, 4), small.pending());
            assertEquals(true, small.bytesHeld() <= 16_384, "bytes held " + small.bytesHeld());
        }
        assertEquals(16, counters.reassemblyEvictions);
        // The newest still completes.
        ByteBuf last = udp4(3000, 119);
        ByteBuf f = Fragmenter.v4(last, 1480, last.readableBytes() - 20, false);
        fed.add(f);
        ByteBuf got = small.offer(f, T0 + 20);
        assertNotNull(got);
        assertSameBytes(last, got);
        got.release();
        small.clear();
        assertEquals(0, small.bytesHeld());
    }

    @Test
    @DisplayName("20,000 random cuts, orders, duplicates and overlaps: whole datagrams exact, nothing leaked, bounds held")
    void randomised() {
        Random rnd = new Random(791);
        Reassembler small = new Reassembler(PooledByteBufAllocator.DEFAULT, counters, 8, 64 << 10, 1_000_000_000L);
        long now = T0;
        int completed = 0;
        for (int n = 0; n < 20_000; n++) {
            boolean v6 = rnd.nextBoolean();
            ByteBuf whole = v6 ? udp6(100 + rnd.nextInt(6000)) : udp4(100 + rnd.nextInt(6000), n);
            int header = v6 ? 40 : 20;
            int payload = whole.readableBytes() - header;
            List<ByteBuf> pieces = new ArrayList<>();
            boolean overlapped = false;
            for (int first = 0; first < payload; ) {
                int last = Math.min(payload, first + 8 * (1 + rnd.nextInt(200)));
                int start = first;
                if (first > 0 && rnd.nextInt(50) == 0) {
                    start -= 8;                                    // an overlap
                    overlapped = true;
                }
                pieces.add(v6 ? Fragmenter.v6(whole, n, start, last, last < payload)
                        : Fragmenter.v4(whole, start, last, last < payload));
                first = last;
            }
            if (pieces.size() > 1 && rnd.nextInt(10) == 0) {
                pieces.add(pieces.get(rnd.nextInt(pieces.size())).copy());       // a duplicate
            }
            if (rnd.nextInt(20) == 0) {
                pieces.remove(rnd.nextInt(pieces.size()));          // a loss: times out or is evicted
            }
            Collections.shuffle(pieces, rnd);
            for (ByteBuf f : pieces) {
                fed.add(f);
                now += rnd.nextInt(1_000_000);
                ByteBuf got = small.offer(f, now);
                assertEquals(true, small.bytesHeld() <= 64 << 10, "bytes held " + small.bytesHeld());
                if (got != null) {
                    assertEquals(false, overlapped, "an overlapped datagram was completed");
                    assertSameBytes(whole, got);
                    got.release();
                    completed++;
                }
            }
        }
        small.clear();
        assertEquals(0, small.bytesHeld());
        assertEquals(true, completed > 10_000, "completed " + completed);
    }
}
