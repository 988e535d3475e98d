package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.Segment.RST;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 6298 retransmission timer, RFC 5681 / 6582 / 6675 loss recovery")
class RetransmissionTest {
    private static final int MSS = 1460;
    private TcpHarness t;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    /** Passive open whose SYN-ACK takes {@code rttMillis} to be acknowledged. */
    static TcpHarness establishedWithRtt(TcpConfig config, long rttMillis, SegSpec syn) {
        TcpHarness t = TcpHarness.listening(config, ISS);
        t.send(syn.seq(IRS));
        t.expect(seg(SYN | ACK).seq(ISS));
        t.advanceMillis(rttMillis);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1));
        t.expectEvent(TcpEvent.ESTABLISHED);
        return t;
    }

    private static int dataSeq(int segment) {
        return ISS + 1 + segment * MSS;
    }

    @Test
    @DisplayName("RFC 6298 (2.2): the handshake gives the first sample, SRTT = R, RTTVAR = R/2, RTO = max(SRTT + 4 RTTVAR, min)")
    void firstSample() {
        t = establishedWithRtt(new TcpConfig(), 100, seg(SYN).mss(1460));
        assertEquals(100_000_000L, t.conn.info().srttNanos());
        assertEquals(50_000_000L, t.conn.info().rttvarNanos());
        assertEquals(300_000_000L, t.conn.info().rtoNanos());
    }

    @Test
    @DisplayName("RFC 6298 (5.4)-(5.6): RTO fires, the earliest segment is resent, RTO doubles each time")
    void rtoBackoff() {
        t = establishedWithRtt(TcpHarness.config(c -> c.tailLossProbe = false), 100, seg(SYN).mss(1460));
        t.write("abc").expect(seg(ACK | PSH).seq(ISS + 1).data("abc"));
        t.advanceMillis(299).expectNothing();
        t.advanceMillis(1).expect(seg(ACK | PSH).seq(ISS + 1).data("abc"));
        t.advanceMillis(599).expectNothing();
        t.advanceMillis(1).expect(seg(ACK | PSH).seq(ISS + 1).data("abc"));
        t.advanceMillis(1199).expectNothing();
        t.advanceMillis(1).expect(seg(ACK | PSH).seq(ISS + 1).data("abc"));
        assertEquals(3, t.conn.info().retransmits());
        assertEquals(2400_000_000L, t.conn.info().rtoNanos());
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 4));
        assertEquals(ISS + 4, t.conn.info().sndUna());
        assertEquals(Long.MAX_VALUE, t.conn.nextDeadlineNanos());
    }

    @Test
    @DisplayName("RFC 6298 §3 Karn: no RTT sample from an ACK of retransmitted data; the next fresh segment gives one")
    void karn() {
        t = establishedWithRtt(new TcpConfig(), 100, seg(SYN).mss(1460));
        t.write("abc").expect(seg(ACK | PSH).seq(ISS + 1));
        t.advanceMillis(300).expect(seg(ACK | PSH).seq(ISS + 1));
        t.advanceMillis(10);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 4));
        assertEquals(100_000_000L, t.conn.info().srttNanos(), "ambiguous ACK gave no sample");
        t.write("def").expect(seg(ACK | PSH).seq(ISS + 4));
        t.advanceMillis(20);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 7));
        // RFC 6298 (2.3): SRTT = 7/8 * 100 + 1/8 * 20 = 90 ms
        assertEquals(90_000_000L, t.conn.info().srttNanos());
    }

    @Test
    @DisplayName("RFC 9293 §3.8.3 R2: after maxRetransmits the connection is reset and TIMED_OUT")
    void retryLimit() {
        t = establishedWithRtt(TcpHarness.config(c -> { c.maxRetransmits = 3; c.tailLossProbe = false; }), 100, seg(SYN).mss(1460));
        t.write("abc").expect(seg(ACK | PSH).seq(ISS + 1));
        t.advanceMillis(300).expect(seg(ACK | PSH).seq(ISS + 1));
        t.advanceMillis(600).expect(seg(ACK | PSH).seq(ISS + 1));
        t.advanceMillis(1200).expect(seg(ACK | PSH).seq(ISS + 1));
        t.advanceMillis(2400).expect(seg(RST).seq(ISS + 4));
        t.expectState(State.CLOSED).expectEvent(TcpEvent.TIMED_OUT).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("RFC 5681 §3.2: the third duplicate ACK triggers fast retransmit of SND.UNA")
    void fastRetransmit() {
        t = establishedWithRtt(TcpHarness.config(c -> c.congestionControl = "newreno"), 100, seg(SYN).mss(1460));
        t.write(10 * MSS);
        for (int i = 0; i < 10; i++) {
            t.expect(seg(i == 9 ? ACK | PSH : ACK).seq(dataSeq(i)).len(MSS));
        }
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(1)));           // segment 1 is lost
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(1)));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(1))).expectNothing();
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(1)));
        t.expect(seg(ACK).seq(dataSeq(1)).len(MSS));
        assertTrue(t.conn.info().inRecovery());
        assertEquals(1, t.conn.info().fastRetransmits());
        // ssthresh = FlightSize / 2 (9 segments in flight)
        assertEquals(9 * MSS / 2, t.conn.info().ssthresh());
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(10)));          // full ACK ends recovery
        assertFalse(t.conn.info().inRecovery());
    }

    @Test
    @DisplayName("RFC 3042 limited transmit: each of the first two duplicate ACKs sends one new segment")
    void limitedTransmit() {
        t = establishedWithRtt(TcpHarness.config(c -> c.congestionControl = "newreno"), 100, seg(SYN).mss(1460));
        t.write(13 * MSS);
        for (int i = 0; i < 10; i++) {
            t.expect(seg(ACK).seq(dataSeq(i)).len(MSS));
        }
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)));
        t.expect(seg(ACK).seq(dataSeq(10)).len(MSS));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)));
        t.expect(seg(ACK).seq(dataSeq(11)).len(MSS));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)));
        t.expect(seg(ACK).seq(dataSeq(0)).len(MSS));              // the third: fast retransmit
        // ssthresh = FlightSize / 2 = 6 segments (12 in flight); cwnd = ssthresh + 3 SMSS
        assertEquals(6 * MSS, t.conn.info().ssthresh());
    }

    @Test
    @DisplayName("RFC 6582 §3.2 step 5: a partial ACK retransmits the next hole at once and stays in recovery")
    void newRenoPartialAck() {
        t = establishedWithRtt(TcpHarness.config(c -> c.congestionControl = "newreno"), 100, seg(SYN).mss(1460));
        t.write(10 * MSS);
        for (int i = 0; i < 10; i++) {
            t.expect(seg(i == 9 ? ACK | PSH : ACK).seq(dataSeq(i)).len(MSS));
        }
        // segments 0 and 4 are lost
        for (int i = 0; i < 3; i++) {
            t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)));
        }
        t.expect(seg(ACK).seq(dataSeq(0)).len(MSS));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(4)));           // partial: up to the second hole
        t.expect(seg(ACK).seq(dataSeq(4)).len(MSS));
        assertTrue(t.conn.info().inRecovery());
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(10)));
        assertFalse(t.conn.info().inRecovery());
        assertEquals(2, t.conn.info().retransmits());
    }

    @Test
    @DisplayName("RFC 6675 §4 NextSeg rule (3): with no new data, a hole not yet deemed lost is resent too")
    void sackRuleThree() {
        t = establishedWithRtt(TcpHarness.config(c -> c.congestionControl = "newreno"), 100,
                seg(SYN).mss(1460).sackPerm(true));
        t.write(10 * MSS);
        for (int i = 0; i < 10; i++) {
            t.expect(seg(i == 9 ? ACK | PSH : ACK).seq(dataSeq(i)).len(MSS));
        }
        // segments 0 and 8 are lost; only segment 9 lies above the second hole
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(1), dataSeq(4)));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(1), dataSeq(6)));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(9), dataSeq(10), dataSeq(1), dataSeq(8)));
        t.expect(seg(ACK).seq(dataSeq(0)).len(MSS));
        t.expect(seg(ACK).seq(dataSeq(8)).len(MSS));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(10)));
        assertFalse(t.conn.info().inRecovery());
    }

    @Test
    @DisplayName("RFC 6675 §5: with SACK, recovery retransmits each hole the scoreboard marks lost")
    void sackRecovery() {
        t = establishedWithRtt(TcpHarness.config(c -> c.congestionControl = "newreno"), 100,
                seg(SYN).mss(1460).sackPerm(true));
        assertTrue(t.conn.info().sackEnabled());
        t.write(10 * MSS);
        for (int i = 0; i < 10; i++) {
            t.expect(seg(i == 9 ? ACK | PSH : ACK).seq(dataSeq(i)).len(MSS));
        }
        // segments 0 and 5 are lost; the receiver SACKs what it holds
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(1), dataSeq(2)));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(1), dataSeq(3)));
        t.expectNothing();
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(1), dataSeq(4)));
        t.expect(seg(ACK).seq(dataSeq(0)).len(MSS));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(1), dataSeq(5)));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(6), dataSeq(7), dataSeq(1), dataSeq(5)));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(6), dataSeq(8), dataSeq(1), dataSeq(5)));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(0)).sack(dataSeq(6), dataSeq(9), dataSeq(1), dataSeq(5)));
        // Segment 5 now has three SACKed segments above it: IsLost, so it goes out once pipe allows.
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(5)).sack(dataSeq(6), dataSeq(10)));
        t.expect(seg(ACK).seq(dataSeq(5)).len(MSS));
        t.send(seg(ACK).seq(IRS + 1).ack(dataSeq(10)));
        assertFalse(t.conn.info().inRecovery());
        assertEquals(2, t.conn.info().retransmits());
    }
}
