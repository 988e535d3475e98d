package dev.tungate.gateway.dns;

import dev.tungate.gateway.config.Addresses;
import dev.tungate.gateway.shard.Counters;
import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.ShardContext;
import dev.tungate.wire.Drop;
import dev.tungate.wire.Ipv4Header;
import dev.tungate.wire.Ipv6Header;
import dev.tungate.wire.PacketBuilder;
import dev.tungate.wire.UdpHeader;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Forwards the namespace's UDP queries to its DNS address on to the host's resolvers, from one
 * unconnected socket per address family on the shard's loop. See the package documentation.
 */
public final class DnsForwarder implements AutoCloseable {
    private static final Logger log = LogManager.getLogger();
    /** Wait for one resolver before trying the next (glibc waits 5 s, but then the namespace's own stub gives up). */
    public static final long DEFAULT_ATTEMPT_TIMEOUT_NANOS = 2_000_000_000L;
    /** Queries in flight per shard; more are dropped, as a resolver's full queue would, and counted in dnsTimeouts. */
    static final int MAX_PENDING = 4096;
    /** RFC 1035 §4.1.1: the header is 12 bytes, ID first. */
    static final int HEADER_LENGTH = 12;
    private static final int RECV_BUFFER = 65536;
    private static final InetAddress ANY4 = anyAddress(4), ANY6 = anyAddress(16);

    private final ShardContext ctx;
    private final Counters counters;
    private final List<InetSocketAddress> resolvers;
    private final long attemptTimeoutNanos;
    private final PacketBuilder builder = new PacketBuilder();
    private final UdpHeader udp = new UdpHeader();
    /** In-flight queries by the ID sent upstream (RFC 5452 §9.2: random IDs). */
    private final PendingQuery[] byId = new PendingQuery[65536];
    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
    private int pendingCount;
    /** The resolver tried first: moves on when one times out, as a stub resolver's rotation would. */
    private int preferred;
    private ChannelFuture bind4, bind6;

    public DnsForwarder(ShardContext ctx, List<InetSocketAddress> resolvers) {
        this(ctx, resolvers, DEFAULT_ATTEMPT_TIMEOUT_NANOS);
    }

    public DnsForwarder(ShardContext ctx, List<InetSocketAddress> resolvers, long attemptTimeoutNanos) {
        if (resolvers.isEmpty()) {
            throw new IllegalArgumentException("no DNS resolvers: expected at least one (from /etc/resolv.conf or the config)");
        }
        this.ctx = ctx;
        this.counters = ctx.counters();
        this.resolvers = List.copyOf(resolvers);
        this.attemptTimeoutNanos = attemptTimeoutNanos;
    }

    /**
     * One UDP datagram from the namespace to the DNS address (validated by the shard). Does not
     * take ownership of {@code packet}, whose readerIndex is at the IP header.
     */
    public void query(ByteBuf packet, FlowKey from, int l4Offset, long nowNanos) {
        if (udp.wrap(packet, l4Offset, packet.writerIndex() - l4Offset) != Drop.NONE
                || udp.payloadLength() < HEADER_LENGTH) {
            counters.drops[Drop.UDP_TRUNCATED.ordinal()]++;
            return;
        }
        if (pendingCount == MAX_PENDING) {
            counters.dnsTimeouts++;
            return;
        }
        int id = freeId();
        PendingQuery q = new PendingQuery();
        q.key.set(from);
        q.clientId = packet.getUnsignedShort(udp.payloadOffset());
        q.query = ctx.alloc().directBuffer(udp.payloadLength()).writeBytes(packet, udp.payloadOffset(), udp.payloadLength());
        q.query.setShort(0, id);
        q.upstreamId = id;
        q.resolver = preferred;
        byId[id] = q;
        pendingCount++;
        counters.dnsQueries++;
        sendTo(q, nowNanos);
    }

    private int freeId() {
        for (;;) {   // at most MAX_PENDING of 65536 IDs are taken: a free one turns up within a few draws
            int id = random.nextInt(65536);
            if (byId[id] == null) {
                return id;
            }
        }
    }

