package dev.tungate.tcp;

import dev.tungate.wire.TcpOptions;
import io.netty.buffer.ByteBuf;

/**
 * The receive side of one connection (RFC 9293 §3.3.1, Fig. 4):
 *
 * <pre>
 *                    1          2          3
 *                ----------|----------|----------
 *                       RCV.NXT    RCV.NXT
 *                                 +RCV.WND
 *     1 - old sequence numbers that have been acknowledged
 *     2 - sequence numbers allowed for new reception (the announced window)
 *     3 - future sequence numbers that are not yet allowed
 * </pre>
 *
 * The window is what the receive buffer has room for: bytes delivered but not yet
 * {@link #consumed} take space, so a consumer that stops reading closes the window
 * (backpressure). The right edge never moves left (RFC 9293 §3.8.6, SHLD-14: "shrinking the
 * window" is strongly discouraged) and moves right only by a worthwhile amount (receiver SWS avoidance).
 */
final class Receiver {
    private final TcpConfig config;
    private final Negotiated neg;
    private final TcpOutput out;
    private final ReassemblyQueue ooo = new ReassemblyQueue();

    /** IRS: the peer's initial sequence number. */
    int irs;
    /** RCV.NXT: next sequence number expected. */
    int rcvNxt;
    /**
     * RCV.NXT + RCV.WND as the next segment will announce it; never moves left. It moves when the
     * buffer frees (by SWS-avoiding steps), before an announcement carries it.
     */
    int rcvAdvRight;
    /** The right edge the last emitted segment carried: what the peer knows of our window. */
    private int rcvAnnouncedRight;
    /** Bytes delivered to the user and not yet consumed. */
    private int unconsumed;
    /** RCV.UP (RFC 9293 §3.10.7.4 sixth step; RFC 6093: points one past the last urgent byte). */
    int rcvUp;
    boolean urgentSeen;
    /** A FIN arrived above a gap: its sequence number, valid while {@link #finPending}. */
    private int finSeq;
    private boolean finPending;
    /** Bytes received in order since we last sent an ACK (delayed ACK accounting). */
    private int unackedBytes;
    /**
     * The peer's full-sized segment as seen (Linux rcv_mss): the largest text so far, at most
     * SMSS, starting from 536. "Every second full-sized segment" counts in these.
     */
    private int rcvMss;
    /**
     * Linux quick-ACK mode: in-order data segments still to be ACKed at once at the start of the
     * connection (-1 until the first one arrives), so the sender's slow start is not held back
     * by the delayed-ACK timer (Linux tcp_incr_quickack; {@link TcpConfig#quickAcks}).
     */
    private int quickAcks = -1;
    /** Something arrived that must be acknowledged right away. */
    boolean ackNow;
    /** Something arrived that must be acknowledged, at the latest when the delayed-ACK timer fires. */
    boolean ackDelayed;
    /** RFC 2883: a duplicate arrived; the next ACK reports [dsackLeft, dsackRight) first. */
    private boolean dsackPending;
    private int dsackLeft;
    private int dsackRight;
    /** RFC 3168 §6.1.3: a CE mark arrived; set ECE on every ACK until the peer's CWR. */
    boolean eceEcho;
    /** Bytes of text accepted in order, ever. */
    long bytesReceived;

    Receiver(TcpConfig config, Negotiated neg, TcpOutput out) {
        this.config = config;
        this.neg = neg;
        this.out = out;
    }

    /** The peer's SYN at {@code irs} arrived: RCV.NXT = IRS + 1, announce the initial window. */
    void init(int irs) {
        this.irs = irs;
        this.rcvNxt = irs + 1;
        this.rcvUp = rcvNxt;
        this.rcvMss = Math.min(Negotiated.DEFAULT_MSS, neg.effectiveMss());
        // RFC 7323 §2.2: the window in a SYN is never scaled, so it is at most 65535.
        this.rcvAdvRight = rcvNxt + Math.min(config.receiveBufferBytes, 0xffff);
        this.rcvAnnouncedRight = rcvAdvRight;
    }

    /**
     * RFC 9293 §3.3 segment acceptability (the four cases of its table). A zero window still takes
     * a segment at exactly RCV.NXT, for its ACK, URG and RST ("special allowance"); its text is then
     * trimmed away by {@link #onText}, which ACKs.
     */
    boolean acceptable(int seq, int segLen) {
        int wnd = rcvWnd();
        if (segLen == 0) {
            return wnd == 0 ? seq == rcvNxt : Seq.inWindow(seq, rcvNxt, wnd);
        }
        if (wnd == 0) {
            return seq == rcvNxt;
        }
        return Seq.inWindow(seq, rcvNxt, wnd) || Seq.inWindow(seq + segLen - 1, rcvNxt, wnd);
    }

    /** RCV.WND: what the last announcement left open. */
    int rcvWnd() {
        return rcvAdvRight - rcvNxt;
    }

