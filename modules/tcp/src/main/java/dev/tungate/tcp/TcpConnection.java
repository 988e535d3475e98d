package dev.tungate.tcp;

import io.netty.buffer.ByteBuf;

/**
 * One TCP connection, sans-IO: the caller passes segments and {@code nowNanos}; segments to send,
 * bytes to deliver and events come back through {@link TcpOutput}; timers are deadlines the
 * caller polls with {@link #nextDeadlineNanos()} and runs with {@link #onTimer}.
 *
 * <p>Read first: RFC 9293 §3.10 (event processing, followed step by step in
 * {@link #segmentArrives}), RFC 5961 (challenge ACKs), RFC 7323 (window scaling, timestamps,
 * PAWS), RFC 6298 (RTO), RFC 5681 / 6582 / 6675 (congestion control and loss recovery).
 * {@link Sender} and {@link Receiver} own the two halves of the sequence space; this class owns
 * the state machine and the order of the steps.
 *
 * <p>Single-threaded: every method must be called from the thread that owns the connection.
 */
public final class TcpConnection {
    private final TcpConfig config;
    private final TcpOutput out;
    private final Negotiated neg;
    private final Timers timers = new Timers();
    private final RttEstimator rtt;
    private final Receiver rcv;
    private final Emitter tx;
    private final Sender snd;
    private final ChallengeAckLimiter challengeLimiter;
    private State state = State.CLOSED;
    /** The final CLOSED event went out: the connection is spent. */
    private boolean finished;
    /** send() took less than offered: announce {@link TcpEvent#WRITABLE} when space frees. */
    private boolean wantWritable;
    private final Keepalive keepalive;

    public TcpConnection(TcpConfig config, TcpOutput out) {
        this.config = config;
        this.out = out;
        this.neg = new Negotiated(config);
        this.rtt = new RttEstimator(config);
        this.rcv = new Receiver(config, neg, out);
        this.tx = new Emitter(config, neg, rcv, timers, out);
        this.snd = new Sender(config, neg, rtt, timers, tx);
        this.challengeLimiter = new ChallengeAckLimiter(config.challengeAckLimitPerSecond);
        this.keepalive = new Keepalive(config);
    }

    /** Passive open: CLOSED to LISTEN. The next SYN is answered with SYN-ACK from {@code iss}. */
    public void listen(int iss) {
        requireState(State.CLOSED, "listen");
        snd.init(iss);
        neg.tsOffset = iss;
        state = State.LISTEN;
    }

    /** Active open: CLOSED to SYN-SENT, emits SYN with {@code iss} (RFC 9293 §3.10.1). */
    public void connect(int iss, long nowNanos) {
        requireState(State.CLOSED, "connect");
        snd.init(iss);
        neg.tsOffset = iss;
        state = State.SYN_SENT;
        tx.syn(iss, false, nowNanos);
        snd.synSent(false, nowNanos);
    }

    private void requireState(State expected, String op) {
        if (state != expected || finished) {
            throw new IllegalStateException(op + " in state " + state);
        }
    }

    /**
     * RFC 9293 §3.10.7: the one entry point for arriving segments. {@code seg} and its text are
     * borrowed for the call; the engine retains what it keeps.
     */
    public void segmentArrives(Segment seg, long nowNanos) {
        switch (state) {
            case CLOSED -> {
                onSegmentClosed(seg);
                return;
            }
            case LISTEN -> onSegmentListen(seg, nowNanos);
            case SYN_SENT -> onSegmentSynSent(seg, nowNanos);
            default -> onSegmentSynchronized(seg, nowNanos);
        }
        afterInput(nowNanos);
    }

    /** RFC 9293 §3.10.7.1: CLOSED. Everything but a RST draws a RST. */
    private void onSegmentClosed(Segment seg) {
        if (seg.has(Segment.RST)) {
            return;
        }
        if (seg.has(Segment.ACK)) {
            tx.rst(seg.ack, 0, false);                       // <SEQ=SEG.ACK><CTL=RST>
        } else {
            tx.rst(0, seg.seq + seg.len(), true);            // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
        }
    }

