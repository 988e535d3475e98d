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

@DisplayName("RFC 9293 §3.10.7.2 LISTEN")
class ListenStateTest {
    private TcpHarness t;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("SYN seq=x is answered by SYN-ACK seq=ISS ack=x+1 (§3.5 Fig. 6)")
    void synAnsweredBySynAck() {
        t = TcpHarness.listening(new TcpConfig(), ISS);
        t.send(seg(SYN).seq(IRS).mss(1460));
        t.expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1).mss(1460)).expectState(SYN_RECEIVED);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1));
        t.expectState(ESTABLISHED).expectEvent(TcpEvent.ESTABLISHED);
    }

    @Test
    @DisplayName("an ACK draws <SEQ=SEG.ACK><CTL=RST> and LISTEN stays")
    void ackDrawsRst() {
        t = TcpHarness.listening(new TcpConfig(), ISS);
        t.send(seg(ACK).seq(IRS).ack(4242));
        t.expect(seg(RST).seq(4242)).expectState(LISTEN);
    }

    @Test
    @DisplayName("a RST is ignored")
    void rstIgnored() {
        t = TcpHarness.listening(new TcpConfig(), ISS);
        t.send(seg(RST).seq(IRS));
        t.expectState(LISTEN);
    }

    @Test
    @DisplayName("the SYN-ACK is retransmitted on RTO with backoff, and a retransmitted SYN is answered again")
    void synAckRetransmitted() {
        t = TcpHarness.listening(new TcpConfig(), ISS);
        t.send(seg(SYN).seq(IRS).mss(1460));
        t.expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1));
        t.advance(Duration.ofMillis(999)).expectNothing();
        t.advance(Duration.ofMillis(1)).expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1));
        t.advance(Duration.ofMillis(1999)).expectNothing();
        t.advance(Duration.ofMillis(1)).expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1));
        t.send(seg(SYN).seq(IRS).mss(1460));
        t.expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1)).expectState(SYN_RECEIVED);
    }

    @Test
    @DisplayName("an ACK outside SND.UNA..SND.NXT in SYN-RECEIVED draws <SEQ=SEG.ACK><CTL=RST>")
    void badAckInSynReceived() {
        t = TcpHarness.listening(new TcpConfig(), ISS);
        t.send(seg(SYN).seq(IRS).mss(1460));
        t.expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 50));
        t.expect(seg(RST).seq(ISS + 50)).expectState(SYN_RECEIVED);
    }
}
