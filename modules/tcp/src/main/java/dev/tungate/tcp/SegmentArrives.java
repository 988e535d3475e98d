package dev.tungate.tcp;

/**
 * RFC 9293 §3.10.7 SEGMENT ARRIVES for one {@link TcpConnection}: CLOSED (§3.10.7.1), LISTEN
 * (§3.10.7.2), SYN-SENT (§3.10.7.3), then the steps of §3.10.7.4 one method each: check sequence
 * (with PAWS), RST, SYN, ACK, URG, text, FIN. Where tungate follows Linux ahead of a step, the
 * deviation sits inside the step it short-cuts and says so. The connection owns the state; this
 * class moves it.
 */
final class SegmentArrives {
    private final TcpConnection conn;
    private final TcpConfig config;
    private final TcpOutput out;
    private final Negotiated neg;
    private final Timers timers;
    private final Receiver rcv;
    private final Emitter tx;
    private final Sender snd;
    private final Keepalive keepalive;
    private final ChallengeAckLimiter challengeLimiter;

    /** Discards of §3.10.7.4 as Linux counts them (PAWSEstabRejected, TCPACKSkipped...). */
    long pawsDiscards;
    long unacceptableDiscards;
    long ackDiscards;

    SegmentArrives(TcpConnection conn, TcpConfig config, TcpOutput out, Negotiated neg, Timers timers, Receiver rcv,
            Emitter tx, Sender snd, Keepalive keepalive) {
        this.conn = conn;
        this.config = config;
        this.out = out;
        this.neg = neg;
        this.timers = timers;
        this.rcv = rcv;
        this.tx = tx;
        this.snd = snd;
        this.keepalive = keepalive;
        this.challengeLimiter = new ChallengeAckLimiter(config.challengeAckLimitPerSecond);
    }

    long challengeAcksSent() {
        return challengeLimiter.granted;
    }

