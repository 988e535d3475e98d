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

@DisplayName("RFC 9293 §3.10.7.1 CLOSED")
class ClosedStateTest {
    private TcpHarness t;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("a segment with ACK draws <SEQ=SEG.ACK><CTL=RST>")
    void ackDrawsRst() {
        t = new TcpHarness();
        t.send(seg(ACK).seq(IRS).ack(777).data("x"));
        t.expect(seg(RST).seq(777)).expectState(CLOSED).expectNoEvent();
    }

    @Test
    @DisplayName("a SYN draws <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>")
    void synDrawsRstAck() {
        t = new TcpHarness();
        t.send(seg(SYN).seq(IRS));
        t.expect(seg(RST | ACK).seq(0).ack(IRS + 1)).expectNoEvent();
    }

    @Test
    @DisplayName("a RST is dropped")
    void rstDropped() {
        t = new TcpHarness();
        t.send(seg(RST).seq(IRS));
    }
}
