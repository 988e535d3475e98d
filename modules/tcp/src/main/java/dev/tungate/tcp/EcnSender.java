package dev.tungate.tcp;

/**
 * The data sender's side of ECN (RFC 3168 §6.1): ECT(0) on new data, one window reduction per
 * window of data on ECN-Echo, and CWR on the next new data segment to say it was made.
 */
final class EcnSender {
    /** RFC 3168 §6.1.2: one reduction per window of data; the highest sequence sent at the last one. */
    private int ecnRecover;
    /** RFC 3168 §6.1.2: set CWR on the next new data segment. */
    private boolean cwrPending;

    void init(int iss) {
        ecnRecover = iss;
    }

    /**
     * RFC 3168 §6.1.2: an ECE on an ACK of {@code ack}: true when cwnd is to be reduced now (at most
     * once per window of data, and not during loss recovery, which reduced it already).
     */
    boolean reduceOnEce(int ack, int sndMax, boolean inRecovery) {
        if (inRecovery || !Seq.gt(ack, ecnRecover)) {
            return false;
        }
        ecnRecover = sndMax - 1;
        cwrPending = true;
        return true;
    }

    /** A new data segment goes out: CWR when a reduction is to be announced (RFC 3168 §6.1.2), else 0. */
    int takeCwr() {
        if (!cwrPending) {
            return 0;
        }
        cwrPending = false;
        return Segment.CWR;
    }
}
