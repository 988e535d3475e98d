package dev.tungate.gateway.shard;

import dev.tungate.tun.VirtioNetHdr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/** What a protocol handler may use from its shard. Every call happens on the shard's event loop. */
public interface ShardContext {
    /** The shard's event loop; upstream channels of this shard are registered on it. */
    EventLoop loop();

    ByteBufAllocator alloc();

    /** The shard's clock: {@link System#nanoTime()} read once per TUN read batch, fresh otherwise. */
    long nowNanos();

    /** Write one complete IP packet (IPv4 or IPv6, checksums filled) toward the namespace; takes ownership. */
    default void writeToTun(ByteBuf ipPacket) {
        writeFrame(ipPacket, VirtioNetHdr.GSO_NONE, 0, 0, 0);
    }

    /**
     * Writes one packet toward the namespace with offload fields (see {@link TunWriter#write}):
     * a TSO super-segment when {@code gsoType} is not GSO_NONE, NEEDS_CSUM when {@code csumOffset != 0}.
     * Takes ownership.
     */
    void writeFrame(ByteBuf frame, int gsoType, int gsoSize, int csumStart, int csumOffset);

    Destinations destinations();

    Counters counters();

    int shardIndex();

    /** The gateway-wide memory and fd budgets every flow is charged against. */
    default Budgets budgets() {
        return Budgets.UNLIMITED;
    }
}
