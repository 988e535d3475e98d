package dev.tungate.gateway.forward;

import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.Shard;
import dev.tungate.gateway.tcp.TcpRelay;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A forwarded TCP port: accepts host clients and hands each, autoRead off, to the TCP relay of the shard
 * its flow key hashes to ({@link Shard#ownerOf(FlowKey, int)}), so the namespace's replies find the flow
 * in that shard's one flow table. The relay opens the connection into the namespace with its engine
 * ({@link TcpRelay#openForwarded}); the client's bytes are read only once the namespace's server accepted.
 */
final class TcpListener extends Listener {
    private static final Logger log = LogManager.getLogger();
    private final Shard[] shards;
    private final TcpRelay[] tcp;
    private final ClientKeys keys;
    private final InetAddress nsAddr;
    private final int nsPort;

    TcpListener(Shard[] shards, TcpRelay[] tcp, ClientKeys keys, InetAddress nsAddr, int nsPort) {
        this.shards = shards;
        this.tcp = tcp;
        this.keys = keys;
        this.nsAddr = nsAddr;
        this.nsPort = nsPort;
    }

    void listen(InetSocketAddress at, String spec) {
        EpollServerSocketChannel ch = new EpollServerSocketChannel(
                at.getAddress().getAddress().length == 16 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
        ch.config().setReuseAddress(true);
        ch.pipeline().addLast(new Acceptor());
        bind(ch, shards[at.getPort() % shards.length].loop(), at, spec);
    }

    private void accepted(Channel client) {
        client.config().setAutoRead(false);   // nothing is read until the namespace's server has accepted
        FlowKey k = keys.key((InetSocketAddress) client.remoteAddress(), nsAddr, nsPort);
        int owner = Shard.ownerOf(k, shards.length);
        total.incrementAndGet();
        active.incrementAndGet();
        client.closeFuture().addListener((ChannelFutureListener) f -> active.decrementAndGet());
        shards[owner].loop().register(client).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                client.unsafe().closeForcibly();
                return;
            }
            if (!tcp[owner].openForwarded(k, client)) {
                log.debug("forward {}: refused (4-tuple in use or budget spent)", k);
            }
        });
    }

    /** The server channel's handler: each read is one accepted, not yet registered, client channel. */
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel client = (Channel) msg;
            try {
                accepted(client);
            } catch (RuntimeException e) {
                log.warn("forward: accepting {} failed: {}", client.remoteAddress(), e.toString());
                client.unsafe().closeForcibly();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // EMFILE and the like: Netty keeps accepting on the next readiness; say so once per event.
            log.warn("forward: accept failed: {}", cause.toString());
        }
    }
}
