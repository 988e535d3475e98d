package dev.tungate.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tungate.gateway.config.PolicyRule;
import dev.tungate.gateway.shard.Counters;
import dev.tungate.gateway.shard.Destinations;
import dev.tungate.gateway.shard.ProtocolHandler;
import dev.tungate.gateway.shard.ShardContext;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A one-loop shard for relay tests: a real epoll event loop (host sockets on loopback work), a
 * TUN that is a queue of the packets written to it, and the slirp4netns address plan:
 * 10.0.2.2 / fd00::2 map to host loopback, 10.0.2.3:53 / fd00::3:53 is the DNS address,
 * 10.0.2.9 / fd00::9 are refused (policy REJECT), 10.0.2.8 is a policy BLACKHOLE, 198.18.0.0/15 maps to 127.0.0.1 on the same port.
 */
public final class TestShard implements ShardContext, AutoCloseable {
    public static final InetAddress NS = ip("10.0.2.100"), GATEWAY = ip("10.0.2.2"), DNS = ip("10.0.2.3"), REFUSED = ip("10.0.2.9");
    public static final InetAddress NS6 = ip("fd00::100"), GATEWAY6 = ip("fd00::2"), DNS6 = ip("fd00::3"), REFUSED6 = ip("fd00::9");
    /** A policy BLACKHOLE destination: flows to it must get no answer at all. */
    public static final InetAddress BLACKHOLE = ip("10.0.2.8");
    public static final InetAddress LOOPBACK = ip("127.0.0.1"), LOOPBACK6 = ip("::1");

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final IoEventLoop loop = group.next();
    private final LinkedBlockingQueue<ByteBuf> tun = new LinkedBlockingQueue<>();
    private final Counters counters = new Counters();
    private final Destinations destinations = new Destinations() {
        @Override
        public InetSocketAddress upstream(InetAddress dst, int port, int protocol) {
            if (action(dst, port) != PolicyRule.Action.DIRECT) {
                return null;
            }
            if (dst.equals(GATEWAY)) {
                return new InetSocketAddress(LOOPBACK, port);
            }
            if (dst.equals(GATEWAY6)) {
                return new InetSocketAddress(LOOPBACK6, port);
            }
            byte[] a = dst.getAddress();
            if (a.length == 4 && (a[0] & 0xFF) == 198 && (a[1] & 0xFE) == 18) {
                return new InetSocketAddress(LOOPBACK, port);
            }
            return new InetSocketAddress(dst, port);
        }

        @Override
        public PolicyRule.Action action(InetAddress dst, int port) {
            return dst.equals(BLACKHOLE) ? PolicyRule.Action.BLACKHOLE : dst.equals(REFUSED) || dst.equals(REFUSED6)
                    ? PolicyRule.Action.REJECT : PolicyRule.Action.DIRECT;
        }

        @Override
        public boolean isDns(InetAddress dst, int port) {
            return port == 53 && (dst.equals(DNS) || dst.equals(DNS6));
        }

        @Override
        public InetAddress router(int ipVersion) {
            return ipVersion == 4 ? GATEWAY : GATEWAY6;
        }

        @Override
        public boolean isLocal(InetAddress dst) {
            return dst.equals(GATEWAY) || dst.equals(GATEWAY6) || dst.equals(DNS) || dst.equals(DNS6);
        }
    };

    public static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override public EventLoop loop() { return loop; }
    @Override public ByteBufAllocator alloc() { return PooledByteBufAllocator.DEFAULT; }
    /** When not Long.MIN_VALUE, the shard's clock stands still at this value (virtual time). */
    public volatile long frozenNanos = Long.MIN_VALUE;

    @Override public long nowNanos() { return frozenNanos != Long.MIN_VALUE ? frozenNanos : System.nanoTime(); }
    @Override public void writeFrame(ByteBuf frame, int gsoType, int gsoSize, int csumStart, int csumOffset) { tun.add(frame); }
    @Override public Destinations destinations() { return destinations; }
    @Override public Counters counters() { return counters; }
    @Override public int shardIndex() { return 0; }

    /** Runs task on the shard's loop and waits for it (5 s at most). */
    public <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** Hands one packet (readerIndex at its IP header) to {@code handler} on the loop, as the shard would. */
    public void packetIn(ProtocolHandler handler, ByteBuf packet) throws Exception {
        run(() -> {
            IpPacket ip = new IpPacket();
            assertEquals(Drop.NONE, ip.wrap(packet, packet.readerIndex(), packet.readableBytes()));
            handler.packetIn(packet, ip, 0, false);
        });
    }

    public void run(Runnable task) throws Exception {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    /** The next packet written to the TUN; the caller releases it. Fails after 5 s. */
    public ByteBuf nextToTun() throws InterruptedException {
        ByteBuf b = tun.poll(5, TimeUnit.SECONDS);
        assertNotNull(b, "nothing written to the TUN within 5 s");
        return b;
    }

    /**
     * The next packet written to the TUN is an ICMPv4 destination unreachable, administratively prohibited
     * (RFC 1812 §5.2.7.1): what a policy REJECT answers. Releases it.
     */
    public void expectAdminProhibited() throws InterruptedException {
        IpPacket ip = new IpPacket();
        IcmpHeader icmp = new IcmpHeader();
        ByteBuf r = nextToTun();
        try {
            assertEquals(Drop.NONE, ip.wrap(r, 0, r.readableBytes()));
            assertEquals(Drop.NONE, icmp.wrap(r, ip.l4Offset(), ip.l4Length(), false));
            assertEquals(IcmpHeader.V4_DEST_UNREACHABLE, icmp.type());
            assertEquals(IcmpHeader.V4_ADMIN_PROHIBITED, icmp.code());
        } finally {
            r.release();
        }
    }

    /** Asserts nothing reached the TUN within {@code millis} (for "must stay silent" cases only). */
    public void expectNothingToTun(long millis) throws InterruptedException {
        ByteBuf b = tun.poll(millis, TimeUnit.MILLISECONDS);
        if (b != null) {
            b.release();
        }
        assertNull(b, "unexpected packet written to the TUN");
    }

    @Override
    public void close() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        for (ByteBuf b; (b = tun.poll()) != null; ) {
            b.release();
        }
    }
}
