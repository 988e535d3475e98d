package dev.tungate.gateway.emu;

/**
 * The stream (toxiproxy-style) impairments of a profile: values only, applied by the TCP relay to
 * the byte stream of one direction, not by a {@link Link}. Sizes in bytes, times in ns, 0 = off.
 * "up" counts bytes the namespace sends, "down" bytes it receives.
 */
public final class StreamImpairments {
    public static final StreamImpairments NONE = new StreamImpairments(Side.NONE, Side.NONE);

    /** What a {@code timeout=} does once its time has passed with the stream stalled. */
    public enum TimeoutAction { CLOSE, HOLD }

    /**
     * One direction's values.
     *
     * @param resetAfterBytes RST both ways once this many bytes went this way ({@code reset-after=SIZE})
     * @param resetAfterNanos RST both ways this long after the flow opened ({@code reset-after=DUR}, toxiproxy reset_peer)
     * @param limitDataBytes close the connection after this many bytes ({@code limit-data=}, toxiproxy limit_data)
     * @param timeoutNanos stall all data; after this long close or hold ({@code timeout=DUR[,close|hold]});
     *                     toxiproxy's timeout 0 (hold forever) is {@code timeout=0s} or {@code timeout=...,hold}
     * @param timeoutAction close (toxiproxy) or hold after the timeout
     * @param timeoutSet whether {@code timeout=} was given (a 0 timeout is meaningful)
     * @param slowCloseNanos delay the close (FIN) this long ({@code slow-close=}, toxiproxy slow_close)
     * @param slicerBytes slice the stream into segments of about this size ({@code slicer=SIZE[,DELAY]})
     * @param slicerDelayNanos wait this long between slices
     */
    public record Side(long resetAfterBytes, long resetAfterNanos, long limitDataBytes, long timeoutNanos,
            TimeoutAction timeoutAction, boolean timeoutSet, long slowCloseNanos, long slicerBytes,
            long slicerDelayNanos) {
        public static final Side NONE = new Side(0, 0, 0, 0, TimeoutAction.CLOSE, false, 0, 0, 0);

        public boolean isEmpty() {
            return equals(NONE);
        }
    }

    private final Side up, down;

    public StreamImpairments(Side up, Side down) {
        this.up = up;
        this.down = down;
    }

    public Side up() { return up; }
    public Side down() { return down; }

    public boolean isEmpty() {
        return up.isEmpty() && down.isEmpty();
    }
}
