package dev.tungate.tcp.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A wheel of 8 slots of 1 ms starting at T0: one revolution is 8 ms. */
@DisplayName("TimerWheel: hashed wheel on the caller's clock")
class TimerWheelTest {
    static final long MS = 1_000_000L;
    static final long T0 = 1_000 * MS;

    final TimerWheel wheel = new TimerWheel(MS, 8, T0);

    /** Records when it fired and how often. */
    static class Probe extends TimerWheel.Timer {
        int fired;
        long firedAt = -1;

        @Override
        protected void expired(long nowNanos) {
            fired++;
            firedAt = nowNanos;
        }
    }

    @Test
    @DisplayName("fires at the first expire(now) with now >= deadline, not before")
    void firesAtDeadline() {
        Probe p = new Probe();
        wheel.schedule(p, T0 + 5 * MS + MS / 2);
        assertTrue(p.scheduled());
        assertEquals(T0 + 5 * MS + MS / 2, p.deadlineNanos());
        assertEquals(0, wheel.expire(T0 + 5 * MS));
        assertEquals(0, wheel.expire(T0 + 5 * MS + MS / 4));
        assertEquals(1, wheel.expire(T0 + 5 * MS + MS / 2));
        assertEquals(T0 + 5 * MS + MS / 2, p.firedAt);
        assertFalse(p.scheduled());
        assertEquals(0, wheel.expire(T0 + 6 * MS));
    }

    @Test
    @DisplayName("a deadline more than one revolution away waits for its round")
    void farDeadlineWaitsForItsRound() {
        Probe p = new Probe();
        wheel.schedule(p, T0 + 20 * MS + MS / 3);
        for (long t = T0; t < T0 + 20 * MS; t += MS) {
            assertEquals(0, wheel.expire(t + MS / 3));
        }
        assertEquals(1, wheel.expire(T0 + 20 * MS + MS / 3));
    }

    @Test
    @DisplayName("a jump over many revolutions fires everything due and keeps the rest")
    void longJump() {
        Probe a = new Probe(), b = new Probe(), c = new Probe();
        wheel.schedule(a, T0 + 3 * MS);
        wheel.schedule(b, T0 + 50 * MS);
        wheel.schedule(c, T0 + 1000 * MS);
        assertEquals(2, wheel.expire(T0 + 100 * MS));
        assertTrue(c.scheduled());
        assertEquals(1, wheel.size());
        assertEquals(1, wheel.expire(T0 + 1000 * MS));
    }

    @Test
    @DisplayName("rescheduling moves the timer; it fires once, at the new deadline")
    void rescheduleMoves() {
        Probe p = new Probe();
        wheel.schedule(p, T0 + 3 * MS);
        wheel.schedule(p, T0 + 7 * MS);
        assertEquals(0, wheel.expire(T0 + 5 * MS));
        assertEquals(1, wheel.expire(T0 + 7 * MS));
        assertEquals(1, p.fired);
        wheel.schedule(p, T0 + 30 * MS);
        wheel.schedule(p, T0 + 8 * MS);
        assertEquals(1, wheel.expire(T0 + 8 * MS));
    }

    @Test
    @DisplayName("a cancelled timer never fires; cancelling twice is harmless")
    void cancel() {
        Probe p = new Probe();
        wheel.schedule(p, T0 + 2 * MS);
        wheel.cancel(p);
        wheel.cancel(p);
        assertFalse(p.scheduled());
        assertEquals(0, wheel.expire(T0 + 100 * MS));
        assertEquals(0, p.fired);
        assertEquals(0, wheel.size());
    }

    @Test
    @DisplayName("a deadline already past fires at the next expire")
    void pastDeadline() {
        wheel.expire(T0 + 10 * MS);
        Probe p = new Probe();
        wheel.schedule(p, T0 + 2 * MS);
        assertEquals(1, wheel.expire(T0 + 10 * MS));
    }

    @Test
    @DisplayName("a callback may reschedule itself and cancel a timer due in the same pass")
    void callbacksRescheduleAndCancel() {
        Probe victim = new Probe();
        TimerWheel.Timer periodic = new TimerWheel.Timer() {
            @Override
            protected void expired(long nowNanos) {
                wheel.cancel(victim);
                wheel.schedule(this, nowNanos + 3 * MS);
            }
        };
        wheel.schedule(victim, T0 + 5 * MS);
        wheel.schedule(periodic, T0 + 5 * MS);
        int fired = wheel.expire(T0 + 5 * MS);
        assertEquals(victim.fired + 1, fired, "the victim fires only if it ran first");
        assertTrue(periodic.scheduled());
        assertEquals(T0 + 8 * MS, periodic.deadlineNanos());
        assertEquals(1, wheel.expire(T0 + 8 * MS));
    }

    @Test
    @DisplayName("20,000 random schedules, reschedules and cancels: each fires once, at the first expire at or after its deadline")
    void randomModel() {
        SplittableRandom rnd = new SplittableRandom(42);
        TimerWheel w = new TimerWheel(MS, 64, T0);
        Probe[] probes = new Probe[500];
        long[] due = new long[probes.length];   // model: deadline, or -1 when not scheduled
        for (int i = 0; i < probes.length; i++) {
            probes[i] = new Probe();
            due[i] = -1;
        }
        long now = T0;
        for (int step = 0; step < 20_000; step++) {
            int i = rnd.nextInt(probes.length);
            int kind = rnd.nextInt(10);
            if (kind < 6) {
                long d = now + rnd.nextLong(-2 * MS, 200 * MS);
                w.schedule(probes[i], d);
                due[i] = d;
            } else if (kind < 7) {
                w.cancel(probes[i]);
                due[i] = -1;
            } else {
                now += rnd.nextLong(0, 3 * MS);
                int[] before = new int[probes.length];
                int expected = 0;
                for (int j = 0; j < probes.length; j++) {
                    before[j] = probes[j].fired;
                    if (due[j] != -1 && due[j] <= now) {
                        expected++;
                    }
                }
                assertEquals(expected, w.expire(now), "fired at step " + step);
                for (int j = 0; j < probes.length; j++) {
                    boolean shouldFire = due[j] != -1 && due[j] <= now;
                    assertEquals(before[j] + (shouldFire ? 1 : 0), probes[j].fired, "probe " + j + " at step " + step);
                    if (shouldFire) {
                        due[j] = -1;
                    }
                    assertEquals(due[j] != -1, probes[j].scheduled());
                }
            }
        }
    }
}
