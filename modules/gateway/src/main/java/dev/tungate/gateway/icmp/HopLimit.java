package dev.tungate.gateway.icmp;

import dev.tungate.gateway.shard.Counters;
import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.ShardContext;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;

/**
 * The gateway as a router hop (RFC 1812 §5.3.1, RFC 8200 §3): a namespace packet whose TTL / hop
 * limit is 1 (or 0) must not be forwarded; it is answered with ICMP time exceeded in transit from
 * the gateway's address, unless it is for the gateway itself (its own or the DNS address). Any other
 * packet leaves with one hop less: the relays set the upstream socket's IP_TTL / IPV6_UNICAST_HOPS
 * to {@link #upstream} ({@link PathErrors#hopLimit}), so the routers behind the gateway count on.
 */
public final class HopLimit {
    private final ShardContext ctx;
    private final IcmpErrors errors;
    private final Counters counters;
    private final FlowKey scratch = new FlowKey();

    public HopLimit(ShardContext ctx, IcmpErrors errors) {
        this.ctx = ctx;
        this.errors = errors;
        this.counters = ctx.counters();
    }

    /** The TTL / hop limit the packet has left after this hop (at least 1 once {@link #expires} said no). */
    public static int upstream(IpPacket ip) {
        return Math.max(1, ip.hopLimit() - 1);
    }

    /**
     * True when {@code packet}'s TTL ends here: time exceeded went to the namespace (unless RFC 1122
     * forbids one, or the rate limit) and the caller drops the packet without taking it further.
     * Does not take ownership. Cheap for every packet: only a TTL of 0 or 1 looks further.
     */
    public boolean expires(ByteBuf packet, IpPacket ip) {
        if (ip.hopLimit() > 1) {
            return false;
        }
        int v = ip.version();
        InetAddress router = ctx.destinations().router(v);
        if (router == null || ctx.destinations().isLocal(scratch.fromNamespace(ip, 0, 0).remoteAddress())) {
            return false;
        }
        counters.icmpTimeExceeded++;
        byte[] a = router.getAddress();
        errors.fromNode(packet, v, v == 4 ? IcmpHeader.V4_TIME_EXCEEDED : IcmpHeader.V6_TIME_EXCEEDED, 0, 0,
                PathErrors.hi(a, v), PathErrors.lo(a, v));
        return true;
    }
}