    /** The window field for a non-SYN segment (RFC 7323 §2.3: shifted right by Rcv.Wind.Shift). */
    int windowField() {
        updateWindow();
        rcvAnnouncedRight = rcvAdvRight;
        return Math.min(0xffff, rcvWnd() >>> neg.rcvWndShift);
    }

    /**
     * Move the right edge as far as the buffer allows, but only by at least min(buffer / 2, MSS)
     * (RFC 9293 §3.8.6.2.2, receiver SWS avoidance). Returns how far it moved.
     */
    int updateWindow() {
        int room = config.receiveBufferBytes - unconsumed;
        int room16 = Math.min(room, 0xffff << neg.rcvWndShift);
        int potential = rcvNxt + Math.max(0, room16);
        int growth = potential - rcvAdvRight;
        if (growth <= 0) {
            return 0;
        }
        int threshold = Math.min(config.receiveBufferBytes / 2, neg.effectiveMss());
        if (growth >= threshold || rcvAdvRight == potential) {
            rcvAdvRight = potential;
            return growth;
        }
        return 0;
    }

    /**
     * The user consumed {@code bytes}; returns true when the window grew enough to announce now
     * rather than with the next ACK (Linux __tcp_cleanup_rbuf): when the window the peer knows
     * was below one MSS (the sender may be stalled), when the window we can offer is at least
     * twice the one the peer knows ("lots" of space freed), or when it grew by half the buffer.
     * The right edge itself only moves by receiver-SWS steps (RFC 9293 §3.8.6.2.2, see
     * {@link #updateWindow}), so no small increase is ever announced.
     */
    boolean consumed(int bytes) {
        unconsumed = Math.max(0, unconsumed - bytes);
        updateWindow();
        int known = rcvAnnouncedRight - rcvNxt;
        int offer = rcvWnd();
        return offer > known && (known < neg.effectiveMss() || offer >= 2 * (long) known
                || offer - known >= config.receiveBufferBytes / 2);
    }

    /**
     * RFC 9293 §3.10.7.4 seventh step: take the text of an acceptable segment, whose first text
     * byte is at {@code seq}; with {@code fin}, the FIN follows the text. Delivers what is in order
     * (retained slices), holds what is above a gap, drops what lies outside the window.
     *
     * @return true when the peer's FIN is now in order (RCV.NXT sits on it)
     */
    boolean onText(int seq, ByteBuf text, boolean fin, int ecnField) {
        int off = 0;
        int len = text.readableBytes();
        if (ecnField == Segment.CE) {
            eceEcho = true; // RFC 3168 §6.1.3: CE received
        }
        if (Seq.lt(seq, rcvNxt)) {
            int skip = rcvNxt - seq;
            if (len > 0) {
                // RFC 2883 §4 (1): text below RCV.NXT is a duplicate; report it in a D-SACK block.
                dsack(seq, seq + Math.min(skip, len));
            }
            if (skip >= len) {
                // Entirely old (a retransmission): ACK so the peer learns RCV.NXT.
                if (len > 0) {
                    ackNow = true;
                }
                off = len;
                len = 0;
                seq = rcvNxt;
                if (!fin) {
                    return finInOrder();
                }
            } else {
                off = skip;
                len -= skip;
                seq = rcvNxt;
            }
        }
        int room = rcvAdvRight - seq;
        if (len > room) {
            // Beyond the window: drop the excess (and a FIN after it) and tell the peer.
            len = Math.max(0, room);
            fin = false;
            ackNow = true;
        }
        if (fin) {
            finSeq = seq + len;
            finPending = true;
            if (finSeq != rcvNxt && len == 0) {
                ackNow = true; // RFC 5681 §4.2: an out-of-order FIN draws a duplicate ACK too
            }
        }
        if (len > 0) {
            ByteBuf slice = text.retainedSlice(text.readerIndex() + off, len);
            if (seq == rcvNxt) {
                rcvMss = Math.max(rcvMss, Math.min(len, neg.effectiveMss()));
                deliver(slice);
                boolean hadGap = !ooo.isEmpty();
                ByteBuf next;
                while ((next = ooo.takeAt(rcvNxt)) != null) {
                    deliver(next);
                }
                if (hadGap) {
                    ackNow = true; // RFC 5681 §4.2: a segment that fills a gap is ACKed at once
                }
                if (ackInOrderNow()) {
                    ackNow = true;
                } else {
                    ackDelayed = true;
                }
            } else {
                if (ooo.insert(seq, slice)) {
                    dsack(ooo.dupLeft, ooo.dupRight); // RFC 2883 §4 (3): a duplicate of held data
                }
                ackNow = true; // RFC 5681 §4.2: out-of-order data draws an immediate duplicate ACK
            }
        }
        return finInOrder();
    }

