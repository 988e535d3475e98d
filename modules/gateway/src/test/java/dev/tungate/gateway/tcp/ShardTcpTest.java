package dev.tungate.gateway.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.icmp.ProtocolUnreachable;
import dev.tungate.gateway.shard.AddressPlan;
import dev.tungate.gateway.shard.Refusal;
import dev.tungate.gateway.shard.Counters;
import dev.tungate.gateway.shard.Shard;
import dev.tungate.tcp.Isn;
import dev.tungate.tun.VirtioNetHdr;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.PacketBuilder;
import dev.tungate.wire.TcpHeader;
import dev.tungate.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hand-built frames into a real {@link Shard} on a real epoll loop, with a TUN that is a queue:
 * the handshake mirroring of DESIGN.md "Decisions" against servers on 127.0.0.1 (the gateway
 * address 10.0.2.2 maps there), and the counted drops. Needs no root: no device, no namespace.
 */
class ShardTcpTest {
    private static final int NS = 0x0A00_0264;        // 10.0.2.100
    private static final int GATEWAY = 0x0A00_0202;   // 10.0.2.2
    private static final int CLIENT_PORT = 40000;
    private static final int ISS = 1000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final IoEventLoop loop = (IoEventLoop) group.next();
    private final LinkedBlockingQueue<ByteBuf> tun = new LinkedBlockingQueue<>();
    private final PacketBuilder pb = new PacketBuilder();
    private Shard shard;

    private Shard shard(GatewayConfig cfg) {
        cfg.offload = false;   // complete checksums, so every frame out can be verified
        Shard s = new Shard(0, loop, PooledByteBufAllocator.DEFAULT, new AddressPlan(cfg, List.of()),
                (frame, gsoType, gsoSize, csumStart, csumOffset) -> {
                    tun.add(Unpooled.copiedBuffer(frame));
                    frame.release();
                    return true;
                });
        s.protocolHandlers(new TcpRelay(s, cfg, new Isn(1, 2)), null, null, new ProtocolUnreachable(s));
        shard = s;
        return shard;
    }

    @AfterEach
    void stop() throws Exception {
        if (shard != null) {
            onLoop(() -> {
                shard.stop();
                return null;
            });
        }
        group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).sync();
        ByteBuf b;
        while ((b = tun.poll()) != null) {
            b.release();
        }
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** Reads one frame on the loop, as the TUN queue would, then ends the batch. */
    private void frameIn(ByteBuf frame) throws Exception {
        onLoop(() -> {
            shard.frameRead(frame, new VirtioNetHdr());
            shard.batchComplete();
            return null;
        });
    }

    private ByteBuf tcp(int dstPort, int flags, int seq, int ack, String text) {
        return tcp(GATEWAY, dstPort, flags, seq, ack, text);
    }

    private ByteBuf tcp(int dst, int dstPort, int flags, int seq, int ack, String text) {
        TcpOptions o = null;
        if ((flags & TcpHeader.SYN) != 0) {
            o = new TcpOptions();
            o.mss = 1460;
        }
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(128 + t.length);
        pb.ipv4(NS, dst).checksumOffload(false).ports(CLIENT_PORT, dstPort).seq(seq).ack(ack).flags(flags)
                .window(65535).options(o).writeTcp(out, Unpooled.wrappedBuffer(t), 0, t.length);
        return out;
    }

    /** The next frame written to the TUN, parsed; fails after 5 s. */
    private Out next() throws InterruptedException {
        ByteBuf b = tun.poll(5, TimeUnit.SECONDS);
        assertNotNull(b, "no frame written to the TUN");
        return new Out(b);
    }

    /** Nothing more was written: a loop round trip runs after everything already queued. */
    private void nothingMore() throws Exception {
        onLoop(() -> null);
        assertNull(tun.poll(), "unexpected frame");
    }

