package dev.tungate.tcp;

import dev.tungate.tcp.cc.CongestionControl;
import dev.tungate.tcp.sack.SackScoreboard;
import dev.tungate.wire.TcpOptions;

/**
 * RFC 6675 §5 SACK-based loss recovery: the scoreboard decides what is lost, pipe (SetPipe)
 * decides how much may be sent, and NextSeg picks lost holes before new data.
 */
final class SackRecovery extends Recovery {
    private final SackScoreboard scoreboard = new SackScoreboard();
    private final int[] holeLen = new int[1];
    /** HighRxt of RFC 6675 §2: one past the highest sequence retransmitted in this recovery. */
    private int highRxt;

    SackRecovery(Sender snd, int recover) {
        super(snd, recover);
    }

    @Override
    void onEnter(long nowNanos) {
        highRxt = snd.sndUna;
        int len = snd.retransmitAt(snd.sndUna, Integer.MAX_VALUE, nowNanos);
        highRxt = snd.sndUna + len;
    }

    @Override
    void onExit() {
    }

    @Override
    void timedOut(int sndMax) {
        scoreboard.reset(); // RFC 6675 §5.1
        super.timedOut(sndMax);
    }

    @Override
    void onPartialAck(int acked, long nowNanos) {
        // RFC 6675 §5: a partial ACK only updates the scoreboard; transmit() does the rest.
    }

    @Override
    void onDuplicateAck() {
    }

    @Override
    int inflation() {
        return 0;
    }

    /**
     * RFC 6675 §5 step (C): while cwnd - pipe >= SMSS, send the next lost hole, else new data, else
     * (NextSeg rule (3)) a hole below the highest SACKed octet.
     */
    @Override
    boolean transmit(long nowNanos) {
        if (!active()) {
            return false;
        }
        CongestionControl cc = snd.cc();
        int smss = snd.smss();
        // RFC 6675 §4 IsLost with DupThresh as learned (RFC 4653): both its rules, blocks and
        // bytes, scale with it, so a hole reordered less deeply is not retransmitted. It is
        // capped by what cwnd can still bring in SACKs (RFC 4653 §3 derives DupThresh from the
        // flight cwnd allows), or holes would wait for the RTO once recovery has halved cwnd.
        int dupThresh = snd.reordering().lossThresh(Math.min(snd.sndMax - snd.sndUna, cc.cwnd()), smss);
        for (int guard = 0; guard < Sender.MAX_SEGMENTS_PER_OUTPUT; guard++) {
            int pipe = scoreboard.pipe(snd.sndUna, snd.sndMax, highRxt, smss, dupThresh);
            int room = cc.cwnd() - pipe;
            if (room < smss) {
                break;
            }
            if (retransmitLost(dupThresh, nowNanos)) {
                continue;
            }
            if (holeLen[0] > 0) {
                break;
            }
            if (snd.sendNew(room, nowNanos)) {
                continue;
            }
            // NextSeg rule (3): no lost hole and no new data, so an unSACKed hole below the
            // highest SACKed octet goes out anyway. IsLost with a DupThresh of one holds for
            // any hole with SACKed data above it, which is rule (3)'s test without (1.c).
            if (!retransmitLost(1, nowNanos)) {
                break;
            }
        }
        return true;
    }

    /** NextSeg rule (1): the first lost hole at or above HighRxt, retransmitted; false when none went out. */
    private boolean retransmitLost(int dupThresh, long nowNanos) {
        int start = scoreboard.nextLostHole(Seq.max(highRxt, snd.sndUna), snd.sndMax, snd.smss(), dupThresh,
                snd.segmentCap(), holeLen);
        int len = holeLen[0] > 0 ? snd.retransmitAt(start, holeLen[0], nowNanos) : 0;
        if (len > 0) {
            highRxt = start + len;
        }
        return len > 0;
    }

    @Override
    SackScoreboard scoreboard() {
        return scoreboard;
    }

    @Override
    void onSackBlocks(int sndUna, int sndMax, TcpOptions options) {
        scoreboard.onAck(sndUna, sndMax, options);
    }
}
