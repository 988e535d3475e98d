package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.FIN;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.Segment.RST;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.State.CLOSED;
import static dev.tungate.tcp.State.CLOSE_WAIT;
import static dev.tungate.tcp.State.CLOSING;
import static dev.tungate.tcp.State.FIN_WAIT_1;
import static dev.tungate.tcp.State.FIN_WAIT_2;
import static dev.tungate.tcp.State.LAST_ACK;
import static dev.tungate.tcp.State.TIME_WAIT;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 9293 §3.6: closing a connection")
class CloseTest {
    private final TcpHarness t = TcpHarness.established();

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("active close: FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT, CLOSED after 2 MSL (§3.6 Fig. 12)")
    void activeClose() {
        t.close().expect(seg(FIN | ACK).seq(ISS + 1).ack(IRS + 1)).expectState(FIN_WAIT_1);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2));
        t.expectState(FIN_WAIT_2).expectNothing();
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 2));
        t.expect(seg(ACK).seq(ISS + 2).ack(IRS + 2)).expectState(TIME_WAIT).expectEvent(TcpEvent.PEER_FIN);
        assertEquals(t.nowNanos + 2 * t.config.mslNanos, t.conn.nextDeadlineNanos());
        t.advance(Duration.ofNanos(2 * t.config.mslNanos - 1)).expectState(TIME_WAIT);
        t.advance(Duration.ofNanos(1)).expectState(CLOSED).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("§3.10.7.4 eighth step: PEER_FIN is told after the FIN's transition, so its handler sees TIME-WAIT")
    void peerFinToldAfterTransition() {
        t.close().expect(seg(FIN | ACK).seq(ISS + 1).ack(IRS + 1));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2));
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 2));
        t.expect(seg(ACK).seq(ISS + 2).ack(IRS + 2)).expectEvent(TcpEvent.PEER_FIN);
        assertEquals(TIME_WAIT, t.stateAtPeerFin());
    }

    @Test
    @DisplayName("passive close: CLOSE-WAIT, LAST-ACK, CLOSED on the ACK of our FIN")
    void passiveClose() {
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 1));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 2)).expectState(CLOSE_WAIT).expectEvent(TcpEvent.PEER_FIN);
        t.close().expect(seg(FIN | ACK).seq(ISS + 1).ack(IRS + 2)).expectState(LAST_ACK);
        t.send(seg(ACK).seq(IRS + 2).ack(ISS + 2));
        t.expectState(CLOSED).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("simultaneous close: FIN meets FIN in FIN-WAIT-1, CLOSING, then TIME-WAIT (§3.6 Fig. 13)")
    void simultaneousClose() {
        t.close().expect(seg(FIN | ACK).seq(ISS + 1).ack(IRS + 1)).expectState(FIN_WAIT_1);
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 1));
        t.expect(seg(ACK).seq(ISS + 2).ack(IRS + 2)).expectState(CLOSING).expectEvent(TcpEvent.PEER_FIN);
        t.send(seg(ACK).seq(IRS + 2).ack(ISS + 2));
        t.expectState(TIME_WAIT);
        t.advance(Duration.ofNanos(2 * t.config.mslNanos)).expectState(CLOSED).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("FIN+ACK acknowledging our FIN in FIN-WAIT-1 goes straight to TIME-WAIT")
    void finAckInFinWait1() {
        t.close().expect(seg(FIN | ACK).seq(ISS + 1));
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 2));
        t.expect(seg(ACK).seq(ISS + 2).ack(IRS + 2)).expectState(TIME_WAIT).expectEvent(TcpEvent.PEER_FIN);
    }

    @Test
    @DisplayName("CLOSE-WAIT: a retransmitted FIN (our ACK was lost) is unacceptable and draws the ACK again")
    void closeWaitFinReacked() {
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 1));
        t.expect(seg(ACK).ack(IRS + 2)).expectEvent(TcpEvent.PEER_FIN);
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 1));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 2)).expectState(CLOSE_WAIT).expectNoEvent();
    }

    @Test
    @DisplayName("half-close: CLOSE-WAIT keeps sending data to the peer")
    void closeWaitSendsData() {
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 1));
        t.expect(seg(ACK).ack(IRS + 2)).expectEvent(TcpEvent.PEER_FIN).expectState(CLOSE_WAIT);
        t.write("reply");
        t.expect(seg(ACK | PSH).seq(ISS + 1).ack(IRS + 2).data("reply"));
        t.send(seg(ACK).seq(IRS + 2).ack(ISS + 6));
        t.expectState(CLOSE_WAIT).expectNothing();
        assertEquals(ISS + 6, t.conn.info().sndUna());
    }

    @Test
    @DisplayName("half-close: FIN-WAIT-2 keeps receiving data from the peer")
    void finWait2ReceivesData() {
        t.close().expect(seg(FIN | ACK).seq(ISS + 1));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2)).expectState(FIN_WAIT_2);
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS + 2).data("more"));
        t.expectDelivered("more").expectState(FIN_WAIT_2);
        t.advance(Duration.ofMillis(40)).expect(seg(ACK).seq(ISS + 2).ack(IRS + 5));
    }

    @Test
    @DisplayName("FIN waits for queued data: data, then FIN, each acknowledged")
    void finAfterData() {
        t.write("abc").expect(seg(ACK | PSH).seq(ISS + 1).data("abc"));
        t.close().expect(seg(FIN | ACK).seq(ISS + 4).ack(IRS + 1)).expectState(FIN_WAIT_1);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 4));
        t.expectState(FIN_WAIT_1).expectNothing();
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 5)).expectState(FIN_WAIT_2);
    }

    @Test
    @DisplayName("TIME-WAIT: a retransmitted FIN is ACKed again and restarts the 2 MSL timer")
    void timeWaitFinReacked() {
        t.close().expect(seg(FIN | ACK));
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 2));
        t.expect(seg(ACK).seq(ISS + 2).ack(IRS + 2)).expectState(TIME_WAIT).expectEvent(TcpEvent.PEER_FIN);
        t.advance(Duration.ofSeconds(50));
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 2));
        t.expect(seg(ACK).seq(ISS + 2).ack(IRS + 2)).expectState(TIME_WAIT);
        t.advance(Duration.ofSeconds(59)).expectState(TIME_WAIT);
        t.advance(Duration.ofSeconds(1)).expectState(CLOSED).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("TIME-WAIT reuse (RFC 6191): a SYN above RCV.NXT may reuse the pair, an old one may not")
    void timeWaitReuseBySeq() {
        t.close().expect(seg(FIN | ACK));
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 2));
        t.expect(seg(ACK)).expectState(TIME_WAIT).expectEvent(TcpEvent.PEER_FIN);
        Segment syn = new Segment();
        syn.flags = SYN;
        syn.seq = IRS + 100_000;
        assertTrue(t.conn.acceptsNewSyn(syn));
        syn.seq = IRS;
        assertFalse(t.conn.acceptsNewSyn(syn));
        syn.seq = IRS + 100_000;
        syn.flags = SYN | ACK;
        assertFalse(t.conn.acceptsNewSyn(syn));
    }

    @Test
    @DisplayName("TIME-WAIT reuse (RFC 6191): with timestamps, TSval above TS.Recent decides, not the sequence number")
    void timeWaitReuseByTimestamp() {
        TcpHarness u = TcpHarness.established(new TcpConfig(), ISS, IRS, seg(SYN).mss(1460).ts(500, 0));
        u.close().expect(seg(FIN | ACK));
        u.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 2).ts(600, 0));
        u.expect(seg(ACK)).expectState(TIME_WAIT).expectEvent(TcpEvent.PEER_FIN);
        Segment syn = new Segment();
        syn.flags = SYN;
        syn.seq = IRS - 100_000;     // lower sequence number, but a newer clock
        syn.options.hasTimestamps = true;
        syn.options.tsVal = 601;
        assertTrue(u.conn.acceptsNewSyn(syn));
        syn.options.tsVal = 600;
        syn.seq = IRS + 100_000;
        assertFalse(u.conn.acceptsNewSyn(syn));
        u.expectNothing();
        u.assertNoLeaks();
    }

    @Test
    @DisplayName("RST in TIME-WAIT at RCV.NXT closes without a RESET event")
    void rstInTimeWait() {
        t.close().expect(seg(FIN | ACK));
        t.send(seg(FIN | ACK).seq(IRS + 1).ack(ISS + 2));
        t.expect(seg(ACK)).expectEvent(TcpEvent.PEER_FIN);
        t.send(seg(RST).seq(IRS + 2));
        t.expectState(CLOSED).expectEvent(TcpEvent.CLOSED).expectNoEvent();
    }

    @Test
    @DisplayName("§3.10.5 ABORT: <SEQ=SND.NXT><CTL=RST>, then CLOSED")
    void abortSendsRst() {
        t.write("xy").expect(seg(ACK | PSH).data("xy"));
        t.conn.abort(t.nowNanos);
        t.expect(seg(RST).seq(ISS + 3)).expectState(CLOSED).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("the FIN is retransmitted on RTO")
    void finRetransmitted() {
        t.close().expect(seg(FIN | ACK).seq(ISS + 1));
        // The handshake's RTT sample was 0, so RTO is the 200 ms floor (RFC 6298 (2.4) as configured).
        t.advance(Duration.ofMillis(199)).expectNothing();
        t.advance(Duration.ofMillis(1)).expect(seg(FIN | ACK).seq(ISS + 1).ack(IRS + 1));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2)).expectState(FIN_WAIT_2);
    }
}
