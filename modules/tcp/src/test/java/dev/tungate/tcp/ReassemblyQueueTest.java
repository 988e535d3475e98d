package dev.tungate.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tungate.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ReassemblyQueue: out-of-order text held without overlaps (RFC 9293 §3.10.7.4 seventh step)")
class ReassemblyQueueTest {
    private final ReassemblyQueue q = new ReassemblyQueue();
    private final List<ByteBuf> made = new ArrayList<>();

    @AfterEach
    void released() {
        q.release();
        for (ByteBuf b : made) {
            assertEquals(0, b.refCnt(), "leaked");
        }
    }

    private void put(int seq, String text) {
        ByteBuf b = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        made.add(b);
        q.insert(seq, b);
    }

    private String drain(int rcvNxt) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = q.takeAt(rcvNxt)) != null) {
            rcvNxt += b.readableBytes();
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    @Test
    @DisplayName("a newcomer covering held entries replaces them; one inside a held entry is dropped")
    void overlaps() {
        put(10, "klm");
        put(20, "uvw");
        put(8, "ijklmnopqrstuvwxyz");   // covers both
        put(12, "mn");                  // inside
        assertEquals(18, q.bytes());
        assertNull(q.takeAt(5));
        assertEquals("ijklmnopqrstuvwxyz", drain(8));
        assertEquals(0, q.bytes());
    }

    @Test
    @DisplayName("partial overlaps are trimmed against both neighbours, keeping the bytes held first")
    void trimmed() {
        put(0, "AAAA");     // [0, 4)
        put(8, "CCCC");     // [8, 12)
        put(2, "bbbbbbbb"); // [2, 10) -> only [4, 8) is new
        assertEquals("AAAAbbbbCCCC", drain(0));
    }

    @Test
    @DisplayName("takeAt trims an entry that starts below RCV.NXT and frees stale ones")
    void takeAtTrims() {
        put(0, "abc");
        put(5, "fghij");
        assertEquals("hij", drain(7));
    }

    @Test
    @DisplayName("RFC 2018 §4: SACK blocks merge touching entries; the newest segment's block comes first")
    void sackBlocks() {
        put(100, "aa");
        put(200, "bb");
        put(102, "cc");    // touches [100, 102): one block [100, 104), and the newest
        TcpOptions o = new TcpOptions();
        q.sackBlocks(o, 3);
        assertEquals(2, o.sackBlocks);
        assertEquals(100, o.sackLeft[0]);
        assertEquals(104, o.sackRight[0]);
        assertEquals(200, o.sackLeft[1]);
        assertEquals(202, o.sackRight[1]);
    }

    @Test
    @DisplayName("at most max blocks are reported, the newest always among them")
    void sackBlockLimit() {
        put(10, "a");
        put(30, "a");
        put(50, "a");
        put(70, "a");
        put(20, "a");
        TcpOptions o = new TcpOptions();
        q.sackBlocks(o, 3);
        assertEquals(3, o.sackBlocks);
        assertEquals(20, o.sackLeft[0]);
    }

    @Test
    @DisplayName("many entries grow the arrays and stay sorted")
    void grows() {
        StringBuilder expect = new StringBuilder();
        for (int i = 40; i >= 1; i--) {
            put(i * 2, "x");
        }
        for (int i = 1; i <= 40; i++) {
            put(i * 2 + 1, "y");
            expect.append("xy");
        }
        assertEquals(expect.toString(), drain(2));
    }
}
