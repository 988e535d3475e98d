package dev.tungate.tcp;

import dev.tungate.tcp.cc.CongestionControl;
import dev.tungate.tcp.cc.CongestionControls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The send side of one connection (RFC 9293 §3.3.1, Fig. 3):
 *
 * <pre>
 *              1         2          3          4
 *         ----------|----------|----------|----------
 *                SND.UNA    SND.NXT    SND.UNA
 *                                     +SND.WND
 *   1 - old sequence numbers that have been acknowledged
 *   2 - sequence numbers of unacknowledged data
 *   3 - sequence numbers allowed for new data transmission
 *   4 - future sequence numbers that are not yet allowed
 * </pre>
 *
 * <p>SND.MAX (as in BSD) is the highest sequence number ever sent: after an RTO the sender goes
 * back to SND.UNA (SND.NXT = SND.UNA, go-back-N, RFC 5681 §3.1 and RFC 6675 §5.1) while ACKs up to
 * SND.MAX stay acceptable; a zero-window probe byte also moves only SND.MAX.
 *
 * <p>Detects loss and decides what to send; the parts have classes of their own, named after
 * their RFCs: {@link RetransmissionTimer} (RFC 6298 §5), {@link PersistTimer} (RFC 9293 §3.8.6.1),
 * {@link Recovery} (RFC 6582 NewReno or RFC 6675 SACK fast recovery), {@link TailLossProbe}
 * (RFC 8985 §7), {@link EcnSender} (RFC 3168 §6.1), {@link Reordering} (DupThresh per RFC 4653, spurious-response undo per RFC 3522, 3708,
 * 4015), and the {@link CongestionControl} for cwnd. Here: SND.* and the send buffer, Nagle and
 * sender SWS avoidance (RFC 9293 §3.7.4, §3.8.6.2.1), limited transmit (RFC 3042) and GSO.
 */
final class Sender {
    /** Passes of one output loop, each one (super-)segment: a backstop against a bug spinning the loop; the next ACK continues. */
    static final int MAX_SEGMENTS_PER_OUTPUT = 1024;
    private final TcpConfig config;
    private final Negotiated neg;
    private final RttEstimator rtt;
    private final Emitter tx;
    private final RetransmissionTimer rto;
    private final PersistTimer persist;
    final TailLossProbe tlp;
    private final EcnSender ecn = new EcnSender();
    private final SendBuffer buf = new SendBuffer();
    private final Reordering reordering = new Reordering();
    private CongestionControl cc;
    /** Fast recovery, NewReno or SACK as the SYNs agreed (RFC 6582, RFC 6675). */
    private Recovery recovery = new NewRenoRecovery(this, 0);

    /** ISS: our initial sequence number. */
    int iss;
    /** SND.UNA: oldest unacknowledged sequence number. */
    int sndUna;
    /** SND.NXT: next sequence number to send. */
    int sndNxt;
    /** SND.MAX: one past the highest sequence number sent. */
    int sndMax;
    /** SND.WND: the peer's window, scaled. */
    int sndWnd;
    /** SND.WL1: SEG.SEQ of the segment that last updated SND.WND. */
    int sndWl1;
    /** SND.WL2: SEG.ACK of the segment that last updated SND.WND. */
    int sndWl2;
    /** MAX.SND.WND: the largest window the peer has offered (RFC 5961 §5.2, RFC 9293 §3.8.6.2.1). */
    int maxSndWnd;
    /** Sequence number of the first byte in the send buffer. */
    private int bufStart;
    /** CLOSE was called: a FIN follows the last queued byte. */
    boolean finQueued;

    /** Duplicate ACKs in a row (RFC 5681 §2). */
    private int dupAcks;
    /** One past the highest sequence number ever retransmitted: below it, a late arrival may be a retransmission. */
    private int rxHigh;
    /** Consecutive RTO expirations without an ACK of new data. */
    private int rtoCount;
    private long lastSendNanos;
    private boolean synRetransmitted;
    private boolean sentAnything;

    long retransmits;
    long fastRetransmits;
    long timeouts;
    long bytesAcked;

