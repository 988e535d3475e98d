package dev.tungate.gateway.forward;

import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.Shard;
import dev.tungate.wire.Ipv4Header;
import dev.tungate.wire.Ipv6Header;
import dev.tungate.wire.PacketBuilder;
import dev.tungate.wire.UdpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A forwarded UDP port: each host client's datagrams go into the namespace as from the client
 * ({@link ClientKeys}), written to the TUN device by the shard whose loop the socket is on; the
 * server's replies come back through {@link UdpClients}. A client idle for the UDP idle timeout is
 * forgotten, as the outbound relay forgets a binding.
 */
final class UdpListener extends Listener {
    /** Largest datagram a host socket can return (IPv4: 65535 - 20 - 8). */
    private static final int RECV_BUFFER = 65536;
    private final Shard shard;
    private final ClientKeys keys;
    private final UdpClients table;
    private final InetAddress nsAddr;
    private final int nsPort;
    private final long idleNanos;
    /** This listener's clients, touched on its loop only (the shared table is for the replies). */
    private final Map<FlowKey, UdpClients.Client> mine = new HashMap<>();
    private final PacketBuilder builder = new PacketBuilder();
    private ScheduledFuture<?> expiry;

    UdpListener(Shard shard, ClientKeys keys, UdpClients table, InetAddress nsAddr, int nsPort, long idleNanos) {
        this.shard = shard;
        this.keys = keys;
        this.table = table;
        this.nsAddr = nsAddr;
        this.nsPort = nsPort;
        this.idleNanos = idleNanos;
    }

    void listen(InetSocketAddress at, String spec) {
        EpollDatagramChannel ch = new EpollDatagramChannel(
                at.getAddress().getAddress().length == 16 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
        ch.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECV_BUFFER));
        ch.pipeline().addLast(new Datagrams());
        bind(ch, shard.loop(), at, spec);
        expiry = shard.loop().scheduleAtFixedRate(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    private void datagram(DatagramPacket p) {
        ByteBuf content = p.content();
        FlowKey k = keys.key(p.sender(), nsAddr, nsPort);
        int len = content.readableBytes();
        int headers = (k.v4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH) + UdpHeader.LENGTH;
        if (len > 0xFFFF - (k.v4 ? headers : UdpHeader.LENGTH)) {
            return;
        }
        long now = System.nanoTime();
        UdpClients.Client c = mine.get(k);
        if (c == null) {
            c = new UdpClients.Client(this, p.sender(), channel, now);
            mine.put(k, c);
            table.clients.put(k, c);
            total.incrementAndGet();
            active.incrementAndGet();
        }
        c.lastActiveNanos = now;
        ByteBuf out = shard.alloc().directBuffer(headers + len);
        k.replyAddresses(builder).ports(k.remotePort, k.nsPort).writeUdp(out, content, content.readerIndex(), len);
        shard.writeToTun(out);
    }

    private void expire() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<FlowKey, UdpClients.Client>> it = mine.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<FlowKey, UdpClients.Client> e = it.next();
            if (now - e.getValue().lastActiveNanos - idleNanos >= 0) {
                it.remove();
                table.clients.remove(e.getKey(), e.getValue());
                active.decrementAndGet();
            }
        }
    }

    /** The socket goes and with it this forward's clients (UDP has no connection to keep going). */
    @Override
    void close() {
        super.close();
        shard.loop().submit(() -> {
            if (expiry != null) {
                expiry.cancel(false);
            }
            mine.forEach(table.clients::remove);
            mine.clear();
            active.set(0);
        }).awaitUninterruptibly(1000);
    }

    private final class Datagrams extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket p = (DatagramPacket) msg;
            try {
                datagram(p);
            } finally {
                p.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP errors from clients that went away (ECONNREFUSED on an unconnected socket): nothing to do.
        }
    }
}
