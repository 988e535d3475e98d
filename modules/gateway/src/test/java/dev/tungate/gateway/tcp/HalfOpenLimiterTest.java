package dev.tungate.gateway.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("HalfOpenLimiter: half-open flows capped, oldest evicted first, per-source shares, pruned under pressure")
class HalfOpenLimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private final List<String> evicted = new ArrayList<>();

    /** A member that records its eviction and leaves the limiter, as TcpFlow does. */
    private final class Flow implements HalfOpenLimiter.Member {
        final String name;
        HalfOpenLimiter.Entry entry;
        HalfOpenLimiter limiter;

        Flow(String name) {
            this.name = name;
        }

        @Override
        public void evict(long now) {
            evicted.add(name);
            limiter.done(entry);
        }
    }

    private Flow admit(HalfOpenLimiter l, String name, long source, long now) {
        Flow f = new Flow(name);
        f.limiter = l;
        f.entry = l.admit(f, source, now);
        return f;
    }

    @Test
    @DisplayName("at the cap a new SYN evicts the oldest half-open flow, not itself")
    void oldestFirst() {
        HalfOpenLimiter l = new HalfOpenLimiter(3, 3, 100 * SECOND);
        admit(l, "a", 1, 0);
        admit(l, "b", 2, 1);
        admit(l, "c", 3, 2);
        admit(l, "d", 4, 3);
        assertEquals(List.of("a"), evicted);
        assertEquals(3, l.size());
    }

    @Test
    @DisplayName("one source beyond its share evicts its own oldest; other sources keep their slots")
    void perSource() {
        HalfOpenLimiter l = new HalfOpenLimiter(8, 2, 100 * SECOND);
        admit(l, "legit", 100, 0);
        admit(l, "f1", 7, 1);
        admit(l, "f2", 7, 2);
        admit(l, "f3", 7, 3);
        admit(l, "f4", 7, 4);
        assertEquals(List.of("f1", "f2"), evicted);
        assertEquals(3, l.size());
    }

    @Test
    @DisplayName("a completed handshake leaves the lists; done is idempotent")
    void done() {
        HalfOpenLimiter l = new HalfOpenLimiter(2, 2, 100 * SECOND);
        Flow a = admit(l, "a", 1, 0);
        admit(l, "b", 1, 1);
        l.done(a.entry);
        l.done(a.entry);
        admit(l, "c", 1, 2);
        assertEquals(List.of(), evicted);
        admit(l, "d", 2, 3);
        assertEquals(List.of("b"), evicted);
    }

    @Test
    @DisplayName("half full or more, flows older than the pressure age are dropped; below half they keep their retries")
    void pressure() {
        HalfOpenLimiter l = new HalfOpenLimiter(4, 4, SECOND);
        admit(l, "a", 1, 0);
        l.expire(5 * SECOND);
        assertEquals(List.of(), evicted, "one of four: no pressure");
        admit(l, "b", 2, 5 * SECOND);
        l.expire(5 * SECOND + SECOND / 2);
        assertEquals(List.of("a"), evicted, "two of four: the one older than 1 s goes");
        assertEquals(1, l.size());
        l.expire(7 * SECOND);
        assertEquals(List.of("a", "b"), evicted, "pressure holds after the occupancy fell: leftovers go too");
    }

    @Test
    @DisplayName("never under pressure, an old half-open flow keeps its SYN-ACK retries")
    void noPressure() {
        HalfOpenLimiter l = new HalfOpenLimiter(4, 4, SECOND);
        admit(l, "a", 1, 0);
        l.expire(30 * SECOND);
        assertEquals(List.of(), evicted);
    }
}
