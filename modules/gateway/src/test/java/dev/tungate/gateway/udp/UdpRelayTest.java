package dev.tungate.gateway.udp;

import static dev.tungate.gateway.udp.TestShard.GATEWAY;
import static dev.tungate.gateway.udp.TestShard.GATEWAY6;
import static dev.tungate.gateway.udp.TestShard.NS;
import static dev.tungate.gateway.udp.TestShard.NS6;
import static dev.tungate.gateway.udp.TestShard.REFUSED;
import static dev.tungate.gateway.udp.TestShard.ip;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.shard.Refusal;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.UdpHeader;
import io.netty.buffer.ByteBuf;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("UDP NAT to host sockets")
class UdpRelayTest {
    private static final long SECOND = 1_000_000_000L;
    private final TestShard shard = new TestShard();
    private final UdpRelay relay = new UdpRelay(shard, null, 2, UdpRelay.DEFAULT_IDLE_NANOS);
    private final IpPacket ip = new IpPacket();
    private final UdpHeader udp = new UdpHeader();
    private final IcmpHeader icmp = new IcmpHeader();
    private DatagramSocket echo;
    private Thread echoThread;

    @AfterEach
    void tearDown() throws Exception {
        shard.run(relay::close);
        shard.close();
        if (echo != null) {
            echo.close();
            echoThread.join(5000);
        }
    }

