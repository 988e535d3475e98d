package dev.tungate.gateway.shard;

import io.netty.buffer.ByteBuf;

/**
 * The write half of a TUN queue as a shard sees it: {@code TunQueueHandle::write} in production,
 * a list of frames in tests. Called on the shard's loop; releases {@code frame}.
 */
@FunctionalInterface
public interface TunWriter {
    /**
     * Writes one IP packet; with offload the vnet header carries {@code gsoType}/{@code gsoSize}
     * and, when {@code csumOffset != 0}, NEEDS_CSUM at {@code csumStart + csumOffset}. Returns
     * false when the kernel queue refused it.
     */
    boolean write(ByteBuf frame, int gsoType, int gsoSize, int csumStart, int csumOffset);
}