    /** RFC 9293 §3.10.7.2: LISTEN. */
    private void onSegmentListen(Segment seg, long nowNanos) {
        if (seg.has(Segment.RST)) {
            return;                                          // first: an incoming RST is ignored
        }
        if (seg.has(Segment.ACK)) {
            tx.rst(seg.ack, 0, false);                       // second: any ACK is bad, <SEQ=SEG.ACK><CTL=RST>
            return;
        }
        if (!seg.has(Segment.SYN)) {
            return;                                          // fourth: anything else is dropped
        }
        // third: SYN. RCV.NXT = SEG.SEQ + 1, IRS = SEG.SEQ; any text is dropped (the peer resends
        // it; Linux does the same without TCP Fast Open).
        neg.fromPeerSyn(seg.options, true, seg.has(Segment.ECE), seg.has(Segment.CWR));
        rcv.init(seg.seq);
        snd.initWindow(seg.seq, snd.iss, seg.wnd);
        snd.negotiated();
        state = State.SYN_RECEIVED;
        tx.syn(snd.iss, true, nowNanos);                     // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
        snd.synSent(false, nowNanos);
        keepalive.onReceive(nowNanos);
    }

    /** RFC 9293 §3.10.7.3: SYN-SENT. */
    private void onSegmentSynSent(Segment seg, long nowNanos) {
        boolean ackOk = false;
        if (seg.has(Segment.ACK)) {
            // first: SEG.ACK =< ISS or SEG.ACK > SND.NXT is unacceptable. This is also how an old
            // duplicate SYN-ACK is refused (RFC 9293 §3.5 Fig. 8): <SEQ=SEG.ACK><CTL=RST>.
            if (Seq.le(seg.ack, snd.iss) || Seq.gt(seg.ack, snd.sndNxt)) {
                if (!seg.has(Segment.RST)) {
                    tx.rst(seg.ack, 0, false);
                }
                return;
            }
            ackOk = true;                                    // SND.UNA < SEG.ACK =< SND.NXT
        }
        if (seg.has(Segment.RST)) {
            // second: RFC 5961 §3.2 allows the RST only with an acceptable ACK: "connection reset".
            if (ackOk) {
                finish(TcpEvent.RESET);
            }
            return;
        }
        // third (security) does not apply. fourth: the SYN bit.
        if (!seg.has(Segment.SYN)) {
            return;
        }
        neg.fromPeerSyn(seg.options, false, seg.has(Segment.ECE), seg.has(Segment.CWR));
        rcv.init(seg.seq);
        snd.initWindow(seg.seq, seg.ack, seg.wnd);
        snd.negotiated();
        keepalive.onReceive(nowNanos);
        if (ackOk) {
            // Our SYN is acknowledged: ESTABLISHED, and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
            snd.onAck(seg, nowNanos);
            state = State.ESTABLISHED;
            out.event(TcpEvent.ESTABLISHED);
            rcv.ackNow = true;
            if (snd.finQueued) {
                state = State.FIN_WAIT_1;
            }
            if (seg.text.readableBytes() > 0 || seg.has(Segment.FIN)) {
                textAndFin(seg, seg.seq + 1, nowNanos);       // "continue processing at the sixth step"
            }
        } else {
            // Simultaneous open (RFC 9293 §3.5 Fig. 7): SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
            state = State.SYN_RECEIVED;
            tx.syn(snd.iss, true, nowNanos);
        }
    }