    Sender(TcpConfig config, Negotiated neg, RttEstimator rtt, Timers timers, Emitter tx) {
        this.config = config;
        this.neg = neg;
        this.rtt = rtt;
        this.tx = tx;
        this.rto = new RetransmissionTimer(timers, rtt);
        this.persist = new PersistTimer(timers, rtt);
        this.tlp = new TailLossProbe(timers, rtt);
    }

    void init(int iss) {
        this.iss = iss;
        sndUna = iss;
        sndNxt = iss;
        sndMax = iss;
        bufStart = iss + 1;
        recovery = new NewRenoRecovery(this, iss);
        rxHigh = iss;
        ecn.init(iss);
    }

    /** Options are agreed: size the congestion controller to SMSS, pick the recovery flavour. */
    void negotiated() {
        cc = CongestionControls.create(config.congestionControl, neg.effectiveMss());
        if (neg.sack) {
            recovery = new SackRecovery(this, iss);
        }
    }

    /** The peer's SYN carried its first window (RFC 9293 §3.10.7.2, §3.10.7.3: never scaled). */
    void initWindow(int segSeq, int segAck, int segWnd) {
        sndWnd = segWnd;
        maxSndWnd = segWnd;
        sndWl1 = segSeq;
        sndWl2 = segAck;
    }

    int sendSpace() { return Math.max(0, config.sendBufferBytes - buf.size()); }

    /** Queue up to the free space from {@code data}'s readerIndex; indices of data do not move. */
    int queue(ByteBuf data) {
        int n = Math.min(sendSpace(), data.readableBytes());
        buf.append(data, n);
        return n;
    }

    private int bufEnd() {
        return bufStart + buf.size();
    }

    boolean finAcked() { return finQueued && sndUna == bufEnd() + 1; }

    /** SYN or SYN-ACK went out (first time, or again on RTO). */
    void synSent(boolean retransmission, long nowNanos) {
        sndNxt = iss + 1;
        sndMax = iss + 1;
        if (retransmission) {
            retransmits++;
            rtt.stopTiming();
            synRetransmitted = true;
        } else {
            rtt.startTiming(iss + 1, nowNanos);
        }
        rto.restart(nowNanos);
    }

    /** RFC 6298 (5.4)-(5.6) for the SYN or SYN-ACK: false when the retry limit is reached. */
    boolean synTimeout() {
        if (++rtoCount > config.maxSynRetransmits) {
            return false;
        }
        rtt.backoff();
        return true;
    }

    /**
     * RFC 9293 §3.10.7.4 fifth step for an ACK inside [SND.UNA - MAX.SND.WND, SND.MAX] (the caller
     * checked the range), as the RFCs name its parts. Returns the data bytes newly acknowledged.
     */
    int onAck(Segment seg, long nowNanos) {
        int ack = seg.ack;
        boolean syn = seg.has(Segment.SYN);
        // RFC 7323 §2.3: the window of a SYN segment is never scaled.
        int wnd = syn ? seg.wnd : seg.wnd << neg.sndWndShift;
        int flight = sndMax - sndUna;
        boolean duplicate = isDuplicateAck(seg, wnd);
        int oldUna = sndUna;
        // The highest SACKed octet before this ACK: how far above a late hole the data had got.
        int fack = recovery.highestSacked(sndUna);
        boolean dsack = recovery.scoreboard() != null && !syn && Reordering.isDsack(seg.options, ack);
        int dataAcked = 0;
        if (Seq.gt(ack, sndUna)) {
            int acked = ack - sndUna;
            dataAcked = advanceUna(ack);
            // Samples only from octets never retransmitted (see RttEstimator#onAck), not the SYN's.
            long rttNanos = rtt.onAck(seg, neg, Seq.gt(oldUna, iss) && Seq.ge(oldUna, rxHigh), flight, nowNanos);
            bytesAcked += dataAcked;
            if (reordering.spuriousOnNewAck(neg.timestamps, seg.options, oldUna, fack, dupAcks, rxHigh, smss())) {
                undo();                                      // RFC 3522 §2, RFC 4015
            }
            if (recovery.active()) {
                if (recovery.fullAck(ack)) {
                    recovery.exit();
                    cc.onRecoveryEnd(sndMax - sndUna, nowNanos);
                } else {
                    recovery.onPartialAck(acked, nowNanos);
                }
            } else if (dataAcked > 0 && cc != null) {
                cc.onAck(dataAcked, flight, rttNanos, nowNanos);
            }
            if (!recovery.active()) {
                dupAcks = 0;
            }
            tlp.restartWanted();                              // RFC 8985 §7.2
            if (sndNxt == sndUna) {
                rto.stop();                                   // RFC 6298 (5.2)
                tlp.stop();
            } else {
                rto.restart(nowNanos);                        // RFC 6298 (5.3)
            }
        }
        updateSendWindow(seg, wnd);
        if (dsack && reordering.spuriousOnDsack(seg.options, fack, smss())) {
            undo();                                          // RFC 3708 §2, RFC 4015
        }
        if (!syn) {
            recovery.onSackBlocks(sndUna, sndMax, seg.options);
        }
        if (duplicate) {
            onDuplicateAck(ack, nowNanos);
        }
        if (tlp.onAck(ack, seg.options, recovery.scoreboard() != null && !syn, dsack,
                !syn && ack == oldUna && seg.text.readableBytes() == 0 && wnd == sndWnd, this, nowNanos)
                && !recovery.active() && recovery.mayEnter(ack)) {
            enterRecovery(nowNanos);                          // RFC 8985 §6.2 on the probe's SACK
        }
        if (neg.ecn && !syn && seg.has(Segment.ECE)) {
            onEcnEcho(ack, nowNanos);
        }
        return dataAcked;
    }

