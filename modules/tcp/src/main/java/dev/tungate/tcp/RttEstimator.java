package dev.tungate.tcp;

/**
 * Retransmission timeout from round-trip samples, RFC 6298. The sender feeds it samples taken by
 * Karn's rule (never from a retransmitted segment, RFC 6298 §3) or, with timestamps, from the
 * TSecr of every ACK of new data (RFC 7323 §4.1), and asks it for RTO.
 */
final class RttEstimator {
    /** RFC 6298 §2: G, the clock granularity; our clock is the caller's nanoseconds, say 1 ms. */
    private static final long GRANULARITY_NANOS = 1_000_000L;

    /** RFC 6298 (5.7): three seconds. */
    private static final long SYN_FALLBACK_NANOS = 3_000_000_000L;

    private final long minRtoNanos;
    private final long maxRtoNanos;
    /** SRTT, or -1 before the first sample. */
    private long srttNanos = -1;
    /** RTTVAR. */
    private long rttvarNanos;
    /** RTO without backoff. */
    private long baseRtoNanos;
    /** Exponential backoff shift applied to RTO (RFC 6298 (5.5)). */
    private int backoff;
    /** Karn's rule (RFC 6298 §3): one segment is timed at a time, never a retransmitted one. */
    private boolean timing;
    /** One past the timed segment, and when it was sent. */
    private int timedEnd;
    private long timedStartNanos;
    /** A TSecr older than this many ticks is no echo of ours: more than the maximum RTO ago. */
    private final long maxTicks;

    RttEstimator(TcpConfig config) {
        this.minRtoNanos = config.minRtoNanos;
        this.maxRtoNanos = config.maxRtoNanos;
        this.maxTicks = config.maxRtoNanos / Negotiated.TS_TICK_NANOS;
        // RFC 6298 (2.1): until a sample is taken, RTO is the initial value.
        this.baseRtoNanos = config.initialRtoNanos;
    }

    /**
     * RFC 6298 (2.2)/(2.3) sample for an ACK of new data: the timed segment when this ACK covers
     * it (Karn, RFC 6298 §3), else with timestamps the RTTM of RFC 7323 §4.1, now - TSecr,
     * weighted per Appendix G. Linux prefers the same order (tcp_ack_update_rtt). Returns the
     * sample, or -1. {@code neverRetransmitted}: no octet this ACK covers was sent twice, and
     * it is not the ACK of our SYN.
     *
     * <p>Deviation: RFC 7323 §4.1 takes TSecr samples across retransmissions too; here only when
     * none of the acknowledged octets was ever retransmitted (and not for the SYN). A receiver's
     * TS.Recent may still hold a TSval from before the retransmission (RFC 7323 §4.3 keeps the
     * oldest unacknowledged one; a SYN-ACK answering a retransmitted SYN echoes the first SYN),
     * which would turn the whole timeout into one RTT sample and inflate RTO for many RTTs.
     */
    long onAck(Segment seg, Negotiated neg, boolean neverRetransmitted, int flight, long nowNanos) {
        long sample = timedSample(seg.ack, nowNanos);
        if (!neg.timestamps) {
            sample(sample);
            return sample;
        }
        if (sample < 0 && seg.options.hasTimestamps && seg.options.tsEcr != 0 && neverRetransmitted) {
            sample = tsSample(neg.tsVal(nowNanos) - seg.options.tsEcr);
        }
        // Appendix G: ExpectedSamples = ceiling(FlightSize / (SMSS * 2)).
        long twoSegments = 2L * neg.effectiveMss();
        sample(sample, (int) Math.max(1, (flight + twoSegments - 1) / twoSegments));
        return sample;
    }

    /** Time the segment ending at {@code endSeq}, sent now. */
    void startTiming(int endSeq, long nowNanos) {
        timing = true;
        timedEnd = endSeq;
        timedStartNanos = nowNanos;
    }

    boolean timing() {
        return timing;
    }

    void stopTiming() {
        timing = false;
    }

