package dev.tungate.gateway.udp;

import dev.tungate.gateway.shard.FlowKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.PortUnreachableException;
import java.util.ArrayDeque;

/**
 * One UDP NAT binding: a namespace (source, destination) pair and the connected host socket that
 * speaks for it. Lives on its shard's loop; the channel is registered there too.
 *
 * <p>Keeps a copy of the last datagram it relayed, cut to what an ICMP error may quote, because the
 * host socket reports ECONNREFUSED long after the datagram that caused it has been released.
 */
final class UdpFlow extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
    /**
     * Bytes of datagrams held while the upstream connect completes (Netty connects on a later loop
     * task, so a burst read in one TUN batch all waits): 256 KiB, about what the host socket's
     * default send buffer (net.core.wmem_default, 208 KiB) would have absorbed. Each datagram is
     * charged its payload plus {@link #DATAGRAM_OVERHEAD}; beyond this it is dropped and counted
     * ({@code udpSetupDrops}). The shard's total is bounded too ({@link UdpRelay#MAX_SETUP_BYTES}).
     */
    static final int MAX_PENDING_BYTES = 256 << 10;
    /** What a queued datagram costs beyond its payload: its buffer object and queue slot. */
    static final int DATAGRAM_OVERHEAD = 64;

    final FlowKey key;
    final long idleNanos;
    long lastActiveNanos;
    private final UdpRelay relay;
    private Channel channel;
    private boolean connected;
    private ArrayDeque<ByteBuf> pending;
    /** Bytes charged for {@link #pending}, payload plus overhead. */
    private int pendingBytes;
    /** The last datagram sent upstream from its IP header, at most what an ICMP error quotes. */
    final byte[] lastDatagram;
    int lastDatagramLength;
    /** The host-side address the socket is connected to, and the TTL / hop limit it sends with now. */
    final InetAddress upstream;
    private int hopLimit;

    UdpFlow(UdpRelay relay, FlowKey key, long idleNanos, long nowNanos, int quoteLimit, InetAddress upstream, int hopLimit) {
        this.relay = relay;
        this.upstream = upstream;
        this.hopLimit = hopLimit;
        this.key = key;
        this.idleNanos = idleNanos;
        this.lastActiveNanos = nowNanos;
        this.lastDatagram = new byte[quoteLimit];
    }

    void connecting(ChannelFuture connect) {
        channel = connect.channel();
        connect.addListener(this);
    }

    Channel channel() {
        return channel;
    }

    /**
     * Sends {@code len} payload bytes of {@code packet} upstream with TTL / hop limit {@code hops};
     * does not take ownership of packet. Datagrams queued while the socket connects leave with the
     * first datagram's hop limit.
     */
    void send(ByteBuf packet, int payloadOffset, int len, int hops, long nowNanos) {
        lastActiveNanos = nowNanos;
        int copy = Math.min(packet.readableBytes(), lastDatagram.length);
        packet.getBytes(packet.readerIndex(), lastDatagram, 0, copy);
        lastDatagramLength = copy;
        if (connected) {
            // A full socket buffer makes Netty queue; past the high-water mark drop instead, as a full
            // interface queue would: UDP promises nothing, and the queue must not grow without bound.
            if (!channel.isWritable()) {
                relay.sendDropped();
                return;
            }
            if (hops != hopLimit) {
                hopLimit = hops;
                relay.hopLimit(this, hops);
            }
            channel.writeAndFlush(packet.retainedSlice(payloadOffset, len), channel.voidPromise());
            return;
        }
        int cost = len + DATAGRAM_OVERHEAD;
        if (pendingBytes + cost > MAX_PENDING_BYTES || !relay.reserveSetupBytes(cost)) {
            relay.setupOverflow();
            return;
        }
        if (pending == null) {
            pending = new ArrayDeque<>(16);
        }
        // A copy, not a slice: a slice would pin the whole TUN read buffer (up to 64 KiB) per datagram.
        ByteBuf payload = relay.alloc().directBuffer(len, len);
        payload.writeBytes(packet, payloadOffset, len);
        pending.add(payload);
        pendingBytes += cost;
    }

    /** The upstream connect finished (on the loop). */
    @Override
    public void operationComplete(ChannelFuture f) {
        if (!f.isSuccess()) {
            releasePending();
            relay.connectFailed(this, f.cause());
            return;
        }
        connected = true;
        if (pending != null) {
            for (ByteBuf b; (b = pending.poll()) != null; ) {
                channel.write(b, channel.voidPromise());
            }
            channel.flush();
            relay.releaseSetupBytes(pendingBytes);
            pendingBytes = 0;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf content = msg instanceof DatagramPacket p ? p.content() : (ByteBuf) msg;
        try {
            relay.replyIn(this, content);
        } finally {
            content.release();
        }
    }

    /**
     * An ICMP error queued on the socket (IP_RECVERR) fails its next read or send: the queue is
     * relayed. Without one, Netty's PortUnreachableException (ECONNREFUSED) still answers port
     * unreachable from the datagram kept.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (relay.pathErrors(this)) {
            return;
        }
        if (cause instanceof PortUnreachableException) {
            relay.portUnreachable(this);
        } else {
            relay.upstreamError(this, cause);
        }
    }

    void close() {
        releasePending();
        if (channel != null) {
            channel.close();
        }
    }

    private void releasePending() {
        if (pending != null) {
            for (ByteBuf b; (b = pending.poll()) != null; ) {
                b.release();
            }
            relay.releaseSetupBytes(pendingBytes);
            pendingBytes = 0;
        }
    }
}
