package dev.tungate.tun;

import io.netty.buffer.ByteBuf;

/** Receives the frames a {@link TunQueueHandle} reads, on its event loop. */
public interface TunFrameHandler {
    /**
     * One IP packet. frame's readerIndex is at the IP header; hdr holds the parsed virtio_net_hdr when the device has
     * offload, all zeros (GSO_NONE) otherwise, and is reused for the next frame. The handler owns frame and must
     * release it.
     */
    void frameRead(ByteBuf frame, VirtioNetHdr hdr);

    /** End of one read batch: the natural flush point. */
    void batchComplete();
}
