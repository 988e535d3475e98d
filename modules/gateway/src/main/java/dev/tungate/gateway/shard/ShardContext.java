package dev.tungate.gateway.shard;

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
    void writeToTun(ByteBuf ipPacket);

    Destinations destinations();

    Counters counters();

    int shardIndex();
}