    /** RFC 9293 §3.10.7.4: SYN-RECEIVED and the synchronized states, step by step. */
    private void onSegmentSynchronized(Segment seg, long nowNanos) {
        keepalive.onReceive(nowNanos);
        armFinWait2(nowNanos);
        int segLen = seg.len();
        if (state == State.TIME_WAIT && seg.has(Segment.FIN) && (seg.flags & (Segment.SYN | Segment.RST)) == 0
                && seg.seq + segLen == rcv.rcvNxt) {
            // eighth step, TIME-WAIT: "The only thing that can arrive in this state is a
            // retransmission of the remote FIN. Acknowledge it, and restart the 2 MSL timeout."
            tx.ack(snd.sndMax, nowNanos);
            timers.timeWait = nowNanos + 2 * config.mslNanos;
            return;
        }
        if (state == State.SYN_RECEIVED && seg.has(Segment.SYN) && seg.seq == rcv.irs
                && !seg.has(Segment.RST)) {
            if (!seg.has(Segment.ACK)) {
                // The peer did not hear our SYN-ACK and sent its SYN again: answer it again
                // (Linux tcp_check_req) rather than with a bare ACK it would not accept.
                tx.syn(snd.iss, true, nowNanos);
                return;
            }
            if (seg.ack == snd.sndNxt) {
                // Simultaneous open: the peer's SYN-ACK acknowledges our SYN. Its SYN lies below
                // RCV.NXT, so step one would refuse it; Linux tcp_validate_incoming lets it pass.
                establish(seg, nowNanos);
                return;
            }
        }
        // first: check the sequence number. RFC 7323 §5.3 R1: PAWS comes before it.
        if (neg.pawsRejects(seg)) {
            tx.ack(snd.sndMax, nowNanos);                    // R1: send an ACK, drop the segment
            return;
        }
        if (!rcv.acceptable(seg.seq, segLen)) {
            if (!seg.has(Segment.RST)) {
                rcv.unacceptable(seg.seq, seg.text.readableBytes());
                tx.ack(snd.sndMax, nowNanos);                // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
            }
            return;
        }
        neg.updateTsRecent(seg);
        // second: check the RST bit.
        if (seg.has(Segment.RST)) {
            onRst(seg, nowNanos);
            return;
        }
        // third (security) is not used. fourth: a SYN in a synchronized state, RFC 5961 §4.2.
        if (seg.has(Segment.SYN)) {
            challengeAck(nowNanos);
            return;
        }
        // fifth: check the ACK field. "if the ACK bit is off, drop the segment and return".
        if (!seg.has(Segment.ACK)) {
            return;
        }
        if (state == State.SYN_RECEIVED) {
            if (Seq.lt(snd.sndUna, seg.ack) && Seq.le(seg.ack, snd.sndNxt)) {
                establish(seg, nowNanos);
            } else {
                tx.rst(seg.ack, 0, false);                   // <SEQ=SEG.ACK><CTL=RST>
                return;
            }
        } else if (!onAck(seg, nowNanos)) {
            return;
        }
        textAndFin(seg, seg.seq, nowNanos);
    }

    /** Second step, with RFC 5961 §3.2: only a RST exactly at RCV.NXT resets; others are challenged. */
    private void onRst(Segment seg, long nowNanos) {
        if (seg.seq != rcv.rcvNxt) {
            challengeAck(nowNanos);
            return;
        }
        switch (state) {
            // CLOSING, LAST-ACK, TIME-WAIT: "enter the CLOSED state, delete the TCB, and return".
            case CLOSING, LAST_ACK, TIME_WAIT -> finish(null);
            // Deviation: RFC 9293 returns a passively opened SYN-RECEIVED to LISTEN; a gateway
            // connection exists for one peer only, so it closes and reports the reset.
            default -> finish(TcpEvent.RESET);
        }
    }

    /** RFC 5961 §7: an ACK that proves we are in sync, at most so many per second. */
    private void challengeAck(long nowNanos) {
        if (challengeLimiter.tryAcquire(nowNanos)) {
            tx.ack(snd.sndMax, nowNanos);
        }
    }

    /** Fifth step, SYN-RECEIVED: the ACK of our SYN moves to ESTABLISHED (or FIN-WAIT-1 after CLOSE). */
    private void establish(Segment seg, long nowNanos) {
        snd.onAck(seg, nowNanos);
        state = snd.finQueued ? State.FIN_WAIT_1 : State.ESTABLISHED;
        out.event(TcpEvent.ESTABLISHED);
    }

    /** Fifth step in ESTABLISHED and later. Returns false when the segment is dropped. */
    private boolean onAck(Segment seg, long nowNanos) {
        // RFC 5961 §5.2: acceptable only in [SND.UNA - MAX.SND.WND, SND.NXT]; else ACK and drop.
        // (SND.MAX stands for SND.NXT: after an RTO the data beyond SND.NXT was sent too.)
        if (Seq.gt(seg.ack, snd.sndMax) || Seq.lt(seg.ack, snd.sndUna - snd.maxSndWnd)) {
            challengeAck(nowNanos);
            return false;
        }
        int dataAcked = snd.onAck(seg, nowNanos);
        if (dataAcked > 0 && wantWritable && snd.sendSpace() > 0) {
            wantWritable = false;
            out.event(TcpEvent.WRITABLE);
        }
        if (snd.finAcked()) {
            switch (state) {
                case FIN_WAIT_1 -> {
                    state = State.FIN_WAIT_2;                // "our FIN is now acknowledged"
                    armFinWait2(nowNanos);
                }
                case CLOSING -> enterTimeWait(nowNanos);
                case LAST_ACK -> {
                    finish(null);                            // "delete the TCB, enter CLOSED"
                    return false;
                }
                default -> { }
            }
        }
        return true;
    }

