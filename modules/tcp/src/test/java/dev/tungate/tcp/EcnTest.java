package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.CWR;
import static dev.tungate.tcp.Segment.ECE;
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

@DisplayName("RFC 3168: Explicit Congestion Notification")
class EcnTest {
    private static final int ECT0 = 2;
    private static final int CE = 3;
    private TcpHarness t;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    private static TcpConfig ecnOn() {
        return TcpHarness.config(c -> {
            c.ecn = true;
            c.congestionControl = "newreno";
        });
    }

    @Test
    @DisplayName("§6.1.1 active open: ECN-setup SYN has ECE+CWR; a SYN-ACK with ECE turns ECN on; data is ECT(0)")
    void activeNegotiation() {
        t = new TcpHarness(ecnOn());
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN | ECE | CWR).seq(ISS).ecn(0));
        t.send(seg(SYN | ACK | ECE).seq(IRS).ack(ISS + 1).mss(1460));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1).ecn(0)).expectEvent(TcpEvent.ESTABLISHED);
        assertTrue(t.conn.info().ecnEnabled());
        t.write("data").expect(seg(ACK | PSH).seq(ISS + 1).ecn(ECT0));
        // §6.1.5: retransmissions are not ECN-capable
        t.advanceMillis(200).expect(seg(ACK | PSH).seq(ISS + 1).ecn(0));
    }

    @Test
    @DisplayName("§6.1.1: a SYN-ACK without ECE leaves ECN off")
    void activeRefused() {
        t = new TcpHarness(ecnOn());
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN | ECE | CWR).seq(ISS));
        t.send(seg(SYN | ACK).seq(IRS).ack(ISS + 1).mss(1460));
        t.expect(seg(ACK)).expectEvent(TcpEvent.ESTABLISHED);
        assertFalse(t.conn.info().ecnEnabled());
        t.write("data").expect(seg(ACK | PSH).ecn(0));
    }

    @Test
    @DisplayName("§6.1.1 passive open: an ECN-setup SYN gets a SYN-ACK with ECE (only when configured)")
    void passiveNegotiation() {
        t = TcpHarness.listening(ecnOn(), ISS);
        t.send(seg(SYN | ECE | CWR).seq(IRS).mss(1460));
        t.expect(seg(SYN | ACK | ECE).seq(ISS).ack(IRS + 1));
        t.assertNoLeaks();
        t = TcpHarness.listening(new TcpConfig(), ISS);
        t.send(seg(SYN | ECE | CWR).seq(IRS).mss(1460));
        t.expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1));
    }

    @Test
    @DisplayName("§6.1.3: a CE mark makes every ACK carry ECE until the peer's CWR")
    void ceEchoedUntilCwr() {
        t = TcpHarness.established(ecnOn(), ISS, IRS, seg(SYN | ECE | CWR).mss(1460));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).ecn(CE).data("a"));
        t.advanceMillis(40).expect(seg(ACK | ECE).ack(IRS + 2));
        t.send(seg(ACK).seq(IRS + 2).ack(ISS + 1).ecn(ECT0).data("b"));
        t.advanceMillis(40).expect(seg(ACK | ECE).ack(IRS + 3));
        t.send(seg(ACK | CWR).seq(IRS + 3).ack(ISS + 1).ecn(ECT0).data("c"));
        t.advanceMillis(40).expect(seg(ACK).ack(IRS + 4));
        t.expectDelivered("abc");
    }

    @Test
    @DisplayName("§6.1.2: ECE halves the window once per window of data and the next data segment carries CWR")
    void eceReducesOncePerWindow() {
        t = TcpHarness.established(ecnOn(), ISS, IRS, seg(SYN | ECE | CWR).mss(1460));
        t.write(4 * 1460);
        for (int i = 0; i < 4; i++) {
            t.expect(seg(i == 3 ? ACK | PSH : ACK).seq(ISS + 1 + i * 1460).ecn(ECT0));
        }
        t.send(seg(ACK | ECE).seq(IRS + 1).ack(ISS + 1 + 1460));
        int ssthresh = t.conn.info().ssthresh();
        assertEquals(2 * 1460, ssthresh, "ssthresh = max(FlightSize / 2, 2 SMSS)");
        t.send(seg(ACK | ECE).seq(IRS + 1).ack(ISS + 1 + 2 * 1460));
        assertEquals(ssthresh, t.conn.info().ssthresh(), "second ECE in the same window: no further reduction");
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1 + 4 * 1460));
        t.write("x");
        t.expect(seg(ACK | PSH | CWR).ecn(ECT0).data("x"));
        t.write("y").expectNothing();                               // Nagle: "x" is in flight
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2 + 4 * 1460));
        t.expect(seg(ACK | PSH).ecn(ECT0).data("y"));                // CWR only once
    }
}
