package dev.tungate.gateway.forward;

import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.udp.ForwardedUdp;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every UDP forward's host clients by flow key, shared by the shards' UDP relays (a reply may arrive on
 * any TUN queue): a namespace datagram whose key is here goes back out of the forward's host socket to
 * the client, from the forwarded port. Each reply is copied (the TUN frame is the relay's) and written
 * as a task on the forward's loop: this path allocates per datagram, unlike the outbound UDP relay.
 */
final class UdpClients implements ForwardedUdp {
    /** One host client of a UDP forward. */
    static final class Client {
        final UdpListener listener;
        final InetSocketAddress address;
        final Channel channel;
        volatile long lastActiveNanos;

        Client(UdpListener listener, InetSocketAddress address, Channel channel, long now) {
            this.listener = listener;
            this.address = address;
            this.channel = channel;
            this.lastActiveNanos = now;
        }
    }

    final ConcurrentHashMap<FlowKey, Client> clients = new ConcurrentHashMap<>();

    @Override
    public boolean replyIn(FlowKey k, ByteBuf packet, int payloadOffset, int len) {
        Client c = clients.get(k);
        if (c == null) {
            return false;
        }
        c.lastActiveNanos = System.nanoTime();
        if (c.channel.isActive() && c.channel.isWritable()) {
            ByteBuf copy = c.channel.alloc().directBuffer(len, len).writeBytes(packet, payloadOffset, len);
            c.channel.writeAndFlush(new DatagramPacket(copy, c.address), c.channel.voidPromise());
        }
        return true;   // a closed forward's clients are dropped here too, never relayed out as new flows
    }
}