    /** Sixth (URG), seventh (text) and eighth (FIN) steps; text starts at {@code textSeq}. */
    private void textAndFin(Segment seg, int textSeq, long nowNanos) {
        boolean receiving = state == State.ESTABLISHED || state == State.FIN_WAIT_1 || state == State.FIN_WAIT_2;
        if (!receiving) {
            // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: the peer's FIN came already; text and a
            // second FIN are ignored (the FIN was ACKed when it arrived).
            return;
        }
        // sixth: the URG bit (RFC 6093: urgent data stays inline, the pointer is only tracked).
        if (seg.has(Segment.URG)) {
            rcv.onUrgent(textSeq, seg.urgentPointer);
        }
        // RFC 3168 §6.1.3: CWR ends our ECE echo; a CE mark (inside onText) starts it.
        if (neg.ecn && seg.has(Segment.CWR)) {
            rcv.eceEcho = false;
        }
        // seventh: the segment text.
        boolean finInOrder = rcv.onText(textSeq, seg.text, seg.has(Segment.FIN), neg.ecn ? seg.ecn : 0);
        // eighth: the FIN bit, once RCV.NXT has reached it.
        if (finInOrder) {
            rcv.takeFin();
            switch (state) {
                case ESTABLISHED -> state = State.CLOSE_WAIT;
                // FIN-WAIT-1: our FIN not yet acknowledged, this is a simultaneous close.
                case FIN_WAIT_1 -> state = State.CLOSING;
                case FIN_WAIT_2 -> enterTimeWait(nowNanos);
                default -> { }
            }
            // After the transition, so a user asking state() on PEER_FIN sees where the FIN took us.
            out.event(TcpEvent.PEER_FIN);
        }
    }

    /** FIN-WAIT-2 waits for the peer's FIN at most tcp_fin_timeout (Linux), counted as {@link TcpConfig#finTimeoutNanos} says. */
    private void armFinWait2(long nowNanos) {
        if (state == State.FIN_WAIT_2 && config.finTimeoutNanos > 0) {
            timers.finWait2 = nowNanos + Math.max(config.finTimeoutNanos, config.maxRtoNanos);
        }
    }

    private void enterTimeWait(long nowNanos) {
        state = State.TIME_WAIT;
        timers.clearAll();
        timers.timeWait = nowNanos + 2 * config.mslNanos;
        snd.release();
        rcv.release();
    }

