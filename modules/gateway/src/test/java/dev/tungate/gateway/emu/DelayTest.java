package dev.tungate.gateway.emu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("netem delay: every packet exactly delay later, in order")
class DelayTest {
    @Test
    @DisplayName("delay=25ms: each of 1,000 packets leaves exactly 25 ms after it arrived")
    void delayExact() throws SpecException {
        LinkHarness h = LinkHarness.up("delay=25ms");
        for (int i = 0; i < 1000; i++) {
            h.send(i, 100 + i % 1400);
            h.advanceBy(137_000 + i);   // arrivals at uneven times
        }
        h.drain();
        assertEquals(1000, h.out.size());
        long t = 0;
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, h.out.get(i).seq());
            assertEquals(t + 25_000_000L, h.out.get(i).nanos(), "packet " + i);
            t += 137_000 + i;
        }
        assertEquals(1000, h.link.counters().passed());
        assertEquals(1000, h.link.counters().delayed());
        assertEquals(0, h.link.nextDueNanos() == Long.MAX_VALUE ? 0 : 1);
        h.assertAllReleased();
    }

    @Test
    @DisplayName("empty profile: delivered at once, nothing held, nothing counted as delayed")
    void passThrough() throws SpecException {
        LinkHarness h = LinkHarness.up("");
        h.send(1, 60);
        assertEquals(1, h.out.size());
        assertEquals(0, h.out.get(0).nanos());
        assertEquals(Long.MAX_VALUE, h.link.nextDueNanos());
        assertEquals(0, h.link.counters().delayed());
        h.assertAllReleased();
    }

    @Test
    @DisplayName("equal due times leave first in, first out (netem tfifo)")
    void fifoOnTies() throws SpecException {
        LinkHarness h = LinkHarness.up("delay=1s");
        for (int i = 0; i < 100; i++) h.send(i, 60);
        h.drain();
        for (int i = 0; i < 100; i++) assertEquals(i, h.out.get(i).seq());
    }
}
