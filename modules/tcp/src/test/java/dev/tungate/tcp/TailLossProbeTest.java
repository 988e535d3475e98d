package dev.tungate.tcp;

import static dev.tungate.tcp.RetransmissionTest.establishedWithRtt;
import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * RFC 8985 §7 Tail Loss Probe. The handshake's SYN-ACK is acknowledged after 100 ms; the ACK of
 * the first data segment 100 ms after it is sent makes SRTT = 100 ms, RTTVAR = 37.5 ms, RTO = 250 ms.
 */
@DisplayName("RFC 8985 §7 Tail Loss Probe")
class TailLossProbeTest {
    private static final int MSS = 1460;
    private TcpHarness t;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    private static int dataSeq(int segment) {
        return ISS + 1 + segment * MSS;
    }

    /** Ten segments out (the initial window); the peer acknowledges the first {@code acked} after 100 ms. */
    private void tenSentAndAcked(int acked) {
        t = establishedWithRtt(new TcpConfig(), 100, seg(SYN).mss(MSS));
        t.write(10 * MSS);
        for (int i = 0; i < 10; i++) {
            t.expect(seg(i == 9 ? ACK | PSH : ACK).seq(dataSeq(i)).len(MSS));
        }
        t.advanceMillis(100);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(acked)));
        assertEquals(100_000_000L, t.conn.info().srttNanos());
        assertEquals(250_000_000L, t.conn.info().rtoNanos());
    }

    @Test
    @DisplayName("§7.2-7.3: a lost tail of two segments is probed after PTO = 2 SRTT (200 ms), not the RTO (250 ms); the last segment goes again")
    void tailLossProbedAfterPto() {
        tenSentAndAcked(8);                                   // segments 8 and 9 lost, nothing comes back
        t.advanceMillis(199).expectNothing();
        t.advanceMillis(1).expect(seg(ACK | PSH).seq(dataSeq(9)).len(MSS));
        assertEquals(1, t.conn.info().lossProbes());
        assertEquals(0, t.conn.info().timeouts());
        // The probe (segment 9) arrives above the hole: the peer repeats its ACK. After a PTO of
        // silence only the probe can have caused it: segment 8 is lost and goes at once (§6.2 verdict).
        t.advanceMillis(100);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(8)));
        t.expect(seg(ACK).seq(dataSeq(8)).len(MSS));
        assertTrue(t.conn.info().inRecovery());
        assertEquals(0, t.conn.info().timeouts());
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(10)));
        assertEquals(dataSeq(10), t.conn.info().sndUna());
        assertEquals(Long.MAX_VALUE, t.conn.nextDeadlineNanos());
    }

    @Test
    @DisplayName("§7.2: one segment in flight adds WCDelAckT (2 SRTT + 200 ms), capped by the RTO: the probe goes at the RTO's time, without a timeout")
    void oneSegmentProbedAtRtoTimeWithoutTimeout() {
        tenSentAndAcked(9);                                   // segment 9 lost
        int cwnd = t.conn.info().cwnd();
        t.advanceMillis(249).expectNothing();
        t.advanceMillis(1).expect(seg(ACK | PSH).seq(dataSeq(9)).len(MSS));
        t.advanceMillis(100);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(10)));       // the probe repaired the tail
        assertEquals(0, t.conn.info().timeouts(), "no RTO: cwnd was not collapsed");
        assertEquals(0, t.conn.info().retransmits() - t.conn.info().lossProbes());
        assertTrue(t.conn.info().cwnd() >= cwnd);
        assertEquals(Long.MAX_VALUE, t.conn.nextDeadlineNanos());
    }

    @Test
    @DisplayName("§7.3: the probe is new data when there is some and the peer's window allows, whatever cwnd says; at most one probe, then the RTO")
    void probeIsNewDataAtMostOne() {
        t = establishedWithRtt(new TcpConfig(), 100, seg(SYN).mss(MSS));
        t.write(12 * MSS);                                    // cwnd lets ten out, two wait
        for (int i = 0; i < 10; i++) {
            t.expect(seg(ACK).seq(dataSeq(i)).len(MSS));
        }
        // SRTT is the handshake's 100 ms, RTO 300 ms: PTO = 200 ms.
        t.advanceMillis(199).expectNothing();
        t.advanceMillis(1).expect(seg(ACK).seq(dataSeq(10)).len(MSS));
        assertEquals(1, t.conn.info().lossProbes());
        assertEquals(0, t.conn.info().retransmits());
        // No second probe: the RTO, restarted when the probe went out (§7.3), is the backstop.
        t.advanceMillis(299).expectNothing();
        t.advanceMillis(1).expect(seg(ACK).seq(dataSeq(0)).len(MSS));
        assertEquals(1, t.conn.info().timeouts());
        assertEquals(1, t.conn.info().lossProbes());
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(11)));
        t.expect(seg(ACK | PSH).seq(dataSeq(11)).len(MSS));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(12)));
    }

    @Test
    @DisplayName("§7.3: when the probe is lost too, the RTO still fires, SND.UNA goes again and RTO backs off")
    void rtoStillFiresWhenProbeLost() {
        tenSentAndAcked(9);
        t.advanceMillis(250).expect(seg(ACK | PSH).seq(dataSeq(9)).len(MSS));
        t.advanceMillis(249).expectNothing();
        t.advanceMillis(1).expect(seg(ACK | PSH).seq(dataSeq(9)).len(MSS));
        assertEquals(1, t.conn.info().timeouts());
        assertEquals(500_000_000L, t.conn.info().rtoNanos());
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(10)));
    }

    @Test
    @DisplayName("§7.4: a retransmitted probe that is the only copy to arrive (no D-SACK, no duplicate ACK) repaired a loss: cwnd is reduced once the ACKs pass it")
    void probeRepairedLossReducesCwnd() {
        tenSentAndAcked(9);
        t.advanceMillis(250).expect(seg(ACK | PSH).seq(dataSeq(9)).len(MSS));
        t.advanceMillis(100);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(10)));       // ACK == TLP.end_seq: not yet known which copy arrived
        int ssthresh = t.conn.info().ssthresh();
        t.write(MSS).expect(seg(ACK | PSH).seq(dataSeq(10)).len(MSS));
        t.advanceMillis(100);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(11)));       // beyond TLP.end_seq, and no duplicate came: a loss
        assertEquals(1, t.conn.info().lossProbeRecoveries());
        assertTrue(t.conn.info().ssthresh() < ssthresh);
    }

    @Test
    @DisplayName("§7.4: a pure duplicate ACK after the ACK of TLP.end_seq says both the original and the probe arrived: no reduction")
    void duplicateAckMeansNoLoss() {
        tenSentAndAcked(9);
        t.advanceMillis(250).expect(seg(ACK | PSH).seq(dataSeq(9)).len(MSS));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(10)));       // the original, late
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(10)));       // the probe
        int ssthresh = t.conn.info().ssthresh();
        t.write(MSS).expect(seg(ACK | PSH).seq(dataSeq(10)).len(MSS));
        t.advanceMillis(100);
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(11)));
        assertEquals(0, t.conn.info().lossProbeRecoveries());
        assertEquals(ssthresh, t.conn.info().ssthresh());
    }

    @Test
    @DisplayName("§7.4 with §6.2: the probe's SACK shows the octets below it lost; fast recovery resends them at once")
    void probeSackedStartsRecovery() {
        t = establishedWithRtt(new TcpConfig(), 100, seg(SYN).mss(MSS).sackPerm(true));
        int smss = t.conn.info().effectiveMss();
        t.write(4 * smss);
        for (int i = 0; i < 4; i++) {
            t.expect(seg(i == 3 ? ACK | PSH : ACK).seq(ISS + 1 + i * smss).len(smss));
        }
        t.advanceMillis(100);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1 + 2 * smss));  // segments 2 and 3 lost
        t.advanceMillis(200).expect(seg(ACK | PSH).seq(ISS + 1 + 3 * smss).len(smss));
        t.advanceMillis(100);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1 + 2 * smss).sack(ISS + 1 + 3 * smss, ISS + 1 + 4 * smss));
        t.expect(seg(ACK).seq(ISS + 1 + 2 * smss).len(smss));
        assertTrue(t.conn.info().inRecovery());
        assertEquals(0, t.conn.info().timeouts());
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1 + 4 * smss));
    }

    @Test
    @DisplayName("off: the lost tail waits for the RTO")
    void offWaitsForRto() {
        t = establishedWithRtt(TcpHarness.config(c -> c.tailLossProbe = false), 100, seg(SYN).mss(MSS));
        t.write(2 * MSS);
        t.expect(seg(ACK).seq(dataSeq(0)).len(MSS)).expect(seg(ACK | PSH).seq(dataSeq(1)).len(MSS));
        t.advanceMillis(299).expectNothing();
        t.advanceMillis(1).expect(seg(ACK).seq(dataSeq(0)).len(MSS));
        assertEquals(0, t.conn.info().lossProbes());
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(2)));
    }
}
