package dev.tungate.tcp;

/**
 * The one retransmission timer of a connection, managed as RFC 6298 §5 says; also the SYN and
 * SYN-ACK timer. Its deadline lives in {@link Timers#rto}; RTO itself is the {@link RttEstimator}'s.
 */
final class RetransmissionTimer {
    private final Timers timers;
    private final RttEstimator rtt;

    RetransmissionTimer(Timers timers, RttEstimator rtt) {
        this.timers = timers;
        this.rtt = rtt;
    }

    /** (5.1) "Every time a packet containing data is sent ... if the timer is not running, start it". */
    void startIfStopped(long nowNanos) {
        if (timers.rto == Timers.OFF) {
            restart(nowNanos);
        }
    }

    /** (5.3) "When an ACK is received that acknowledges new data, restart the ... timer" to expire after RTO. */
    void restart(long nowNanos) {
        timers.rto = nowNanos + rtt.rtoNanos();
    }

    /** (5.2) "When all outstanding data has been acknowledged, turn off the retransmission timer." */
    void stop() {
        timers.rto = Timers.OFF;
    }
}
