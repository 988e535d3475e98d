package dev.tungate.tcp;

import dev.tungate.tcp.sack.SackScoreboard;
import dev.tungate.wire.TcpOptions;

/**
 * RFC 6582 §3.2 NewReno fast recovery, for connections without SACK: window inflation by duplicate
 * ACKs (RFC 5681 §3.2 step 4) and one retransmission per partial ACK.
 */
final class NewRenoRecovery extends Recovery {
    /** RFC 5681 §3.2 step 4 window inflation. */
    private int inflation;

    NewRenoRecovery(Sender snd, int recover) {
        super(snd, recover);
    }

    @Override
    void onEnter(long nowNanos) {
        inflation = 0;
        snd.retransmitAt(snd.sndUna, Integer.MAX_VALUE, nowNanos);
    }

    @Override
    void onExit() {
        inflation = 0;
    }

    /**
     * RFC 6582 §3.2 step 5: retransmit the first unacknowledged segment, deflate by the amount
     * acknowledged, add back one SMSS if that was at least one SMSS (the timer restarts as the
     * "Impatient" variant's does).
     */
    @Override
    void onPartialAck(int acked, long nowNanos) {
        inflation = Math.max(0, inflation - acked);
        if (acked >= snd.smss()) {
            inflation += snd.smss();
        }
        snd.retransmitAt(snd.sndUna, Integer.MAX_VALUE, nowNanos);
    }

    @Override
    void onDuplicateAck() {
        inflation += snd.smss(); // RFC 5681 §3.2 step 4
    }

    @Override
    int inflation() {
        return inflation;
    }

    @Override
    boolean transmit(long nowNanos) {
        return false; // the sender's new-data loop, with cwnd + inflation (RFC 5681 §3.2 step 5)
    }

    @Override
    SackScoreboard scoreboard() {
        return null;
    }

    @Override
    void onSackBlocks(int sndUna, int sndMax, TcpOptions options) {
    }
}
