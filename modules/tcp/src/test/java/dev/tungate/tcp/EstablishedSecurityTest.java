package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.Segment.RST;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.State.CLOSED;
import static dev.tungate.tcp.State.ESTABLISHED;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 9293 §3.10.7.4 + RFC 5961: sequence checks, RST, SYN and ACK in ESTABLISHED")
class EstablishedSecurityTest {
    private TcpHarness t = TcpHarness.established();

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("RFC 5961 §3.2: RST at exactly RCV.NXT resets")
    void rstAtRcvNxtResets() {
        t.send(seg(RST).seq(IRS + 1));
        t.expectState(CLOSED).expectEvent(TcpEvent.RESET).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("RFC 5961 §3.2: an in-window RST elsewhere draws a challenge ACK")
    void inWindowRstChallenged() {
        t.send(seg(RST).seq(IRS + 100));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1)).expectState(ESTABLISHED).expectNoEvent();
        assertEquals(1, t.conn.info().challengeAcksSent());
    }

    @Test
    @DisplayName("§3.10.7.4 first step: a RST outside the window is dropped silently")
    void outOfWindowRstDropped() {
        t.send(seg(RST).seq(IRS - 100));
        t.send(seg(RST).seq(IRS + 1 + 2_000_000));
        t.expectState(ESTABLISHED).expectNoEvent();
    }

    @Test
    @DisplayName("RFC 5961 §4.2: a SYN in ESTABLISHED draws a challenge ACK, whatever its sequence number")
    void synChallenged() {
        t.send(seg(SYN).seq(IRS + 1));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1)).expectState(ESTABLISHED);
        t.send(seg(SYN).seq(IRS + 500));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1)).expectState(ESTABLISHED).expectNoEvent();
    }

    @Test
    @DisplayName("RFC 5961 §7: challenge ACKs are rate limited per second")
    void challengeAckRateLimit() {
        t.assertNoLeaks();
        t = TcpHarness.established(c -> c.challengeAckLimitPerSecond = 2);
        t.send(seg(RST).seq(IRS + 10)).expect(seg(ACK).ack(IRS + 1));
        t.send(seg(RST).seq(IRS + 11)).expect(seg(ACK).ack(IRS + 1));
        t.send(seg(RST).seq(IRS + 12)).expectNothing();
        t.send(seg(SYN).seq(IRS + 13)).expectNothing();
        t.advanceMillis(1000);
        t.send(seg(RST).seq(IRS + 14)).expect(seg(ACK).ack(IRS + 1));
        assertEquals(3, t.conn.info().challengeAcksSent());
    }

    @Test
    @DisplayName("§3.10.7.4 first step: an unacceptable segment draws <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and is dropped")
    void unacceptableSegmentAcked() {
        t.send(seg(ACK | PSH).seq(IRS + 1 + 70_000).ack(ISS + 1).data("far"));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1));
        t.send(seg(ACK | PSH).seq(IRS - 10).ack(ISS + 1).data("old"));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1));
        t.expectDelivered("");
    }

    @Test
    @DisplayName("a corrupted segment that passed the checksum but lies outside the window is just ACKed")
    void corruptedOutsideWindowAcked() {
        // Bit flips in the sequence number: the gateway's checksum check normally catches these.
        t.send(seg(ACK | PSH).seq((IRS + 1) ^ 0x4000_0000).ack(ISS + 1).data("garbage"));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1)).expectState(ESTABLISHED);
        t.expectDelivered("");
    }

    @Test
    @DisplayName("RFC 5961 §5.2: an ACK of unsent data draws an ACK and the segment is dropped")
    void ackOfUnsentData() {
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS + 1000).data("data"));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1));
        t.expectDelivered("");
        assertEquals(ISS + 1, t.conn.info().sndUna());
    }

    @Test
    @DisplayName("RFC 5961 §5.2: an ACK below SND.UNA - MAX.SND.WND draws an ACK and the segment is dropped")
    void ackTooOld() {
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS - 70_000).data("data"));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1));
        t.expectDelivered("");
    }

    @Test
    @DisplayName("§3.10.7.4 fifth step: an old ACK inside MAX.SND.WND is ignored but the text is taken")
    void oldAckTextTaken() {
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS - 10).data("data"));
        t.expectDelivered("data");
        t.advanceMillis(40).expect(seg(ACK).ack(IRS + 5));
    }

    @Test
    @DisplayName("§3.10.7.4 fifth step: a segment without ACK is dropped")
    void noAckDropped() {
        t.send(seg(PSH).seq(IRS + 1).data("data"));
        t.expectDelivered("");
    }
}
