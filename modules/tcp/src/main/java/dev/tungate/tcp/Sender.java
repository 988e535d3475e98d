package dev.tungate.tcp;

import dev.tungate.tcp.cc.CongestionControl;
import dev.tungate.tcp.cc.CongestionControls;
import dev.tungate.tcp.sack.SackScoreboard;
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
 * <p>Owns the send buffer, the retransmission timer (RFC 6298, Karn's rule), the persist timer
 * (RFC 9293 §3.8.6.1), Nagle and sender SWS avoidance (RFC 9293 §3.7.4, §3.8.6.2.1), fast
 * retransmit / fast recovery (RFC 5681 §3.2 with RFC 6582 NewReno, or RFC 6675 SACK-based when
 * SACK is on), limited transmit (RFC 3042, extended per RFC 4653), the ECN sender response
 * (RFC 3168 §6.1.2) and GSO super-segments. Growth and back-off of cwnd are the
 * {@link CongestionControl}'s; loss accounting is the {@link SackScoreboard}'s; DupThresh and
 * undoing spurious loss responses (RFC 3522, 3708, 4015) are {@link Reordering}'s.
 */
final class Sender {
    /**
     * Passes of one {@link #output} loop: each sends one segment (or a GSO super-segment) or stops.
     * A backstop against a bug spinning the event loop; it bounds the burst one call can emit
     * (1024 segments, or 1024 super-segments with GSO), and the next ACK or timer continues.
     */
    private static final int MAX_SEGMENTS_PER_OUTPUT = 1024;
    private final TcpConfig config;
    private final Negotiated neg;
    private final RttEstimator rtt;
    private final Timers timers;
    private final Emitter tx;
    private final SendBuffer buf = new SendBuffer();
    private final int[] holeLen = new int[1];
    private final Reordering reordering = new Reordering();
    private CongestionControl cc;
    private SackScoreboard scoreboard;

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
    private boolean inRecovery;
    /** "recover" of RFC 6582 §3.2 / RecoveryPoint of RFC 6675: highest sequence sent at loss. */
    private int recover;
    /** HighRxt of RFC 6675 §2: one past the highest sequence retransmitted in this recovery. */
    private int highRxt;
    /** RFC 5681 §3.2 step 4 window inflation, NewReno without SACK only. */
    private int inflation;
    /** One past the highest sequence number ever retransmitted: below it, a late arrival may be a retransmission. */
    private int rxHigh;
    /** RFC 3168 §6.1.2: one window reduction per window of data; recover point for ECE. */
    private int ecnRecover;
    /** RFC 3168 §6.1.2: set CWR on the next new data segment. */
    private boolean cwrPending;
    /** Consecutive RTO expirations without an ACK of new data. */
    private int rtoCount;
    private int persistBackoff;
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
        this.timers = timers;
        this.tx = tx;
    }

    void init(int iss) {
        this.iss = iss;
        sndUna = iss;
        sndNxt = iss;
        sndMax = iss;
        bufStart = iss + 1;
        recover = iss;
        rxHigh = iss;
        ecnRecover = iss;
    }

    /** Options are agreed: size the congestion controller and the scoreboard to SMSS. */
    void negotiated() {
        cc = CongestionControls.create(config.congestionControl, neg.effectiveMss());
        scoreboard = neg.sack ? new SackScoreboard() : null;
    }

    /** The peer's SYN carried its first window (RFC 9293 §3.10.7.2, §3.10.7.3: never scaled). */
    void initWindow(int segSeq, int segAck, int segWnd) {
        sndWnd = segWnd;
        maxSndWnd = segWnd;
        sndWl1 = segSeq;
        sndWl2 = segAck;
    }

    int sendSpace() {
        return Math.max(0, config.sendBufferBytes - buf.size());
    }

    /** Queue up to the free space from {@code data}'s readerIndex; indices of data do not move. */
    int queue(ByteBuf data) {
        int n = Math.min(sendSpace(), data.readableBytes());
        buf.append(data, n);
        return n;
    }

    private int bufEnd() {
        return bufStart + buf.size();
    }

    boolean finAcked() {
        return finQueued && sndUna == bufEnd() + 1;
    }

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
        timers.rto = nowNanos + rtt.rtoNanos();
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
     * checked the range): advance SND.UNA, free the buffer, sample RTT, grow or recover the window,
     * update SND.WND, count duplicate ACKs. Returns the data bytes newly acknowledged.
     */
    int onAck(Segment seg, long nowNanos) {
        int ack = seg.ack;
        boolean syn = seg.has(Segment.SYN);
        // RFC 7323 §2.3: the window of a SYN segment is never scaled.
        int wnd = syn ? seg.wnd : seg.wnd << neg.sndWndShift;
        int flight = sndMax - sndUna;
        // RFC 5681 §2 "duplicate acknowledgment": (a) data outstanding, (b) no data, (c) no SYN/FIN,
        // (d) ack == SND.UNA, (e) same window.
        boolean duplicate = sndNxt != sndUna && ack == sndUna && seg.text.readableBytes() == 0
                && (seg.flags & (Segment.SYN | Segment.FIN)) == 0 && wnd == sndWnd;
        int smss = neg.effectiveMss();
        int oldUna = sndUna;
        // The highest SACKed octet before this ACK: how far above a late hole the data had got.
        int fack = scoreboard == null || scoreboard.isEmpty() ? sndUna : scoreboard.highestSacked();
        boolean dsack = scoreboard != null && !syn && Reordering.isDsack(seg.options, ack);
        int dataAcked = 0;
        if (Seq.gt(ack, sndUna)) {
            int acked = ack - sndUna;
            dataAcked = Math.max(0, Seq.min(ack, bufEnd()) - bufStart);
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
            // Progress: a persist timer starts over from the first interval.
            persistBackoff = 0;
            timers.persist = Timers.OFF;
            long rttNanos = rttSample(seg, oldUna, flight, nowNanos);
            bytesAcked += dataAcked;
            // How far data above the hole at the old SND.UNA had got (SACKed, or duplicate ACKs).
            int distance = Seq.gt(fack, oldUna) ? fack - oldUna : dupAcks * smss;
            if (neg.timestamps && reordering.eifel(seg.options.hasTimestamps, seg.options.tsEcr)) {
                reordering.observe(distance, smss); // RFC 3522 §2: the original got there first
                undo();
            } else if (Seq.ge(oldUna, rxHigh)) {
                reordering.observe(distance, smss); // never retransmitted, so it came late
            }
            if (inRecovery) {
                if (Seq.gt(ack, recover)) {
                    // RFC 6582 §3.2 step 3 / RFC 6675 §5: a full ACK ends recovery.
                    inRecovery = false;
                    inflation = 0;
                    cc.onRecoveryEnd(sndMax - sndUna, nowNanos);
                } else if (scoreboard == null) {
                    // RFC 6582 §3.2 step 5: partial ACK. Retransmit the first unacknowledged
                    // segment, deflate by the amount acknowledged, add back one SMSS if that was
                    // at least one SMSS, and restart the timer (the "Impatient" variant's start).
                    inflation = Math.max(0, inflation - acked);
                    if (acked >= neg.effectiveMss()) {
                        inflation += neg.effectiveMss();
                    }
                    retransmitAt(sndUna, Integer.MAX_VALUE, nowNanos);
                }
            } else if (dataAcked > 0 && cc != null) {
                cc.onAck(dataAcked, flight, rttNanos, nowNanos);
            }
            if (!inRecovery) {
                dupAcks = 0;
            }
            // RFC 6298 (5.2) all data acknowledged: stop the timer; (5.3) else restart it.
            timers.rto = sndNxt == sndUna ? Timers.OFF : nowNanos + rtt.rtoNanos();
        }
        // RFC 9293 §3.10.7.4 fifth step: update the send window only from a newer segment.
        if (Seq.lt(sndWl1, seg.seq) || (sndWl1 == seg.seq && Seq.le(sndWl2, ack))) {
            sndWnd = wnd;
            sndWl1 = seg.seq;
            sndWl2 = ack;
            maxSndWnd = Math.max(maxSndWnd, wnd);
        }
        if (dsack && reordering.onDsack(seg.options.sackLeft[0], seg.options.sackRight[0]) > 0) {
            // RFC 3708 §2: a retransmission was a duplicate, so its original arrived, late.
            reordering.observe(fack - seg.options.sackLeft[0], smss);
            if (reordering.allDsacked()) {
                undo();
            }
        }
        if (scoreboard != null && !syn) {
            scoreboard.onAck(sndUna, sndMax, seg.options);
        }
        if (duplicate) {
            dupAcks++;
            if (!inRecovery) {
                // RFC 6582 §3.2 step 2: only when the ACK covers more than "recover".
                if (reordering.lost(dupAcks, scoreboard, sndMax - sndUna, smss) && Seq.gt(ack, recover)) {
                    enterRecovery(nowNanos);
                }
            } else if (scoreboard == null) {
                inflation += neg.effectiveMss(); // RFC 5681 §3.2 step 4
            }
        }
        if (neg.ecn && !syn && seg.has(Segment.ECE) && !inRecovery && Seq.gt(ack, ecnRecover) && cc != null) {
            // RFC 3168 §6.1.2: halve once per window of data, then announce it with CWR. The
            // controller's fast-recovery cwnd is deflated at once: no retransmission follows.
            cc.onCongestionEvent(sndMax - sndUna, nowNanos);
            cc.onRecoveryEnd(sndMax - sndUna, nowNanos);
            reordering.forget(); // a real congestion signal: no earlier response may be undone now
            ecnRecover = sndMax - 1;
            cwrPending = true;
        }
        return dataAcked;
    }

    /**
     * RFC 6298 (2.2)/(2.3) sample for an ACK of new data: the timed segment when this ACK covers
     * it (Karn, RFC 6298 §3), else with timestamps the RTTM of RFC 7323 §4.1, now - TSecr,
     * weighted per Appendix G. Linux prefers the same order (tcp_ack_update_rtt). Returns the
     * sample, or -1.
     *
     * <p>Deviation: RFC 7323 §4.1 takes TSecr samples across retransmissions too; here only when
     * none of the acknowledged octets was ever retransmitted (and not for the SYN). A receiver's
     * TS.Recent may still hold a TSval from before the retransmission (RFC 7323 §4.3 keeps the
     * oldest unacknowledged one; a SYN-ACK answering a retransmitted SYN echoes the first SYN),
     * which would turn the whole timeout into one RTT sample and inflate RTO for many RTTs.
     */
    private long rttSample(Segment seg, int oldUna, int flight, long nowNanos) {
        long sample = rtt.timedSample(seg.ack, nowNanos);
        if (!neg.timestamps) {
            rtt.sample(sample);
            return sample;
        }
        if (sample < 0 && seg.options.hasTimestamps && seg.options.tsEcr != 0 && Seq.gt(oldUna, iss)
                && Seq.ge(oldUna, rxHigh)) {
            sample = rtt.tsSample(neg.tsVal(nowNanos) - seg.options.tsEcr);
        }
        // Appendix G: ExpectedSamples = ceiling(FlightSize / (SMSS * 2)).
        long twoSegments = 2L * neg.effectiveMss();
        rtt.sample(sample, (int) Math.max(1, (flight + twoSegments - 1) / twoSegments));
        return sample;
    }

    /**
     * RFC 4015 §2 response to a spurious loss response: cwnd and ssthresh as they were before it,
     * recovery over, and (after a spurious RTO) new data from SND.MAX instead of go-back-N.
     * RFC 6582's "recover" goes down too: a later loss in this window may start recovery again.
     */
    private void undo() {
        cc.undo(reordering.priorCwnd, reordering.priorSsthresh);
        reordering.undone();
        inRecovery = false;
        inflation = 0;
        dupAcks = 0;
        recover = sndUna - 1;
        if (Seq.lt(sndNxt, sndMax)) {
            sndNxt = sndMax;
        }
    }

    /** RFC 5681 §3.2 steps 2-3, RFC 6675 §5 step (4): enter fast recovery and retransmit SND.UNA. */
    private void enterRecovery(long nowNanos) {
        inRecovery = true;
        recover = sndMax - 1;
        inflation = 0;
        fastRetransmits++;
        reordering.startEpisode(cc.cwnd(), cc.ssthresh());
        cc.onCongestionEvent(sndMax - sndUna, nowNanos);
        highRxt = sndUna;
        int len = retransmitAt(sndUna, Integer.MAX_VALUE, nowNanos);
        highRxt = sndUna + len;
    }

    /**
     * Retransmit one segment starting at {@code seq}: at most SMSS and {@code maxLen} (the hole),
     * or the FIN alone when only it is left. Returns the sequence space it covered.
     */
    private int retransmitAt(int seq, int maxLen, long nowNanos) {
        int len = Math.min(Math.min(segmentCap(), maxLen), Math.max(0, bufEnd() - seq));
        boolean fin = finQueued && seq + len == bufEnd();
        if (len == 0 && !fin) {
            return 0;
        }
        emitText(seq, len, 0, nowNanos);                     // never more than SMSS: no GSO
        return len + (fin ? 1 : 0);
    }

    /** Largest text of one wire segment now: MSS less the options this segment carries. */
    private int segmentCap() {
        return Math.max(1, neg.effectiveMss() - tx.sackOptionBytes());
    }

    /**
     * Send what the windows allow: in SACK recovery, RFC 6675 §5 step (C) (lost holes first, then
     * new data, while cwnd - pipe >= SMSS); otherwise new data from SND.NXT within min(cwnd, SND.WND).
     */
    void output(long nowNanos) {
        // RFC 5681 §4.1: restart from the restart window after an idle period of one RTO.
        if (sentAnything && sndNxt == sndUna && cc != null && nowNanos - lastSendNanos > rtt.rtoNanos()) {
            cc.onIdleRestart(nowNanos);
        }
        if (inRecovery && scoreboard != null) {
            int smss = neg.effectiveMss();
            // RFC 6675 §4 IsLost with DupThresh as learned (RFC 4653): both its rules, blocks and
            // bytes, scale with it, so a hole reordered less deeply is not retransmitted. It is
            // capped by what cwnd can still bring in SACKs (RFC 4653 §3 derives DupThresh from the
            // flight cwnd allows), or holes would wait for the RTO once recovery has halved cwnd.
            int dupThresh = reordering.lossThresh(Math.min(sndMax - sndUna, cc.cwnd()), smss);
            for (int guard = 0; guard < MAX_SEGMENTS_PER_OUTPUT; guard++) {
                int pipe = scoreboard.pipe(sndUna, sndMax, highRxt, smss, dupThresh);
                int room = cc.cwnd() - pipe;
                if (room < smss) {
                    break;
                }
                int start = scoreboard.nextLostHole(Seq.max(highRxt, sndUna), sndMax, smss, dupThresh, segmentCap(), holeLen);
                if (holeLen[0] > 0) {
                    int len = retransmitAt(start, holeLen[0], nowNanos);
                    if (len == 0) {
                        break;
                    }
                    highRxt = start + len;
                    continue;
                }
                if (sendNew(room, nowNanos)) {
                    continue;
                }
                // NextSeg rule (3): no lost hole and no new data, so an unSACKed hole below the
                // highest SACKed octet goes out anyway. IsLost with a DupThresh of one holds for
                // any hole with SACKed data above it, which is rule (3)'s test without (1.c).
                start = scoreboard.nextLostHole(Seq.max(highRxt, sndUna), sndMax, smss, 1, segmentCap(), holeLen);
                int len = holeLen[0] > 0 ? retransmitAt(start, holeLen[0], nowNanos) : 0;
                if (len == 0) {
                    break;
                }
                highRxt = start + len;
            }
        } else {
            // RFC 3042 limited transmit, extended to DupThresh - 1 as RFC 4653 §3 does: each
            // duplicate ACK before loss is declared lets one new segment out beyond cwnd.
            int limited = inRecovery ? 0 : Math.min(dupAcks, reordering.dupThresh() - 1) * neg.effectiveMss();
            for (int guard = 0; guard < MAX_SEGMENTS_PER_OUTPUT; guard++) {
                int room = (cc == null ? Integer.MAX_VALUE : cc.cwnd() + inflation + limited) - (sndNxt - sndUna);
                if (!sendNew(room, nowNanos)) {
                    break;
                }
            }
        }
        // RFC 6298 (5.1): outstanding data always has the timer running, also when an undo
        // (RFC 4015) moved SND.NXT back up to SND.MAX after the ACK processing stopped it.
        if (timers.rto == Timers.OFF && Seq.gt(sndNxt, sndUna)) {
            timers.rto = nowNanos + rtt.rtoNanos();
        }
        updatePersist(nowNanos);
    }

    /** One segment of new (or, after an RTO, resent) data from SND.NXT, or the FIN. */
    private boolean sendNew(int cwndRoom, long nowNanos) {
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
        int ecn = Segment.NOT_ECT;
        if (neg.ecn && len > 0 && !retransmission) {
            ecn = Segment.ECT_0; // RFC 3168 §6.1.1: ECT(0) on data; never on retransmissions (§6.1.5) or pure ACKs
            if (cwrPending) {
                flags |= Segment.CWR;
                cwrPending = false;
            }
        }
        ByteBuf text = len > 0 ? buf.text(seq - bufStart, len) : Unpooled.EMPTY_BUFFER;
        try {
            tx.segment(seq, flags, text, ecn, gsoSize, nowNanos);
        } finally {
            text.release();
        }
        int end = seq + len + (fin ? 1 : 0);
        if (retransmission) {
            retransmits++;
            reordering.onRetransmit(seq, len, neg.timestamps, neg.tsVal(nowNanos));
            rxHigh = Seq.max(rxHigh, end);
            rtt.retransmitted(seq);
        } else if (!rtt.timing()) {
            rtt.startTiming(end, nowNanos);
        }
        if (seq == sndNxt) {
            sndNxt = end;
        }
        sndMax = Seq.max(sndMax, end);
        if (timers.rto == Timers.OFF) {
            timers.rto = nowNanos + rtt.rtoNanos(); // RFC 6298 (5.1)
        }
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
        if (!reordering.armed() || !(inRecovery || rtoCount > 1)) {
            reordering.startEpisode(cc.cwnd(), cc.ssthresh());
        }
        cc.onRetransmitTimeout(sndMax - sndUna, nowNanos);
        if (scoreboard != null) {
            scoreboard.reset(); // RFC 6675 §5.1
        }
        inRecovery = false;
        inflation = 0;
        dupAcks = 0;
        // RFC 6582 §4: after a timeout, dup ACKs for data sent before it do not start recovery.
        recover = sndMax - 1;
        sndNxt = sndUna;
        rtt.stopTiming();
        timers.rto = Timers.OFF;
        output(nowNanos);
        if (timers.rto == Timers.OFF && sndMax != sndUna && sndWnd > 0) {
            timers.rto = nowNanos + rtt.rtoNanos();
        }
        return true;
    }

    /** RFC 9293 §3.8.6.1: a zero window with data waiting and nothing in flight arms the persist timer. */
    private void updatePersist(long nowNanos) {
        if (sndWnd == 0 && sndNxt == sndUna && bufEnd() - sndNxt > 0) {
            if (timers.persist == Timers.OFF) {
                timers.persist = nowNanos + rtt.rtoNanos(persistBackoff);
            }
        } else {
            timers.persist = Timers.OFF;
            persistBackoff = 0;
        }
    }

    /** RFC 9293 §3.8.6.1 (MUST-36): probe the zero window with one byte, backing off each time. */
    void onPersist(long nowNanos) {
        timers.persist = Timers.OFF;
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
        persistBackoff++;
        timers.persist = nowNanos + rtt.rtoNanos(persistBackoff);
    }

    /** RFC 9293 §3.10.4: CLOSE queues a FIN after everything queued. */
    void queueFin() {
        finQueued = true;
    }

    CongestionControl cc() {
        return cc;
    }

    boolean inRecovery() {
        return inRecovery;
    }

    Reordering reordering() {
        return reordering;
    }

    void release() {
        buf.release();
    }
}