    /** A UDP echo server on host loopback, answering "echo:" + the datagram. */
    private int startEcho(InetAddress bind) throws SocketException {
        echo = new DatagramSocket(new InetSocketAddress(bind, 0));
        echoThread = new Thread(() -> {
            byte[] buf = new byte[2048];
            try {
                for (;;) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    echo.receive(p);
                    byte[] reply = ("echo:" + new String(buf, 0, p.getLength(), US_ASCII)).getBytes(US_ASCII);
                    echo.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (java.io.IOException closed) {
                // the test closed the socket
            }
        }, "udp-echo");
        echoThread.start();
        return echo.getLocalPort();
    }

    private void send(ByteBuf p) throws Exception {
        shard.packetIn(relay, p);
    }

    /** Parses a TUN packet, checking the IP and UDP checksums, and returns the UDP payload. */
    private byte[] udpPayload(ByteBuf p, InetAddress src, int srcPort, InetAddress dst, int dstPort) {
        assertEquals(Drop.NONE, ip.wrap(p, p.readerIndex(), p.readableBytes()));
        assertEquals(IpPacket.UDP, ip.protocol());
        assertEquals(Drop.NONE, udp.wrap(p, ip.l4Offset(), ip.l4Length()));
        assertEquals(Drop.NONE, udp.verify(ip.pseudoHeaderSum(), ip.isIpv6()), "UDP checksum");
        assertEquals(src, Packets.version(p) == 4 ? ip4(ip.v4().src()) : ip6(p, 8));
        assertEquals(dst, Packets.version(p) == 4 ? ip4(ip.v4().dst()) : ip6(p, 24));
        assertEquals(srcPort, udp.srcPort());
        assertEquals(dstPort, udp.dstPort());
        return Packets.bytes(p, udp.payloadOffset(), udp.payloadLength());
    }

    /** A UDP port on host loopback that was free a moment ago: nobody listens there. */
    private static int closedPort() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(TestShard.LOOPBACK, 0))) {
            return s.getLocalPort();
        }
    }

    private static InetAddress ip4(int a) {
        return ip((a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF));
    }

    private static InetAddress ip6(ByteBuf p, int off) {
        try {
            return InetAddress.getByAddress(Packets.bytes(p, p.readerIndex() + off, 16));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("IPv4: the gateway address reaches a host-loopback server and the answer comes back from it")
    void relaysIpv4ThroughHostLoopback() throws Exception {
        int port = startEcho(TestShard.LOOPBACK);
        send(Packets.udp(NS, 40000, GATEWAY, port, "hello".getBytes(US_ASCII)));
        ByteBuf r = shard.nextToTun();
        try {
            assertArrayEquals("echo:hello".getBytes(US_ASCII), udpPayload(r, GATEWAY, port, NS, 40000));
            assertEquals(64, ip.hopLimit());
        } finally {
            r.release();
        }
        // A second datagram reuses the binding; this one sits behind a 12-byte virtio_net_hdr, as TUN offload reads it.
        send(Packets.withHeadroom(Packets.udp(NS, 40000, GATEWAY, port, "again".getBytes(US_ASCII)), 12));
        ByteBuf r2 = shard.nextToTun();
        try {
            assertArrayEquals("echo:again".getBytes(US_ASCII), udpPayload(r2, GATEWAY, port, NS, 40000));
        } finally {
            r2.release();
        }
        assertEquals(1, shard.onLoop(relay::flowCount));
        assertEquals(1, shard.onLoop(() -> shard.counters().udpFlows));
        assertEquals(4, shard.onLoop(() -> shard.counters().udpDatagrams));
    }

    @Test
    @DisplayName("IPv6: fd00::2 reaches ::1 and the answer carries a valid ICMPv6-style pseudo-header checksum")
    void relaysIpv6ThroughHostLoopback() throws Exception {
        int port = startEcho(TestShard.LOOPBACK6);
        send(Packets.udp(NS6, 40001, GATEWAY6, port, "six".getBytes(US_ASCII)));
        ByteBuf r = shard.nextToTun();
        try {
            assertArrayEquals("echo:six".getBytes(US_ASCII), udpPayload(r, GATEWAY6, port, NS6, 40001));
        } finally {
            r.release();
        }
    }

    @Test
    @DisplayName("idle bindings expire: port-53 flows after 10 s, others after the idle timeout")
    void idleFlowsExpire() throws Exception {
        int port = startEcho(TestShard.LOOPBACK);
        long t0 = shard.onLoop(shard::nowNanos);
        // 198.18.0.53:53 maps to 127.0.0.1:53 (nobody listens; the binding exists anyway); GATEWAY:port is a regular flow.
        send(Packets.udp(NS, 40002, GATEWAY, port, "x".getBytes(US_ASCII)));
        shard.nextToTun().release();
        send(Packets.udp(NS, 40003, ip("198.18.0.53"), 53, "q".getBytes(US_ASCII)));
        assertEquals(2, shard.onLoop(relay::flowCount));
        shard.run(() -> relay.tick(t0 + 11 * SECOND));
        assertEquals(1, shard.onLoop(relay::flowCount), "the port-53 flow is gone after 10 s");
        shard.run(() -> relay.tick(t0 + 59 * SECOND));
        assertEquals(1, shard.onLoop(relay::flowCount));
        shard.run(() -> relay.tick(t0 + 70 * SECOND));
        assertEquals(0, shard.onLoop(relay::flowCount), "the regular flow is gone after 60 s idle");
    }

    @Test
    @DisplayName("RFC 1122 §4.1.3.3: ECONNREFUSED from the host socket becomes ICMP port unreachable quoting the datagram")
    void refusedBecomesPortUnreachable() throws Exception {
        int closedPort = closedPort();
        ByteBuf sent = Packets.udp(NS, 40004, GATEWAY, closedPort, "anyone?".getBytes(US_ASCII));
        byte[] original = Packets.bytes(sent, 0, sent.readableBytes());
        send(sent);
        ByteBuf r = shard.nextToTun();
        try {
            assertEquals(Drop.NONE, ip.wrap(r, 0, r.readableBytes()));
            assertEquals(IpPacket.ICMP, ip.protocol());
            assertEquals(ip4(ip.v4().src()), GATEWAY);
            assertEquals(ip4(ip.v4().dst()), NS);
            assertEquals(Drop.NONE, icmp.wrap(r, ip.l4Offset(), ip.l4Length(), false));
            assertEquals(Drop.NONE, icmp.verify(0), "ICMP checksum");
            assertEquals(IcmpHeader.V4_DEST_UNREACHABLE, icmp.type());
            assertEquals(IcmpHeader.V4_PORT_UNREACHABLE, icmp.code());
            assertArrayEquals(original, Packets.bytes(r, icmp.quotedOffset(), icmp.quotedLength()), "the whole datagram is quoted");
        } finally {
            r.release();
        }
        assertEquals(1, shard.onLoop(() -> shard.counters().icmpErrors));
    }

    @Test
    @DisplayName("RFC 1812 §4.3.2.3: port unreachable for a long datagram quotes its first 548 bytes (a 576-byte error)")
    void longDatagramIsQuotedToTheLimit() throws Exception {
        int closedPort = closedPort();
        ByteBuf sent = Packets.udp(NS, 40006, GATEWAY, closedPort, new byte[1400]);
        byte[] head = Packets.bytes(sent, 0, 548);
        send(sent);
        ByteBuf r = shard.nextToTun();
        try {
            assertEquals(576, r.readableBytes());
            assertEquals(Drop.NONE, ip.wrap(r, 0, r.readableBytes()));
            assertEquals(Drop.NONE, icmp.wrap(r, ip.l4Offset(), ip.l4Length(), false));
            assertEquals(Drop.NONE, icmp.verify(0), "ICMP checksum");
            assertEquals(IcmpHeader.V4_PORT_UNREACHABLE, icmp.code());
            assertArrayEquals(head, Packets.bytes(r, icmp.quotedOffset(), icmp.quotedLength()));
        } finally {
            r.release();
        }
    }

    @Test
    @DisplayName("a refused destination answers administratively prohibited (RFC 1812 §5.2.7.1) and opens nothing")
    void refusedDestinationIsProhibited() throws Exception {
        send(Packets.udp(NS, 40005, REFUSED, 9, "no".getBytes(US_ASCII)));
        shard.expectAdminProhibited();
        assertEquals(0, shard.onLoop(relay::flowCount));
        assertEquals(1, shard.onLoop(() -> shard.counters().blocked));
    }

    @Test
    @DisplayName("issue 8: the host's loopback by raw address is prohibited, even where a server listens; IPv6 forms too")
    void rawHostLoopbackIsProhibited() throws Exception {
        int port = startEcho(TestShard.LOOPBACK);
        send(Packets.udp(NS, 40008, TestShard.LOOPBACK, port, "leak?".getBytes(US_ASCII)));
        shard.expectAdminProhibited();
        for (String v6 : new String[] {"::1", "::", "::127.0.0.1"}) {
            send(Packets.udp(NS6, 40008, ip(v6), port, "leak?".getBytes(US_ASCII)));
            shard.nextToTun().release();   // ICMPv6 administratively prohibited
        }
        assertEquals(0, shard.onLoop(relay::flowCount));
        assertEquals(4, shard.onLoop(() -> shard.counters().refused[Refusal.HOST_LOOPBACK.ordinal()]));
    }

    @Test
    @DisplayName("a policy BLACKHOLE destination gets silence: no binding, no ICMP")
    void blackholeIsSilent() throws Exception {
        send(Packets.udp(NS, 40007, TestShard.BLACKHOLE, 9, "hush".getBytes(US_ASCII)));
        assertEquals(0, shard.onLoop(relay::flowCount));
        assertEquals(1, shard.onLoop(() -> shard.counters().blocked));
        shard.expectNothingToTun(200);
    }

    /**
     * Issue 8 item 5: a new flow's first burst, read in one TUN batch, all waits for the upstream connect
     * (it completes on a later loop task); before, all but 16 were dropped and counted as flow-limit drops.
     */
    @ParameterizedTest(name = "{0} datagrams at once on a new flow all come back")
    @ValueSource(ints = {50, 200})
    void firstBurstIsQueuedWhileConnecting(int count) throws Exception {
        int port = startEcho(TestShard.LOOPBACK);
        ByteBuf[] burst = new ByteBuf[count];
        for (int i = 0; i < count; i++) {
            burst[i] = Packets.udp(NS, 40010, GATEWAY, port, ("d" + i).getBytes(US_ASCII));
        }
        // One loop task, like one TUN batch: the connect cannot complete between the datagrams.
        shard.run(() -> {
            for (ByteBuf p : burst) {
                IpPacket ip = new IpPacket();
                ip.wrap(p, p.readerIndex(), p.readableBytes());
                relay.packetIn(p, ip, 0, false);
            }
        });
        Set<String> back = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ByteBuf r = shard.nextToTun();
            try {
                back.add(new String(udpPayload(r, GATEWAY, port, NS, 40010), US_ASCII));
            } finally {
                r.release();
            }
        }
        assertEquals(count, back.size());
        assertTrue(back.contains("echo:d0") && back.contains("echo:d" + (count - 1)), back.toString());
        assertEquals(0, shard.onLoop(() -> shard.counters().udpSetupDrops));
        assertEquals(0, shard.onLoop(() -> shard.counters().udpFlowLimitDrops));
        assertEquals(0, shard.onLoop(relay::setupBytes), "the set-up queue's bytes are given back");
    }

    @Test
    @DisplayName("a burst beyond the set-up queue's 256 KiB is dropped and counted as udpSetupDrops, not as flow-limit drops")
    void setupQueueIsBoundedInBytes() throws Exception {
        int port = startEcho(TestShard.LOOPBACK);
        int size = 1000, fits = UdpFlow.MAX_PENDING_BYTES / (size + UdpFlow.DATAGRAM_OVERHEAD), count = fits + 10;
        ByteBuf[] burst = new ByteBuf[count];
        for (int i = 0; i < count; i++) {
            burst[i] = Packets.udp(NS, 40011, GATEWAY, port, new byte[size]);
        }
        long held = shard.onLoop(() -> {
            for (ByteBuf p : burst) {
                IpPacket ip = new IpPacket();
                ip.wrap(p, p.readerIndex(), p.readableBytes());
                relay.packetIn(p, ip, 0, false);
            }
            return (long) relay.setupBytes();
        });
        assertEquals((long) fits * (size + UdpFlow.DATAGRAM_OVERHEAD), held);
        assertEquals(10, shard.onLoop(() -> shard.counters().udpSetupDrops));
        assertEquals(0, shard.onLoop(() -> shard.counters().udpFlowLimitDrops));
    }

    @Test
    @DisplayName("the flow limit refuses new bindings and counts them")
    void flowLimitIsCounted() throws Exception {
        int port = startEcho(TestShard.LOOPBACK);
        for (int srcPort = 41000; srcPort < 41003; srcPort++) {
            send(Packets.udp(NS, srcPort, GATEWAY, port, "n".getBytes(US_ASCII)));
        }
        assertEquals(2, shard.onLoop(relay::flowCount));
        assertEquals(1, shard.onLoop(() -> shard.counters().udpFlowLimitDrops));
    }
}
