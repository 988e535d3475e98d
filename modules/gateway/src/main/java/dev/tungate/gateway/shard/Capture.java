package dev.tungate.gateway.shard;

import dev.tungate.wire.PcapWriter;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;

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

    /**
     * Creates {@code file}, which must not exist yet, with mode 0600 (O_CREAT|O_EXCL|O_NOFOLLOW): the
     * gateway runs as root, so a capture must never write through a link another user planted, nor
     * replace a file, nor be readable by others. (Captures written by the ctl client as the calling
     * user will make this moot.)
     */
    public Capture(Path file) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " exists; expected a new file (a capture never replaces a file or follows a link)", e);
        }
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
