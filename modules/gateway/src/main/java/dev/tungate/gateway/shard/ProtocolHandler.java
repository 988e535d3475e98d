package dev.tungate.gateway.shard;

import dev.tungate.wire.IpPacket;
import io.netty.buffer.ByteBuf;

/**
 * One IP protocol's packets in a shard: TCP, UDP, ICMP echo, and the fallback that answers
 * "protocol unreachable". The shard validates the IP header and hands each packet to its
 * protocol's handler; a stage (the emulation link) may sit between the two. Every call happens
 * on the shard's event loop. See docs/ARCHITECTURE.md "One packet's path".
 */
public interface ProtocolHandler extends AutoCloseable {
    /**
     * One packet whose IP header the shard validated into {@code ip} ({@code packet}'s readerIndex
     * is at the IP header; {@code ip.l4Offset()}/{@code ip.l4Length()} locate the L4 header). The
     * handler validates its own L4 header, and its checksum unless {@code csumTrusted} (the kernel
     * left it as offload, NEEDS_CSUM, or checked it, DATA_VALID). {@code gsoSize} is the virtio
     * gso_size of a GSO frame from the namespace, else 0. Takes ownership: the handler releases
     * {@code packet}. {@code ip} is only valid during the call.
     */
    void packetIn(ByteBuf packet, IpPacket ip, int gsoSize, boolean csumTrusted);

    /** End of a TUN read batch (and of a frame handed over from another shard): the natural flush point. */
    default void batchComplete() {
    }

    /** Periodic tick from the shard (about once a second): idle timeouts. */
    default void tick(long nowNanos) {
    }

    /**
     * True when a flow must be handled on the shard its 4-tuple hashes to (TCP: the engine's
     * state lives there); false when any shard may take it (UDP and ICMP bind per shard).
     */
    default boolean ownsFlowsByHash() {
        return false;
    }

    /** Ends one flow at once (TCP: RST both ways), for the emulator's reset-after; false when unknown. */
    default boolean resetFlow(FlowKey key) {
        return false;
    }

    /** Gateway stop, on the loop: end every flow (TCP: RST both ways) and release what is held. */
    @Override
    void close();
}
