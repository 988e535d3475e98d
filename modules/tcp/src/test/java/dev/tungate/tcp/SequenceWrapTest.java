package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.FIN;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.Segment.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 9293 §3.4: sequence numbers wrap modulo 2^32")
class SequenceWrapTest {
    private static final int ISS = 0xFFFF_FFF0;
    private static final int IRS = 0xFFFF_FFF8;
    private final TcpHarness t = TcpHarness.established(new TcpConfig(), ISS, IRS, seg(SYN).mss(1460).sackPerm(true));

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("data, ACKs and FIN across the wrap in both directions")
    void acrossTheWrap() {
        t.write(40).expect(seg(ACK | PSH).seq(ISS + 1).len(40));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 41));
        assertEquals(0x19, t.conn.info().sndUna());
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS + 41).len(30));
        t.advanceMillis(40).expect(seg(ACK).seq(ISS + 41).ack(IRS + 31));
        assertEquals(IRS + 31, t.conn.info().rcvNxt());
        assertEquals(0x17, t.conn.info().rcvNxt());
        t.close().expect(seg(FIN | ACK).seq(ISS + 41));
        t.send(seg(FIN | ACK).seq(IRS + 31).ack(ISS + 42));
        t.expect(seg(ACK).seq(ISS + 42).ack(IRS + 32)).expectState(State.TIME_WAIT).expectEvent(TcpEvent.PEER_FIN);
    }

    @Test
    @DisplayName("out-of-order data and SACK blocks straddling the wrap")
    void reassemblyAcrossTheWrap() {
        t.send(seg(ACK).seq(IRS + 11).ack(ISS + 1).data("klmno"));
        t.expect(seg(ACK).ack(IRS + 1).sack(IRS + 11, IRS + 16));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).data("abcdefghij"));
        t.expect(seg(ACK).ack(IRS + 16));
        t.expectDelivered("abcdefghijklmno");
    }

    @Test
    @DisplayName("an ACK just past the wrap is acceptable, one past SND.NXT is not")
    void ackAcceptabilityAcrossTheWrap() {
        t.write(40).expect(seg(ACK | PSH).seq(ISS + 1));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 42));
        t.expect(seg(ACK).seq(ISS + 41).ack(IRS + 1));
        assertEquals(ISS + 1, t.conn.info().sndUna());
    }
}
