package dev.tungate.gateway.tcp;

import dev.tungate.gateway.icmp.HopLimit;
import dev.tungate.gateway.icmp.IcmpErrors;
import dev.tungate.gateway.icmp.PathErrors;
import dev.tungate.gateway.shard.Counters;
import dev.tungate.gateway.shard.ShardContext;
import dev.tungate.wire.IpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * The TCP relay's side of the path (issue 8 item 10): the gateway as a router hop and the upstream
 * path's ICMP errors, for one shard.
 *
 * <ul>
 * <li>A segment whose TTL / hop limit ends at the gateway is answered with time exceeded
 *     ({@link HopLimit}); a new flow's upstream socket sends with the SYN's TTL less one, for the
 *     whole connection (so {@code traceroute -T} counts the hops behind the gateway).
 * <li>While the upstream connect runs, the socket has IP_RECVERR on: when a router answers the SYN
 *     with an ICMP error (time exceeded, unreachable), the connect fails and the error queue holds
 *     the message and the router's address; the held SYN is then answered with that message, from
 *     that router, instead of a generic host unreachable. Once connected, IP_RECVERR goes off again:
 *     on an established socket Linux would turn every soft ICMP error into a hard one (tcp_v4_err),
 *     which RFC 1122 §4.2.3.9 forbids. An established flow needs no path ICMP relayed: its segments
 *     never cross that path (the host kernel does its own path-MTU discovery on the upstream socket).
 * </ul>
 */
final class TcpPath {
    private final PathErrors path;
    private final HopLimit hops;
    /** The connect failure whose error queue {@link #path} read last, and that connect's address. */
    private Throwable failure;
    private InetSocketAddress failedTo;
    /** The hop limit for the next upstream socket: the SYN's, less one; set just before it connects. */
    private int synHopLimit = 64;

    TcpPath(ShardContext shard, IcmpErrors icmp, Counters counters) {
        this.path = new PathErrors(icmp, counters);
        this.hops = new HopLimit(shard, icmp);
    }

    /** True when the segment's TTL ends here: time exceeded was sent, the caller drops the segment. */
    boolean expires(ByteBuf frame, IpPacket ip) {
        return hops.expires(frame, ip);
    }

    /** The hop limit the SYN of the flow about to connect has left ({@link HopLimit#upstream}). */
    void syn(int hopLimit) {
        synHopLimit = hopLimit;
    }

    /** A new upstream channel, not yet connecting: the SYN's hop limit, the error queue on. */
    void configure(Channel ch, InetSocketAddress to) {
        boolean v6 = to.getAddress() instanceof Inet6Address;
        PathErrors.hopLimit(ch, v6, synHopLimit);
        PathErrors.recvErr(ch, v6, true);
    }

    /** Added to the connect future before anything closes the channel on failure. */
    ChannelFutureListener connectListener(InetSocketAddress to) {
        return f -> connectDone(f, to);
    }

    private void connectDone(ChannelFuture f, InetSocketAddress to) {
        Channel ch = f.channel();
        boolean v6 = to.getAddress() instanceof Inet6Address;
        if (f.isSuccess()) {
            PathErrors.recvErr(ch, v6, false);
        } else if (path.read(ch)) {
            failure = f.cause();
            failedTo = to;
        }
    }

    /**
     * The flow's connect failed with {@code cause}: relays the ICMP error the path sent about the SYN
     * (quoting {@code synPacket}); false when there was none, and the caller answers host unreachable.
     */
    boolean relayConnectError(ByteBuf synPacket, int ipVersion, Throwable cause) {
        if (cause == null || cause != failure) {
            return false;
        }
        failure = null;
        return path.relay(path.last(), synPacket, ipVersion, failedTo.getAddress());
    }
}
