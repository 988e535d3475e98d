package dev.tungate.gateway.shard;

import dev.tungate.wire.IpPacket;
import io.netty.buffer.ByteBuf;

/**
 * A stage between a shard's TUN queue and its protocol handlers, both directions (the emulation
 * link, docs/ARCHITECTURE.md "Emulation"). Called on the shard's loop. A stage that takes a frame
 * owns it and hands it on later with {@link Shard#deliverUp} or {@link Shard#writeDirect}.
 */
public interface FrameStage {
    /**
     * A frame from the namespace, IP validated into {@code ip}, on its owner shard, before its
     * handler. Returns false to let it pass untouched (the common case, which must not allocate).
     */
    boolean up(ByteBuf frame, IpPacket ip, int gsoSize, boolean csumTrusted);

    /** A frame toward the namespace with its offload fields; false to let it pass untouched. */
    boolean down(ByteBuf frame, int gsoType, int gsoSize, int csumStart, int csumOffset);

    /** Gateway stop, on the loop: release what is held. */
    void close();
}
