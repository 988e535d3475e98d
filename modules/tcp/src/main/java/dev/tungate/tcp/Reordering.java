package dev.tungate.tcp;

import dev.tungate.tcp.sack.SackScoreboard;
import dev.tungate.wire.TcpOptions;

/**
 * What the sender learns about reordering on the path: how far segments get overtaken (the
 * adaptive DupThresh), and whether a loss response was spurious, so it can be undone.
 *
 * <p><b>DupThresh.</b> RFC 5681 §3.2 and RFC 6675 §2 fix DupThresh at 3, and RFC 6675 §4 allows
 * it to adapt (RFC 4653 discusses how). Like Linux's {@code tp->reordering}, it grows when the
 * sender sees reordering: a hole that was never retransmitted is cumulatively ACKed while data
 * above it had been SACKed (or duplicate-ACKed), or the original of a retransmission turns out
 * to have arrived (Eifel, D-SACK). The distance from that hole to the highest SACKed octet, in SMSS,
 * plus one, becomes DupThresh: reordering that deep would no longer look like a loss. It never
 * shrinks within a connection (Linux neither) and is capped at {@link #MAX_DUP_THRESH}.
 *
 * <p><b>Spurious loss responses.</b> Before each loss response (fast recovery, RTO) the sender
 * saves cwnd and ssthresh here and opens an episode. It ends spurious when
 * <ul>
 *   <li>RFC 3522 §2 (Eifel detection, timestamps): the first ACK of new data after the first
 *       retransmission echoes a TSecr older than that retransmission's TSval, so the original
 *       was what arrived; or</li>
 *   <li>RFC 3708 §2 (D-SACK): every octet retransmitted in the episode is reported by D-SACK
 *       blocks (RFC 2883), so each retransmission was a duplicate at the receiver.</li>
 * </ul>
 * The sender then responds as RFC 4015 §2 says: restore the saved window. An Eifel check that
 * finds the retransmission needed closes the episode: it was a real loss.
 */
final class Reordering {
    /** RFC 5681 §3.2, RFC 6675 §2: DupThresh before any reordering is seen. */
    static final int INITIAL_DUP_THRESH = 3;
    /** Upper bound of DupThresh in segments; Linux's net.ipv4.tcp_max_reordering is 300. */
    static final int MAX_DUP_THRESH = 300;
    /** Retransmitted ranges one episode remembers for D-SACK accounting; more disables D-SACK undo. */
    private static final int MAX_RANGES = 32;

    private int dupThresh = INITIAL_DUP_THRESH;

    /** An episode is open: the saved window may still be restored. */
    private boolean armed;
    /** cwnd and ssthresh just before the episode's loss response. */
    int priorCwnd;
    int priorSsthresh;
    /** RFC 3522 §2 RetransmitTS: TSval of the episode's first retransmission; valid while eifelPending. */
    private int retransmitTsVal;
    private boolean eifelPending;
    private boolean retransmitted;
    /** Retransmitted ranges of the episode not yet reported by D-SACK; empty ones have start == end. */
    private final int[] rxStart = new int[MAX_RANGES];
    private final int[] rxEnd = new int[MAX_RANGES];
    private int rxCount;
    private boolean rxOverflow;

    /** Loss responses undone, ever. */
    long undone;

    int dupThresh() {
        return dupThresh;
    }

    /**
     * Is SND.UNA lost? RFC 6675 §5 (a) and IsLost(SND.UNA) of §4 (or RFC 5681 §3.2 without a
     * scoreboard) with DupThresh as {@link #lossThresh} bounds it.
     */
    boolean lost(int dupAcks, SackScoreboard scoreboard, int flight, int smss) {
        int thresh = lossThresh(flight, smss);
        return dupAcks >= thresh || (scoreboard != null
                && (scoreboard.blockCount() >= thresh || scoreboard.sackedBytes() > (long) (thresh - 1) * smss));
    }

    /**
     * DupThresh for IsLost now: as learned, but at most two thirds of the segments in
     * {@code flight} (RFC 4653 §3, Careful variant: DupThresh = max(LT_F * FlightSize / SMSS, 3),
     * LT_F = 2/3), so the flight can still produce that many SACKs or duplicate ACKs also when
     * other holes lie above this one (RFC 5827 lowers the threshold for small flights likewise);
     * never below the RFC's three.
     */
    int lossThresh(int flight, int smss) {
        long inFlightSegments = ((long) flight + smss - 1) / smss;
        return (int) Math.min(dupThresh, Math.max(INITIAL_DUP_THRESH, inFlightSegments * 2 / 3));
    }

    /** Reordering of {@code distance} octets was seen: a hole that far below the highest SACKed octet was filled late. */
    void observe(int distance, int smss) {
        long segments = ((long) distance + smss - 1) / smss + 1;
        if (segments > dupThresh) {
            dupThresh = (int) Math.min(segments, MAX_DUP_THRESH);
        }
    }

    /** A loss response is about to change cwnd and ssthresh: save them and open an episode. */
    void startEpisode(int cwnd, int ssthresh) {
        armed = true;
        priorCwnd = cwnd;
        priorSsthresh = ssthresh;
        eifelPending = false;
        retransmitted = false;
        rxCount = 0;
        rxOverflow = false;
    }

    boolean armed() {
        return armed;
    }