    /** In-order data arrived (delivered, RCV.NXT advanced): must its ACK go out without delay? */
    private boolean ackInOrderNow() {
        if (quickAcks < 0) {
            // Linux tcp_incr_quickack on the first data segment: as many quick ACKs as half the
            // window holds segments, at least 2 and at most the configured maximum (16).
            quickAcks = (int) Math.min(config.quickAcks, Math.max(2, (long) rcvWnd() / (2L * rcvMss)));
        }
        if (quickAcks > 0) {
            quickAcks--;
            return true;
        }
        // RFC 9293 §3.8.6.3 (SHOULD-6): ACK at least every second full-sized segment, counted
        // in bytes, so one super-segment (GSO: many MSS in one) is ACKed at once.
        if (unackedBytes >= 2 * rcvMss) {
            return true;
        }
        // Less than two full-sized segments of the announced window is left: the sender is about
        // to stall on it, and a delayed ACK would outlast its loss probe (Linux PTO is ~2 SRTT).
        return rcvAnnouncedRight - rcvNxt < 2 * rcvMss;
    }

    private boolean finInOrder() {
        if (finPending && finSeq == rcvNxt) {
            finPending = false;
            return true;
        }
        return false;
    }

    private void deliver(ByteBuf data) {
        int n = data.readableBytes();
        rcvNxt += n;
        unconsumed += n;
        unackedBytes += n;
        bytesReceived += n;
        out.deliver(data);
    }

    /** The FIN was taken: RFC 9293 §3.10.7.4 eighth step, advance RCV.NXT over it and ACK now. */
    void takeFin() {
        rcvNxt += 1;
        ackNow = true;
    }

    /** RFC 9293 §3.10.7.4 sixth step, with RFC 6093: RCV.UP = max(RCV.UP, SEG.UP + SEG.SEQ). */
    void onUrgent(int seq, int urgentPointer) {
        int up = seq + urgentPointer;
        if (!urgentSeen || Seq.gt(up, rcvUp)) {
            rcvUp = up;
        }
        urgentSeen = true;
    }

    /** True while urgent data lies at or above RCV.NXT: the user is in "urgent mode". */
    boolean urgentPending() {
        return urgentSeen && Seq.gt(rcvUp, rcvNxt);
    }

    /**
     * An unacceptable segment (RFC 9293 §3.10.7.4 first step) is answered with an ACK; text of it
     * below RCV.NXT is a duplicate for that ACK's D-SACK block (RFC 2883 §4 (1); Linux tcp_send_dupack).
     */
    void unacceptable(int seq, int textLen) {
        if (textLen > 0 && Seq.lt(seq, rcvNxt)) {
            dsack(seq, Seq.min(seq + textLen, rcvNxt));
        }
    }

    /** RFC 2883 §4: report [left, right) as a duplicate, at once (the sender may be waiting to undo). */
    private void dsack(int left, int right) {
        ackNow = true;
        dsackPending = true;
        dsackLeft = left;
        dsackRight = right;
    }

    /** An ACK (of RCV.NXT) went out: nothing waits for acknowledgement any more. */
    void onAckSent() {
        dsackPending = false; // RFC 2883 §4: each duplicate is reported once
        ackNow = false;
        ackDelayed = false;
        unackedBytes = 0;
    }

    /**
     * Fill SACK blocks for the next ACK: RFC 2018 §4, with a pending D-SACK block first (RFC 2883
     * §4); the block holding a duplicate of held data follows it, as it holds the newest arrival.
     */
    void sackBlocks(TcpOptions opts, int max) {
        if (!dsackPending) {
            ooo.sackBlocks(opts, max);
            return;
        }
        ooo.sackBlocks(opts, max - 1);
        int n = opts.sackBlocks;
        System.arraycopy(opts.sackLeft, 0, opts.sackLeft, 1, n);
        System.arraycopy(opts.sackRight, 0, opts.sackRight, 1, n);
        opts.sackLeft[0] = dsackLeft;
        opts.sackRight[0] = dsackRight;
        opts.sackBlocks = n + 1;
    }

    /** The next ACK carries SACK blocks: out-of-order data is held or a D-SACK is pending. */
    boolean hasSackBlocks() {
        return dsackPending || !ooo.isEmpty();
    }

    int outOfOrderBytes() {
        return ooo.bytes();
    }

    // The receive side as TcpConnection's steps ask about it.
    int irs() {
        return irs;
    }

    int rcvNxt() {
        return rcvNxt;
    }

    int rcvUp() {
        return rcvUp;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    /** Acknowledge at once (RFC 9293 §3.10.7.3: the ACK that completes an active open). */
    void ackAtOnce() {
        ackNow = true;
    }

    /** An ACK is owed now; {@link #ackOwedLater()}: owed by the delayed-ACK deadline. */
    boolean ackOwedNow() {
        return ackNow;
    }

    boolean ackOwedLater() {
        return ackDelayed;
    }

    /** RFC 3168 §6.1.3: the peer's CWR ends our ECE echo (a CE mark starts it again). */
    void onCwr() {
        eceEcho = false;
    }

    void release() {
        ooo.release();
    }
}
