package dev.tungate.tcp.cc;

/**
 * CUBIC (RFC 9438): after a congestion event cwnd follows W_cubic(t) = C*(t-K)^3 + W_max, concave
 * up to the window where loss last struck and convex beyond it, but never slower than the
 * Reno-friendly estimate W_est. Windows in the formulas are in segments (doubles), as in the RFC;
 * cwnd itself stays in bytes. Time comes only from the caller's {@code nowNanos}.
 */
final class Cubic extends RenoFraming {
    /** RFC 9438 §4.6: β_cubic, the multiplicative decrease factor. */
    static final double BETA = 0.7;
    /** RFC 9438 §5: C, in segments per second cubed. */
    static final double C = 0.4;
    /** RFC 9438 §4.3: α_cubic = 3 * (1 - β_cubic) / (1 + β_cubic), Reno's average rate at β_cubic. */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);
    private static final long NO_EPOCH = Long.MIN_VALUE;
    private static final double NANOS_PER_SECOND = 1e9;

    /** W_max: cwnd in segments just before the last reduction, as adjusted by fast convergence (§4.7). */
    private double wMax;
    /** cwnd_prior: cwnd in segments when ssthresh was last set (§4.3, §4.6). */
    private double cwndPrior;
    /** W_est: the Reno-friendly window estimate in segments (§4.3). */
    private double wEst;
    /** K: seconds from the epoch start until W_cubic reaches W_max (§4.2). */
    private double k;
    /** t_epoch: when the current congestion avoidance stage began, or NO_EPOCH outside one (§4.2). */
    private long epochStartNanos = NO_EPOCH;
    /** §4.8: the first congestion avoidance stage after an RTO starts with K = 0 and W_max = cwnd_epoch. */
    private boolean wMaxFromEpoch;
    /** Fractions of a byte of growth not yet added to cwnd. */
    private double growthCredit;

    /** §4.9: the state the last congestion event or RTO replaced, for {@link #undo}. */
    private double savedWMax;
    private double savedCwndPrior;
    private double savedWEst;
    private double savedK;
    private long savedEpochStartNanos = NO_EPOCH;
    private boolean savedWMaxFromEpoch;

    Cubic(int smss) {
        super(smss);
    }

    /** §4.10: slow start is RFC 5681's, in RenoFraming (no HyStart++); this is §4.3-§4.5. */
    @Override
    void congestionAvoidance(int ackedBytes, long rttNanos, long nowNanos) {
        if (epochStartNanos == NO_EPOCH) {
            startEpoch(nowNanos);
        }
        double cwndSegments = (double) cwnd / smss;
        // §4.3: W_est grows by α_cubic per window of ACKed segments, and by 1 once it reaches cwnd_prior.
        double alpha = wEst >= cwndPrior ? 1.0 : ALPHA;
        wEst += alpha * ackedBytes / smss / cwndSegments;
        double t = (nowNanos - epochStartNanos) / NANOS_PER_SECOND;
        if (wCubic(t) < wEst) {
            // §4.3: Reno-friendly region, cwnd = W_est. Deviation: never shrink cwnd here; the RFC
            // sets cwnd = W_est, which could lower a cwnd that grew toward W_cubic(t + RTT).
            int estimate = (int) Math.min(wEst * smss, MAX_CWND);
            if (estimate > cwnd) {
                cwnd = estimate;
            }
            return;
        }
        // §4.4 (concave) and §4.5 (convex): target = W_cubic(t + RTT), clamped to [cwnd, 1.5 * cwnd];
        // cwnd grows by (target - cwnd) / cwnd per ACKed segment. An unknown RTT looks ahead 0 s.
        double rtt = rttNanos < 0 ? 0.0 : rttNanos / NANOS_PER_SECOND;
        double target = Math.max(cwndSegments, Math.min(wCubic(t + rtt), 1.5 * cwndSegments));
        growthCredit += ackedBytes * (target - cwndSegments) / cwndSegments;
        int whole = (int) growthCredit;
        growthCredit -= whole;
        grow(whole);
    }

    /** §4.2, Figure 1: W_cubic(t) = C * (t - K)^3 + W_max, in segments. */
    private double wCubic(double t) {
        double d = t - k;
        return C * d * d * d + wMax;
    }

    /** §4.2 and §4.3: a congestion avoidance stage begins; K = cubic_root((W_max - cwnd_epoch) / C). */
    private void startEpoch(long nowNanos) {
        epochStartNanos = nowNanos;
        double cwndEpoch = (double) cwnd / smss;
        wEst = cwndEpoch;
        growthCredit = 0;
        // §4.8 after an RTO; also when cwnd already exceeds W_max, as Linux's bictcp_update does,
        // so the stage starts on the convex side instead of from a negative K.
        if (wMaxFromEpoch || wMax <= cwndEpoch) {
            wMax = cwndEpoch;
            k = 0;
            wMaxFromEpoch = false;
        } else {
            k = Math.cbrt((wMax - cwndEpoch) / C);
        }
    }

    /**
     * §4.7 fast convergence, then §4.6: ssthresh = max(FlightSize * β_cubic, 2 SMSS), cwnd_prior =
     * cwnd, cwnd = ssthresh. The sender's recovery (RFC 6675 pipe) clocks out segments meanwhile.
     */
    @Override
    public void onCongestionEvent(int flightSizeBytes, long nowNanos) {
        save();
        double cwndSegments = (double) cwnd / smss;
        // §4.7: a flow whose W_max keeps falling releases bandwidth faster to newcomers.
        wMax = cwndSegments < wMax ? cwndSegments * (1 + BETA) / 2 : cwndSegments;
        cwndPrior = cwndSegments;
        ssthresh = atLeastTwoSegments((long) (flightSizeBytes * BETA));
        cwnd = ssthresh;
        epochStartNanos = NO_EPOCH;
    }

    /**
     * §4.8: cwnd falls to one SMSS as in RFC 5681, ssthresh uses β_cubic, and the next congestion
     * avoidance stage starts with K = 0 and W_max = cwnd at its start.
     */
    @Override
    public void onRetransmitTimeout(int flightSizeBytes, long nowNanos) {
        save();
        ssthresh = atLeastTwoSegments((long) (flightSizeBytes * BETA));
        cwnd = smss;
        epochStartNanos = NO_EPOCH;
        wMaxFromEpoch = true;
    }

    /** W_max in segments, for tests. */
    double wMax() {
        return wMax;
    }

    /** K in seconds, for tests. */
    double k() {
        return k;
    }

    /** W_est in segments, for tests. */
    double wEst() {
        return wEst;
    }

    private void save() {
        savedWMax = wMax;
        savedCwndPrior = cwndPrior;
        savedWEst = wEst;
        savedK = k;
        savedEpochStartNanos = epochStartNanos;
        savedWMaxFromEpoch = wMaxFromEpoch;
    }

    /**
     * §4.9: after a spurious congestion event, W_max, K, the epoch and W_est go back to what they
     * were before it, so growth resumes on the curve it was on; cwnd and ssthresh as in RenoFraming.
     */
    @Override
    public void undo(int priorCwnd, int priorSsthresh) {
        super.undo(priorCwnd, priorSsthresh);
        wMax = savedWMax;
        cwndPrior = savedCwndPrior;
        wEst = savedWEst;
        k = savedK;
        epochStartNanos = savedEpochStartNanos;
        wMaxFromEpoch = savedWMaxFromEpoch;
    }

    /** RFC 5681 §4.1 restart window; the next ACK in congestion avoidance starts a fresh epoch from there. */
    @Override
    public void onIdleRestart(long nowNanos) {
        super.onIdleRestart(nowNanos);
        epochStartNanos = NO_EPOCH;
    }
}
