package dev.tungate.tcp.cc;

/** One connection's congestion controller (RFC 5681 framing). Counts bytes; the sender owns recovery state. */
public interface CongestionControl {
    /** cwnd in bytes (RFC 5681 §2). */
    int cwnd();

    /** ssthresh in bytes (RFC 5681 §2). */
    int ssthresh();

    /** New data cumulatively ACKed outside recovery: slow start / congestion avoidance growth. rttNanos<0 when unknown. */
    void onAck(int ackedBytes, int flightSizeBytes, long rttNanos, long nowNanos);

    /** Loss detected (3 dup ACKs / RFC 6675 IsLost) or ECN-Echo: set ssthresh, cwnd for fast recovery (RFC 5681 §3.2 step 2-3, RFC 9438 §4.6). */
    void onCongestionEvent(int flightSizeBytes, long nowNanos);

    /** Fast recovery ended with a full ACK (RFC 6582 §3.2 step 3): deflate cwnd. */
    void onRecoveryEnd(int flightSizeBytes, long nowNanos);

    /** RTO expired (RFC 5681 §3.1 eq. 4, cwnd = 1 SMSS; RFC 9438 §4.8). */
    void onRetransmitTimeout(int flightSizeBytes, long nowNanos);

    /** Idle restart, RFC 5681 §4.1: cwnd = min(cwnd, restart window). */
    void onIdleRestart(long nowNanos);

    /**
     * The last loss response was spurious (RFC 3522 Eifel or RFC 3708 D-SACK detection): RFC 4015
     * §2 / RFC 9438 §4.9, cwnd and ssthresh go back to at least the values the sender saved just
     * before {@link #onCongestionEvent} or {@link #onRetransmitTimeout}.
     */
    void undo(int priorCwnd, int priorSsthresh);
}