    /** After input or a timer: send what may be sent, the ACK owed, and rearm the timers. */
    private void afterInput(long nowNanos) {
        if (finished) {
            return;
        }
        switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> snd.output(nowNanos);
            default -> { }
        }
        if (state.synchronizedState() || state == State.SYN_RECEIVED) {
            if (rcv.ackNow) {
                tx.ack(snd.sndMax, nowNanos);
            } else if (rcv.ackDelayed && timers.delayedAck == Timers.OFF) {
                timers.delayedAck = nowNanos + config.delayedAckNanos;
            }
        }
        timers.keepalive = keepalive.deadline(state);
    }

    /**
     * Queue bytes toward the peer. Takes what fits in the send buffer from {@code data}'s
     * readerIndex, retaining a slice; the caller keeps ownership of {@code data} and its indices
     * do not move. Returns how many bytes were taken; when fewer than offered, a
     * {@link TcpEvent#WRITABLE} follows once space frees. In CLOSED (after a reset, say) it takes
     * nothing; after {@link #close} it is a programmer error.
     */
    public int send(ByteBuf data, long nowNanos) {
        if (state == State.CLOSED) {
            return 0;                                        // reset or timed out: CLOSED was reported
        }
        switch (state) {
            case LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> { }
            default -> throw new IllegalStateException("send in state " + state);
        }
        if (snd.finQueued) {
            throw new IllegalStateException("send after close");
        }
        int offered = data.readableBytes();
        int taken = snd.queue(data);
        if (taken < offered) {
            wantWritable = true;
        }
        if (state == State.ESTABLISHED || state == State.CLOSE_WAIT) {
            snd.output(nowNanos);
            timers.keepalive = keepalive.deadline(state);
        }
        return taken;
    }

    /** Free send-buffer space in bytes. */
    public int sendSpace() {
        return snd.sendSpace();
    }

    /** The user consumed {@code bytes} previously delivered: the receive window may reopen. */
    public void consumed(int bytes, long nowNanos) {
        if (finished || !(state.synchronizedState() || state == State.SYN_RECEIVED)) {
            return;
        }
        if (rcv.consumed(bytes) && state != State.TIME_WAIT) {
            tx.ack(snd.sndMax, nowNanos);                    // window update
        }
    }

    /** RFC 9293 §3.10.4 CLOSE: FIN after the queued bytes. */
    public void close(long nowNanos) {
        switch (state) {
            case LISTEN, SYN_SENT -> finish(null);           // "delete the TCB ... enter CLOSED"
            case SYN_RECEIVED -> snd.queueFin();             // "queue for processing after entering ESTABLISHED"
            case ESTABLISHED -> {
                snd.queueFin();
                state = State.FIN_WAIT_1;
                afterInput(nowNanos);
            }
            case CLOSE_WAIT -> {
                snd.queueFin();
                state = State.LAST_ACK;
                afterInput(nowNanos);
            }
            default -> { }                                   // "error: connection closing" or already closed
        }
    }

    /** RFC 9293 §3.10.5 ABORT: RST now (from a synchronized state), then CLOSED. */
    public void abort(long nowNanos) {
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT ->
                    tx.rst(snd.sndMax, 0, false);            // <SEQ=SND.NXT><CTL=RST> (SND.MAX, see Emitter#ack)
            default -> { }
        }
        if (state != State.CLOSED) {
            finish(null);
        }
    }

    /** Run every timer due at {@code nowNanos}. */
    public void onTimer(long nowNanos) {
        if (finished || state == State.CLOSED) {
            return;
        }
        if (Timers.due(timers.timeWait, nowNanos)) {
            finish(null);                                    // RFC 9293 §3.10.8: time-wait timeout
            return;
        }
        if (Timers.due(timers.finWait2, nowNanos)) {
            timedOut(true);                                  // Linux tcp_fin_timeout: RST, then CLOSED
            return;
        }
        if (Timers.due(timers.rto, nowNanos)) {
            timers.rto = Timers.OFF;
            onRetransmitTimeout(nowNanos);
            if (finished) {
                return;
            }
        }
        if (Timers.due(timers.persist, nowNanos)) {
            snd.onPersist(nowNanos);
        }
        if (Timers.due(timers.keepalive, nowNanos)) {
            onKeepalive(nowNanos);
            if (finished) {
                return;
            }
        }
        if (Timers.due(timers.delayedAck, nowNanos)) {
            timers.delayedAck = Timers.OFF;
            tx.ack(snd.sndMax, nowNanos);
        }
        timers.keepalive = keepalive.deadline(state);
    }

    /** RFC 6298 §5 (5.4)-(5.7), and RFC 9293 §3.8.1 R2: give up with RST after the retry limit. */
    private void onRetransmitTimeout(long nowNanos) {
        switch (state) {
            case SYN_SENT, SYN_RECEIVED -> {
                if (!snd.synTimeout()) {
                    timedOut(state == State.SYN_RECEIVED);
                    return;
                }
                tx.syn(snd.iss, state == State.SYN_RECEIVED, nowNanos);
                snd.synSent(true, nowNanos);
            }
            case TIME_WAIT, FIN_WAIT_2 -> { }
            default -> {
                if (!snd.onRetransmitTimeout(nowNanos)) {
                    timedOut(true);
                }
            }
        }
    }

    /** RFC 9293 §3.8.4: probe an idle peer with <SEQ=SND.NXT-1>; abort after the last probe. */
    private void onKeepalive(long nowNanos) {
        timers.keepalive = Timers.OFF;
        if (snd.sndNxt != snd.sndUna) {
            keepalive.postpone(nowNanos);
        } else if (keepalive.exhausted(nowNanos)) {
            timedOut(true);
        } else {
            tx.ack(snd.sndNxt - 1, nowNanos);
        }
    }

    private void timedOut(boolean sendRst) {
        if (sendRst) {
            tx.rst(snd.sndMax, 0, false);
        }
        finish(TcpEvent.TIMED_OUT);
    }

    /** Enter CLOSED: free everything, report {@code why} (if any) and then the final CLOSED. */
    private void finish(TcpEvent why) {
        state = State.CLOSED;
        finished = true;
        timers.clearAll();
        snd.release();
        rcv.release();
        if (why != null) {
            out.event(why);
        }
        out.event(TcpEvent.CLOSED);
    }

    /** Earliest timer deadline, or {@link Long#MAX_VALUE} when none is armed. */
    public long nextDeadlineNanos() {
        return timers.next();
    }

    /**
     * A SYN arrived for this 4-tuple while this connection is in TIME-WAIT: may a new connection
     * take the pair now? RFC 9293 §3.10.7.4 / RFC 6191: yes when, with timestamps in use, the
     * SYN's TSval is above TS.Recent, or else when its sequence number is above RCV.NXT. The
     * caller then {@link #abort}s this connection and opens a new one for the SYN.
     */
    public boolean acceptsNewSyn(Segment syn) {
        if (state != State.TIME_WAIT || !syn.has(Segment.SYN) || syn.has(Segment.ACK) || syn.has(Segment.RST)) {
            return false;
        }
        return neg.timestamps && syn.options.hasTimestamps ? Seq.gt(syn.options.tsVal, neg.tsRecent)
                : Seq.gt(syn.seq, rcv.rcvNxt);
    }

    // Read-only accessors, for `tungate ctl conns` and tests. Sequence numbers print with Seq.toString.
    public State state() { return state; }
    /** ISS, IRS, SND.UNA, SND.NXT, SND.WND in bytes (scaled), RCV.NXT, RCV.WND as last announced in bytes. */
    public int iss() { return snd.iss; }
    public int irs() { return rcv.irs; }
    public int sndUna() { return snd.sndUna; }
    public int sndNxt() { return snd.sndNxt; }
    public int sndWnd() { return snd.sndWnd; }
    public int rcvNxt() { return rcv.rcvNxt; }
    public int rcvWnd() { return rcv.rcvWnd(); }
    /** RCV.UP (RFC 6093), one past the last urgent byte; urgent data lies at or beyond RCV.NXT (§3.10.7.4 sixth step). */
    public int rcvUp() { return rcv.rcvUp; }
    public boolean urgentPending() { return rcv.urgentPending(); }
    /** SRTT (-1 before the first sample), RTTVAR, and the current RTO including backoff, in nanoseconds. */
    public long srttNanos() { return rtt.srttNanos(); }
    public long rttvarNanos() { return rtt.rttvarNanos(); }
    public long rtoNanos() { return rtt.rtoNanos(); }
    /** cwnd and ssthresh in bytes, 0 before the handshake. */
    public int cwnd() { return snd.cc() == null ? 0 : snd.cc().cwnd(); }
    public int ssthresh() { return snd.cc() == null ? 0 : snd.cc().ssthresh(); }
    /** SMSS (the largest text of one segment we send); window shifts in effect (RFC 7323 §2, 0 without). */
    public int effectiveMss() { return neg.effectiveMss(); }
    public int sndWndShift() { return neg.sndWndShift; }
    public int rcvWndShift() { return neg.rcvWndShift; }
    /** Which of timestamps (RFC 7323), SACK (RFC 2018) and ECN (RFC 3168) the SYNs agreed on. */
    public boolean timestampsEnabled() { return neg.timestamps; }
    public boolean sackEnabled() { return neg.sack; }
    public boolean ecnEnabled() { return neg.ecn; }
    /**
     * Segments retransmitted (RTO, fast retransmit, recovery, SYN), fast recoveries, timeouts, loss
     * responses undone as spurious (RFC 3522, 3708, 4015), and DupThresh in segments (raised by reordering).
     */
    public long retransmits() { return snd.retransmits; }
    public long fastRetransmits() { return snd.fastRetransmits; }
    public long timeouts() { return snd.timeouts; }
    public long spuriousRecoveries() { return snd.reordering().undone; }
    public int dupThresh() { return snd.reordering().dupThresh(); }
    public boolean inRecovery() { return snd.inRecovery(); }
    /** Data bytes the peer acknowledged, data bytes received in order, out-of-order bytes held above RCV.NXT. */
    public long bytesAcked() { return snd.bytesAcked; }
    public long bytesReceived() { return rcv.bytesReceived; }
    public int outOfOrderBytes() { return rcv.outOfOrderBytes(); }
    /** Bytes queued toward the peer (unacknowledged plus unsent); segments, RSTs and challenge ACKs sent. */
    public int sendQueued() { return config.sendBufferBytes - snd.sendSpace(); }
    public long segmentsSent() { return tx.segmentsSent; }
    public long resetsSent() { return tx.resetsSent; }
    public long challengeAcksSent() { return challengeLimiter.granted; }
}
