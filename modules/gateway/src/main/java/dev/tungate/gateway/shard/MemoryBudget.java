package dev.tungate.gateway.shard;

import java.util.function.LongSupplier;

/**
 * The gateway-wide direct-memory budget ({@code memory-limit}), shared by every shard. What is
 * measured is real memory: the pooled allocator's chunks in use, which is what the process's RSS
 * holds, not payload. Flows keep their text in real bytes close to its payload (the engine's
 * out-of-order queue and the upstream write queue copy small segments out of their read buffers),
 * so windows bound each flow; this budget bounds their sum, like Linux's {@code tcp_mem}:
 *
 * <ul>
 * <li>while it is spent, new flows are refused (RST, {@code tcpMemoryRefusals}), and text for a
 *     flow that already holds more than {@link #FLOW_FLOOR} is dropped before the engine sees it
 *     ({@code tcpMemoryDrops}; the client retransmits it later), so flows that hold little, a bulk
 *     transfer whose server reads, keep going;
 * <li>an allocation that fails anyway (OutOfMemoryError) resets the one flow it was for and the
 *     loop goes on ({@code tcpMemoryResets}).
 * </ul>
 *
 * Sampled at most every {@link #SAMPLE_NANOS} by whichever loop asks: reading the allocator's
 * arenas is too dear per segment, and 10 ms of overshoot at line rate is a few MiB.
 */
public final class MemoryBudget {
    /** A flow holding less than this is never squeezed (Linux's tcp_rmem[0] plays this part there). */
    public static final long FLOW_FLOOR = 256 * 1024;
    static final long SAMPLE_NANOS = 10_000_000L;
    /** No budget: never spent (tests, and {@code memory-limit = 0}). */
    public static final MemoryBudget UNLIMITED = new MemoryBudget(Long.MAX_VALUE, () -> 0);

    private final long limitBytes;
    private final LongSupplier used;
    private volatile long lastUsed;
    private volatile long sampledAt = Long.MIN_VALUE / 2;

    public MemoryBudget(long limitBytes, LongSupplier usedBytes) {
        this.limitBytes = limitBytes;
        this.used = usedBytes;
    }

    /** Whether the budget is spent, from a sample at most {@link #SAMPLE_NANOS} old. */
    public boolean spent(long nowNanos) {
        if (limitBytes == Long.MAX_VALUE) {
            return false;
        }
        if (nowNanos - sampledAt > SAMPLE_NANOS) {
            sampledAt = nowNanos;
            lastUsed = used.getAsLong();
        }
        return lastUsed >= limitBytes;
    }

    public long limit() {
        return limitBytes;
    }
}
