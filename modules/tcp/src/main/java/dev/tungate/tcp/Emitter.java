package dev.tungate.tcp;

import dev.tungate.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Builds every segment the connection sends into one reused {@link Segment} and hands it to
 * {@link TcpOutput#emit}. It fills what every segment shares: the ACK field from RCV.NXT, the
 * window from the receive buffer, the options in effect (RFC 7323 timestamps, RFC 2018 SACK
 * blocks) and the ECN bits; and it records that an ACK went out.
 */
final class Emitter {
    private final TcpConfig config;
    private final Negotiated neg;
    private final Receiver rcv;
    private final Timers timers;
    private final TcpOutput out;
    private final Segment tx = new Segment();

    /** Segments emitted, ever. */
    long segmentsSent;
    /** RSTs emitted, ever. */
    long resetsSent;

    Emitter(TcpConfig config, Negotiated neg, Receiver rcv, Timers timers, TcpOutput out) {
        this.config = config;
        this.neg = neg;
        this.rcv = rcv;
        this.timers = timers;
        this.out = out;
    }

    /**
     * Our SYN (active open, {@code withAck} false) or SYN-ACK. RFC 7323 §2.2 and §3.2, RFC 2018
     * §2: the SYN offers what the config enables; the SYN-ACK answers only what the peer offered.
     * RFC 3168 §6.1.1: ECN-setup SYN carries ECE and CWR, ECN-setup SYN-ACK carries ECE.
     */
    void syn(int iss, boolean withAck, long nowNanos) {
        TcpOptions o = tx.options;
        o.clear();
        o.mss = config.mss;
        int flags = Segment.SYN;
        if (!withAck) {
            if (config.windowScaling) {
                o.windowScale = neg.offeredRcvWndShift;
            }
            o.sackPermitted = config.sack;
            if (config.timestamps) {
                o.hasTimestamps = true;
                o.tsVal = neg.tsVal(nowNanos);
                o.tsEcr = 0;
            }
            if (config.ecn) {
                flags |= Segment.ECE | Segment.CWR;
            }
        } else {
            flags |= Segment.ACK;
            if (neg.windowScaling) {
                o.windowScale = neg.rcvWndShift;
            }
            o.sackPermitted = neg.sack;
            if (neg.timestamps) {
                o.hasTimestamps = true;
                o.tsVal = neg.tsVal(nowNanos);
                o.tsEcr = neg.tsRecent;
            }
            if (neg.ecn) {
                flags |= Segment.ECE;
            }
        }
        tx.seq = iss;
        tx.flags = flags;
        tx.ack = withAck ? rcv.rcvNxt : 0;
        // RFC 7323 §2.2: the window field of a SYN is never scaled.
        tx.wnd = withAck ? Math.min(0xffff, rcv.rcvWnd()) : Math.min(0xffff, config.receiveBufferBytes);
        send(Unpooled.EMPTY_BUFFER, Segment.NOT_ECT, 0, withAck);
    }

    /** A segment in a synchronized state: ACK always set, text may be empty. */
    void segment(int seq, int flags, ByteBuf text, int ecn, int gsoSize, long nowNanos) {
        TcpOptions o = tx.options;
        o.clear();
        if (neg.timestamps) {
            o.hasTimestamps = true;
            o.tsVal = neg.tsVal(nowNanos);
            o.tsEcr = neg.tsRecent;
        }
        if (neg.sack && rcv.hasSackBlocks()) {
            // 40 option bytes: 3 blocks beside timestamps, 4 without (RFC 2018 §3).
            rcv.sackBlocks(o, neg.timestamps ? 3 : 4);
        }
        flags |= Segment.ACK;
        if (rcv.eceEcho && neg.ecn) {
            flags |= Segment.ECE; // RFC 3168 §6.1.3: echo until CWR
        }
        tx.seq = seq;
        tx.flags = flags;
        tx.ack = rcv.rcvNxt;
        tx.wnd = rcv.windowField();
        send(text, ecn, gsoSize, true);
    }

    /** SACK option bytes the next segment will carry (so text can shrink to fit the MSS). */
    int sackOptionBytes() {
        if (!neg.sack || !rcv.hasSackBlocks()) {
            return 0;
        }
        return 2 + 8 * (neg.timestamps ? 3 : 4) + 2;
    }

    /**
     * A pure ACK, {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>}, where the caller passes SND.MAX for
     * SND.NXT: after an RTO SND.NXT has gone back to SND.UNA, and an ACK from below what the peer
     * has already received would fail its acceptability test and be dropped with its news (BSD
     * tcp_output does the same: "for ACK only packets ... we want the next unsent octet").
     */
    void ack(int sndNxt, long nowNanos) {
        segment(sndNxt, 0, Unpooled.EMPTY_BUFFER, Segment.NOT_ECT, 0, nowNanos);
    }

    /**
     * A reset. RFC 9293 §3.10.7.1 and §3.10.7.2 give its two forms: {@code <SEQ=SEG.ACK><CTL=RST>}
     * and {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}. No options, window zero.
     */
    void rst(int seq, int ack, boolean withAck) {
        tx.options.clear();
        tx.seq = seq;
        tx.ack = withAck ? ack : 0;
        tx.flags = Segment.RST | (withAck ? Segment.ACK : 0);
        tx.wnd = 0;
        resetsSent++;
        send(Unpooled.EMPTY_BUFFER, Segment.NOT_ECT, 0, false);
    }

    private void send(ByteBuf text, int ecn, int gsoSize, boolean carriesAck) {
        tx.urgentPointer = 0;
        tx.ecn = ecn;
        tx.gsoSize = gsoSize;
        tx.text = text;
        if (carriesAck) {
            neg.lastAckSent = rcv.rcvNxt;
            rcv.onAckSent();
            timers.delayedAck = Timers.OFF;
        }
        segmentsSent++;
        try {
            out.emit(tx);
        } finally {
            tx.text = null;
        }
    }
}
