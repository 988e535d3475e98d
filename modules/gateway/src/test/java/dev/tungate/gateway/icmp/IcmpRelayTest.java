package dev.tungate.gateway.icmp;

import static dev.tungate.gateway.udp.TestShard.GATEWAY;
import static dev.tungate.gateway.udp.TestShard.GATEWAY6;
import static dev.tungate.gateway.udp.TestShard.NS;
import static dev.tungate.gateway.udp.TestShard.NS6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.RootGate;
import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.Refusal;
import dev.tungate.gateway.udp.Packets;
import dev.tungate.gateway.udp.TestShard;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Echo through real host ICMP sockets. Each test runs the shard's loop inside its own network
 * namespace (tg-gw2-icmp-PID), whose net.ipv4.ping_group_range it sets: "0 0" lets root open
 * ping sockets, "1 0" (the kernel default) forbids them, which makes the relay fall back to raw
 * sockets. Needs root; skipped otherwise unless CI=true.
 */
@DisplayName("ICMP echo relay")
@Isolated("creates and enters a network namespace")
class IcmpRelayTest {
    public interface Libc {
        int open(String path, int flags);
        int setns(int fd, int nstype);
        int close(int fd);
    }

    private static final Libc C = LibraryLoader.create(Libc.class).load("c");
    private static final int CLONE_NEWNET = 0x40000000;
    private static final String NETNS = "tg-gw2-icmp-" + ProcessHandle.current().pid();
    private static final byte[] DATA = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

    private final TestShard shard = new TestShard();
    private final IpPacket ip = new IpPacket();
    private final IcmpHeader icmp = new IcmpHeader();
    private IcmpRelay relay;
    private boolean netnsCreated;