    /**
     * RFC 5681 §2 "duplicate acknowledgment": (a) data outstanding, (b) no data, (c) no SYN/FIN,
     * (d) ack == SND.UNA, (e) same window.
     */
    private boolean isDuplicateAck(Segment seg, int wnd) {
        return sndNxt != sndUna && seg.ack == sndUna && seg.text.readableBytes() == 0
                && (seg.flags & (Segment.SYN | Segment.FIN)) == 0 && wnd == sndWnd;
    }

    /** Advance SND.UNA to {@code ack}, freeing the buffer; returns the data octets acknowledged. */
    private int advanceUna(int ack) {
        int dataAcked = Math.max(0, Seq.min(ack, bufEnd()) - bufStart);
        if (dataAcked > 0) {
            buf.drop(dataAcked);
            bufStart += dataAcked;
        }
        if (sndUna == iss && synRetransmitted) {
            rtt.synTimedOutFallback();
        }
        sndUna = ack;
        if (Seq.lt(sndNxt, sndUna)) {
            sndNxt = sndUna;
        }
        rtoCount = 0;
        // Deviation: RFC 6298 §5 keeps the backed-off RTO until a fresh RTT sample; after a
        // go-back-N resend every segment is a retransmission and yields none, so under heavy
        // loss RTO would climb to its maximum while the path works. Progress of SND.UNA
        // clears the backoff (Linux, with timestamps, gets a sample from every such ACK).
        rtt.clearBackoff();
        persist.reset();
        return dataAcked;
    }

    /** RFC 9293 §3.10.7.4 fifth step: update the send window only from a newer segment. */
    private void updateSendWindow(Segment seg, int wnd) {
        if (Seq.lt(sndWl1, seg.seq) || (sndWl1 == seg.seq && Seq.le(sndWl2, seg.ack))) {
            sndWnd = wnd;
            sndWl1 = seg.seq;
            sndWl2 = seg.ack;
            maxSndWnd = Math.max(maxSndWnd, wnd);
        }
    }

    /** RFC 5681 §3.2 / RFC 6675 §5: count it; at DupThresh (RFC 4653) enter recovery. */
    private void onDuplicateAck(int ack, long nowNanos) {
        dupAcks++;
        if (recovery.active()) {
            recovery.onDuplicateAck();
        } else if (reordering.lost(dupAcks, recovery.scoreboard(), sndMax - sndUna, smss()) && recovery.mayEnter(ack)) {
            enterRecovery(nowNanos);
        }
    }

    /**
     * RFC 3168 §6.1.2: halve once per window of data, then announce it with CWR. The controller's
     * fast-recovery cwnd is deflated at once: no retransmission follows.
     */
    private void onEcnEcho(int ack, long nowNanos) {
        if (cc != null && ecn.reduceOnEce(ack, sndMax, recovery.active())) {
            cc.onCongestionEvent(sndMax - sndUna, nowNanos);
            cc.onRecoveryEnd(sndMax - sndUna, nowNanos);
            reordering.forget(); // a real congestion signal: no earlier response may be undone now
        }
    }

