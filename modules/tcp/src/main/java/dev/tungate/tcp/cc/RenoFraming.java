package dev.tungate.tcp.cc;

/**
 * What every controller here shares with RFC 5681: the byte-counted window, slow start with
 * appropriate byte counting, the restart window after idle, and the cwnd deflation that ends fast
 * recovery. Subclasses decide congestion avoidance and how far to back off.
 */
abstract class RenoFraming implements CongestionControl {
    /** RFC 3465 §2.2: L, the slow-start byte-counting limit, in SMSS; L = 2 is the RFC's recommendation. */
    static final int ABC_LIMIT_SEGMENTS = 2;
    /** Upper bound of cwnd, far above any real window, so that byte counting never overflows an int. */
    static final int MAX_CWND = 1 << 30;

    /** SMSS: the sender maximum segment size (RFC 5681 §2). */
    final int smss;
    /** cwnd: bytes the sender may have in flight (RFC 5681 §2). */
    int cwnd;
    /** ssthresh: slow start below, congestion avoidance at or above (RFC 5681 §3.1). */
    int ssthresh = Integer.MAX_VALUE;

    RenoFraming(int smss) {
        this.smss = smss;
        this.cwnd = initialWindow(smss);
    }

    /**
     * IW: RFC 6928 §2, min(10*MSS, max(2*MSS, 14600)), which Linux uses, rather than RFC 5681 §3.1
     * eq. 1 (at most 4 segments): the gateway's peers are a local namespace and Linux hosts.
     */
    static int initialWindow(int smss) {
        return Math.min(10 * smss, Math.max(2 * smss, 14_600));
    }

    @Override
    public final int cwnd() {
        return cwnd;
    }

    @Override
    public final int ssthresh() {
        return ssthresh;
    }

    /** RFC 5681 §3.1: slow start while cwnd < ssthresh. */
    final boolean inSlowStart() {
        return cwnd < ssthresh;
    }

    /**
     * RFC 5681 §3.1 with RFC 3465 §2.2: an ACK of new data grows cwnd by the bytes ACKed, at most
     * L * SMSS, during slow start; otherwise the subclass's congestion avoidance decides.
     */
    @Override
    public final void onAck(int ackedBytes, int flightSizeBytes, long rttNanos, long nowNanos) {
        if (ackedBytes <= 0) {
            return;
        }
        if (inSlowStart()) {
            grow(Math.min(ackedBytes, ABC_LIMIT_SEGMENTS * smss));
        } else {
            congestionAvoidance(ackedBytes, rttNanos, nowNanos);
        }
    }

    /** Congestion avoidance for {@code ackedBytes} (> 0) newly ACKed; rttNanos is -1 when unknown. */
    abstract void congestionAvoidance(int ackedBytes, long rttNanos, long nowNanos);

    final void grow(int bytes) {
        cwnd = (int) Math.min((long) cwnd + bytes, MAX_CWND);
    }

    /**
     * RFC 6582 §3.2 step 3, option (1): on the full ACK that ends recovery, cwnd =
     * min(ssthresh, max(FlightSize, SMSS) + SMSS), which deflates any inflation without the burst
     * that option (2), cwnd = ssthresh, can cause when little is left in flight.
     */
    @Override
    public void onRecoveryEnd(int flightSizeBytes, long nowNanos) {
        cwnd = Math.min(ssthresh, Math.max(flightSizeBytes, smss) + smss);
    }

    /** RFC 5681 §4.1: after an idle period of more than an RTO, cwnd = min(cwnd, RW), RW = min(IW, cwnd). */
    @Override
    public void onIdleRestart(long nowNanos) {
        cwnd = Math.min(cwnd, initialWindow(smss));
    }

    /**
     * RFC 4015 §2 (as Linux tcp_undo_cwnd_reduction): never lower either value. A controller with
     * more state than cwnd and ssthresh restores that too (CUBIC, RFC 9438 §4.9).
     */
    @Override
    public void undo(int priorCwnd, int priorSsthresh) {
        cwnd = Math.max(cwnd, Math.min(priorCwnd, MAX_CWND));
        ssthresh = Math.max(ssthresh, priorSsthresh);
    }

    /** RFC 5681 §3.1 eq. 4 for ssthresh's floor: never below 2 * SMSS. */
    final int atLeastTwoSegments(long bytes) {
        return (int) Math.max(bytes, 2L * smss);
    }
}
