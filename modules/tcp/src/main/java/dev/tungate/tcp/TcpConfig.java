package dev.tungate.tcp;

/**
 * Per-connection tunables. Plain mutable fields, set once before connections are made and then
 * shared read-only by every engine of a shard. Defaults follow Linux where an RFC leaves room.
 */
public final class TcpConfig {
    /** MSS we announce and the upper bound of what we send (RFC 9293 §3.7.1); MTU minus headers. */
    public int mss = 1460;
    /** Bytes the engine buffers toward the peer (unacknowledged plus unsent). */
    public int sendBufferBytes = 1 << 20;
    /** Bytes delivered to the user but not yet consumed, plus out-of-order bytes held. Bounds rcvWnd. */
    public int receiveBufferBytes = 1 << 20;
    /** Offer and accept window scaling (RFC 7323 §2). */
    public boolean windowScaling = true;
    /** Offer and accept timestamps (RFC 7323 §3). */
    public boolean timestamps = true;
    /** Offer and accept SACK (RFC 2018). */
    public boolean sack = true;
    /** Negotiate ECN (RFC 3168 §6.1.1). */
    public boolean ecn = false;
    /** Nagle's algorithm (RFC 9293 §3.7.4, SHLD-7): hold a small segment while one is unacknowledged. */
    public boolean nagle = true;
    /** Largest text in one emitted super-segment; 0 disables GSO output (one MSS per segment). */
    public int gsoMaxBytes = 0;
    /** Congestion control: "cubic" (RFC 9438) or "newreno" (RFC 5681 + RFC 6582). */
    public String congestionControl = "cubic";
    /** Maximum segment lifetime; TIME-WAIT lasts 2 * MSL (RFC 9293 §3.4.2). */
    public long mslNanos = 30_000_000_000L;
    /**
     * When positive, FIN-WAIT-2 ends with a RST after this long without a segment from the peer
     * (like Linux tcp_fin_timeout, 60 s). Off (0) by default: RFC 9293 has no such timer and Linux
     * times only orphaned sockets, while the gateway's close() is a half-close whose other direction
     * may stay open and idle for as long as the namespace's program likes. When on, the time runs
     * from the peer's last segment and is never less than {@link #maxRtoNanos}, the longest a live
     * peer's backed-off retransmissions may pause.
     */
    public long finTimeoutNanos = 0;
    /**
     * Tail Loss Probe (RFC 8985 §7, Linux tcp_early_retrans): a lost tail is probed after about two
     * RTTs instead of waiting for the RTO. Off only in tests that script the RTO's own timeline.
     */
    public boolean tailLossProbe = true;
    /** RFC 6298 (2.1): initial RTO of one second. */
    public long initialRtoNanos = 1_000_000_000L;
    /** RFC 6298 (2.4): Linux uses 200 ms rather than the RFC's one second. */
    public long minRtoNanos = 200_000_000L;
    /** RFC 6298 (2.5): a maximum may be placed on RTO provided it is at least 60 seconds. */
    public long maxRtoNanos = 120_000_000_000L;
    /** Retransmissions of one segment before the connection is aborted (Linux tcp_retries2). */
    public int maxRetransmits = 15;
    /** SYN or SYN-ACK retransmissions before giving up (Linux tcp_syn_retries). */
    public int maxSynRetransmits = 6;
    /**
     * Quick-ACK mode at the start of a connection: at most this many in-order data segments are
     * ACKed at once before delayed ACKs begin (Linux TCP_MAX_QUICKACKS, 16); 0 turns it off.
     */
    public int quickAcks = 16;
    /** Delayed-ACK timer (RFC 9293 §3.8.6.3: under 0.5 s; Linux uses 40 ms). */
    public long delayedAckNanos = 40_000_000L;
    /** Keepalive idle time; 0 disables keepalive (RFC 9293 §3.8.4: off by default). */
    public long keepaliveIdleNanos = 0;
    public long keepaliveIntervalNanos = 75_000_000_000L;
    public int keepaliveProbes = 9;
    /** RFC 5961 §7: at most this many challenge ACKs per second. */
    public int challengeAckLimitPerSecond = 1000;
}
