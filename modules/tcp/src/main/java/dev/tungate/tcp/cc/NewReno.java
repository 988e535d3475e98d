package dev.tungate.tcp.cc;

/**
 * NewReno's window (RFC 5681 §3.1-3.2 with RFC 6582 framing and RFC 3465 byte counting): slow
 * start, then one SMSS per window of bytes ACKed; halve on loss. The sender runs recovery itself
 * (dup ACK counting, partial ACKs, RFC 6675 pipe); this class only moves cwnd and ssthresh.
 */
final class NewReno extends RenoFraming {
    /** RFC 3465 §2.1 bytes_acked: bytes ACKed in congestion avoidance since cwnd last grew. */
    private int bytesAcked;

    NewReno(int smss) {
        super(smss);
    }

    /**
     * RFC 5681 §3.1 with RFC 3465: in congestion avoidance bytes_acked accumulates, and each time
     * it reaches cwnd, cwnd grows by one SMSS (slow start, min(N, L*SMSS), is in RenoFraming).
     */
    @Override
    void congestionAvoidance(int ackedBytes, long rttNanos, long nowNanos) {
        bytesAcked += ackedBytes;
        if (bytesAcked >= cwnd) {
            bytesAcked -= cwnd;
            grow(smss);
        }
    }

    /**
     * RFC 5681 §3.2 step 2, eq. 4: ssthresh = max(FlightSize / 2, 2*SMSS); step 3 (RFC 6582 §3.2
     * step 2 keeps it): cwnd = ssthresh + 3*SMSS, inflated by the three segments that left the network.
     */
    @Override
    public void onCongestionEvent(int flightSizeBytes, long nowNanos) {
        ssthresh = atLeastTwoSegments(flightSizeBytes / 2);
        cwnd = ssthresh + 3 * smss;
        bytesAcked = 0;
    }

    /** RFC 5681 §3.1 eq. 4 and the loss window: ssthresh = max(FlightSize / 2, 2*SMSS), cwnd = 1 SMSS. */
    @Override
    public void onRetransmitTimeout(int flightSizeBytes, long nowNanos) {
        ssthresh = atLeastTwoSegments(flightSizeBytes / 2);
        cwnd = smss;
        bytesAcked = 0;
    }
}
