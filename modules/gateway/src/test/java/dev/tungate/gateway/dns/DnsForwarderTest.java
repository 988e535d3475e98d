package dev.tungate.gateway.dns;

import static dev.tungate.gateway.udp.TestShard.DNS;
import static dev.tungate.gateway.udp.TestShard.DNS6;
import static dev.tungate.gateway.udp.TestShard.LOOPBACK;
import static dev.tungate.gateway.udp.TestShard.NS;
import static dev.tungate.gateway.udp.TestShard.NS6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.udp.Packets;
import dev.tungate.gateway.udp.TestShard;
import dev.tungate.gateway.udp.UdpRelay;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.UdpHeader;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("DNS forwarding to host resolvers")
class DnsForwarderTest {
    private static final long SECOND = 1_000_000_000L;
    /** A query for example.com A, ID 0x1234 (RFC 1035 §4.1). */
    private static final byte[] QUERY = {
        0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
        7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
    /** The canned answer body after the ID: flags QR|RD|RA, one question, one answer 198.18.0.1. */
    private static final byte[] ANSWER_AFTER_ID = {
        (byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
        7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
        (byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 198, 18, 0, 1};

    private final TestShard shard = new TestShard();
    private final IpPacket ip = new IpPacket();
    private final UdpHeader udp = new UdpHeader();
    private final List<FakeResolver> resolvers = new java.util.ArrayList<>();
    private UdpRelay relay;

    @AfterEach
    void tearDown() throws Exception {
        if (relay != null) {
            shard.run(relay::close);
        }
        shard.close();
        for (FakeResolver r : resolvers) {
            r.close();
        }
    }

    /** A resolver on 127.0.0.1: records each query; answers with the canned answer under the query's ID unless silent. */
    private final class FakeResolver implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        final LinkedBlockingQueue<byte[]> queries = new LinkedBlockingQueue<>();
        final Thread thread;

        FakeResolver(boolean silent) throws IOException {
            resolvers.add(this);
            thread = new Thread(() -> {
                byte[] buf = new byte[512];
                try {
                    for (;;) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        queries.add(Arrays.copyOf(buf, p.getLength()));
                        if (!silent) {
                            byte[] a = new byte[2 + ANSWER_AFTER_ID.length];
                            a[0] = buf[0];
                            a[1] = buf[1];
                            System.arraycopy(ANSWER_AFTER_ID, 0, a, 2, ANSWER_AFTER_ID.length);
                            socket.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
                        }
                    }
                } catch (IOException closed) {
                    // closed by the test
                }
            }, "fake-resolver");
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(LOOPBACK, socket.getLocalPort());
        }

        byte[] nextQuery() throws InterruptedException {
            byte[] q = queries.poll(5, TimeUnit.SECONDS);
            assertTrue(q != null, "the resolver got no query within 5 s");
            return q;
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            thread.join(5000);
        }
    }

    private void start(FakeResolver... rs) {
        relay = new UdpRelay(shard, new DnsForwarder(shard, Arrays.stream(rs).map(FakeResolver::address).toList(), 2 * SECOND));
    }

    private void send(ByteBuf p) throws Exception {
        shard.packetIn(relay, p);
    }

    /** Checks the answer packet: from the DNS address port 53 to the client, checksums valid, the client's ID back. */
    private void expectAnswer(InetAddress dnsAddress, int clientPort) throws InterruptedException {
        ByteBuf r = shard.nextToTun();
        try {
            assertEquals(Drop.NONE, ip.wrap(r, 0, r.readableBytes()));
            assertEquals(Drop.NONE, udp.wrap(r, ip.l4Offset(), ip.l4Length()));
            assertEquals(Drop.NONE, udp.verify(ip.pseudoHeaderSum(), ip.isIpv6()), "UDP checksum");
            byte[] src = new byte[dnsAddress.getAddress().length];
            r.getBytes(ip.isIpv4() ? 12 : 8, src);
            assertArrayEquals(dnsAddress.getAddress(), src);
            assertEquals(53, udp.srcPort());
            assertEquals(clientPort, udp.dstPort());
            byte[] payload = Packets.bytes(r, udp.payloadOffset(), udp.payloadLength());
            assertEquals(0x12, payload[0]);
            assertEquals(0x34, payload[1]);
            assertArrayEquals(ANSWER_AFTER_ID, Arrays.copyOfRange(payload, 2, payload.length));
        } finally {
            r.release();
        }
    }

    @Test
    @DisplayName("a query to 10.0.2.3 reaches the loopback resolver and the answer comes back with the client's ID")
    void forwardsIpv4Query() throws Exception {
        FakeResolver r = new FakeResolver(false);
        start(r);
        send(Packets.udp(NS, 5353, DNS, 53, QUERY));
        byte[] q = r.nextQuery();
        assertEquals(QUERY.length, q.length);
        assertArrayEquals(Arrays.copyOfRange(QUERY, 2, QUERY.length), Arrays.copyOfRange(q, 2, q.length), "only the ID is rewritten");
        expectAnswer(DNS, 5353);
        assertEquals(0, shard.onLoop(relay::flowCount), "DNS opens no NAT binding");
        assertEquals(1, shard.onLoop(() -> shard.counters().dnsQueries));
    }

    @Test
    @DisplayName("a query to fd00::3 is answered over IPv6 by an IPv4 resolver")
    void forwardsIpv6Query() throws Exception {
        FakeResolver r = new FakeResolver(false);
        start(r);
        send(Packets.udp(NS6, 5354, DNS6, 53, QUERY));
        r.nextQuery();
        expectAnswer(DNS6, 5354);
    }

    @Test
    @DisplayName("a resolver that times out is replaced by the next one, which is then tried first")
    void failsOverOnTimeout() throws Exception {
        FakeResolver silent = new FakeResolver(true);
        FakeResolver good = new FakeResolver(false);
        start(silent, good);
        long t0 = shard.onLoop(shard::nowNanos);
        send(Packets.udp(NS, 5355, DNS, 53, QUERY));
        byte[] first = silent.nextQuery();
        shard.run(() -> relay.tick(t0 + 3 * SECOND));
        byte[] retry = good.nextQuery();
        assertArrayEquals(first, retry, "the same query, same upstream ID, goes to the next resolver");
        expectAnswer(DNS, 5355);
        assertEquals(1, shard.onLoop(() -> shard.counters().dnsTimeouts));
        // The next query starts with the resolver that answered.
        send(Packets.udp(NS, 5356, DNS, 53, QUERY));
        good.nextQuery();
        expectAnswer(DNS, 5356);
        assertEquals(0, silent.queries.size());
    }

    @Test
    @DisplayName("a query nobody answers is given up after every resolver had its turn")
    void givesUpAfterEveryResolver() throws Exception {
        FakeResolver a = new FakeResolver(true);
        FakeResolver b = new FakeResolver(true);
        start(a, b);
        long t0 = shard.onLoop(shard::nowNanos);
        send(Packets.udp(NS, 5357, DNS, 53, QUERY));
        a.nextQuery();
        shard.run(() -> relay.tick(t0 + 3 * SECOND));
        b.nextQuery();
        shard.run(() -> relay.tick(t0 + 6 * SECOND));
        assertEquals(2, shard.onLoop(() -> shard.counters().dnsTimeouts));
        shard.expectNothingToTun(100);
    }

    @Test
    @DisplayName("resolv.conf: nameserver lines in order, IPv6 with scope, garbage skipped")
    void readsResolvConf(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("resolv.conf");
        Files.writeString(f, "# comment\nsearch example\nnameserver 127.0.0.53\nnameserver  fd00::1\nnameserver dns.example\n"
                + "options edns0\nnameserver fe80::1%1\n");
        List<InetSocketAddress> rs = ResolvConf.read(f);
        assertEquals(3, rs.size());
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.53"), 53), rs.get(0));
        assertEquals(new InetSocketAddress(InetAddress.getByName("fd00::1"), 53), rs.get(1));
        assertNotEquals(0, ((java.net.Inet6Address) rs.get(2).getAddress()).getScopeId());
    }

    @Test
    @DisplayName("resolv.conf without a nameserver is an error that names the file")
    void emptyResolvConfIsAnError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("resolv.conf");
        Files.writeString(f, "search example\n");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> ResolvConf.read(f));
        assertTrue(e.getMessage().startsWith(f + ": no 'nameserver' line"), e.getMessage());
    }
}