    private Counters counters() throws Exception {
        return onLoop(() -> shard.counters().copy());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    @Test
    @DisplayName("SYN to a refused port answers RST,ACK <SEQ=0><ACK=SEG.SEQ+1> from the destination (RFC 9293 §3.10.7.1)")
    void synToRefusedPortAnswersRst() throws Exception {
        shard(new GatewayConfig());
        int port = freePort();
        frameIn(tcp(port, TcpHeader.SYN, ISS, 0, ""));
        Out rst = next();
        assertEquals(TcpHeader.RST | TcpHeader.ACK, rst.flags);
        assertEquals(0, rst.seq);
        assertEquals(ISS + 1, rst.ack);
        assertEquals(GATEWAY, rst.src);
        assertEquals(NS, rst.dst);
        assertEquals(port, rst.srcPort);
        assertEquals(CLIENT_PORT, rst.dstPort);
        rst.release();
        assertEquals(1, counters().tcpRefused);
        nothingMore();
    }

    @Test
    @DisplayName("SYN to a listening server: SYN-ACK only once upstream accepted; a retransmitted SYN is absorbed; data flows")
    void synToListeningServer() throws Exception {
        shard(new GatewayConfig());
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            server.setSoTimeout(5000);
            int port = server.getLocalPort();
            onLoop(() -> {
                shard.frameRead(tcp(port, TcpHeader.SYN, ISS, 0, ""), new VirtioNetHdr());
                shard.frameRead(tcp(port, TcpHeader.SYN, ISS, 0, ""), new VirtioNetHdr());   // retransmission
                shard.batchComplete();
                return null;
            });
            Out synAck = next();
            assertEquals(TcpHeader.SYN | TcpHeader.ACK, synAck.flags);
            assertEquals(ISS + 1, synAck.ack);
            int iss = synAck.seq;
            synAck.release();
            nothingMore();
            try (Socket upstream = server.accept()) {
                frameIn(tcp(port, TcpHeader.ACK, ISS + 1, iss + 1, ""));
                frameIn(tcp(port, TcpHeader.ACK | TcpHeader.PSH, ISS + 1, iss + 1, "ping"));
                upstream.setSoTimeout(5000);
                InputStream in = upstream.getInputStream();
                assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), in.readNBytes(4));
                upstream.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                Out data = next();
                while (data.text.isEmpty()) {       // the ACK of "ping" may come first
                    assertEquals(TcpHeader.ACK, data.flags & ~TcpHeader.PSH);
                    data.release();
                    data = next();
                }
                assertEquals("pong", data.text);
                assertEquals(iss + 1, data.seq);
                assertEquals(ISS + 5, data.ack);
                data.release();
            }
        }
        Counters c = counters();
        assertEquals(1, c.tcpSyns);
        assertEquals(1, c.tcpConnections);
    }

    /** Drives a handshake through the shard to a server on loopback; returns tungate's ISS. */
    private int handshake(int port) throws Exception {
        frameIn(tcp(port, TcpHeader.SYN, ISS, 0, ""));
        Out synAck = next();
        assertEquals(TcpHeader.SYN | TcpHeader.ACK, synAck.flags);
        synAck.release();
        frameIn(tcp(port, TcpHeader.ACK, ISS + 1, synAck.seq + 1, ""));
        return synAck.seq;
    }

    @Test
    @DisplayName("upstream FIN becomes tungate's FIN toward the client (half-close, DESIGN.md)")
    void upstreamFinBecomesFin() throws Exception {
        shard(new GatewayConfig());
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            server.setSoTimeout(5000);
            int iss = handshake(server.getLocalPort());
            server.accept().shutdownOutput();
            Out fin = next();
            assertEquals(TcpHeader.FIN | TcpHeader.ACK, fin.flags);
            assertEquals(iss + 1, fin.seq);
            fin.release();
        }
    }

    @Test
    @DisplayName("upstream RST becomes RST toward the client")
    void upstreamResetBecomesRst() throws Exception {
        shard(new GatewayConfig());
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            server.setSoTimeout(5000);
            int iss = handshake(server.getLocalPort());
            Socket up = server.accept();
            frameIn(tcp(server.getLocalPort(), TcpHeader.ACK | TcpHeader.PSH, ISS + 1, iss + 1, "unread"));
            Out ack = next();           // the data is ACKed before the upstream resets
            ack.release();
            up.setSoLinger(true, 0);
            up.close();
            Out rst = next();
            assertEquals(TcpHeader.RST, rst.flags & TcpHeader.RST);
            rst.release();
        }
        assertEquals(1, counters().tcpResets);
    }

    @Test
    @DisplayName("the client's RST resets the upstream socket (SO_LINGER 0): the server reads ECONNRESET")
    void clientResetResetsUpstream() throws Exception {
        shard(new GatewayConfig());
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            server.setSoTimeout(5000);
            handshake(server.getLocalPort());
            try (Socket up = server.accept()) {
                up.setSoTimeout(5000);
                frameIn(tcp(server.getLocalPort(), TcpHeader.RST, ISS + 1, 0, ""));
                IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> up.getInputStream().read());
                assertTrue(String.valueOf(e.getMessage()).contains("reset"), e.toString());
            }
        }
        assertEquals(1, counters().tcpResets);
    }

    @Test
    @DisplayName("a segment of no flow draws <SEQ=SEG.ACK><CTL=RST> (RFC 9293 §3.10.7.1)")
    void segmentOfNoFlowAnswersRst() throws Exception {
        shard(new GatewayConfig());
        frameIn(tcp(80, TcpHeader.ACK, 5, 777, ""));
        Out rst = next();
        assertEquals(TcpHeader.RST, rst.flags);
        assertEquals(777, rst.seq);
        rst.release();
        assertEquals(1, counters().tcpStray);
    }

    @Test
    @DisplayName("--disable-host-loopback: the gateway address answers RST like a closed port")
    void hostLoopbackDisabled() throws Exception {
        GatewayConfig cfg = new GatewayConfig();
        cfg.disableHostLoopback = true;
        shard(cfg);
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            frameIn(tcp(server.getLocalPort(), TcpHeader.SYN, ISS, 0, ""));
            Out rst = next();
            assertEquals(TcpHeader.RST | TcpHeader.ACK, rst.flags);
            rst.release();
        }
        Counters c = counters();
        assertEquals(1, c.blocked);
        assertEquals(0, c.tcpSyns);
    }

    @Test
    @DisplayName("issue 8: a SYN to the host's loopback by raw address answers RST like a closed port, though a server listens")
    void rawHostLoopbackRefused() throws Exception {
        shard(new GatewayConfig());
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            frameIn(tcp(0x7F00_0001 /* 127.0.0.1 */, server.getLocalPort(),
                    TcpHeader.SYN, ISS, 0, ""));
            Out rst = next();
            assertEquals(TcpHeader.RST | TcpHeader.ACK, rst.flags);
            rst.release();
        }
        Counters c = counters();
        assertEquals(1, c.refused[Refusal.HOST_LOOPBACK.ordinal()]);
        assertEquals(0, c.tcpSyns);
    }

    @Test
    @DisplayName("a bad TCP checksum is counted and dropped, nothing answered")
    void badChecksumDropped() throws Exception {
        shard(new GatewayConfig());
        ByteBuf f = tcp(80, TcpHeader.SYN, ISS, 0, "");
        f.setByte(20 + TcpHeader.OFF_SEQ, f.getByte(20 + TcpHeader.OFF_SEQ) ^ 1);
        frameIn(f);
        nothingMore();
        assertEquals(1, counters().drops[Drop.TCP_BAD_CHECKSUM.ordinal()]);
    }

    @Test
    @DisplayName("a truncated IP header is counted and dropped")
    void truncatedFrameDropped() throws Exception {
        shard(new GatewayConfig());
        ByteBuf f = PooledByteBufAllocator.DEFAULT.directBuffer(8).writeLong(0x4500_0028_0000_4000L);
        frameIn(f);
        nothingMore();
        assertEquals(1, counters().drops[Drop.IP_TRUNCATED.ordinal()]);
    }

    @Test
    @DisplayName("an unknown transport protocol answers ICMP protocol unreachable (RFC 1122 §3.2.2.1)")
    void unknownProtocol() throws Exception {
        shard(new GatewayConfig());
        ByteBuf f = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        pb.ipv4(NS, GATEWAY).writeIcmp(f, 8, 0, 0, null, 0, 0);
        f.setByte(9, 253);                                       // protocol: experimental
        f.setShort(10, 0);
        f.setShort(10, dev.tungate.wire.Checksum.compute(f, 0, 20));
        frameIn(f);
        ByteBuf b = tun.poll(5, TimeUnit.SECONDS);
        assertNotNull(b);
        assertEquals(IpPacket.ICMP, b.getUnsignedByte(9));
        assertEquals(IcmpHeader.V4_DEST_UNREACHABLE, b.getUnsignedByte(20));
        assertEquals(IcmpHeader.V4_PROTOCOL_UNREACHABLE, b.getUnsignedByte(21));
        b.release();
        assertEquals(1, counters().protoUnreachable);
    }

    /** One parsed IPv4+TCP frame from the TUN, checksums verified. */
    private static final class Out {
        final ByteBuf buf;
        final int src, dst, srcPort, dstPort, seq, ack, flags;
        final String text;

        Out(ByteBuf b) {
            buf = b;
            IpPacket ip = new IpPacket();
            assertEquals(Drop.NONE, ip.wrap(b, 0, b.readableBytes()));
            assertEquals(IpPacket.TCP, ip.protocol());
            TcpHeader th = new TcpHeader();
            assertEquals(Drop.NONE, th.wrap(b, ip.l4Offset(), ip.l4Length()));
            assertTrue(th.checksumOk(ip.pseudoHeaderSum()), "TCP checksum");
            src = ip.v4().src();
            dst = ip.v4().dst();
            srcPort = th.srcPort();
            dstPort = th.dstPort();
            seq = th.seq();
            ack = th.ack();
            flags = th.flags();
            text = b.toString(th.payloadOffset(), th.payloadLength(), StandardCharsets.US_ASCII);
        }

        void release() {
            buf.release();
        }
    }
}
