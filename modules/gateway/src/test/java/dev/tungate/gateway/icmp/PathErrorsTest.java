package dev.tungate.gateway.icmp;

import static dev.tungate.gateway.udp.TestShard.GATEWAY;
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
import dev.tungate.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ICMP errors of the path relayed to the namespace; TTL ending at the gateway")
class PathErrorsTest {
    private static final InetAddress DST = ip("198.18.7.6"), ROUTER = ip("198.18.7.2");
    private static final InetAddress DST6 = ip("fd77::6"), ROUTER6 = ip("fd77::2");
    private final TestShard shard = new TestShard();
    private final IcmpErrors errors = new IcmpErrors(shard);
    private final PathErrors path = new PathErrors(errors, shard.counters());
    private final IpPacket ip = new IpPacket();
    private final IcmpHeader icmp = new IcmpHeader();

    @AfterEach
    void tearDown() throws InterruptedException {
        shard.close();
    }

    private static SockExtendedErr err(int origin, int type, int code, int info, InetAddress offender) {
        SockExtendedErr e = new SockExtendedErr();
        e.origin = origin;
        e.type = type;
        e.code = code;
        e.info = info;
        byte[] a = offender == null ? new byte[0] : offender.getAddress();
        e.offenderVersion = offender == null ? 0 : a.length == 4 ? 4 : 6;
        System.arraycopy(a, 0, e.offender, 0, a.length);
        return e;
    }

    /** Sets an IPv4 packet's TTL, its header checksum updated (RFC 1624). */
    private static void ttl(ByteBuf p, int ttl) {
        Ipv4Header h = new Ipv4Header();
        assertEquals(Drop.NONE, h.wrap(p, 0, p.readableBytes()));
        h.ttl(ttl);
    }

    private boolean relay(ByteBuf original, Predicate<ByteBuf> how) {
        try {
            return how.test(original);
        } finally {
            original.release();
        }
    }

    /** The ICMP message on the TUN from {@code src} to {@code dst}, checksums checked, quoting {@code quoted}. */
    private IcmpHeader expect(InetAddress src, InetAddress dst, byte[] quoted, ByteBuf r) {
        boolean v6 = src.getAddress().length == 16;
        assertEquals(Drop.NONE, ip.wrap(r, 0, r.readableBytes()));
        assertEquals(Drop.NONE, icmp.wrap(r, ip.l4Offset(), ip.l4Length(), v6));
        assertEquals(Drop.NONE, icmp.verify(ip.pseudoHeaderSum()));
        assertArrayEquals(src.getAddress(), Packets.bytes(r, v6 ? 8 : 12, v6 ? 16 : 4), "from");
        assertArrayEquals(dst.getAddress(), Packets.bytes(r, v6 ? 24 : 16, v6 ? 16 : 4), "to");
        assertArrayEquals(quoted, Packets.bytes(r, icmp.quotedOffset(), icmp.quotedLength()), "the namespace's datagram quoted");
        return icmp;
    }

    @Test
    @DisplayName("A router's time exceeded comes to the namespace from the router, quoting the namespace's datagram")
    void timeExceededFromRouter() throws Exception {
        ByteBuf orig = Packets.udp(NS, 40000, DST, 33434, new byte[32]);
        byte[] quoted = Packets.bytes(orig, 0, orig.readableBytes());
        assertTrue(relay(orig, o -> path.relay(err(SockExtendedErr.ORIGIN_ICMP, 11, 0, 0, ROUTER), o, 4, DST)));
        ByteBuf r = shard.nextToTun();
        try {
            IcmpHeader h = expect(ROUTER, NS, quoted, r);
            assertEquals(IcmpHeader.V4_TIME_EXCEEDED, h.type());
            assertEquals(0, h.code());
        } finally {
            r.release();
        }
        assertEquals(1, shard.counters().icmpPathErrors);
    }

    @Test
    @DisplayName("RFC 1191: fragmentation needed carries the next-hop MTU in the low 16 bits")
    void fragNeeded() throws Exception {
        ByteBuf orig = Packets.udp(NS, 40000, DST, 4000, new byte[1372]);
        byte[] quoted = Packets.bytes(orig, 0, IcmpErrors.quoteLimit(4));
        assertTrue(relay(orig, o -> path.relay(err(SockExtendedErr.ORIGIN_ICMP, 3, 4, 1280, ROUTER), o, 4, DST)));
        ByteBuf r = shard.nextToTun();
        try {
            IcmpHeader h = expect(ROUTER, NS, quoted, r);
            assertEquals(3, h.type());
            assertEquals(4, h.code());
            assertEquals(1280, h.mtu());
            assertTrue(r.readableBytes() <= IcmpHeader.V4_ERROR_MAX_LENGTH, "RFC 1812: within 576 bytes");
        } finally {
            r.release();
        }
    }

