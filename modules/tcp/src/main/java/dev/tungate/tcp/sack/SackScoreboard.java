package dev.tungate.tcp.sack;

import dev.tungate.tcp.Seq;
import dev.tungate.wire.TcpOptions;

/**
 * RFC 6675 scoreboard of SACKed ranges over [SND.UNA, SND.NXT). No allocation per ACK (fixed-capacity arrays).
 *
 * <pre>
 *   SND.UNA                                                        SND.NXT
 *      |  hole  |##block 0##|   hole   |##block 1##|##|  not SACKed  |
 *      +--------+-----------+----------+-----------+--+--------------+
 *                                                     ^ highestSacked()
 * </pre>
 *
 * Blocks are kept sorted, disjoint and non-adjacent (touching blocks merge), each [start, end).
 * Every octet in one hole has the same SACKed octets above it, so IsLost is decided per hole and
 * SetPipe and NextSeg walk holes, not octets. When more disjoint ranges arrive than the capacity
 * holds, the highest are forgotten: that only makes the sender retransmit more, never less.
 */
public final class SackScoreboard {
    /** RFC 6675 §2: DupThresh, the number of duplicate ACKs (or SACKed segments) that signal a loss. */
    public static final int DUP_THRESH = 3;
    /** Disjoint ranges kept when the caller does not choose. */
    public static final int DEFAULT_CAPACITY = 64;

    private final int[] start;
    private final int[] end;
    private int count;
    private int sacked;
    /** SND.UNA as of the last ACK; blocks never reach below it. */
    private int sndUna;

    public SackScoreboard() {
        this(DEFAULT_CAPACITY);
    }

    public SackScoreboard(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        start = new int[capacity];
        end = new int[capacity];
    }

    /** Connection start / after RTO (RFC 6675 §5.1): forget every SACKed range. */
    public void reset() {
        count = 0;
        sacked = 0;
    }

    /**
     * Apply an ACK: cumulative ack plus its SACK blocks (from TcpOptions). Returns bytes newly SACKed.
     * Blocks at or below {@code sndUna} (RFC 2883 D-SACK of already-ACKed data), empty ones, and ones
     * reaching past {@code sndNxt} (never sent, so bogus) are ignored; a block straddling
     * {@code sndUna} counts from {@code sndUna}.
     */
    public int onAck(int sndUna, int sndNxt, TcpOptions opts) {
        this.sndUna = sndUna;
        dropBelow(sndUna);
        int added = 0;
        for (int i = 0; i < opts.sackBlocks; i++) {
            int left = opts.sackLeft[i];
            int right = opts.sackRight[i];
            if (Seq.le(right, left) || Seq.le(right, sndUna) || Seq.gt(right, sndNxt)) {
                continue;
            }
            added += insert(Seq.max(left, sndUna), right);
        }
        return added;
    }

    /** The cumulative ACK moved to {@code una}: drop what it covers, trim a block it cuts. */
    private void dropBelow(int una) {
        int gone = 0;
        while (gone < count && Seq.le(end[gone], una)) {
            sacked -= end[gone] - start[gone];
            gone++;
        }
        if (gone > 0) {
            System.arraycopy(start, gone, start, 0, count - gone);
            System.arraycopy(end, gone, end, 0, count - gone);
            count -= gone;
        }
        if (count > 0 && Seq.lt(start[0], una)) {
            sacked -= una - start[0];
            start[0] = una;
        }
    }

    /** Union [left, right) into the sorted blocks; returns octets that were not SACKed before. */
    private int insert(int left, int right) {
        int i = 0;
        while (i < count && Seq.lt(end[i], left)) {
            i++;                                   // blocks wholly below, not touching
        }
        int j = i;
        int covered = 0;
        int newLeft = left;
        int newRight = right;
        while (j < count && Seq.le(start[j], right)) {
            covered += end[j] - start[j];          // blocks overlapping or touching: merge
            newLeft = Seq.min(newLeft, start[j]);
            newRight = Seq.max(newRight, end[j]);
            j++;
        }
        int merged = j - i;
        if (merged == 0 && count == start.length) {
            if (i == count) {
                return 0;                          // full, and this range is the highest: forget it
            }
            count--;                               // full: forget the highest range instead
            sacked -= end[count] - start[count];
        }
        int shift = 1 - merged;
        if (shift != 0) {
            System.arraycopy(start, j, start, j + shift, count - j);
            System.arraycopy(end, j, end, j + shift, count - j);
            count += shift;
        }
        start[i] = newLeft;
        end[i] = newRight;
        int added = (newRight - newLeft) - covered;
        sacked += added;
        return added;
    }

    public boolean isSacked(int seq) {
        for (int i = 0; i < count && Seq.le(start[i], seq); i++) {
            if (Seq.lt(seq, end[i])) {
                return true;
            }
        }
        return false;
    }

    /** RFC 6675 §4 IsLost(SeqNum): DupThresh(3) discontiguous SACKed segments or (DupThresh-1)*SMSS bytes SACKed above seq. */
    public boolean isLost(int seq, int smss) {
        return isLost(seq, smss, DUP_THRESH);
    }