    /**
     * RFC 4015 §2 response to a spurious loss response: cwnd and ssthresh as they were before it,
     * recovery over, and (after a spurious RTO) new data from SND.MAX instead of go-back-N.
     */
    private void undo() {
        cc.undo(reordering.priorCwnd, reordering.priorSsthresh);
        reordering.undone();
        recovery.undone(sndUna);
        dupAcks = 0;
        if (Seq.lt(sndNxt, sndMax)) {
            sndNxt = sndMax;
        }
    }

    /** RFC 5681 §3.2 steps 2-3, RFC 6675 §5 step (4): enter fast recovery and retransmit SND.UNA. */
    private void enterRecovery(long nowNanos) {
        fastRetransmits++;
        reordering.startEpisode(cc.cwnd(), cc.ssthresh());
        cc.onCongestionEvent(sndMax - sndUna, nowNanos);
        tlp.reset();
        recovery.enter(sndMax, nowNanos);
    }

    /**
     * Retransmit one segment starting at {@code seq}: at most SMSS and {@code maxLen} (the hole),
     * or the FIN alone when only it is left. Returns the sequence space it covered.
     */
    int retransmitAt(int seq, int maxLen, long nowNanos) {
        int len = Math.min(Math.min(segmentCap(), maxLen), Math.max(0, bufEnd() - seq));
        boolean fin = finQueued && seq + len == bufEnd();
        if (len == 0 && !fin) {
            return 0;
        }
        emitText(seq, len, 0, nowNanos);                     // never more than SMSS: no GSO
        return len + (fin ? 1 : 0);
    }

    /** SMSS: the largest text of a segment we send (RFC 5681 §2, RFC 9293 §3.7.1). */
    int smss() { return neg.effectiveMss(); }

    /** Largest text of one wire segment now: MSS less the options this segment carries. */
    int segmentCap() { return Math.max(1, neg.effectiveMss() - tx.sackOptionBytes()); }

    /**
     * Send what the windows allow: in SACK recovery, RFC 6675 §5 step (C) (lost holes first, then
     * new data, while cwnd - pipe >= SMSS); otherwise new data from SND.NXT within min(cwnd, SND.WND).
     */
    void output(long nowNanos) {
        // RFC 5681 §4.1: restart from the restart window after an idle period of one RTO.
        if (sentAnything && sndNxt == sndUna && cc != null && nowNanos - lastSendNanos > rtt.rtoNanos()) {
            cc.onIdleRestart(nowNanos);
        }
        if (!recovery.transmit(nowNanos)) {
            // RFC 3042 limited transmit, extended to DupThresh - 1 as RFC 4653 §3 does: each
            // duplicate ACK before loss is declared lets one new segment out beyond cwnd.
            int limited = recovery.active() ? 0 : Math.min(dupAcks, reordering.dupThresh() - 1) * smss();
            for (int guard = 0; guard < MAX_SEGMENTS_PER_OUTPUT; guard++) {
                int room = (cc == null ? Integer.MAX_VALUE : cc.cwnd() + recovery.inflation() + limited) - (sndNxt - sndUna);
                if (!sendNew(room, nowNanos)) {
                    break;
                }
            }
        }
        // RFC 6298 (5.1): outstanding data always has the timer running, also when an undo
        // (RFC 4015) moved SND.NXT back up to SND.MAX after the ACK processing stopped it.
        if (Seq.gt(sndNxt, sndUna)) {
            rto.startIfStopped(nowNanos);
        }
        // RFC 8985 §7.2: not in fast or RTO recovery (a retransmission outstanding), nothing SACKed.
        tlp.schedule(config.tailLossProbe && sndNxt == sndMax && Seq.gt(sndMax, sndUna) && !recovery.active() && Seq.ge(sndUna, rxHigh)
                && sackedBytes() == 0, sndMax - sndUna, smss(), nowNanos);
        // RFC 9293 §3.8.6.1: a zero window with data waiting and nothing in flight.
        persist.update(sndWnd == 0 && sndNxt == sndUna && bufEnd() - sndNxt > 0, nowNanos);
    }