    @Test
    @DisplayName("RFC 8201: an IPv6 packet too big from a router keeps its MTU, quoting within 1280 bytes")
    void packetTooBigV6() throws Exception {
        ByteBuf orig = Packets.udp(NS6, 40000, DST6, 4000, new byte[1400]);
        byte[] quoted = Packets.bytes(orig, 0, IcmpErrors.quoteLimit(6));
        assertTrue(relay(orig, o -> path.relay(err(SockExtendedErr.ORIGIN_ICMP6, 2, 0, 1280, ROUTER6), o, 6, DST6)));
        ByteBuf r = shard.nextToTun();
        try {
            IcmpHeader h = expect(ROUTER6, NS6, quoted, r);
            assertEquals(IcmpHeader.V6_PACKET_TOO_BIG, h.type());
            assertEquals(1280, h.mtu());
            assertEquals(IcmpHeader.V6_ERROR_MAX_LENGTH, r.readableBytes());
        } finally {
            r.release();
        }
    }

    @Test
    @DisplayName("An error from the upstream address itself comes from the destination the namespace dialled (gateway -> loopback)")
    void offenderIsUpstream() throws Exception {
        ByteBuf orig = Packets.udp(NS, 40000, GATEWAY, 9, new byte[8]);
        byte[] quoted = Packets.bytes(orig, 0, orig.readableBytes());
        assertTrue(relay(orig, o -> path.relay(err(SockExtendedErr.ORIGIN_ICMP, 3, 3, 0, TestShard.LOOPBACK), o, 4,
                TestShard.LOOPBACK)));
        ByteBuf r = shard.nextToTun();
        try {
            IcmpHeader h = expect(GATEWAY, NS, quoted, r);
            assertEquals(3, h.type());
            assertEquals(3, h.code());
        } finally {
            r.release();
        }
    }

    @Test
    @DisplayName("Not relayed: parameter problem, redirects, local errors other than EMSGSIZE, an upstream of the other family")
    void notRelayed() {
        ByteBuf orig = Packets.udp(NS, 40000, DST, 4000, new byte[8]);
        try {
            assertFalse(path.relay(err(SockExtendedErr.ORIGIN_ICMP, 12, 0, 0, ROUTER), orig, 4, DST));
            assertFalse(path.relay(err(SockExtendedErr.ORIGIN_ICMP, 5, 1, 0, ROUTER), orig, 4, DST));
            assertFalse(path.relay(err(SockExtendedErr.ORIGIN_LOCAL, 0, 0, 0, null), orig, 4, DST));
            assertFalse(path.relay(err(SockExtendedErr.ORIGIN_ICMP6, 3, 0, 0, ROUTER6), orig, 4, DST6));
            assertFalse(path.relay(err(SockExtendedErr.ORIGIN_NONE, 0, 0, 0, null), orig, 4, DST));
        } finally {
            orig.release();
        }
        assertEquals(0, shard.counters().icmpPathErrors);
    }

    @Test
    @DisplayName("RFC 1812 §5.3.1: TTL 1 to a destination behind the gateway is time exceeded from the gateway; TTL 1 to the gateway itself is not")
    void hopLimitEndsHere() throws Exception {
        HopLimit hops = new HopLimit(shard, errors);
        ByteBuf orig = Packets.udp(NS, 40000, DST, 33434, new byte[32]);
        ttl(orig, 1);
        byte[] quoted = Packets.bytes(orig, 0, orig.readableBytes());
        assertEquals(Drop.NONE, ip.wrap(orig, 0, orig.readableBytes()));
        assertTrue(hops.expires(orig, ip));
        orig.release();
        ByteBuf r = shard.nextToTun();
        try {
            IcmpHeader h = expect(GATEWAY, NS, quoted, r);
            assertEquals(IcmpHeader.V4_TIME_EXCEEDED, h.type());
        } finally {
            r.release();
        }
        ByteBuf local = Packets.udp(NS, 40000, GATEWAY, 53, new byte[8]);
        ttl(local, 1);
        assertEquals(Drop.NONE, ip.wrap(local, 0, local.readableBytes()));
        assertFalse(hops.expires(local, ip));
        ByteBuf two = Packets.udp(NS, 40000, DST, 33434, new byte[8]);
        ttl(two, 2);
        assertEquals(Drop.NONE, ip.wrap(two, 0, two.readableBytes()));
        assertFalse(hops.expires(two, ip));
        assertEquals(1, HopLimit.upstream(ip));
        local.release();
        two.release();
        assertEquals(1, shard.counters().icmpTimeExceeded);
    }
}
