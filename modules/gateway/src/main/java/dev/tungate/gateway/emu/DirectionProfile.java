package dev.tungate.gateway.emu;

/**
 * The packet impairments of one direction, immutable values as parsed from a SPEC (probabilities
 * in [0, 1], times in ns, rates in bit/s). A {@link Link} runs them; {@link #EMPTY} passes
 * everything through at once.
 */
public final class DirectionProfile {
    /** netem's default {@code limit} (packets held). */
    public static final int DEFAULT_LIMIT_PACKETS = 1000;
    /** Bytes held at most by default: bounds the memory of one link (1000 MTU frames fit, GSO ones do not). */
    public static final long DEFAULT_LIMIT_BYTES = 8L << 20;

    public enum Queue { DROPTAIL, CODEL }

    public static final DirectionProfile EMPTY = new Builder().build();

    private final long delayNanos, jitterNanos;
    private final Distribution distribution;
    private final double delayCorrelation;
    private final LossSpec loss;
    private final double duplicate, duplicateCorrelation;
    private final double reorder, reorderCorrelation;
    private final int gap;
    private final double corrupt, corruptCorrelation;
    private final long rateBitsPerSecond;
    private final int overheadBytes;
    private final Trace trace;
    private final Queue queue;
    private final int limitPackets;
    private final long limitBytes;
    private final long slotMinNanos, slotMaxNanos;
    private final int slotPackets;
    private final long slotBytes;
    private final int synDrop;

    private DirectionProfile(Builder b) {
        delayNanos = b.delayNanos;
        jitterNanos = b.jitterNanos;
        distribution = b.distribution;
        delayCorrelation = b.delayCorrelation;
        loss = b.loss;
        duplicate = b.duplicate;
        duplicateCorrelation = b.duplicateCorrelation;
        reorder = b.reorder;
        reorderCorrelation = b.reorderCorrelation;
        gap = b.gap;
        corrupt = b.corrupt;
        corruptCorrelation = b.corruptCorrelation;
        rateBitsPerSecond = b.rateBitsPerSecond;
        overheadBytes = b.overheadBytes;
        trace = b.trace;
        queue = b.queue;
        limitPackets = b.limitPackets;
        limitBytes = b.limitBytes;
        slotMinNanos = b.slotMinNanos;
        slotMaxNanos = Math.max(b.slotMinNanos, b.slotMaxNanos);
        slotPackets = b.slotPackets;
        slotBytes = b.slotBytes;
        synDrop = b.synDrop;
    }

    /** Constant one-way delay ({@code delay=}). */
    public long delayNanos() { return delayNanos; }
    /** Jitter σ ({@code jitter=}): uniform ±σ, or σ scaling the table of {@link #distribution()}. */
    public long jitterNanos() { return jitterNanos; }
    public Distribution distribution() { return distribution; }
    /** netem delay correlation ({@code correlation=}), in [0, 1]. */
    public double delayCorrelation() { return delayCorrelation; }
    public LossSpec loss() { return loss; }
    public double duplicate() { return duplicate; }
    public double duplicateCorrelation() { return duplicateCorrelation; }
    /** Probability that a packet, once the gap is reached, is sent at once ({@code reorder=}). */
    public double reorder() { return reorder; }
    public double reorderCorrelation() { return reorderCorrelation; }
    /** netem gap: reordering considers every gap-th packet (iproute2 sets 1 when reorder is given alone). */
    public int gap() { return gap; }
    public double corrupt() { return corrupt; }
    public double corruptCorrelation() { return corruptCorrelation; }
    /** Serialisation rate, 0 = unlimited ({@code rate=}). */
    public long rateBitsPerSecond() { return rateBitsPerSecond; }
    /** Bytes added to each packet's length for the rate ({@code overhead=}, may be negative as in netem). */
    public int overheadBytes() { return overheadBytes; }
    /** Mahimahi delivery trace, or null ({@code trace=}). */
    public Trace trace() { return trace; }
    public Queue queue() { return queue; }
    public int limitPackets() { return limitPackets; }
    public long limitBytes() { return limitBytes; }
    /** netem slot: min and max time between the starts of two delivery bursts; 0 = no slots. */
    public long slotMinNanos() { return slotMinNanos; }
    public long slotMaxNanos() { return slotMaxNanos; }
    /** Packets per slot, 0 = unlimited. */
    public int slotPackets() { return slotPackets; }
    /** Bytes per slot, 0 = unlimited. */
    public long slotBytes() { return slotBytes; }
    /** Drop the first N SYNs of the flow in this direction. */
    public int synDrop() { return synDrop; }

    /** True when nothing is impaired: a {@link Link} delivers every frame at once. */
    public boolean isEmpty() {
        return delayNanos == 0 && jitterNanos == 0 && loss.kind() == LossSpec.Kind.NONE && duplicate == 0
                && reorder == 0 && corrupt == 0 && rateBitsPerSecond == 0 && trace == null && slotMinNanos == 0
                && synDrop == 0;
    }

    /** True when a frame may be held (delay, jitter, a bottleneck or slots); otherwise fates are immediate. */
    boolean holds() {
        return delayNanos != 0 || jitterNanos != 0 || rateBitsPerSecond != 0 || trace != null || slotMinNanos != 0;
    }

    /** True when a bottleneck (rate or trace) serialises packets. */
    boolean hasBottleneck() {
        return rateBitsPerSecond != 0 || trace != null;
    }

    /** Mutable values the parser fills; defaults are netem's. */
    static final class Builder {
        long delayNanos, jitterNanos;
        Distribution distribution = Distribution.UNIFORM;
        double delayCorrelation;
        LossSpec loss = LossSpec.NONE;
        double duplicate, duplicateCorrelation;
        double reorder, reorderCorrelation;
        int gap;
        double corrupt, corruptCorrelation;
        long rateBitsPerSecond;
        int overheadBytes;
        Trace trace;
        Queue queue = Queue.DROPTAIL;
        int limitPackets = DEFAULT_LIMIT_PACKETS;
        long limitBytes = DEFAULT_LIMIT_BYTES;
        long slotMinNanos, slotMaxNanos;
        int slotPackets;
        long slotBytes;
        int synDrop;

        DirectionProfile build() {
            if (reorder > 0 && gap == 0) gap = 1;
            return new DirectionProfile(this);
        }
    }
}
