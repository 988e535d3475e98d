package dev.tungate.gateway.emu;

/**
 * CoDel, RFC 8289 §5 (the pseudocode's dodequeue()/dequeue()), TARGET 5 ms, INTERVAL 100 ms,
 * MAXPACKET one MTU. Called once per packet leaving the queue with the time it leaves, its
 * sojourn time and the bytes still queued; answers whether to drop it. The RFC's dequeue loop
 * ("while now >= drop_next && dropping") becomes one call per dequeued packet, the control law
 * for the next drop applied when the next packet is examined, as the RFC does in that loop.
 */
final class CoDel {
    static final long TARGET_NANOS = 5_000_000L;
    static final long INTERVAL_NANOS = 100_000_000L;
    static final long MAXPACKET_BYTES = 1500;

    private long firstAboveTimeNanos;
    private long dropNextNanos;
    private int count;
    private int lastCount;
    private boolean dropping;
    /** A drop happened in the dropping loop: the next packet, if ok to drop, advances drop_next first. */
    private boolean lawPending;

    /** RFC 8289 dodequeue(): ok_to_drop for this packet; updates first_above_time. */
    private boolean okToDrop(long nowNanos, long sojournNanos, long backlogBytes) {
        if (sojournNanos < TARGET_NANOS || backlogBytes <= MAXPACKET_BYTES) {
            firstAboveTimeNanos = 0;   // went below target: stay below for at least INTERVAL
            return false;
        }
        if (firstAboveTimeNanos == 0) {
            firstAboveTimeNanos = nowNanos + INTERVAL_NANOS;   // just went above: start the interval
            return false;
        }
        return nowNanos >= firstAboveTimeNanos;
    }

    /** RFC 8289 dequeue() for one packet: true = drop it. */
    boolean drop(long nowNanos, long sojournNanos, long backlogBytesAfter) {
        boolean ok = okToDrop(nowNanos, sojournNanos, backlogBytesAfter);
        if (dropping) {
            if (!ok) {
                dropping = false;   // sojourn below target: leave the dropping state
                lawPending = false;
                return false;
            }
            if (lawPending) {
                dropNextNanos = controlLaw(dropNextNanos, count);
                lawPending = false;
            }
            if (nowNanos >= dropNextNanos) {
                count++;
                lawPending = true;
                return true;
            }
            return false;
        }
        if (!ok) return false;
        // Enter the dropping state; if it was entered recently, start from the recent drop rate.
        dropping = true;
        int delta = count - lastCount;
        count = 1;
        if (delta > 1 && nowNanos - dropNextNanos < 16 * INTERVAL_NANOS) count = delta;
        dropNextNanos = controlLaw(nowNanos, count);
        lastCount = count;
        return true;
    }

    /** The queue went empty (RFC 8289: dodequeue on an empty queue leaves the dropping state). */
    void onEmpty() {
        firstAboveTimeNanos = 0;
        dropping = false;
        lawPending = false;
    }

    boolean dropping() {
        return dropping;
    }

    private static long controlLaw(long t, int count) {
        return t + (long) (INTERVAL_NANOS / Math.sqrt(count));
    }
}
