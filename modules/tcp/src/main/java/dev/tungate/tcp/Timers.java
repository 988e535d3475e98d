package dev.tungate.tcp;

/**
 * The deadlines of one connection, as absolute nanoseconds on the caller's clock ({@link #OFF}
 * when not armed). The engine arms and clears them; the caller asks {@link #next()} (through
 * {@link TcpConnection#nextDeadlineNanos()}) and calls {@link TcpConnection#onTimer} when due.
 */
final class Timers {
    static final long OFF = Long.MAX_VALUE;

    /** Retransmission timer, RFC 6298 §5; also the SYN and SYN-ACK retransmission timer. */
    long rto = OFF;
    /** Tail loss probe timeout (PTO), RFC 8985 §7.2; never later than {@link #rto}. */
    long pto = OFF;
    /** Delayed ACK, RFC 9293 §3.8.6.3. */
    long delayedAck = OFF;
    /** Persist timer for zero-window probes, RFC 9293 §3.8.6.1. */
    long persist = OFF;
    /** Keepalive, RFC 9293 §3.8.4. */
    long keepalive = OFF;
    /** TIME-WAIT, 2 * MSL, RFC 9293 §3.3.2. */
    long timeWait = OFF;
    /** FIN-WAIT-2 without word from the peer ({@link TcpConfig#finTimeoutNanos}). */
    long finWait2 = OFF;

    static boolean due(long deadline, long nowNanos) {
        return deadline != OFF && deadline - nowNanos <= 0;
    }

    long next() {
        return Math.min(Math.min(Math.min(Math.min(rto, pto), delayedAck), Math.min(persist, keepalive)), Math.min(timeWait, finWait2));
    }

    void clearAll() {
        rto = OFF;
        pto = OFF;
        delayedAck = OFF;
        persist = OFF;
        keepalive = OFF;
        timeWait = OFF;
        finWait2 = OFF;
    }
}