    /** Karn: a retransmission from {@code seq} covers the timed segment, which no longer yields a sample. */
    void retransmitted(int seq) {
        if (timing && Seq.lt(seq, timedEnd)) {
            timing = false;
        }
    }

    /** The timed segment's RTT once {@code ack} covers it (timing then stops), else -1. */
    long timedSample(int ack, long nowNanos) {
        if (!timing || Seq.lt(ack, timedEnd)) {
            return -1;
        }
        timing = false;
        return nowNanos - timedStartNanos;
    }

    /**
     * RFC 7323 §4.1 RTTM: {@code ticks} of our TSval clock since the TSecr. A negative or huge
     * delta is no echo of ours (-1); a zero delta counts as one tick (Linux tcp_rtt_tsopt_us).
     */
    long tsSample(int ticks) {
        if (ticks < 0 || ticks > maxTicks) {
            return -1;
        }
        return Math.max(1, ticks) * Negotiated.TS_TICK_NANOS;
    }

    /** RFC 6298 (2.2) first sample and (2.3) later samples, with alpha 1/8 and beta 1/4. */
    void sample(long rttNanos) {
        sample(rttNanos, 1);
    }

    /**
     * As {@link #sample(long)} when samples come from most ACKs (RFC 7323 §4.1, timestamps):
     * RFC 7323 Appendix G, alpha' = alpha / ExpectedSamples and beta' = beta / ExpectedSamples,
     * so SRTT and RTTVAR keep about one window of history however many samples a window brings.
     */
    void sample(long rttNanos, int expectedSamples) {
        if (rttNanos < 0) {
            return;
        }
        if (srttNanos < 0) {
            srttNanos = rttNanos;
            rttvarNanos = rttNanos / 2;
        } else if (expectedSamples <= 1) {
            rttvarNanos = (3 * rttvarNanos + Math.abs(srttNanos - rttNanos)) / 4;
            srttNanos = (7 * srttNanos + rttNanos) / 8;
        } else {
            rttvarNanos += (Math.abs(srttNanos - rttNanos) - rttvarNanos) / (4L * expectedSamples);
            srttNanos += (rttNanos - srttNanos) / (8L * expectedSamples);
        }
        long rto = srttNanos + Math.max(GRANULARITY_NANOS, 4 * rttvarNanos);
        // RFC 6298 (2.4) lower bound and (2.5) upper bound.
        baseRtoNanos = Math.min(maxRtoNanos, Math.max(minRtoNanos, rto));
        backoff = 0;
    }

    /** RFC 6298 (5.5): the timer expired, double RTO (bounded by the maximum). */
    void backoff() {
        if (rtoNanos() < maxRtoNanos) {
            backoff++;
        }
    }

    /** A new ACK arrived: RFC 6298 §5 note, the backoff may be cleared once data is acknowledged. */
    void clearBackoff() {
        backoff = 0;
    }

    /**
     * RFC 6298 (5.7): the SYN or SYN-ACK timed out and no sample exists, so RTO starts data
     * transmission at 3 seconds (if it was lower).
     */
    void synTimedOutFallback() {
        if (srttNanos < 0 && baseRtoNanos < SYN_FALLBACK_NANOS) {
            baseRtoNanos = Math.min(maxRtoNanos, SYN_FALLBACK_NANOS);
        }
        backoff = 0;
    }

    long rtoNanos() {
        return rtoNanos(0);
    }

    /** RTO doubled {@code extraBackoff} more times, bounded by the maximum (also the persist interval). */
    long rtoNanos(int extraBackoff) {
        long rto = baseRtoNanos;
        for (int i = 0; i < backoff + extraBackoff && rto < maxRtoNanos; i++) {
            rto <<= 1;
        }
        return Math.min(rto, maxRtoNanos);
    }

    /** SRTT in nanoseconds, or -1 before the first sample. */
    long srttNanos() {
        return srttNanos;
    }

    long rttvarNanos() {
        return rttvarNanos;
    }
}