    /** A retransmission of [seq, seq + len) went out with {@code tsVal} (when timestamps are on). */
    void onRetransmit(int seq, int len, boolean timestamps, int tsVal) {
        if (!armed) {
            return;
        }
        if (!retransmitted) {
            retransmitted = true;
            eifelPending = timestamps;
            retransmitTsVal = tsVal;
        }
        if (len == 0) {
            return;
        }
        if (rxCount > 0 && rxEnd[rxCount - 1] == seq) {
            rxEnd[rxCount - 1] = seq + len;          // go-back-N and NextSeg runs are contiguous
        } else if (rxCount < MAX_RANGES) {
            rxStart[rxCount] = seq;
            rxEnd[rxCount] = seq + len;
            rxCount++;
        } else {
            rxOverflow = true;
        }
    }

    /**
     * RFC 3522 §2 detection on the first ACK of new data after the episode's first retransmission.
     * True when the original arrived first (spurious); a needed retransmission closes the episode.
     */
    boolean eifel(boolean hasTimestamps, int tsEcr) {
        if (!armed || !eifelPending) {
            return false;
        }
        eifelPending = false;
        // RFC 7323 §3.2: a TSecr of zero may mean "no echo"; decide nothing from it.
        if (hasTimestamps && tsEcr != 0 && Seq.lt(tsEcr, retransmitTsVal)) {
            return true;
        }
        armed = false;
        return false;
    }

    /**
     * RFC 3708 §2 on a D-SACK block [left, right): strike the reported octets off the episode's
     * retransmissions. Returns the octets that were retransmitted ones (0: a duplicate the network
     * made), with {@link #allDsacked()} telling whether the whole episode is now accounted for.
     */
    int onDsack(int left, int right) {
        if (!armed || rxOverflow) {
            return 0;
        }
        int struck = 0;
        for (int i = 0; i < rxCount; i++) {
            int s = rxStart[i];
            int e = rxEnd[i];
            if (Seq.le(e, left) || Seq.le(right, s) || s == e) {
                continue;
            }
            if (Seq.le(left, s) && Seq.ge(right, e)) {
                struck += e - s;
                rxStart[i] = e;                      // the whole range was a duplicate
            } else if (Seq.le(left, s)) {
                struck += right - s;
                rxStart[i] = right;
            } else if (Seq.ge(right, e)) {
                struck += e - left;
                rxEnd[i] = left;
            } else if (rxCount < MAX_RANGES) {
                struck += right - left;              // inside the range: split it in two
                rxStart[rxCount] = right;
                rxEnd[rxCount] = e;
                rxCount++;
                rxEnd[i] = left;
            } else {
                rxOverflow = true;
            }
        }
        return struck;
    }

    /** Every retransmitted octet of the open episode has been D-SACKed. */
    boolean allDsacked() {
        if (!armed || rxOverflow || rxCount == 0) {
            return false;
        }
        for (int i = 0; i < rxCount; i++) {
            if (rxStart[i] != rxEnd[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 2883 §4: the first SACK block is a D-SACK when it lies below SEG.ACK, or inside the
     * second block (a duplicate of out-of-order data).
     */
    static boolean isDsack(TcpOptions o, int ack) {
        if (o.sackBlocks == 0 || Seq.le(o.sackRight[0], o.sackLeft[0])) {
            return false;
        }
        return Seq.le(o.sackRight[0], ack) || (o.sackBlocks > 1 && Seq.ge(o.sackLeft[0], o.sackLeft[1])
                && Seq.le(o.sackRight[0], o.sackRight[1]));
    }

    /**
     * An ACK of new data moved SND.UNA up from {@code oldUna}: RFC 3522 §2 Eifel detection (true:
     * the loss response was spurious, undo it), and the reordering the ACK shows: how far data above
     * the hole at {@code oldUna} had got, SACKed up to {@code fack} or {@code dupAcks} duplicate
     * ACKs. A hole never retransmitted (below {@code rxHigh}) was reordered, not lost.
     */
    boolean spuriousOnNewAck(boolean timestamps, TcpOptions o, int oldUna, int fack, int dupAcks, int rxHigh, int smss) {
        int distance = Seq.gt(fack, oldUna) ? fack - oldUna : dupAcks * smss;
        if (timestamps && eifel(o.hasTimestamps, o.tsEcr)) {
            observe(distance, smss);                 // the original got there first
            return true;
        }
        if (Seq.ge(oldUna, rxHigh)) {
            observe(distance, smss);                 // never retransmitted, so it came late
        }
        return false;
    }

    /**
     * RFC 3708 §2 on the D-SACK block of {@code o}: a retransmission was a duplicate, so its
     * original arrived, late. True when every retransmission of the episode is now D-SACKed.
     */
    boolean spuriousOnDsack(TcpOptions o, int fack, int smss) {
        if (onDsack(o.sackLeft[0], o.sackRight[0]) <= 0) {
            return false;
        }
        observe(fack - o.sackLeft[0], smss);
        return allDsacked();
    }

    /** A real congestion signal (ECN) changed the window: nothing before it may be undone. */
    void forget() {
        armed = false;
        eifelPending = false;
    }

    /** The saved window was restored: the episode is over. */
    void undone() {
        armed = false;
        eifelPending = false;
        undone++;
    }
}
