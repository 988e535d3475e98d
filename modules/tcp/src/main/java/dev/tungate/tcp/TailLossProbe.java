package dev.tungate.tcp;

import dev.tungate.tcp.cc.CongestionControl;
import dev.tungate.wire.TcpOptions;

/**
 * Tail Loss Probe, RFC 8985 §7: when the last segments of a flight are lost no duplicate ACKs
 * come back, and without a probe the sender waits for the RTO (at least 200 ms). After a PTO of
 * about two round trips with no ACK, one probe goes out (new data if the windows have some, else
 * the last segment again), so the loss is repaired, or fast recovery starts, one RTT later. The
 * RTO stays armed as the backstop: the PTO is never later than it (§7.2) and it is restarted when
 * the probe goes out (§7.3). At most one probe is outstanding: TLP.end_seq marks the episode until
 * the ACK that ends it (§7.4). Its deadline lives in {@link Timers#pto}; no per-packet state.
 */
final class TailLossProbe {
    /** RFC 8985 §7.2 WCDelAckT: the worst-case delayed-ACK timer of the receiver, 200 ms recommended. */
    static final long WC_DEL_ACK_NANOS = 200_000_000L;
    /** RFC 8985 §7.2: PTO = 1 s while there is no SRTT. */
    static final long NO_SRTT_PTO_NANOS = 1_000_000_000L;

    private final Timers timers;
    private final RttEstimator rtt;
    /** An episode is open (TLP.end_seq is not None). */
    private boolean episode;
    /** TLP.end_seq: SND.NXT just after the probe went out. */
    private int endSeq;
    /** The probe's first sequence number. */
    private int probeSeq;
    /** TLP.is_retrans: the probe was a retransmission, not new data. */
    private boolean isRetrans;
    /** New data went out (not as a probe) or SND.UNA advanced since the PTO was last (re)armed. */
    private boolean restart;

    long probes;
    long probeRecoveries;

    TailLossProbe(Timers timers, RttEstimator rtt) {
        this.timers = timers;
        this.rtt = rtt;
    }

    /** §7.2: new data went out or an ACK advanced SND.UNA; the PTO is (re)armed at the next {@link #schedule}. */
    void restartWanted() {
        restart = true;
    }

    /**
     * RFC 8985 §7.2 TLP_calc_PTO, when a restart is wanted and {@code allowed} (data outstanding,
     * not in fast or RTO recovery, nothing SACKed, no probe outstanding): 2 SRTT, plus WCDelAckT
     * when FlightSize is one segment, and never after the RTO would expire.
     */
    void schedule(boolean allowed, int flightSize, int smss, long nowNanos) {
        if (!restart) {
            return;
        }
        restart = false;
        if (!allowed || episode) {
            stop();
            return;
        }
        long srtt = rtt.srttNanos();
        long pto = srtt < 0 ? NO_SRTT_PTO_NANOS : 2 * srtt + (flightSize <= smss ? WC_DEL_ACK_NANOS : 0);
        long at = nowNanos + pto;
        if (timers.rto != Timers.OFF && at - timers.rto > 0) {
            at = timers.rto;
        }
        timers.pto = at;
    }

    void stop() {
        timers.pto = Timers.OFF;
    }

    /** Fast recovery or an RTO began: the loss is being repaired otherwise, the episode is over. */
    void reset() {
        stop();
        episode = false;
        restart = false;
    }

    /** §7.3: the probe [seq, sndNxt) went out; {@code sndNxt} after it is TLP.end_seq. */
    void sent(int seq, int sndNxt, boolean retransmission) {
        probeSeq = seq;
        probes++;
        episode = true;
        endSeq = sndNxt;
        isRetrans = retransmission;
        restart = false;
        stop();
    }

    /**
     * RFC 8985 §7.4 TLP_process_ack: ends the episode once the ACK reaches TLP.end_seq, and
     * reduces cwnd when the probe repaired a loss (it retransmitted, no D-SACK said the original
     * arrived too, and the ACK went beyond it; a pure duplicate ACK says both arrived).
     *
     * <p>Returns true when the ACK shows the retransmitted probe arrived while octets below it are
     * still missing (with SACK: a block covers it; without: a duplicate ACK, which after a PTO of
     * silence only the probe can have caused): they are lost, and the caller starts fast recovery. This is RACK's verdict
     * (§6.2: lost when sent more than RACK.reo_wnd before a segment that was delivered, and RACK.rtt
     * + reo_wnd ago) in the one case it needs no per-segment times: everything below the probe was
     * sent at least a PTO (2 SRTT) before it, more than reo_wnd (min_RTT / 4), and the probe's own
     * round trip has passed since. Without it the probe's SACK is one duplicate ACK, short of
     * DupThresh, and the tail waits for the RTO that the probe pushed back (§7.3).
     */
    boolean onAck(int ack, TcpOptions options, boolean sack, boolean dsack, boolean pureDupAck, Sender snd,
            long nowNanos) {
        if (!episode) {
            return false;
        }
        if (Seq.lt(ack, endSeq)) {
            return isRetrans && (sack ? !dsack && sacksProbe(options) : pureDupAck && options.sackBlocks == 0);
        }
        if (!isRetrans || (dsack && options.sackRight[0] == endSeq)) {
            episode = false;                                 // new data delivered, or the probe was redundant
        } else if (Seq.gt(ack, endSeq)) {
            episode = false;                                 // the probe repaired a single loss
            probeRecoveries++;
            CongestionControl cc = snd.cc();
            int flight = snd.sndMax() - snd.sndUna();
            cc.onCongestionEvent(flight, nowNanos);
            cc.onRecoveryEnd(flight, nowNanos);
            snd.reordering().forget();
        } else if (pureDupAck && options.sackBlocks == 0) {
            episode = false;                                 // both the original and the probe arrived
        }
        return false;
    }

    /** A SACK block covers octets of the probe (its FIN, if any, cannot be SACKed). */
    private boolean sacksProbe(TcpOptions o) {
        for (int i = 0; i < o.sackBlocks; i++) {
            if (Seq.lt(o.sackLeft[i], endSeq) && Seq.gt(o.sackRight[i], probeSeq)) {
                return true;
            }
        }
        return false;
    }
}
