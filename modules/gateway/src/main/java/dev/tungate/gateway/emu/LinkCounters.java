package dev.tungate.gateway.emu;

/**
 * What one {@link Link} did, plain longs written on the link's loop only (read them there, as
 * {@code ctl stats} does with a task on each loop). Every frame offered ends up passed or dropped
 * once; a duplicate adds one frame; held frames are in neither until they leave.
 */
public final class LinkCounters {
    long passed, delayed, duplicated, reordered, corrupted;
    long highWaterPackets, highWaterBytes;
    final long[] dropped = new long[DropReason.values().length];

    /** Frames delivered to the sink (duplicates included). */
    public long passed() { return passed; }
    /** Frames that were held at least once (not delivered at the moment they were offered). */
    public long delayed() { return delayed; }
    public long duplicated() { return duplicated; }
    /** Frames sent at once by {@code reorder=} ahead of those delayed. */
    public long reordered() { return reordered; }
    public long corrupted() { return corrupted; }
    public long dropped(DropReason reason) { return dropped[reason.ordinal()]; }

    public long dropped() {
        long n = 0;
        for (long d : dropped) n += d;
        return n;
    }

    /** Most packets held at once. */
    public long highWaterPackets() { return highWaterPackets; }
    /** Most bytes held at once. */
    public long highWaterBytes() { return highWaterBytes; }

    void drop(DropReason reason) {
        dropped[reason.ordinal()]++;
    }

    void held(long packets, long bytes) {
        if (packets > highWaterPackets) highWaterPackets = packets;
        if (bytes > highWaterBytes) highWaterBytes = bytes;
    }
}
