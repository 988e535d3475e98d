package dev.tungate.gateway.shard;

import dev.tungate.wire.PcapWriter;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * A pcap capture of every frame through the TUN device, both directions, shared by all shards
 * (writes are serialized; capturing is a debugging mode, not the fast path). Frames written with
 * checksum offload carry only the pseudo-header sum in their TCP checksum, as tcpdump shows on
 * any interface with offload.
 */
public final class Capture implements AutoCloseable {
    private final PcapWriter writer;
    private final long epochBaseNanos;
    private final long nanoBase;
    private boolean closed;
    private long packets;

    public Capture(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.writer = new PcapWriter(ch, PcapWriter.LINKTYPE_RAW, 65535);
        Instant now = Instant.now();
        this.nanoBase = System.nanoTime();
        this.epochBaseNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Appends one IP packet (frame's readable bytes); indices untouched. Stops on a write error. */
    synchronized void write(ByteBuf frame) {
        if (closed) {
            return;
        }
        try {
            writer.write(epochBaseNanos + (System.nanoTime() - nanoBase), frame, frame.readerIndex(), frame.readableBytes());
            packets++;
        } catch (IOException e) {
            closeQuietly();
        }
    }

    public synchronized long packets() {
        return packets;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // the capture is over either way
        }
    }
}
