package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sender under reordering: a segment overtaken by later ones looks lost. Its fast
 * retransmission is undone when the original turns out to have arrived (RFC 3522 Eifel with
 * timestamps, RFC 3708 with D-SACK; RFC 4015 response), and DupThresh grows with the reordering
 * seen (Linux tp->reordering). NewReno keeps the windows easy to predict.
 */
@DisplayName("RFC 3522 / 3708 / 4015 spurious fast retransmits, adaptive DupThresh")
class SpuriousRecoveryTest {
    private TcpHarness t;
    private int smss;
    private int cwndBefore;
    private int ssthreshBefore;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    private int dataSeq(int segment) {
        return ISS + 1 + segment * smss;
    }

    /** SACK on (timestamps as asked), {@code n} full segments in flight, the first sent at tsFirst. */
    private int inFlight(boolean timestamps, int n) {
        SegSpec syn = seg(SYN).mss(1460).sackPerm(true);
        t = TcpHarness.established(TcpHarness.config(c -> { c.congestionControl = "newreno"; c.tailLossProbe = false; }), ISS, IRS,
                timestamps ? syn.ts(100, 0) : syn);
        smss = t.conn.info().effectiveMss();
        t.write(n * smss);
        int tsFirst = 0;
        for (int i = 0; i < n; i++) {
            t.expect(seg(i == n - 1 ? ACK | PSH : ACK).seq(dataSeq(i)).len(smss));
            if (i == 0) {
                tsFirst = t.last().options.tsVal;
            }
        }
        cwndBefore = t.conn.info().cwnd();
        ssthreshBefore = t.conn.info().ssthresh();
        return tsFirst;
    }

    /** Segments 1..3 arrive before segment 0: three duplicate ACKs SACK them, and segment 0 goes out again. */
    private void fastRetransmitOfSegmentZero(boolean timestamps) {
        t.advanceMillis(10);
        for (int i = 2; i <= 4; i++) {
            SegSpec dup = seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(1), dataSeq(i));
            t.send(timestamps ? dup.ts(100 + i, 0) : dup);
        }
        t.expect(seg(ACK).seq(dataSeq(0)).len(smss));
        assertTrue(t.conn.info().inRecovery());
        assertTrue(t.conn.info().ssthresh() < ssthreshBefore);
    }

    @Test
    @DisplayName("RFC 3522 §2 + RFC 4015 §2: the first ACK after the retransmission echoes the original's TSval: cwnd and ssthresh come back")
    void eifelUndo() {
        int tsOriginal = inFlight(true, 5);
        fastRetransmitOfSegmentZero(true);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(5)).ts(105, tsOriginal));
        assertFalse(t.conn.info().inRecovery());
        assertEquals(ssthreshBefore, t.conn.info().ssthresh());
        assertTrue(t.conn.info().cwnd() >= cwndBefore, "cwnd " + t.conn.info().cwnd() + " restored from " + cwndBefore);
        assertEquals(1, t.conn.info().spuriousRecoveries());
    }

    @Test
    @DisplayName("RFC 3522 §2: an ACK echoing the retransmission's own TSval means the loss was real: the reduction stays")
    void eifelKeepsRealLoss() {
        inFlight(true, 5);
        fastRetransmitOfSegmentZero(true);
        int tsRetransmission = t.last().options.tsVal;
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(5)).ts(105, tsRetransmission));
        assertTrue(t.conn.info().ssthresh() < ssthreshBefore);
        assertEquals(0, t.conn.info().spuriousRecoveries());
    }

    @Test
    @DisplayName("RFC 3522 §2 + RFC 4015 §2 after an RTO: the ACK of the original undoes the collapse, and go-back-N stops at SND.MAX")
    void eifelUndoAfterTimeout() {
        int tsOriginal = inFlight(true, 2);
        t.advanceMillis(200).expect(seg(ACK).seq(dataSeq(0)).len(smss));
        assertEquals(smss, t.conn.info().cwnd(), "RFC 5681 §3.1: one segment after the timeout");
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(1)).ts(101, tsOriginal));
        assertEquals(ssthreshBefore, t.conn.info().ssthresh());
        assertTrue(t.conn.info().cwnd() >= cwndBefore, "cwnd " + t.conn.info().cwnd() + " restored from " + cwndBefore);
        assertEquals(dataSeq(2), t.conn.info().sndNxt(), "segment 1 is not sent again");
        assertEquals(1, t.conn.info().spuriousRecoveries());
    }

    @Test
    @DisplayName("RFC 3708 §2: when every retransmission of the episode is D-SACKed (RFC 2883), the reduction is undone")
    void dsackUndo() {
        inFlight(false, 5);
        fastRetransmitOfSegmentZero(false);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(5)));       // the original arrived, late
        assertTrue(t.conn.info().ssthresh() < ssthreshBefore);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(5)).sack(dataSeq(0), dataSeq(1))); // then the retransmission
        assertEquals(ssthreshBefore, t.conn.info().ssthresh());
        assertTrue(t.conn.info().cwnd() >= cwndBefore, "cwnd " + t.conn.info().cwnd() + " restored from " + cwndBefore);
        assertEquals(1, t.conn.info().spuriousRecoveries());
    }

    @Test
    @DisplayName("RFC 3708 §2: a D-SACK of data that was never retransmitted (a network duplicate) undoes nothing")
    void dsackOfOriginalUndoesNothing() {
        inFlight(false, 5);
        fastRetransmitOfSegmentZero(false);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(5)));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(5)).sack(dataSeq(2), dataSeq(3)));
        assertTrue(t.conn.info().ssthresh() < ssthreshBefore);
        assertEquals(0, t.conn.info().spuriousRecoveries());
    }

    @Test
    @DisplayName("RFC 6675 §4 DupThresh adapts (as Linux tp->reordering): a hole filled by its original, 3 SMSS below the highest SACKed octet, makes it 4")
    void reorderingRaisesDupThresh() {
        inFlight(false, 5);
        assertEquals(3, t.conn.info().dupThresh());
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(1), dataSeq(3)));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(3)));
        assertEquals(4, t.conn.info().dupThresh());
        assertEquals(0, t.conn.info().retransmits());
    }

    @Test
    @DisplayName("RFC 6675 §5 with DupThresh 4: three duplicate ACKs (3 SMSS SACKed) are not yet a loss, the fourth is")
    void raisedDupThreshDelaysFastRetransmit() {
        inFlight(false, 5);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(1), dataSeq(3)));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(3)));
        t.write(5 * smss);
        for (int i = 5; i < 10; i++) {
            t.expect(seg(i == 9 ? ACK | PSH : ACK).seq(dataSeq(i)).len(smss));
        }
        for (int i = 5; i <= 7; i++) {
            t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(3)).sack(dataSeq(4), dataSeq(i)));
        }
        t.expectNothing();
        assertFalse(t.conn.info().inRecovery());
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(3)).sack(dataSeq(4), dataSeq(8)));
        t.expect(seg(ACK).seq(dataSeq(3)).len(smss));
        assertTrue(t.conn.info().inRecovery());
    }
}
