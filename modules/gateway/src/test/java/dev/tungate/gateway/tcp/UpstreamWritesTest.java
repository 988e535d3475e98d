package dev.tungate.gateway.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 8 item 2: text queued toward a server that does not read holds its bytes, not its read buffers. */
@DisplayName("UpstreamWrites: small deliveries coalesced out of their read buffers, order kept")
class UpstreamWritesTest {
    private static final int READ_BUFFER = 64 * 1024;
    private final UnpooledByteBufAllocator frames = new UnpooledByteBufAllocator(true);
    private final List<ByteBuf> made = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final UpstreamWrites w = new UpstreamWrites();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private int counter;

    @AfterEach
    void cleanUp() {
        w.release();
        ch.finishAndReleaseAll();
    }

    @Test
    @DisplayName("1000 64-byte segments from 64 KiB read buffers: no read buffer kept, few writes, bytes in order")
    void tinySegmentsCoalesced() {
        for (int i = 0; i < 1000; i++) {
            w.write(ch, delivered(64));
        }
        assertEquals(0, made.stream().filter(b -> b.refCnt() > 0).count(), "read buffers kept alive");
        w.flush(ch);
        int writes = drain();
        assertTrue(writes <= 2, writes + " writes for 64,000 bytes");
        assertArrayEquals(expected(), sent.toByteArray());
    }

    @Test
    @DisplayName("while the channel is past its high-water mark, small text keeps filling one buffer")
    void heldWhileUnwritable() {
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        ch.write(frames.directBuffer(16).writeZero(16));   // unflushed: past the marks
        for (int i = 0; i < 100; i++) {
            w.write(ch, delivered(10));
            w.flush(ch);
        }
        assertTrue(w.pinnedBytes(ch) < 4096, "held " + w.pinnedBytes(ch) + " bytes for 1,000 bytes of text");
        assertEquals(0, made.stream().filter(b -> b.refCnt() > 0).count());
    }

    @Test
    @DisplayName("large text goes as its slice, after the small text before it")
    void largeAfterSmall() {
        w.write(ch, delivered(100));
        ByteBuf big = delivered(READ_BUFFER / 2 + 1);
        w.write(ch, big);
        w.write(ch, delivered(100));
        w.flush(ch);
        assertEquals(1, made.get(1).refCnt(), "the large segment's buffer is written as it is");
        assertEquals(3, drain());
        assertArrayEquals(expected(), sent.toByteArray());
    }

    /** {@code len} counting bytes at the end of a fresh 64 KiB read buffer, as a slice of it. */
    private ByteBuf delivered(int len) {
        ByteBuf f = frames.directBuffer(READ_BUFFER, READ_BUFFER);
        made.add(f);
        f.writerIndex(READ_BUFFER - len).readerIndex(READ_BUFFER - len);
        for (int i = 0; i < len; i++) {
            f.writeByte(counter++);
        }
        return f.slice();
    }

    private byte[] expected() {
        byte[] b = new byte[counter];
        for (int i = 0; i < counter; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private int drain() {
        int n = 0;
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            sent.writeBytes(bytes);
            b.release();
            n++;
        }
        return n;
    }
}
