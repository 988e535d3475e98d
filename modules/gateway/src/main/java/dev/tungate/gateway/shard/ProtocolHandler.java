package dev.tungate.gateway.shard;

import io.netty.buffer.ByteBuf;

/** Handles one IP protocol's packets in a shard (UDP, ICMP). Every call happens on the shard's event loop. */
public interface ProtocolHandler extends AutoCloseable {
    /**
     * One packet, already validated by the shard (IP header, L4 checksum). {@code packet}'s
     * readerIndex is at the IP header; {@code l4Offset}/{@code l4Length} locate the UDP or ICMP
     * header. Takes ownership: the handler releases {@code packet}.
     */
    void packetIn(ByteBuf packet, int ipVersion, int l4Offset, int l4Length, long nowNanos);

    /** Periodic tick from the shard (about once a second): idle timeouts. */
    void tick(long nowNanos);

    @Override
    void close();
}