    @AfterEach
    void tearDown() throws Exception {
        if (relay != null) {
            shard.run(relay::close);
        }
        shard.close();
        if (netnsCreated) {
            sh("ip", "netns", "del", NETNS);
        }
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": timed out");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + out);
        }
    }

    /** Creates the namespace with the given ping_group_range and moves the shard's loop thread into it. */
    private void loopInNamespace(String pingGroupRange) throws Exception {
        RootGate.requireRoot();
        sh("ip", "netns", "add", NETNS);
        netnsCreated = true;
        sh("ip", "-n", NETNS, "link", "set", "lo", "up");
        sh("ip", "netns", "exec", NETNS, "sysctl", "-qw", "net.ipv4.ping_group_range=" + pingGroupRange);
        int rc = shard.onLoop(() -> {
            int fd = C.open("/run/netns/" + NETNS, 0);
            int r = fd < 0 ? -1 : C.setns(fd, CLONE_NEWNET);
            C.close(fd);
            return r;
        });
        assertEquals(0, rc, "setns into " + NETNS);
        relay = shard.onLoop(() -> new IcmpRelay(shard));
    }

    private void send(ByteBuf p) throws Exception {
        shard.packetIn(relay, p);
    }

    /** Sends echo requests id/seq from the namespace to dst and checks each reply: addresses, id restored, data, checksum. */
    private void pingAndExpectReplies(InetAddress src, InetAddress dst, int id) throws Exception {
        boolean v6 = src instanceof java.net.Inet6Address;
        for (int seq = 1; seq <= 2; seq++) {
            send(Packets.icmp(src, dst, v6 ? IcmpHeader.V6_ECHO_REQUEST : IcmpHeader.V4_ECHO_REQUEST, 0, id << 16 | seq, DATA));
            ByteBuf r = shard.nextToTun();
            try {
                assertEquals(Drop.NONE, ip.wrap(r, 0, r.readableBytes()));
                assertEquals(v6 ? IpPacket.ICMPV6 : IpPacket.ICMP, ip.protocol());
                assertArrayEquals(dst.getAddress(), Packets.bytes(r, v6 ? 8 : 12, v6 ? 16 : 4), "reply comes from the destination");
                assertArrayEquals(src.getAddress(), Packets.bytes(r, v6 ? 24 : 16, v6 ? 16 : 4));
                assertEquals(Drop.NONE, icmp.wrap(r, ip.l4Offset(), ip.l4Length(), v6));
                assertEquals(Drop.NONE, icmp.verify(ip.pseudoHeaderSum()), "ICMP checksum");
                assertTrue(icmp.isEchoReply());
                assertEquals(id, icmp.echoId(), "the namespace's identifier is restored");
                assertEquals(seq, icmp.echoSeq());
                assertArrayEquals(DATA, Packets.bytes(r, icmp.payloadOffset(), icmp.payloadLength()));
            } finally {
                r.release();
            }
        }
        assertEquals(1, shard.onLoop(relay::flowCount));
        assertEquals(2, shard.onLoop(() -> shard.counters().icmpEchoes));
    }

    @Test
    @DisplayName("ping sockets: IPv4 echo to the gateway address is answered by host loopback")
    void pingSocketIpv4() throws Exception {
        loopInNamespace("0 0");
        pingAndExpectReplies(NS, GATEWAY, 0x4242);
        assertEquals(IcmpRelay.Mode.PING, shard.onLoop(() -> relay.mode(4)));
    }

    @Test
    @DisplayName("ping sockets: ICMPv6 echo to fd00::2 is answered by ::1")
    void pingSocketIpv6() throws Exception {
        loopInNamespace("0 0");
        pingAndExpectReplies(NS6, GATEWAY6, 0x0606);
        assertEquals(IcmpRelay.Mode.PING, shard.onLoop(() -> relay.mode(6)));
    }

    @Test
    @DisplayName("raw fallback: with ping sockets forbidden, IPv4 echo goes through a raw socket")
    void rawFallbackIpv4() throws Exception {
        loopInNamespace("1 0");
        pingAndExpectReplies(NS, GATEWAY, 0x1717);
        assertEquals(IcmpRelay.Mode.RAW, shard.onLoop(() -> relay.mode(4)));
    }

    @Test
    @DisplayName("raw fallback: ICMPv6 echo through a raw socket")
    void rawFallbackIpv6() throws Exception {
        loopInNamespace("1 0");
        pingAndExpectReplies(NS6, GATEWAY6, 0x1818);
        assertEquals(IcmpRelay.Mode.RAW, shard.onLoop(() -> relay.mode(6)));
    }

    @Test
    @DisplayName("idle echo conversations are closed by tick()")
    void idleConversationsExpire() throws Exception {
        loopInNamespace("0 0");
        long t0 = shard.onLoop(shard::nowNanos);
        pingAndExpectReplies(NS, GATEWAY, 0x2323);
        shard.run(() -> relay.tick(t0 + IcmpRelay.IDLE_NANOS + 5_000_000_000L));
        assertEquals(0, shard.onLoop(relay::flowCount));
    }

    @Test
    @DisplayName("an echo reply from the namespace is ignored and counted, not relayed")
    void namespaceRepliesAreIgnored() throws Exception {
        loopInNamespace("0 0");
        send(Packets.icmp(NS, GATEWAY, IcmpHeader.V4_ECHO_REPLY, 0, 1 << 16 | 1, DATA));
        assertEquals(1, shard.onLoop(() -> shard.counters().icmpIgnored));
        assertEquals(0, shard.onLoop(relay::flowCount));
    }

    @Test
    @DisplayName("policy: a BLACKHOLE destination opens no socket and answers nothing; REJECT answers admin prohibited")
    void policy() throws Exception {
        relay = shard.onLoop(() -> new IcmpRelay(shard));
        send(Packets.icmp(NS, TestShard.BLACKHOLE, IcmpHeader.V4_ECHO_REQUEST, 0, 1 << 16 | 1, DATA));
        assertEquals(0, shard.onLoop(relay::flowCount));
        send(Packets.icmp(NS, TestShard.REFUSED, IcmpHeader.V4_ECHO_REQUEST, 0, 1 << 16 | 1, DATA));
        shard.expectAdminProhibited();
        assertEquals(2, shard.onLoop(() -> shard.counters().blocked));
        assertEquals(0, shard.onLoop(relay::flowCount));
    }

    @Test
    @DisplayName("issue 8: ping to the host's loopback by raw address (127.0.0.1, 0.0.0.0) is prohibited and opens no socket")
    void rawHostLoopbackIsProhibited() throws Exception {
        relay = shard.onLoop(() -> new IcmpRelay(shard));
        send(Packets.icmp(NS, TestShard.LOOPBACK, IcmpHeader.V4_ECHO_REQUEST, 0, 1 << 16 | 1, DATA));
        shard.expectAdminProhibited();
        send(Packets.icmp(NS, TestShard.ip("0.0.0.0"), IcmpHeader.V4_ECHO_REQUEST, 0, 1 << 16 | 2, DATA));
        shard.expectAdminProhibited();
        assertEquals(2, shard.onLoop(() -> shard.counters().refused[Refusal.HOST_LOOPBACK.ordinal()]));
        assertEquals(0, shard.onLoop(relay::flowCount));
    }

    @Test
    @DisplayName("RFC 1191: frag-needed from the namespace quoting our TCP segment goes to the flow (4-tuple reversed, MTU, quoted SEQ)")
    void tcpFragNeededGoesToTheFlow() throws Exception {
        java.util.List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        relay = shard.onLoop(() -> new IcmpRelay(shard, (k, mtu, seq) -> got.add(k + " " + mtu + " " + Integer.toUnsignedString(seq))));
        InetAddress remote = TestShard.ip("198.18.7.6");
        ByteBuf seg = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(2000);
        Packets.addresses(remote, NS).ports(80, 40000).seq(0xCAFE0001).flags(0x10)
                .writeTcp(seg, io.netty.buffer.Unpooled.wrappedBuffer(new byte[1400]), 0, 1400);
        byte[] quote = Packets.bytes(seg, 0, 548);
        seg.release();
        send(Packets.icmp(NS, remote, IcmpHeader.V4_DEST_UNREACHABLE, IcmpHeader.V4_FRAG_NEEDED, 1280, quote));
        shard.run(() -> { });
        FlowKey flow = new FlowKey().v4(ByteBuffer.wrap(NS.getAddress()).getInt(), 40000, ByteBuffer.wrap(remote.getAddress()).getInt(), 80);
        assertEquals(java.util.List.of(flow + " 1280 " + Integer.toUnsignedString(0xCAFE0001)), got);
        assertEquals(0, shard.onLoop(() -> shard.counters().icmpIgnored));
        // The same error about a UDP datagram, or a port unreachable about our segment, is ignored.
        send(Packets.icmp(NS, remote, IcmpHeader.V4_DEST_UNREACHABLE, IcmpHeader.V4_PORT_UNREACHABLE, 0, quote));
        assertEquals(1, shard.onLoop(() -> shard.counters().icmpIgnored));
        assertEquals(1, got.size());
    }
}
