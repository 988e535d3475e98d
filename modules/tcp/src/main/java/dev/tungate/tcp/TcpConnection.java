package dev.tungate.tcp;

import dev.tungate.tcp.cc.CongestionControl;
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
    private final Keepalive keepalive;
    private final SegmentArrives arrives;
    private State state = State.CLOSED;
    /** The final CLOSED event went out: the connection is spent. */
    private boolean finished;
    /** send() took less than offered: announce {@link TcpEvent#WRITABLE} when space frees. */
    private boolean wantWritable;

    public TcpConnection(TcpConfig config, TcpOutput out) {
        this.config = config;
        this.out = out;
        this.neg = new Negotiated(config);
        this.rtt = new RttEstimator(config);
        this.rcv = new Receiver(config, neg, out);
        this.tx = new Emitter(config, neg, rcv, timers, out);
        this.snd = new Sender(config, neg, rtt, timers, tx);
        this.keepalive = new Keepalive(config);
        this.arrives = new SegmentArrives(this, config, out, neg, timers, rcv, tx, snd, keepalive);
    }

    /** Passive open: CLOSED to LISTEN. The next SYN is answered with SYN-ACK from {@code iss}. */
    public void listen(int iss) {
        requireState(State.CLOSED, "listen");
        snd.init(iss);
        neg.init(iss);
        state = State.LISTEN;
    }

    /** Active open: CLOSED to SYN-SENT, emits SYN with {@code iss} (RFC 9293 §3.10.1). */
    public void connect(int iss, long nowNanos) {
        requireState(State.CLOSED, "connect");
        snd.init(iss);
        neg.init(iss);
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
                arrives.closed(seg);
                return;
            }
            case LISTEN -> arrives.listen(seg, nowNanos);
            case SYN_SENT -> arrives.synSent(seg, nowNanos);
            default -> arrives.synchronizedState(seg, nowNanos);
        }
        afterInput(nowNanos);
    }

    /** The state machine's transitions, made by {@link SegmentArrives} and the calls below. */
    void moveTo(State next) {
        state = next;
    }

    /** An ACK acknowledged {@code dataAcked} octets: space may have freed for a waiting user. */
    void acked(int dataAcked) {
        if (dataAcked > 0 && wantWritable && snd.sendSpace() > 0) {
            wantWritable = false;
            out.event(TcpEvent.WRITABLE);
        }
    }

    /**
     * A pure ACK now, {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>}, with SND.MAX for SND.NXT: after an
     * RTO SND.NXT went back to SND.UNA, and the peer would refuse an ACK from below what it has (see
     * {@link Emitter#ack}).
     */
    void ackNow(long nowNanos) {
        tx.ack(snd.sndMax(), nowNanos);
    }

    /** FIN-WAIT-2 waits for the peer's FIN at most tcp_fin_timeout (Linux), counted as {@link TcpConfig#finTimeoutNanos} says. */
    void armFinWait2(long nowNanos) {
        if (state == State.FIN_WAIT_2 && config.finTimeoutNanos > 0) {
            timers.finWait2 = nowNanos + Math.max(config.finTimeoutNanos, config.maxRtoNanos);
        }
    }

    void enterTimeWait(long nowNanos) {
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
            if (rcv.ackOwedNow()) {
                ackNow(nowNanos);
            } else if (rcv.ackOwedLater() && timers.delayedAck == Timers.OFF) {
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
        if (snd.finQueued()) {
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
            ackNow(nowNanos);                                // window update
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
                    tx.rst(snd.sndMax(), 0, false);          // <SEQ=SND.NXT><CTL=RST> (SND.MAX, see Emitter#ack)
            default -> { }
        }
        if (state != State.CLOSED) {
            finish(null);
        }
    }

    /** RFC 9293 §3.7.1 / RFC 1122: every IPv4 host takes 576-byte datagrams, so MSS 536 is the floor. */
    static final int MIN_MSS_V4 = 536;
    /** RFC 8200 §5: IPv6 links carry 1280 octets, less 40 (IPv6) and 20 (TCP). */
    static final int MIN_MSS_V6 = 1220;

    /**
     * An ICMP "fragmentation needed" (RFC 1191) or ICMPv6 "packet too big" (RFC 8201) about a segment
     * this connection sent, whose quoted TCP header carries {@code quotedSeq}. As RFC 5927 §4.1
     * asks, it counts only when that sequence number is in flight (SND.UNA =< seq < SND.MAX), so a
     * forged ICMP cannot shrink the connection blindly. The MSS then follows the new MTU (less the
     * IP and TCP headers, never below the RFC minimums) and what is outstanding is resent at that
     * size. Returns whether the MSS went down.
     */
    public boolean icmpPacketTooBig(int mtu, boolean ipv6, int quotedSeq, long nowNanos) {
        if (finished || !state.synchronizedState() || !snd.inFlight(quotedSeq)) {
            return false;
        }
        int mss = Math.max(ipv6 ? MIN_MSS_V6 : MIN_MSS_V4, mtu - (ipv6 ? 40 : 20) - 20);
        if (mss >= neg.mssBase()) {
            return false;                                    // RFC 1191 §6.3: only ever lower it on a PTB
        }
        neg.lowerPathMss(mss);
        snd.onPathMssLowered(nowNanos);
        return true;
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
        if (Timers.due(timers.pto, nowNanos)) {
            timers.pto = Timers.OFF;
            snd.onProbeTimeout(nowNanos);                    // first: at the RTO's instant it is the probe's turn (§7.2)
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
            ackNow(nowNanos);
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
                tx.syn(snd.iss(), state == State.SYN_RECEIVED, nowNanos);
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
        if (snd.sndNxt() != snd.sndUna()) {
            keepalive.postpone(nowNanos);
        } else if (keepalive.exhausted(nowNanos)) {
            timedOut(true);
        } else {
            tx.ack(snd.sndNxt() - 1, nowNanos);
        }
    }

    private void timedOut(boolean sendRst) {
        if (sendRst) {
            tx.rst(snd.sndMax(), 0, false);
        }
        finish(TcpEvent.TIMED_OUT);
    }

    /** Enter CLOSED: free everything, report {@code why} (if any) and then the final CLOSED. */
    void finish(TcpEvent why) {
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
        return neg.timestamps && syn.options.hasTimestamps ? neg.newerThanTsRecent(syn.options.tsVal)
                : Seq.gt(syn.seq, rcv.rcvNxt());
    }

    public State state() {
        return state;
    }

    /** A snapshot for {@code tungate ctl conns}, metrics and tests (allocates; not per packet). */
    public TcpInfo info() {
        CongestionControl cc = snd.cc();
        Reordering r = snd.reordering();
        return new TcpInfo(state, snd.iss(), rcv.irs(), snd.sndUna(), snd.sndNxt(), snd.sndWnd(), rcv.rcvNxt(),
                rcv.rcvWnd(), rcv.rcvUp(), rcv.urgentPending(), neg.sndWndShift, neg.rcvWndShift, neg.effectiveMss(),
                cc == null ? 0 : cc.cwnd(), cc == null ? 0 : cc.ssthresh(), rtt.srttNanos(), rtt.rttvarNanos(),
                rtt.rtoNanos(), neg.timestamps, neg.sack, neg.ecn, snd.retransmits, snd.fastRetransmits, snd.timeouts,
                r.undone, r.dupThresh(), snd.inRecovery(), snd.sackedBytes(), snd.bytesAcked, rcv.bytesReceived(),
                rcv.outOfOrderBytes(), config.sendBufferBytes - snd.sendSpace(), tx.segmentsSent, tx.resetsSent,
                arrives.challengeAcksSent(), arrives.pawsDiscards, arrives.unacceptableDiscards, arrives.ackDiscards,
                snd.tlp.probes, snd.tlp.probeRecoveries);
    }
}
