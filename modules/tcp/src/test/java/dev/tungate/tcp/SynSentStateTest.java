package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.FIN;
import static dev.tungate.tcp.Segment.RST;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.State.CLOSED;
import static dev.tungate.tcp.State.ESTABLISHED;
import static dev.tungate.tcp.State.LISTEN;
import static dev.tungate.tcp.State.SYN_RECEIVED;
import static dev.tungate.tcp.State.SYN_SENT;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 9293 §3.10.7.3 SYN-SENT")
class SynSentStateTest {
    private TcpHarness t;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("active open: SYN seq=x, SYN-ACK ack=x+1 is answered by ACK (§3.5 Fig. 6)")
    void activeOpen() {
        t = new TcpHarness();
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS).mss(1460)).expectState(SYN_SENT);
        t.send(seg(SYN | ACK).seq(IRS).ack(ISS + 1).mss(1460));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1)).expectState(ESTABLISHED).expectEvent(TcpEvent.ESTABLISHED);
    }

    @Test
    @DisplayName("old duplicate SYN-ACK (ack != ISS+1) draws <SEQ=SEG.ACK><CTL=RST>; the right one still succeeds (§3.5 Fig. 8)")
    void oldDuplicateSynAck() {
        t = new TcpHarness();
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS));
        t.send(seg(SYN | ACK).seq(90_000).ack(777).mss(1460));
        t.expect(seg(RST).seq(777)).expectState(SYN_SENT);
        t.send(seg(SYN | ACK).seq(IRS).ack(ISS + 1).mss(1460));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1)).expectState(ESTABLISHED).expectEvent(TcpEvent.ESTABLISHED);
    }

    @Test
    @DisplayName("a RST with an acceptable ACK refuses the connection")
    void rstRefuses() {
        t = new TcpHarness();
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS));
        t.send(seg(RST | ACK).seq(0).ack(ISS + 1));
        t.expectState(CLOSED).expectEvent(TcpEvent.RESET).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("a RST without an acceptable ACK is dropped (RFC 5961 §3.2)")
    void rstWithoutAckDropped() {
        t = new TcpHarness();
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS));
        t.send(seg(RST).seq(IRS));
        t.expectState(SYN_SENT).expectNoEvent();
    }

    @Test
    @DisplayName("simultaneous open: SYN meets SYN, both go through SYN-RECEIVED (§3.5 Fig. 7)")
    void simultaneousOpen() {
        t = new TcpHarness();
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS));
        t.send(seg(SYN).seq(IRS).mss(1460));
        t.expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1)).expectState(SYN_RECEIVED);
        t.send(seg(SYN | ACK).seq(IRS).ack(ISS + 1).mss(1460));
        t.expectState(ESTABLISHED).expectEvent(TcpEvent.ESTABLISHED);
        t.write("hi");
        t.expect(seg(ACK | Segment.PSH).seq(ISS + 1).ack(IRS + 1).data("hi"));
    }

    @Test
    @DisplayName("simultaneous open completed by a plain ACK")
    void simultaneousOpenPlainAck() {
        t = new TcpHarness();
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS));
        t.send(seg(SYN).seq(IRS).mss(1460));
        t.expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1));
        t.expectState(ESTABLISHED).expectEvent(TcpEvent.ESTABLISHED);
    }

    @Test
    @DisplayName("SYN retransmitted with backoff; after maxSynRetransmits the open times out")
    void synRetryLimit() {
        t = new TcpHarness(TcpHarness.config(c -> c.maxSynRetransmits = 2));
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS));
        t.advance(Duration.ofSeconds(1)).expect(seg(SYN).seq(ISS));
        t.advance(Duration.ofSeconds(2)).expect(seg(SYN).seq(ISS));
        t.advance(Duration.ofSeconds(4));
        t.expectState(CLOSED).expectEvent(TcpEvent.TIMED_OUT).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("RFC 6298 (5.7): after a SYN timeout, data transmission starts with RTO = 3 s")
    void synTimeoutFallback() {
        t = new TcpHarness(TcpHarness.config(c -> c.tailLossProbe = false));
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS));
        t.advance(Duration.ofSeconds(1)).expect(seg(SYN).seq(ISS));
        t.send(seg(SYN | ACK).seq(IRS).ack(ISS + 1).mss(1460));
        t.expect(seg(ACK).seq(ISS + 1)).expectEvent(TcpEvent.ESTABLISHED);
        org.junit.jupiter.api.Assertions.assertEquals(3_000_000_000L, t.conn.info().rtoNanos());
        org.junit.jupiter.api.Assertions.assertEquals(-1, t.conn.info().srttNanos(), "Karn: no sample from a retransmitted SYN");
        t.write("x").expect(seg(ACK | Segment.PSH).seq(ISS + 1));
        t.advance(Duration.ofMillis(2999)).expectNothing();
        t.advance(Duration.ofMillis(1)).expect(seg(ACK | Segment.PSH).seq(ISS + 1));
    }

    @Test
    @DisplayName("data and FIN in the SYN-ACK are processed after the handshake (\"continue at the sixth step\")")
    void synAckWithData() {
        t = new TcpHarness();
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS));
        t.send(seg(SYN | ACK | FIN).seq(IRS).ack(ISS + 1).mss(1460).data("hello"));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 7));
        t.expectDelivered("hello").expectState(State.CLOSE_WAIT)
                .expectEvent(TcpEvent.ESTABLISHED).expectEvent(TcpEvent.PEER_FIN);
    }

    @Test
    @DisplayName("close() in SYN-SENT deletes the TCB")
    void closeInSynSent() {
        t = new TcpHarness();
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS));
        t.close().expectState(CLOSED).expectEvent(TcpEvent.CLOSED);
    }
}