    /** RFC 9293 §3.10.7.1: CLOSED. Everything but a RST draws a RST. */
    void closed(Segment seg) {
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
    void listen(Segment seg, long nowNanos) {
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
        snd.initWindow(seg.seq, snd.iss(), seg.wnd);
        snd.negotiated();
        conn.moveTo(State.SYN_RECEIVED);
        tx.syn(snd.iss(), true, nowNanos);                   // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
        snd.synSent(false, nowNanos);
        keepalive.onReceive(nowNanos);
    }

    /** RFC 9293 §3.10.7.3: SYN-SENT. */
    void synSent(Segment seg, long nowNanos) {
        boolean ackOk = false;
        if (seg.has(Segment.ACK)) {
            // first: SEG.ACK =< ISS or SEG.ACK > SND.NXT is unacceptable. This is also how an old
            // duplicate SYN-ACK is refused (RFC 9293 §3.5 Fig. 8): <SEQ=SEG.ACK><CTL=RST>.
            if (!snd.acksNew(seg.ack)) {
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
                conn.finish(TcpEvent.RESET);
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
            conn.moveTo(State.ESTABLISHED);
            out.event(TcpEvent.ESTABLISHED);
            rcv.ackAtOnce();
            if (snd.finQueued()) {
                conn.moveTo(State.FIN_WAIT_1);
            }
            if (seg.text.readableBytes() > 0 || seg.has(Segment.FIN)) {
                textAndFin(seg, seg.seq + 1, nowNanos);       // "continue processing at the sixth step"
            }
        } else {
            // Simultaneous open (RFC 9293 §3.5 Fig. 7): SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
            conn.moveTo(State.SYN_RECEIVED);
            tx.syn(snd.iss(), true, nowNanos);
        }
    }

    /** RFC 9293 §3.10.7.4: SYN-RECEIVED and the synchronized states, step by step. */
    void synchronizedState(Segment seg, long nowNanos) {
        keepalive.onReceive(nowNanos);
        conn.armFinWait2(nowNanos);
        if (!checkSequence(seg, nowNanos)) {
            return;
        }
        if (seg.has(Segment.RST)) {
            checkRst(seg, nowNanos);
            return;
        }
        // third (security) is not used.
        if (seg.has(Segment.SYN)) {
            checkSyn(nowNanos);
            return;
        }
        if (!checkAck(seg, nowNanos)) {
            return;
        }
        textAndFin(seg, seg.seq, nowNanos);
    }

    /** First step: check the sequence number; false when the segment is done with. */
    private boolean checkSequence(Segment seg, long nowNanos) {
        int segLen = seg.len();
        State state = conn.state();
        if (state == State.TIME_WAIT && seg.has(Segment.FIN) && (seg.flags & (Segment.SYN | Segment.RST)) == 0
                && seg.seq + segLen == rcv.rcvNxt()) {
            // Deviation (Linux tcp_timewait_state_process), ahead of this step: the eighth step's
            // TIME-WAIT rule, "The only thing that can arrive in this state is a retransmission of
            // the remote FIN. Acknowledge it, and restart the 2 MSL timeout." Such a FIN lies
            // below RCV.NXT, where this step would only ACK it.
            ackNow(nowNanos);
            timers.timeWait = nowNanos + 2 * config.mslNanos;
            return false;
        }
        if (state == State.SYN_RECEIVED && seg.has(Segment.SYN) && seg.seq == rcv.irs() && !seg.has(Segment.RST)) {
            // Deviation (Linux tcp_check_req, tcp_validate_incoming), ahead of this step: the
            // peer's SYN again lies below RCV.NXT, where this step would only ACK it.
            if (!seg.has(Segment.ACK)) {
                // The peer did not hear our SYN-ACK and sent its SYN again: answer it again
                // rather than with a bare ACK it would not accept.
                tx.syn(snd.iss(), true, nowNanos);
                return false;
            }
            if (seg.ack == snd.sndNxt()) {
                // Simultaneous open: the peer's SYN-ACK acknowledges our SYN.
                establish(seg, nowNanos);
                return false;
            }
        }
        // RFC 7323 §5.3 R1: PAWS comes before the window test.
        if (neg.pawsRejects(seg)) {
            pawsDiscards++;
            ackNow(nowNanos);                                // R1: send an ACK, drop the segment
            return false;
        }
        if (!rcv.acceptable(seg.seq, segLen)) {
            if (!seg.has(Segment.RST)) {
                unacceptableDiscards++;
                rcv.unacceptable(seg.seq, seg.text.readableBytes());
                ackNow(nowNanos);                            // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
            }
            return false;
        }
        neg.updateTsRecent(seg);
        return true;
    }

    /** Second step, with RFC 5961 §3.2: only a RST exactly at RCV.NXT resets; others are challenged. */
    private void checkRst(Segment seg, long nowNanos) {
        if (seg.seq != rcv.rcvNxt()) {
            challengeAck(nowNanos);
            return;
        }
        switch (conn.state()) {
            // CLOSING, LAST-ACK, TIME-WAIT: "enter the CLOSED state, delete the TCB, and return".
            case CLOSING, LAST_ACK, TIME_WAIT -> conn.finish(null);
            // Deviation: RFC 9293 returns a passively opened SYN-RECEIVED to LISTEN; a gateway
            // connection exists for one peer only, so it closes and reports the reset.
            default -> conn.finish(TcpEvent.RESET);
        }
    }

    /** Fourth step: a SYN in a synchronized state is challenged (RFC 5961 §4.2). */
    private void checkSyn(long nowNanos) {
        challengeAck(nowNanos);
    }

    /** RFC 5961 §7: an ACK that proves we are in sync, at most so many per second. */
    private void challengeAck(long nowNanos) {
        if (challengeLimiter.tryAcquire(nowNanos)) {
            ackNow(nowNanos);
        }
    }

    /** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, with SND.MAX for SND.NXT (see {@link Emitter#ack}). */
    private void ackNow(long nowNanos) {
        conn.ackNow(nowNanos);
    }

    /** Fifth step: check the ACK field. False when the segment is dropped. */
    private boolean checkAck(Segment seg, long nowNanos) {
        if (!seg.has(Segment.ACK)) {
            return false;                                    // "if the ACK bit is off, drop the segment and return"
        }
        if (conn.state() == State.SYN_RECEIVED) {
            if (!snd.acksNew(seg.ack)) {
                tx.rst(seg.ack, 0, false);                   // <SEQ=SEG.ACK><CTL=RST>
                return false;
            }
            establish(seg, nowNanos);
            return true;
        }
        // RFC 5961 §5.2: acceptable only in [SND.UNA - MAX.SND.WND, SND.NXT]; else ACK and drop.
        if (!snd.ackInRange(seg.ack)) {
            ackDiscards++;
            challengeAck(nowNanos);
            return false;
        }
        conn.acked(snd.onAck(seg, nowNanos));
        if (snd.finAcked()) {
            switch (conn.state()) {
                case FIN_WAIT_1 -> {
                    conn.moveTo(State.FIN_WAIT_2);           // "our FIN is now acknowledged"
                    conn.armFinWait2(nowNanos);
                }
                case CLOSING -> conn.enterTimeWait(nowNanos);
                case LAST_ACK -> {
                    conn.finish(null);                       // "delete the TCB, enter CLOSED"
                    return false;
                }
                default -> { }
            }
        }
        return true;
    }

    /** Fifth step, SYN-RECEIVED: the ACK of our SYN moves to ESTABLISHED (or FIN-WAIT-1 after CLOSE). */
    private void establish(Segment seg, long nowNanos) {
        snd.onAck(seg, nowNanos);
        conn.moveTo(snd.finQueued() ? State.FIN_WAIT_1 : State.ESTABLISHED);
        out.event(TcpEvent.ESTABLISHED);
    }

    /** Sixth (URG), seventh (text) and eighth (FIN) steps; text starts at {@code textSeq}. */
    private void textAndFin(Segment seg, int textSeq, long nowNanos) {
        State state = conn.state();
        if (state != State.ESTABLISHED && state != State.FIN_WAIT_1 && state != State.FIN_WAIT_2) {
            // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: the peer's FIN came already; text and a
            // second FIN are ignored (the FIN was ACKed when it arrived).
            return;
        }
        checkUrg(seg, textSeq);
        boolean finInOrder = processText(seg, textSeq);
        if (finInOrder) {
            checkFin(nowNanos);
        }
    }

    /** Sixth step: the URG bit (RFC 6093: urgent data stays inline, the pointer is only tracked). */
    private void checkUrg(Segment seg, int textSeq) {
        if (seg.has(Segment.URG)) {
            rcv.onUrgent(textSeq, seg.urgentPointer);
        }
    }

    /** Seventh step: the segment text. True when the peer's FIN is now in order. */
    private boolean processText(Segment seg, int textSeq) {
        // RFC 3168 §6.1.3: CWR ends our ECE echo; a CE mark (inside onText) starts it.
        if (neg.ecn && seg.has(Segment.CWR)) {
            rcv.onCwr();
        }
        return rcv.onText(textSeq, seg.text, seg.has(Segment.FIN), neg.ecn ? seg.ecn : Segment.NOT_ECT);
    }

    /** Eighth step: the FIN bit, once RCV.NXT has reached it. */
    private void checkFin(long nowNanos) {
        rcv.takeFin();
        switch (conn.state()) {
            case ESTABLISHED -> conn.moveTo(State.CLOSE_WAIT);
            // FIN-WAIT-1: our FIN not yet acknowledged, this is a simultaneous close.
            case FIN_WAIT_1 -> conn.moveTo(State.CLOSING);
            case FIN_WAIT_2 -> conn.enterTimeWait(nowNanos);
            default -> { }
        }
        // After the transition, so a user asking state() on PEER_FIN sees where the FIN took us.
        out.event(TcpEvent.PEER_FIN);
    }
}
