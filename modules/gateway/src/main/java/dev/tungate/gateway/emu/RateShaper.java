package dev.tungate.gateway.emu;

/**
 * netem's {@code rate} (packet_time_ns()): a packet of L bytes occupies the link for
 * {@code (L + overhead) * 8 / rate} s, starting when the previous one has left. The remainder of
 * each division is carried to the next packet, so a long run is exact to the bit, not the ns.
 * Rate 0 is an infinitely fast link (service takes no time), used while a queue drains after a
 * runtime change removed the bottleneck.
 */
final class RateShaper implements Server {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private long bitsPerSecond;
    private int overheadBytes;
    private long freeAtNanos = Long.MIN_VALUE;
    /** bit·ns not yet turned into a whole ns (< bitsPerSecond). */
    private long carry;

    RateShaper(long bitsPerSecond, int overheadBytes) {
        rate(bitsPerSecond, overheadBytes);
    }

    void rate(long bitsPerSecond, int overheadBytes) {
        this.bitsPerSecond = bitsPerSecond;
        this.overheadBytes = overheadBytes;
        carry = 0;
    }

    @Override
    public long nextStart(long arrivalNanos) {
        return Math.max(arrivalNanos, freeAtNanos);
    }

    @Override
    public long serve(long arrivalNanos, int bytes) {
        long start = nextStart(arrivalNanos);
        if (bitsPerSecond == 0) return freeAtNanos = start;
        if (start > freeAtNanos) carry = 0;   // idle link: nothing owed from the last packet
        long bitNanos = Math.max(0, bytes + overheadBytes) * 8L * NANOS_PER_SECOND + carry;
        carry = bitNanos % bitsPerSecond;
        return freeAtNanos = start + bitNanos / bitsPerSecond;
    }
}