    /** One segment of new (or, after an RTO, resent) data from SND.NXT, or the FIN. */
    boolean sendNew(int cwndRoom, long nowNanos) {
        int pending = bufEnd() - sndNxt;
        if (pending <= 0) {
            if (finQueued && sndNxt == bufEnd()) {
                // The FIN goes out once the data before it has (RFC 9293 §3.10.4).
                emitText(sndNxt, 0, 0, nowNanos);
                return true;
            }
            return false;
        }
        int room = Math.min(cwndRoom, sndUna + sndWnd - sndNxt);
        if (room <= 0) {
            return false;
        }
        int mss = segmentCap();
        int max = config.gsoMaxBytes > mss ? config.gsoMaxBytes / mss * mss : mss;
        int len = Math.min(pending, Math.min(room, max));
        boolean outstanding = sndNxt != sndUna;
        if (len < mss) {
            // RFC 9293 §3.8.6.2.1 sender SWS avoidance: a window-limited runt waits for ACKs unless
            // it is at least half the largest window the peer offered.
            if (len < pending && outstanding && len < maxSndWnd / 2) {
                return false;
            }
            // RFC 9293 §3.7.4 Nagle (SHLD-7): one small segment in flight at a time.
            if (len == pending && outstanding && config.nagle && !finQueued) {
                return false;
            }
        }
        emitText(sndNxt, len, len > mss ? mss : 0, nowNanos);
        return true;
    }

    /**
     * Emit {@code len} bytes from {@code seq} (plus the FIN when they end the stream) as one
     * segment, or, with {@code gsoSize} > 0, a GSO super-segment cut at that size.
     */
    private void emitText(int seq, int len, int gsoSize, long nowNanos) {
        boolean retransmission = Seq.lt(seq, sndMax);
        boolean fin = finQueued && seq + len == bufEnd();
        int flags = fin ? Segment.FIN : 0;
        if (len > 0 && seq + len == bufEnd()) {
            flags |= Segment.PSH;
        }
        // RFC 3168 §6.1.1: ECT(0) on new data; never on retransmissions (§6.1.5) or pure ACKs.
        boolean ect = neg.ecn && len > 0 && !retransmission;
        flags |= ect ? ecn.takeCwr() : 0;
        ByteBuf text = len > 0 ? buf.text(seq - bufStart, len) : Unpooled.EMPTY_BUFFER;
        try {
            tx.segment(seq, flags, text, ect ? Segment.ECT_0 : Segment.NOT_ECT, gsoSize, nowNanos);
        } finally {
            text.release();
        }
        int end = seq + len + (fin ? 1 : 0);
        if (retransmission) {
            retransmits++;
            reordering.onRetransmit(seq, len, neg.timestamps, neg.tsVal(nowNanos));
            rxHigh = Seq.max(rxHigh, end);
            rtt.retransmitted(seq);
        } else {
            tlp.restartWanted();                              // RFC 8985 §7.2
            if (!rtt.timing()) {
                rtt.startTiming(end, nowNanos);
            }
        }
        if (seq == sndNxt) {
            sndNxt = end;
        }
        sndMax = Seq.max(sndMax, end);
        rto.startIfStopped(nowNanos);                         // RFC 6298 (5.1)
        lastSendNanos = nowNanos;
        sentAnything = true;
    }

    /**
     * RFC 6298 (5.4)-(5.7) in a synchronized state: back off, collapse cwnd, go back to SND.UNA and
     * resend. False when {@link TcpConfig#maxRetransmits} is exhausted: the caller aborts.
     */
    boolean onRetransmitTimeout(long nowNanos) {
        if (++rtoCount > config.maxRetransmits) {
            return false;
        }
        timeouts++;
        rtt.backoff();
        // A timeout during recovery, or a repeated one, continues the episode that began first.
        if (!reordering.armed() || !(recovery.active() || rtoCount > 1)) {
            reordering.startEpisode(cc.cwnd(), cc.ssthresh());
        }
        cc.onRetransmitTimeout(sndMax - sndUna, nowNanos);
        recovery.timedOut(sndMax);
        tlp.reset();
        dupAcks = 0;
        sndNxt = sndUna;
        rtt.stopTiming();
        rto.stop();
        output(nowNanos);
        if (sndMax != sndUna && sndWnd > 0) {
            rto.startIfStopped(nowNanos);                     // (5.5)-(5.6) even when (5.5)'s resend waits for the window
        }
        return true;
    }

