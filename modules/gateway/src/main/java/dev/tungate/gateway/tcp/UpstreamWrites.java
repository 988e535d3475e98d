package dev.tungate.gateway.tcp;

import dev.tungate.tcp.Pinning;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * The engine's delivered text on its way into the upstream channel, held in real bytes close to
 * its payload. A delivered buffer is a slice of the ~64 KiB buffer its TUN frame was read into;
 * written as it is, a server that never reads keeps one read buffer alive per segment (64-byte
 * segments cost ~83 KB each: four connections reached the 6 GiB direct-memory limit). So text
 * that would pin more than twice its size ({@link Pinning#wasteful}) is copied into one growing
 * coalescing buffer, written at the batch's flush; while the channel is past its high-water mark
 * the coalescing buffer keeps filling (up to {@link #MAX_COALESCED}) instead of queueing one
 * entry per segment. Large text (a GSO super-segment) is written as the slice it is.
 */
final class UpstreamWrites {
    /** One coalescing buffer holds at most this; then it is written and a new one started. */
    static final int MAX_COALESCED = 64 * 1024;
    private static final int FIRST_CAPACITY = 512;
    private ByteBuf open;

    /** Takes ownership of {@code data} and queues it (unflushed) on {@code ch}. */
    void write(Channel ch, ByteBuf data) {
        int n = data.readableBytes();
        if (!Pinning.wasteful(data) || n > MAX_COALESCED / 2) {
            writeOpen(ch);
            ch.write(data, ch.voidPromise());
            return;
        }
        try {
            if (open != null && open.writerIndex() + n > MAX_COALESCED) {
                writeOpen(ch);
            }
            if (open == null) {
                open = ch.alloc().directBuffer(Math.max(FIRST_CAPACITY, n), MAX_COALESCED);
            }
            open.writeBytes(data);   // grows by doubling: capacity stays under twice the bytes held
        } finally {
            data.release();
        }
    }

    /** A flush point: the coalesced bytes go to the channel unless it is past its high-water mark. */
    void flush(Channel ch) {
        if (ch.isWritable()) {
            writeOpen(ch);
        }
        ch.flush();
    }

    /** Before a shutdownOutput: everything goes to the channel, writable or not. */
    void flushAll(Channel ch) {
        writeOpen(ch);
        ch.flush();
    }

    private void writeOpen(Channel ch) {
        if (open != null) {
            ByteBuf b = open;
            open = null;
            ch.write(b, ch.voidPromise());
        }
    }

    /** Real bytes held here and in the channel's queue (Netty counts its per-entry overhead there too). */
    long pinnedBytes(Channel ch) {
        long held = open == null ? 0 : open.capacity();
        ChannelOutboundBuffer q = ch == null ? null : ch.unsafe().outboundBuffer();
        return q == null ? held : held + q.totalPendingWriteBytes();
    }

    void release() {
        if (open != null) {
            open.release();
            open = null;
        }
    }
}
