package dev.tungate.wire;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;

/**
 * Writes classic pcap files with nanosecond timestamps (magic 0xa1b23c4d, version 2.4), which
 * Wireshark and tshark read. Records are staged in one reused buffer, so writing a packet
 * allocates nothing. Not thread-safe; one writer per capture. Closing the writer closes the channel.
 *
 * <p>Link types (tcpdump.org/linktypes.html): {@link #LINKTYPE_RAW} for frames of either IP
 * version as read from TUN; {@link #LINKTYPE_IPV4} / {@link #LINKTYPE_IPV6} for one version only.
 */
public final class PcapWriter implements AutoCloseable {
    public static final int MAGIC_NANOS = 0xA1B2_3C4D;
    public static final int LINKTYPE_RAW = 101, LINKTYPE_IPV4 = 228, LINKTYPE_IPV6 = 229;
    public static final int GLOBAL_HEADER_LENGTH = 24, RECORD_HEADER_LENGTH = 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final WritableByteChannel out;
    private final int snapLength;
    private final ByteBuffer staging;

    /** Writes the global header at once. {@code snapLength} caps the bytes kept per packet. */
    public PcapWriter(WritableByteChannel out, int linkType, int snapLength) throws IOException {
        if (snapLength <= 0) {
            throw new IllegalArgumentException("snapLength must be positive: " + snapLength);
        }
        this.out = out;
        this.snapLength = snapLength;
        this.staging = ByteBuffer.allocate(Math.max(GLOBAL_HEADER_LENGTH, RECORD_HEADER_LENGTH + snapLength)).order(ByteOrder.LITTLE_ENDIAN);
        staging.putInt(MAGIC_NANOS).putShort((short) 2).putShort((short) 4)
                .putInt(0)              // thiszone: timestamps are UTC
                .putInt(0)              // sigfigs
                .putInt(snapLength)
                .putInt(linkType);
        flushStaging();
    }

    /** Over an OutputStream, e.g. a pipe to {@code tshark -i -}. */
    public PcapWriter(OutputStream out, int linkType, int snapLength) throws IOException {
        this(Channels.newChannel(out), linkType, snapLength);
    }

    /**
     * Appends one packet of {@code len} bytes at {@code index} of {@code buf} (indices untouched),
     * stamped {@code epochNanos} since 1970-01-01 UTC, cut to the snap length.
     */
    public void write(long epochNanos, ByteBuf buf, int index, int len) throws IOException {
        int incl = Math.min(len, snapLength);
        staging.putInt((int) Math.floorDiv(epochNanos, NANOS_PER_SECOND))
                .putInt((int) Math.floorMod(epochNanos, NANOS_PER_SECOND))
                .putInt(incl)
                .putInt(len);
        int limit = staging.limit();
        staging.limit(staging.position() + incl);
        buf.getBytes(index, staging);
        staging.limit(limit);
        flushStaging();
    }

    private void flushStaging() throws IOException {
        staging.flip();
        while (staging.hasRemaining()) {
            out.write(staging);
        }
        staging.clear();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
