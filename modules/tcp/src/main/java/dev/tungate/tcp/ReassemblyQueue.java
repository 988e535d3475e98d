package dev.tungate.tcp;

import dev.tungate.wire.TcpOptions;
import io.netty.buffer.ByteBuf;

/**
 * Out-of-order text above RCV.NXT, held as retained slices sorted by sequence number and never
 * overlapping (RFC 9293 §3.10.7.4 seventh step: segments beyond RCV.NXT are held for later
 * processing). Also the source of the SACK blocks we send (RFC 2018 §4).
 *
 * <p>Overlaps keep the bytes already held: a newcomer is trimmed against its neighbours, and
 * entries it covers entirely are replaced. The queue holds only bytes inside the receive window,
 * which bounds its memory; the entry count is bounded too. What is held is counted in real bytes:
 * a small segment is kept as a right-sized copy ({@link Pinning#compact}), not as a slice pinning
 * the whole read buffer it arrived in, so the queue holds at most twice its {@link #bytes()}
 * (RFC 9293's window then bounds real memory, not just payload).
 */
final class ReassemblyQueue {
    private static final int MAX_ENTRIES = 256;

    /** Grown on demand (most connections never reorder), up to {@link #MAX_ENTRIES}. */
    private int[] seqs = new int[4];
    private ByteBuf[] bufs = new ByteBuf[4];
    private int count;
    private int bytes;
    /** Start of the most recently queued segment: RFC 2018 §4 puts its block first. */
    private int lastQueuedSeq;
    /** The first octets of the last {@link #insert} that were held already: [dupLeft, dupRight). */
    int dupLeft;
    int dupRight;

    boolean isEmpty() {
        return count == 0;
    }

    int bytes() {
        return bytes;
    }

    private int end(int i) {
        return seqs[i] + bufs[i].readableBytes();
    }

    /**
     * Take ownership of {@code data} (text starting at {@code seq}) and hold it. Returns true when
     * some of it was held already, the first such range in {@link #dupLeft}, {@link #dupRight}
     * (for an RFC 2883 D-SACK block).
     */
    boolean insert(int seq, ByteBuf data) {
        int end = seq + data.readableBytes();
        for (int i = 0; i < count; i++) {
            if (Seq.le(seqs[i], seq) && Seq.ge(end(i), end)) {
                data.release();
                lastQueuedSeq = seq;
                return duplicate(seq, end);
            }
        }
        boolean dup = false;
        int w = 0;
        for (int i = 0; i < count; i++) {
            if (Seq.ge(seqs[i], seq) && Seq.le(end(i), end)) {
                dup = dup || duplicate(seqs[i], end(i));
                bytes -= bufs[i].readableBytes();
                bufs[i].release();
            } else {
                seqs[w] = seqs[i];
                bufs[w] = bufs[i];
                w++;
            }
        }
        for (int i = w; i < count; i++) {
            bufs[i] = null;
        }
        count = w;
        int at = 0;
        while (at < count && Seq.lt(seqs[at], seq)) {
            at++;
        }
        if (at > 0 && Seq.gt(end(at - 1), seq)) {
            int cut = end(at - 1) - seq;
            dup = dup || duplicate(seq, seq + cut);
            data.skipBytes(cut);
            seq += cut;
        }
        if (at < count && Seq.lt(seqs[at], end)) {
            dup = dup || duplicate(seqs[at], end);
            data.writerIndex(data.readerIndex() + (seqs[at] - seq));
        }
        if (data.readableBytes() == 0 || count == MAX_ENTRIES) {
            data.release();
            return dup;
        }
        if (count == seqs.length) {
            seqs = java.util.Arrays.copyOf(seqs, count * 2);
            bufs = java.util.Arrays.copyOf(bufs, count * 2);
        }
        data = Pinning.compact(data);
        System.arraycopy(seqs, at, seqs, at + 1, count - at);
        System.arraycopy(bufs, at, bufs, at + 1, count - at);
        seqs[at] = seq;
        bufs[at] = data;
        count++;
        bytes += data.readableBytes();
        lastQueuedSeq = seq;
        return dup;
    }

    private boolean duplicate(int left, int right) {
        dupLeft = left;
        dupRight = right;
        return true;
    }

    /**
     * The next held text that continues at {@code rcvNxt}, trimmed to start there, with ownership
     * moved to the caller; null when the gap is still open. Stale entries below rcvNxt are freed.
     */
    ByteBuf takeAt(int rcvNxt) {
        while (count > 0 && Seq.le(seqs[0], rcvNxt)) {
            ByteBuf b = bufs[0];
            int s = seqs[0];
            removeFirst();
            bytes -= b.readableBytes();
            if (Seq.le(s + b.readableBytes(), rcvNxt)) {
                b.release();
                continue;
            }
            b.skipBytes(rcvNxt - s);
            return b;
        }
        return null;
    }

    private void removeFirst() {
        count--;
        System.arraycopy(seqs, 1, seqs, 0, count);
        System.arraycopy(bufs, 1, bufs, 0, count);
        bufs[count] = null;
    }

    /**
     * Write up to {@code max} SACK blocks (RFC 2018 §4): the block holding the most recently
     * queued segment first, then the others from the highest down.
     */
    void sackBlocks(TcpOptions opts, int max) {
        opts.sackBlocks = 0;
        if (count == 0 || max <= 0) {
            return;
        }
        int first = -1;
        int left = seqs[count - 1];
        int right = end(count - 1);
        // Walk from the top, merging touching entries into blocks.
        int n = 0;
        for (int i = count - 2; i >= -1; i--) {
            if (i >= 0 && end(i) == left) {
                left = seqs[i];
                continue;
            }
            boolean holdsLast = Seq.le(left, lastQueuedSeq) && Seq.lt(lastQueuedSeq, right);
            if (holdsLast) {
                first = n;
            }
            if (n < TcpOptions.MAX_SACK_BLOCKS) {
                opts.sackLeft[n] = left;
                opts.sackRight[n] = right;
                n++;
            } else if (holdsLast) {
                opts.sackLeft[n - 1] = left;
                opts.sackRight[n - 1] = right;
                first = n - 1;
            }
            if (i >= 0) {
                left = seqs[i];
                right = end(i);
            }
        }
        if (first > 0) {
            int l = opts.sackLeft[first];
            int r = opts.sackRight[first];
            System.arraycopy(opts.sackLeft, 0, opts.sackLeft, 1, first);
            System.arraycopy(opts.sackRight, 0, opts.sackRight, 1, first);
            opts.sackLeft[0] = l;
            opts.sackRight[0] = r;
        }
        opts.sackBlocks = Math.min(n, max);
    }

    void release() {
        for (int i = 0; i < count; i++) {
            bufs[i].release();
            bufs[i] = null;
        }
        count = 0;
        bytes = 0;
    }
}
