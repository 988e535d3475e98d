package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.FIN;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.Segment.RST;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.State.CLOSED;
import static dev.tungate.tcp.State.ESTABLISHED;
import static dev.tungate.tcp.State.FIN_WAIT_1;
import static dev.tungate.tcp.State.SYN_RECEIVED;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 9293 §3.10.7.4: SYN-RECEIVED")
class SynReceivedStateTest {
    private TcpHarness t;

    @BeforeEach
    void synReceived() {
        t = TcpHarness.listening(new TcpConfig(), ISS);
        t.send(seg(SYN).seq(IRS).mss(1460));
        t.expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1)).expectState(SYN_RECEIVED);
    }

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("RST at RCV.NXT: the peer refused, CLOSED with RESET (deviation: no return to LISTEN)")
    void rstCloses() {
        t.send(seg(RST).seq(IRS + 1));
        t.expectState(CLOSED).expectEvent(TcpEvent.RESET).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("RFC 5961 §4.2: a new SYN (not the retransmitted one) draws a challenge ACK")
    void newSynChallenged() {
        t.send(seg(SYN).seq(IRS + 10).mss(1460));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1)).expectState(SYN_RECEIVED);
    }

    @Test
    @DisplayName("the ACK of our SYN carrying data: ESTABLISHED and the data delivered")
    void ackWithData() {
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS + 1).data("GET /"));
        t.expectState(ESTABLISHED).expectEvent(TcpEvent.ESTABLISHED).expectDelivered("GET /");
        t.advanceMillis(40).expect(seg(ACK).seq(ISS + 1).ack(IRS + 6));
    }

    @Test
    @DisplayName("data queued in SYN-RECEIVED goes out once ESTABLISHED")
    void dataQueuedBeforeEstablished() {
        t.write("early").expectNothing();
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1));
        t.expect(seg(ACK | PSH).seq(ISS + 1).data("early")).expectEvent(TcpEvent.ESTABLISHED);
    }

    @Test
    @DisplayName("§3.10.4 CLOSE in SYN-RECEIVED: the FIN waits for ESTABLISHED, then FIN-WAIT-1")
    void closeInSynReceived() {
        t.close().expectNothing().expectState(SYN_RECEIVED);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1));
        t.expect(seg(FIN | ACK).seq(ISS + 1).ack(IRS + 1)).expectState(FIN_WAIT_1).expectEvent(TcpEvent.ESTABLISHED);
    }

    @Test
    @DisplayName("a segment outside the window draws an ACK; SYN-RECEIVED stays")
    void unacceptable() {
        t.send(seg(ACK).seq(IRS + 100_000).ack(ISS + 1).data("x"));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1)).expectState(SYN_RECEIVED);
    }
}