    /**
     * RFC 6675 §4 IsLost(SeqNum) with DupThresh as the caller has it: RFC 6675 §2 calls DupThresh a
     * parameter and RFC 4653 raises it under reordering, and both rules scale with it, the block
     * rule ({@code dupThresh} discontiguous SACKed ranges above) as well as the byte rule.
     */
    public boolean isLost(int seq, int smss, int dupThresh) {
        checkDupThresh(dupThresh);
        int blocksAbove = 0;
        long bytesAbove = 0;
        for (int i = count - 1; i >= 0 && Seq.gt(end[i], seq + 1); i--) {
            if (Seq.gt(start[i], seq)) {
                blocksAbove++;
                bytesAbove += end[i] - start[i];
            } else {
                bytesAbove += end[i] - (seq + 1);
            }
        }
        return lost(blocksAbove, bytesAbove, smss, dupThresh);
    }

    /** RFC 6675 §4 IsLost: "DupThresh discontiguous SACKed sequences" or "more than (DupThresh - 1) * SMSS bytes". */
    private static boolean lost(int blocksAbove, long bytesAbove, int smss, int dupThresh) {
        return blocksAbove >= dupThresh || bytesAbove > (long) (dupThresh - 1) * smss;
    }

    private static void checkDupThresh(int dupThresh) {
        if (dupThresh < 1) {
            throw new IllegalArgumentException("DupThresh must be at least 1, was " + dupThresh);
        }
    }

    /**
     * RFC 6675 §4 SetPipe: for each octet in [SND.UNA, SND.NXT) that is not SACKed, one if
     * IsLost is false, plus one if it was retransmitted. {@code highRxt} is exclusive: octets
     * before it count as retransmitted; pass {@code sndUna} when nothing was (RFC 6675 §5:
     * HighRxt = HighACK at the start of recovery).
     */
    public int pipe(int sndUna, int sndNxt, int highRxt, int smss) {
        return pipe(sndUna, sndNxt, highRxt, smss, DUP_THRESH);
    }

    /** SetPipe with IsLost's DupThresh as the caller has it (see {@link #isLost(int, int, int)}). */
    public int pipe(int sndUna, int sndNxt, int highRxt, int smss, int dupThresh) {
        checkDupThresh(dupThresh);
        long pipe = 0;
        int cursor = sndUna;
        long bytesAbove = sacked;
        for (int i = 0; i < count; i++) {
            if (Seq.lt(cursor, start[i])) {
                if (!lost(count - i, bytesAbove, smss, dupThresh)) {
                    pipe += start[i] - cursor;      // (a): a hole not yet deemed lost
                }
                pipe += retransmittedIn(cursor, start[i], highRxt); // (b)
            }
            bytesAbove -= end[i] - start[i];
            cursor = Seq.max(cursor, end[i]);
        }
        if (Seq.lt(cursor, sndNxt)) {
            pipe += sndNxt - cursor;                // nothing SACKed above: never lost
            pipe += retransmittedIn(cursor, sndNxt, highRxt);
        }
        return (int) pipe;
    }

    /** Octets of [from, to) below highRxt. */
    private static int retransmittedIn(int from, int to, int highRxt) {
        return Seq.le(highRxt, from) ? 0 : Seq.min(to, highRxt) - from;
    }

    /** RFC 6675 §4 NextSeg rule (1)/(3): first seq >= from that is not SACKed and IsLost; returns its start, and
     *  writes the length of that unsacked hole (<= maxLen) into the out param; -1 in len[0] when none. */
    public int nextLostHole(int from, int sndNxt, int smss, int maxLen, int[] len) {
        return nextLostHole(from, sndNxt, smss, DUP_THRESH, maxLen, len);
    }

    /**
     * NextSeg's search with IsLost's DupThresh as the caller has it. A {@code dupThresh} of one
     * makes IsLost hold for any hole with SACKed octets above it: NextSeg rule (3)'s test.
     */
    public int nextLostHole(int from, int sndNxt, int smss, int dupThresh, int maxLen, int[] len) {
        checkDupThresh(dupThresh);
        int cursor = from;
        long bytesAbove = sacked;
        for (int i = 0; i < count; i++) {
            if (Seq.lt(cursor, start[i]) && Seq.lt(cursor, sndNxt) && lost(count - i, bytesAbove, smss, dupThresh)) {
                len[0] = Math.min(start[i] - cursor, maxLen);
                return cursor;
            }
            bytesAbove -= end[i] - start[i];
            cursor = Seq.max(cursor, end[i]);
        }
        len[0] = -1;
        return from;
    }

    /** HighACK-side: end of the highest SACKed block, or sndUna when none. */
    public int highestSacked() {
        return count == 0 ? sndUna : end[count - 1];
    }

    public int sackedBytes() {
        return sacked;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Disjoint SACKed ranges held. */
    public int blockCount() {
        return count;
    }
}
