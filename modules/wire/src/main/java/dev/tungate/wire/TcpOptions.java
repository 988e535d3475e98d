package dev.tungate.wire;

/**
 * The TCP options tungate understands, as plain fields (RFC 9293 §3.2, RFC 7323, RFC 2018).
 * Mutable and reusable: one instance per shard is parsed into for every segment, so nothing
 * is allocated per packet. {@link #clear()} resets every field to "absent".
 */
public final class TcpOptions {
    /** Most SACK blocks that fit beside timestamps in 40 option bytes (RFC 2018 §3). */
    public static final int MAX_SACK_BLOCKS = 4;

    /** MSS option value, or -1 when absent (RFC 9293 §3.7.1). */
    public int mss = -1;
    /** Window scale shift count, or -1 when absent (RFC 7323 §2). */
    public int windowScale = -1;
    /** SACK-permitted seen (RFC 2018 §2). */
    public boolean sackPermitted;
    /** Timestamps option seen (RFC 7323 §3); tsVal and tsEcr are valid only then. */
    public boolean hasTimestamps;
    public int tsVal;
    public int tsEcr;
    /** Number of SACK blocks carried; blocks are [sackLeft[i], sackRight[i]) (RFC 2018 §3). */
    public int sackBlocks;
    public final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    public final int[] sackRight = new int[MAX_SACK_BLOCKS];

    public void clear() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackBlocks = 0;
    }

    public void copyFrom(TcpOptions o) {
        mss = o.mss;
        windowScale = o.windowScale;
        sackPermitted = o.sackPermitted;
        hasTimestamps = o.hasTimestamps;
        tsVal = o.tsVal;
        tsEcr = o.tsEcr;
        sackBlocks = o.sackBlocks;
        System.arraycopy(o.sackLeft, 0, sackLeft, 0, MAX_SACK_BLOCKS);
        System.arraycopy(o.sackRight, 0, sackRight, 0, MAX_SACK_BLOCKS);
    }
}