    private void sendTo(PendingQuery q, long nowNanos) {
        q.deadlineNanos = nowNanos + attemptTimeoutNanos;
        q.attempts++;
        InetSocketAddress r = resolvers.get(q.resolver);
        ChannelFuture bound = socket(r);
        if (bound.isSuccess()) {
            send(bound.channel(), q.query, r);
        } else if (!bound.isDone()) {
            // Only the family's first queries wait for the bind; a failed bind lets them time out.
            ByteBuf query = q.query.retain();
            bound.addListener(f -> {
                if (f.isSuccess()) {
                    send(bound.channel(), query, r);
                }
                query.release();
            });
        }
    }

    private static void send(Channel ch, ByteBuf query, InetSocketAddress resolver) {
        ch.writeAndFlush(new DatagramPacket(query.retainedDuplicate(), resolver), ch.voidPromise());
    }

    /** The family's socket, bound to the wildcard address on first use (the bind completes later on the loop). */
    private ChannelFuture socket(InetSocketAddress resolver) {
        boolean v4 = resolver.getAddress() instanceof Inet4Address;
        ChannelFuture f = v4 ? bind4 : bind6;
        if (f == null) {
            SocketProtocolFamily family = v4 ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
            f = new Bootstrap().group(ctx.loop())
                    .channelFactory(() -> new EpollDatagramChannel(family))
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECV_BUFFER))
                    .handler(new Replies())
                    .bind(new InetSocketAddress(v4 ? ANY4 : ANY6, 0));
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    log.warn("dns: cannot open a UDP socket for {}: {}", resolver, done.cause().toString());
                }
            });
            if (v4) {
                bind4 = f;
            } else {
                bind6 = f;
            }
        }
        return f;
    }

    /** A resolver's answer: restore the client's ID and send it back from the DNS address. */
    private void answer(DatagramPacket reply) {
        ByteBuf msg = reply.content();
        if (msg.readableBytes() < HEADER_LENGTH) {
            return;
        }
        PendingQuery q = byId[msg.getUnsignedShort(msg.readerIndex())];
        // Accept an answer only from a resolver this query was sent to (RFC 5452 §9.1).
        if (q == null || !sentTo(q, reply.sender())) {
            return;
        }
        finish(q);
        int len = msg.readableBytes();
        int headers = (q.key.v4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH) + UdpHeader.LENGTH;
        if (len > 0xFFFF - headers) {
            return;
        }
        msg.setShort(msg.readerIndex(), q.clientId);
        ByteBuf out = ctx.alloc().directBuffer(headers + len);
        q.key.replyAddresses(builder).ports(q.key.remotePort, q.key.nsPort).writeUdp(out, msg, msg.readerIndex(), len);
        ctx.writeToTun(out);
    }

    private boolean sentTo(PendingQuery q, InetSocketAddress sender) {
        int n = resolvers.size();
        for (int i = 0; i < q.attempts; i++) {
            if (resolvers.get((q.resolver - i + n) % n).equals(sender)) {
                return true;
            }
        }
        return false;
    }

    private void finish(PendingQuery q) {
        byId[q.upstreamId] = null;
        pendingCount--;
        q.query.release();
    }

    /** Fails over queries whose resolver did not answer in time; gives up after every resolver was tried once. */
    public void tick(long nowNanos) {
        if (pendingCount == 0) {
            return;
        }
        int n = resolvers.size();
        for (PendingQuery q : byId) {
            if (q == null || nowNanos - q.deadlineNanos < 0) {
                continue;
            }
            counters.dnsTimeouts++;
            if (preferred == q.resolver) {
                preferred = (q.resolver + 1) % n;
            }
            if (q.attempts == n) {
                finish(q);
                continue;
            }
            q.resolver = (q.resolver + 1) % n;
            sendTo(q, nowNanos);
        }
    }

    private static InetAddress anyAddress(int length) {
        return Addresses.of(new byte[length]);
    }

    /** Queries awaiting an answer (for tests and ctl). */
    public int pendingCount() {
        return pendingCount;
    }

    @Override
    public void close() {
        for (PendingQuery q : byId) {
            if (q != null) {
                finish(q);
            }
        }
        if (bind4 != null) {
            bind4.channel().close();
        }
        if (bind6 != null) {
            bind6.channel().close();
        }
    }

    private final class Replies extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext c, DatagramPacket reply) {
            answer(reply);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            log.debug("dns: socket error: {}", cause.toString());
        }
    }
}
