package dev.tungate.tcp;

import dev.tungate.tcp.sack.SackScoreboard;
import dev.tungate.wire.TcpOptions;

/**
 * Fast recovery after the {@link Sender} has declared SND.UNA lost (RFC 5681 §3.2), in the flavour
 * the SYNs chose: {@link NewRenoRecovery} (RFC 6582 §3.2) without SACK, {@link SackRecovery}
 * (RFC 6675 §5) with it. As in gVisor's {@code snd.go} beside {@code reno_recovery.go} and
 * {@code sack_recovery.go}: the sender detects loss and owns cwnd's controller; the flavour owns
 * its recovery state and decides what a partial ACK, a duplicate ACK and the send loop do.
 *
 * <p>Both share "recover" (RFC 6582 §3.2 / RecoveryPoint of RFC 6675 §2): the highest sequence
 * number sent when loss was detected. An ACK above it ends recovery; duplicate ACKs at or below
 * it do not start another (RFC 6582 §3.2 step 2, §4 after a timeout).
 */
abstract class Recovery {
    final Sender snd;
    private boolean active;
    /** "recover" (RFC 6582 §3.2), RecoveryPoint (RFC 6675 §2). */
    private int recover;

    Recovery(Sender snd, int recover) {
        this.snd = snd;
        this.recover = recover;
    }

    boolean active() {
        return active;
    }

    /** RFC 6582 §3.2 step 2: duplicate ACKs may start recovery only when the ACK covers more than "recover". */
    boolean mayEnter(int ack) {
        return Seq.gt(ack, recover);
    }

    /** RFC 6582 §3.2 step 3, RFC 6675 §5: an ACK above "recover" is a full ACK. */
    boolean fullAck(int ack) {
        return Seq.gt(ack, recover);
    }

    /** RFC 5681 §3.2 steps 2-3, RFC 6675 §5 step (4): record "recover", then retransmit SND.UNA. */
    void enter(int sndMax, long nowNanos) {
        active = true;
        recover = sndMax - 1;
        onEnter(nowNanos);
    }

    /** Recovery is over: by a full ACK, an undo or a timeout. */
    void exit() {
        active = false;
        onExit();
    }

    /** RFC 4015 §2 undo: "recover" goes down too, so a later loss in this window may start recovery again. */
    void undone(int sndUna) {
        exit();
        recover = sndUna - 1;
    }

    /** RFC 6298 (5.4)-(5.7) fired: RFC 6582 §4, duplicate ACKs for data sent before it do not start recovery. */
    void timedOut(int sndMax) {
        exit();
        recover = sndMax - 1;
    }

    /** Retransmit SND.UNA on entering recovery. */
    abstract void onEnter(long nowNanos);

    abstract void onExit();

    /** An ACK of new data below "recover" (a partial ACK) that acknowledged {@code acked} octets. */
    abstract void onPartialAck(int acked, long nowNanos);

    /** A duplicate ACK during recovery. */
    abstract void onDuplicateAck();

    /** Bytes a duplicate ACK lets out above cwnd (RFC 5681 §3.2 step 4 window inflation). */
    abstract int inflation();

    /** During recovery, send what recovery sends; false when the sender's new-data loop applies. */
    abstract boolean transmit(long nowNanos);

    /** The SACK scoreboard (RFC 6675 §3), or null without SACK. */
    abstract SackScoreboard scoreboard();

    /** An ACK's SACK blocks (RFC 2018), after SND.UNA moved. */
    abstract void onSackBlocks(int sndUna, int sndMax, TcpOptions options);

    /** The highest SACKed octet: how far data above a hole at {@code sndUna} had got; {@code sndUna} without SACK. */
    int highestSacked(int sndUna) {
        SackScoreboard sb = scoreboard();
        return sb == null || sb.isEmpty() ? sndUna : sb.highestSacked();
    }
}
