package dev.tungate.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SendBuffer: retained slices from SND.UNA on")
class SendBufferTest {
    private final SendBuffer sb = new SendBuffer();
    private final List<ByteBuf> made = new ArrayList<>();

    @AfterEach
    void released() {
        sb.release();
        for (ByteBuf b : made) {
            b.release();
            assertEquals(0, b.refCnt(), "leaked");
        }
    }

    private void append(String s) {
        ByteBuf b = Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
        made.add(b);
        sb.append(b, b.readableBytes());
    }

    private String text(int off, int len) {
        ByteBuf t = sb.text(off, len);
        try {
            return t.toString(StandardCharsets.US_ASCII);
        } finally {
            t.release();
        }
    }

    @Test
    @DisplayName("text spans chunks; drop frees whole chunks and trims a partial one")
    void spanAndDrop() {
        for (int i = 0; i < 40; i++) {
            append("ab");                   // grows the ring past 16 chunks
        }
        append("cdef");
        assertEquals(84, sb.size());
        assertEquals("babcd", text(77, 5));
        assertEquals("bcdef", text(79, 5));
        sb.drop(79);
        assertEquals(5, sb.size());
        assertEquals("bcdef", text(0, 5));
        assertEquals("def", text(2, 3));
    }

    @Test
    @DisplayName("the caller's buffer indices do not move and it keeps its reference")
    void callerKeepsBuffer() {
        ByteBuf b = Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII);
        made.add(b);
        sb.append(b, 3);
        assertEquals(0, b.readerIndex());
        assertEquals(2, b.refCnt());
        assertEquals("hel", text(0, 3));
        sb.drop(3);
        assertEquals(1, b.refCnt());
    }
}
