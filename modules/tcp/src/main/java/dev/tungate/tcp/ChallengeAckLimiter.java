package dev.tungate.tcp;

/**
 * RFC 5961 §7: challenge ACKs are limited to a number per second, so an off-path attacker cannot
 * use them as an amplifier or a side channel. Counted per connection on the caller's clock.
 */
final class ChallengeAckLimiter {
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final int perSecond;
    private long windowStartNanos;
    private int sentInWindow;
    private boolean started;
    /** Challenge ACKs allowed, ever. */
    long granted;

    ChallengeAckLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    /** True when one more challenge ACK may go out now (and counts it). */
    boolean tryAcquire(long nowNanos) {
        if (!started || nowNanos - windowStartNanos >= SECOND_NANOS) {
            started = true;
            windowStartNanos = nowNanos;
            sentInWindow = 0;
        }
        if (sentInWindow >= perSecond) {
            return false;
        }
        sentInWindow++;
        granted++;
        return true;
    }
}
