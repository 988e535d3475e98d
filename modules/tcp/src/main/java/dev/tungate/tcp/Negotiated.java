package dev.tungate.tcp;

import dev.tungate.wire.TcpOptions;

/**
 * What the two SYNs agreed on: MSS, window scaling (RFC 7323 §2), timestamps (RFC 7323 §3),
 * SACK-permitted (RFC 2018 §2) and ECN (RFC 3168 §6.1.1). Each option is in effect only when both
 * SYNs carried it. Also holds TS.Recent and Last.ACK.sent, the timestamp state RFC 7323 §4.3 keeps.
 */
final class Negotiated {
    /** RFC 9293 §3.7.1 (MUST-15): without an MSS option the peer is assumed to take 536 bytes. */
    static final int DEFAULT_MSS = 536;
    /** RFC 7323 §2.3: a shift above 14 is treated as 14. */
    static final int MAX_WINDOW_SHIFT = 14;
    /** Bytes the timestamps option takes in every segment (10 plus 2 NOPs, RFC 7323 Appendix A). */
    static final int TIMESTAMPS_OPTION_BYTES = 12;
    /** One tick of our TSval clock: a millisecond (RFC 7323 §5.4 asks for 1 ms to 1 s). */
    static final long TS_TICK_NANOS = 1_000_000L;

    private final TcpConfig config;

    /** The shift we offered in our SYN (RFC 7323 §2.2); used only if the peer offered one too. */
    final int offeredRcvWndShift;
    /** MSS the peer announced, or {@link #DEFAULT_MSS}. */
    int peerMss = DEFAULT_MSS;
    /** Window scaling in effect: both SYNs carried the option (RFC 7323 §2.2). */
    boolean windowScaling;
    /** Snd.Wind.Shift: applied to SEG.WND of every non-SYN segment we receive. */
    int sndWndShift;
    /** Rcv.Wind.Shift: applied to the window we announce in non-SYN segments. */
    int rcvWndShift;
    boolean timestamps;
    boolean sack;
    boolean ecn;
    /** TS.Recent (RFC 7323 §4.3): the timestamp to echo. */
    int tsRecent;
    /** Last.ACK.sent (RFC 7323 §4.3): the ACK field of the last segment we sent. */
    int lastAckSent;
    /** Our timestamp clock offset, so TSval does not reveal the uptime (RFC 7323 §5.4). */
    int tsOffset;

    Negotiated(TcpConfig config) {
        this.config = config;
        int shift = 0;
        while (shift < MAX_WINDOW_SHIFT && (config.receiveBufferBytes >>> shift) > 0xffff) {
            shift++;
        }
        this.offeredRcvWndShift = config.windowScaling ? shift : 0;
    }

    /**
     * Agree on options from the peer's SYN (passive open) or SYN-ACK (active open). In both cases
     * we offered everything the config enables, so each option is on when the peer sent it too.
     *
     * <p>RFC 3168 §6.1.1: a SYN with ECE and CWR asks for ECN; a SYN-ACK with ECE and without
     * CWR agrees to it.
     */
    void fromPeerSyn(TcpOptions peer, boolean passive, boolean synEce, boolean synCwr) {
        peerMss = peer.mss > 0 ? peer.mss : DEFAULT_MSS;
        windowScaling = config.windowScaling && peer.windowScale >= 0;
        if (windowScaling) {
            sndWndShift = Math.min(peer.windowScale, MAX_WINDOW_SHIFT);
            rcvWndShift = offeredRcvWndShift;
        } else {
            sndWndShift = 0;
            rcvWndShift = 0;
        }
        timestamps = config.timestamps && peer.hasTimestamps;
        if (timestamps) {
            tsRecent = peer.tsVal;
        }
        sack = config.sack && peer.sackPermitted;
        ecn = config.ecn && (passive ? synEce && synCwr : synEce && !synCwr);
    }

    /** Largest text the path carries as ICMP told us (RFC 1191 / 8201), or MAX_VALUE. */
    private int pathMss = Integer.MAX_VALUE;

    void lowerPathMss(int mss) {
        pathMss = mss;
    }

    /** Largest text we put in one segment, before per-segment options such as SACK blocks. */
    int mssBase() {
        return Math.min(Math.min(peerMss, config.mss), pathMss);
    }

    /** SMSS (RFC 5681 §2): MSS less the options every segment carries (RFC 6691). */
    int effectiveMss() {
        return Math.max(1, mssBase() - (timestamps ? TIMESTAMPS_OPTION_BYTES : 0));
    }

    /** RFC 7323 §5.3 R1 (PAWS): a non-RST segment whose TSval is older than TS.Recent. */
    boolean pawsRejects(Segment seg) {
        return timestamps && seg.options.hasTimestamps && !seg.has(Segment.RST) && Seq.lt(seg.options.tsVal, tsRecent);
    }

    /** RFC 7323 §4.3 (2): TS.Recent takes SEG.TSval when SEG.SEQ =< Last.ACK.sent (for an acceptable segment). */
    void updateTsRecent(Segment seg) {
        if (timestamps && seg.options.hasTimestamps && Seq.ge(seg.options.tsVal, tsRecent)
                && Seq.le(seg.seq, lastAckSent)) {
            tsRecent = seg.options.tsVal;
        }
    }

    /** Our timestamp clock starts at the ISS, so TSval does not reveal the uptime (RFC 7323 §5.4). */
    void init(int iss) {
        tsOffset = iss;
    }

    /** RFC 6191 §2: a SYN for a TIME-WAIT pair whose TSval is above TS.Recent. */
    boolean newerThanTsRecent(int tsVal) {
        return Seq.gt(tsVal, tsRecent);
    }

    /** Our TSval for a segment sent at {@code nowNanos}: a millisecond clock (RFC 7323 §5.4). */
    int tsVal(long nowNanos) {
        return (int) (nowNanos / TS_TICK_NANOS) + tsOffset;
    }
}
