package dev.tungate.tcp;

/**
 * RFC 9293 §3.8.4 keepalive: off unless {@link TcpConfig#keepaliveIdleNanos} is positive. After
 * that much silence from the peer a probe goes out, then one per interval; any arriving segment
 * starts the count over; after {@link TcpConfig#keepaliveProbes} unanswered probes the
 * connection is dead.
 */
final class Keepalive {
    private final TcpConfig config;
    private long lastReceiveNanos;
    private long lastProbeNanos;
    private int probes;

    Keepalive(TcpConfig config) {
        this.config = config;
    }

    /** A segment arrived: the peer is alive. */
    void onReceive(long nowNanos) {
        lastReceiveNanos = nowNanos;
        probes = 0;
    }

    /** Deadline of the next probe (or of the abort), or {@link Timers#OFF}; only ESTABLISHED and CLOSE-WAIT probe. */
    long deadline(State state) {
        if (config.keepaliveIdleNanos <= 0 || (state != State.ESTABLISHED && state != State.CLOSE_WAIT)) {
            return Timers.OFF;
        }
        return probes == 0 ? lastReceiveNanos + config.keepaliveIdleNanos : lastProbeNanos + config.keepaliveIntervalNanos;
    }

    /** The deadline passed: true when every probe went unanswered (abort), else counts a new probe. */
    boolean exhausted(long nowNanos) {
        if (probes >= config.keepaliveProbes) {
            return true;
        }
        probes++;
        lastProbeNanos = nowNanos;
        return false;
    }

    /** Data is in flight, so the retransmission timer watches the peer: treat now as activity. */
    void postpone(long nowNanos) {
        lastReceiveNanos = nowNanos;
    }
}
