package dev.tungate.tcp;

import static dev.tungate.tcp.Segment.ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 5 / issue 8 item 2: what a flow holds is bounded in real bytes. Each segment's
 * text is a slice of its own 64 KiB buffer, as a TUN read delivers it; an allocator that counts
 * live direct bytes exactly measures what the engine keeps alive.
 */
@DisplayName("Pinned memory: out-of-order tiny segments pin their bytes, not their read buffers")
class PinnedMemoryTest {
    private static final int READ_BUFFER = 64 * 1024;
    private static final int TINY = 64;
    private static final int HELD = 256;

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);
    private final List<ByteBuf> frames = new ArrayList<>();

    @Test
    @DisplayName("256 out-of-order 64-byte segments hold at most the receive buffer")
    void outOfOrderTinySegments() {
        TcpHarness t = TcpHarness.established();
        Segment s = new Segment();
        for (int i = 0; i < HELD; i++) {
            // Every other 64-byte slot above a gap at RCV.NXT: 256 separate out-of-order entries.
            s.seq = TcpHarness.IRS + 1 + TINY + 2 * TINY * i;
            s.ack = TcpHarness.ISS + 1;
            s.flags = ACK;
            s.wnd = TcpHarness.PEER_WND;
            s.text = frame(TINY);
            t.conn.segmentArrives(s, t.nowNanos);
            s.text.release();   // the caller's reference: the frame's own
        }
        assertEquals(HELD * TINY, t.conn.info().outOfOrderBytes());
        long live = alloc.metric().usedDirectMemory();
        assertTrue(live <= t.config.receiveBufferBytes,
                "out-of-order text pins " + live + " bytes, more than the " + t.config.receiveBufferBytes + "-byte receive buffer");
        assertTrue(live <= 2L * HELD * TINY, "held " + live + " bytes for " + HELD * TINY + " bytes of text");
        long stillPinned = frames.stream().filter(f -> f.refCnt() > 0).count();
        assertEquals(0, stillPinned, "read buffers kept alive by held text");
    }

    @Test
    @DisplayName("a segment filling most of its buffer is kept as a slice, not copied")
    void largeSegmentNotCopied() {
        TcpHarness t = TcpHarness.established();
        Segment s = new Segment();
        s.seq = TcpHarness.IRS + 1 + 1000;
        s.ack = TcpHarness.ISS + 1;
        s.flags = ACK;
        s.wnd = TcpHarness.PEER_WND;
        s.text = frame(READ_BUFFER / 2 + 1);
        t.conn.segmentArrives(s, t.nowNanos);
        s.text.release();
        assertEquals(1, frames.get(0).refCnt(), "the read buffer itself is held");
        assertEquals(READ_BUFFER, alloc.metric().usedDirectMemory());
    }

    /** {@code len} bytes of text at the end of a fresh 64 KiB read buffer, as a slice of it. */
    private ByteBuf frame(int len) {
        ByteBuf f = alloc.directBuffer(READ_BUFFER, READ_BUFFER);
        frames.add(f);
        f.writerIndex(READ_BUFFER - len);
        f.readerIndex(f.writerIndex());
        for (int i = 0; i < len; i++) {
            f.writeByte(i);
        }
        return f.slice();
    }
}