    /**
     * Path MTU shrank (RFC 1191 §6.5, RFC 8201 §5.4): segments now cut smaller; what was sent at the
     * old size is resent from SND.UNA (go-back-N, as Linux tcp_simple_retransmit), without a loss
     * response: no congestion was signalled.
     */
    void onPathMssLowered(long nowNanos) {
        if (Seq.gt(sndMax, sndUna)) {
            sndNxt = sndUna;
            rtt.stopTiming();
            output(nowNanos);
        }
    }

    /**
     * RFC 8985 §7.3 TLP_send_probe, when the PTO expires with the tail still unacknowledged: the
     * lowest unsent segment if the peer's window has room (cwnd does not count), else the last
     * segment sent again; then the RTO restarts, the backstop if the probe is lost too.
     */
    void onProbeTimeout(long nowNanos) {
        if (sndNxt != sndMax || sndMax == sndUna || recovery.active() || cc == null) {
            return;
        }
        int len = Math.min(Math.min(bufEnd() - sndNxt, sndUna + sndWnd - sndNxt), segmentCap());
        boolean retransmission = len <= 0;
        int seq = retransmission ? Seq.max(sndUna, Seq.min(sndMax, bufEnd()) - segmentCap()) : sndNxt;
        if (retransmission) {
            retransmitAt(seq, Integer.MAX_VALUE, nowNanos);
        } else {
            emitText(seq, len, 0, nowNanos);
        }
        tlp.sent(seq, sndNxt, retransmission);
        rto.restart(nowNanos);
    }

    /** RFC 5927 §4.1: does an ICMP error quote a sequence number we have in flight, SND.UNA =< seq < SND.MAX? */
    boolean inFlight(int seq) {
        return Seq.ge(seq, sndUna) && Seq.lt(seq, sndMax);
    }

    /** RFC 9293 §3.8.6.1 (MUST-36): probe the zero window with one byte, backing off each time. */
    void onPersist(long nowNanos) {
        persist.fired();
        if (sndWnd != 0 || bufEnd() - sndNxt <= 0) {
            return;
        }
        ByteBuf text = buf.text(sndNxt - bufStart, 1);
        try {
            tx.segment(sndNxt, 0, text, Segment.NOT_ECT, 0, nowNanos);
        } finally {
            text.release();
        }
        sndMax = Seq.max(sndMax, sndNxt + 1);
        persist.probed(nowNanos);
    }

    /** RFC 9293 §3.10.4: CLOSE queues a FIN after everything queued. */
    void queueFin() {
        finQueued = true;
    }

    // SND.* as TcpConnection's steps ask about them.
    int iss() { return iss; }
    int sndUna() { return sndUna; }
    int sndNxt() { return sndNxt; }
    int sndMax() { return sndMax; }
    int sndWnd() { return sndWnd; }
    boolean finQueued() { return finQueued; }

    /** SND.UNA < SEG.ACK =< SND.NXT: the ACK acknowledges something new (in SYN-SENT, our SYN). */
    boolean acksNew(int ack) {
        return Seq.lt(sndUna, ack) && Seq.le(ack, sndNxt);
    }

    /**
     * RFC 5961 §5.2: an ACK is acceptable in [SND.UNA - MAX.SND.WND, SND.NXT]; SND.MAX stands for
     * SND.NXT, as after an RTO the data beyond SND.NXT was sent too.
     */
    boolean ackInRange(int ack) {
        return Seq.le(ack, sndMax) && Seq.ge(ack, sndUna - maxSndWnd);
    }

    /** Octets SACKed above SND.UNA now (0 without SACK). */
    int sackedBytes() { return recovery.scoreboard() == null ? 0 : recovery.scoreboard().sackedBytes(); }
    CongestionControl cc() { return cc; }
    boolean inRecovery() { return recovery.active(); }
    Reordering reordering() { return reordering; }

    void release() {
        buf.release();
    }
}
