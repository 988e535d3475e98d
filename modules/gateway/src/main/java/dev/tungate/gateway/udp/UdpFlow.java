package dev.tungate.gateway.udp;

import dev.tungate.gateway.shard.FlowKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
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
    /** Datagrams held while the upstream connect completes; a burst beyond this is dropped like a full queue. */
    static final int MAX_PENDING = 16;

    final FlowKey key;
    final long idleNanos;
    long lastActiveNanos;
    private final UdpRelay relay;
    private Channel channel;
    private boolean connected;
    private ArrayDeque<ByteBuf> pending;
    /** The last datagram sent upstream from its IP header, at most what an ICMP error quotes. */
    final byte[] lastDatagram;
    int lastDatagramLength;

    UdpFlow(UdpRelay relay, FlowKey key, long idleNanos, long nowNanos, int quoteLimit) {
        this.relay = relay;
        this.key = key;
        this.idleNanos = idleNanos;
        this.lastActiveNanos = nowNanos;
        this.lastDatagram = new byte[quoteLimit];
    }

    void connecting(ChannelFuture connect) {
        channel = connect.channel();
        connect.addListener(this);
    }

    /** Sends {@code len} payload bytes of {@code packet} upstream; does not take ownership of packet. */
    void send(ByteBuf packet, int payloadOffset, int len, long nowNanos) {
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
            channel.writeAndFlush(packet.retainedSlice(payloadOffset, len), channel.voidPromise());
            return;
        }
        ByteBuf payload = packet.retainedSlice(payloadOffset, len);
        if (pending == null) {
            pending = new ArrayDeque<>(4);
        }
        if (pending.size() == MAX_PENDING) {
            payload.release();
            relay.pendingOverflow();
            return;
        }
        pending.add(payload);
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

    /** Netty turns ECONNREFUSED on a connected datagram socket into PortUnreachableException. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
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
        }
    }
}
