package dev.tungate.gateway.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.wire.Drop;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("netem duplicate, reorder (with gap), corrupt")
class DuplicateReorderCorruptTest {
    private static final int N = 100_000;

    @Test
    @DisplayName("duplicate=1%: copies inside the 99.9% binomial interval; each copy is a byte-equal, separate buffer")
    void duplicate() throws SpecException {
        LinkHarness h = LinkHarness.up("duplicate=1% seed=21");
        h.keepBytes = true;
        for (int i = 0; i < N; i++) h.send(i, 100);
        long dups = h.link.counters().duplicated();
        Stats.assertBinomial("duplicate=1%", dups, N, 0.01);
        assertEquals(N + dups, h.out.size());
        assertEquals(N + dups, h.link.counters().passed());
        int seen = 0;
        for (int i = 1; i < h.out.size(); i++) {
            if (h.out.get(i).seq() == h.out.get(i - 1).seq()) {
                assertTrue(java.util.Arrays.equals(h.out.get(i).bytes(), h.out.get(i - 1).bytes()));
                seen++;
            }
        }
        assertEquals(dups, seen);
        h.assertAllReleased();
    }

    @Test
    @DisplayName("reorder=25% delay=10ms: a quarter sent at once, inside the 99.9% interval; the rest 10 ms late")
    void reorder() throws SpecException {
        LinkHarness h = LinkHarness.up("delay=10ms reorder=25% seed=22");
        for (int i = 0; i < N; i++) {
            h.send(i, 60);
            h.advanceBy(1_000_000);
        }
        h.drain();
        long immediate = 0;
        long[] sentAt = new long[N];
        for (int i = 0; i < N; i++) sentAt[i] = i * 1_000_000L;
        for (LinkHarness.Delivery d : h.out) {
            long wait = d.nanos() - sentAt[d.seq()];
            if (wait == 0) immediate++;
            else assertEquals(10_000_000L, wait);
        }
        assertEquals(immediate, h.link.counters().reordered());
        Stats.assertBinomial("reorder=25%", immediate, N, 0.25);
        long outOfOrder = 0;
        for (int i = 1; i < h.out.size(); i++) if (h.out.get(i).seq() < h.out.get(i - 1).seq()) outOfOrder++;
        assertTrue(outOfOrder > 0);
    }

    @Test
    @DisplayName("reorder=100% gap=5: exactly every fifth packet is sent at once (netem gap)")
    void reorderGap() throws SpecException {
        LinkHarness h = LinkHarness.up("delay=10ms reorder=100% gap=5");
        for (int i = 0; i < 50; i++) h.send(i, 60);
        assertEquals(10, h.out.size());
        for (int k = 0; k < 10; k++) assertEquals(5 * k + 4, h.out.get(k).seq());
        h.drain();
        assertEquals(50, h.out.size());
    }

    @Test
    @DisplayName("corrupt=1%: inside the 99.9% interval; each corrupted frame differs by one bit past the IP header and fails its TCP checksum")
    void corrupt() throws SpecException {
        LinkHarness h = LinkHarness.up("corrupt=1% seed=23");
        h.keepBytes = true;
        LinkHarness clean = LinkHarness.up("");
        clean.keepBytes = true;
        for (int i = 0; i < N; i++) {
            h.send(i, 200);
            clean.send(i, 200);
        }
        long corrupted = h.link.counters().corrupted();
        Stats.assertBinomial("corrupt=1%", corrupted, N, 0.01);
        long differing = 0;
        IpPacket ip = new IpPacket();
        for (int i = 0; i < N; i++) {
            byte[] a = h.out.get(i).bytes(), b = clean.out.get(i).bytes();
            int bits = 0, firstAt = -1;
            for (int j = 0; j < a.length; j++) {
                int x = Integer.bitCount((a[j] ^ b[j]) & 0xFF);
                if (x != 0 && firstAt < 0) firstAt = j;
                bits += x;
            }
            if (bits == 0) continue;
            differing++;
            assertEquals(1, bits, "one bit flipped");
            assertTrue(firstAt >= 20, "past the IPv4 header, at " + firstAt);
            ByteBuf f = Unpooled.wrappedBuffer(a);
            assertFalse(transportChecksumOk(ip, f), "the receiver's checksum must fail");
            f.release();
        }
        assertEquals(corrupted, differing);
        ByteBuf ok = Unpooled.wrappedBuffer(clean.out.get(0).bytes());
        assertTrue(transportChecksumOk(ip, ok));
        ok.release();
        h.assertAllReleased();
    }

    /** What the receiving stack checks (wire's own path): IP, TCP header, checksum with pseudo-header. */
    private static boolean transportChecksumOk(IpPacket ip, ByteBuf f) {
        TcpHeader tcp = new TcpHeader();
        Drop d = ip.wrap(f, 0, f.readableBytes());
        if (d == Drop.NONE) d = tcp.wrap(f, ip.l4Offset(), ip.l4Length());
        if (d == Drop.NONE) d = tcp.verify(ip.pseudoHeaderSum());
        return d == Drop.NONE;
    }
}
