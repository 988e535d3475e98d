package dev.tungate.tcp;

/**
 * The persist timer of RFC 9293 §3.8.6.1: while the peer's window is zero and data waits, probe
 * it at RTO intervals that back off exponentially (MUST-36), so a lost window update cannot
 * deadlock the connection. Its deadline lives in {@link Timers#persist}.
 */
final class PersistTimer {
    private final Timers timers;
    private final RttEstimator rtt;
    /** Probes sent without progress: the next interval is RTO doubled that many times. */
    private int backoff;

    PersistTimer(Timers timers, RttEstimator rtt) {
        this.timers = timers;
        this.rtt = rtt;
    }

    /** Arm while {@code zeroWindowStall} (zero window, data waiting, nothing in flight); else off, from the first interval. */
    void update(boolean zeroWindowStall, long nowNanos) {
        if (!zeroWindowStall) {
            reset();
        } else if (timers.persist == Timers.OFF) {
            timers.persist = nowNanos + rtt.rtoNanos(backoff);
        }
    }

    /** Progress (SND.UNA moved): off, and the next stall starts over from the first interval. */
    void reset() {
        backoff = 0;
        timers.persist = Timers.OFF;
    }

    /** The timer fired. */
    void fired() {
        timers.persist = Timers.OFF;
    }

    /** A probe went out: back off for the next one. */
    void probed(long nowNanos) {
        backoff++;
        timers.persist = nowNanos + rtt.rtoNanos(backoff);
    }
}
