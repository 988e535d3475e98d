package dev.tungate.gateway.emu;

import java.util.Arrays;

/**
 * Mahimahi's link (mm-link LinkQueue::use_a_delivery_opportunity()): at each opportunity of the
 * {@link Trace} up to 1500 bytes leave; a packet larger than what is left of an opportunity
 * continues in the next ones and leaves at the one carrying its last byte; an opportunity nobody
 * waits for is lost (no credit is banked). The schedule starts at the first packet's arrival and
 * repeats with the trace's period.
 *
 * <p>Opportunity k (counting from 0 across rounds) is at
 * {@code origin + (ms[k mod n] + (k div n) * period) ms}.
 */
final class TraceSchedule implements Server {
    private static final long NANOS_PER_MS = 1_000_000L;

    private final long[] ms;
    private final long periodMs;
    private long originNanos;
    private boolean started;
    /** The opportunity last used, or -1. */
    private long current = -1;
    /** Bytes still free in {@link #current}. */
    private int bytesLeft;

    TraceSchedule(Trace trace) {
        ms = trace.opportunitiesMs();
        periodMs = trace.periodMs();
    }

    long opportunityNanos(long k) {
        int n = ms.length;
        return originNanos + (ms[(int) (k % n)] + (k / n) * periodMs) * NANOS_PER_MS;
    }

    @Override
    public long nextStart(long arrivalNanos) {
        if (!started) return arrivalNanos + ms[0] * NANOS_PER_MS;   // the first packet starts the clock
        return opportunityNanos(startIndex(arrivalNanos));
    }

    @Override
    public long serve(long arrivalNanos, int bytes) {
        if (!started) {
            started = true;
            originNanos = arrivalNanos;
        }
        long k = startIndex(arrivalNanos);
        int left = k == current ? bytesLeft : Trace.OPPORTUNITY_BYTES;
        int remaining = Math.max(1, bytes);
        while (remaining > left) {
            remaining -= left;
            k++;
            left = Trace.OPPORTUNITY_BYTES;
        }
        current = k;
        bytesLeft = left - remaining;
        return opportunityNanos(k);
    }

    /** The opportunity a packet arriving at t starts in: the current one if it has room and is not past, else the first later one at or after t. */
    private long startIndex(long t) {
        if (current >= 0 && bytesLeft > 0 && opportunityNanos(current) >= t) return current;
        long rel = t - originNanos;
        long relMs = rel <= 0 ? 0 : (rel + NANOS_PER_MS - 1) / NANOS_PER_MS;
        long round = relMs / periodMs;
        long within = relMs - round * periodMs;
        int i = Arrays.binarySearch(ms, within);
        if (i < 0) {
            i = -i - 1;
        } else {
            while (i > 0 && ms[i - 1] == within) i--;   // the first of equal times
        }
        long k = round * ms.length + i;
        return Math.max(k, current + 1);
    }
}
