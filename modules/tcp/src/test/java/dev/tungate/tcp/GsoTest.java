package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GSO super-segments on output")
class GsoTest {
    private final TcpHarness t = TcpHarness.established(
            TcpHarness.config(c -> { c.gsoMaxBytes = 65_536; c.tailLossProbe = false; }), ISS, IRS, seg(SYN).mss(1460).ws(7));

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("a large write leaves as one super-segment of whole MSS units, tagged gsoSize = SMSS, within cwnd")
    void superSegment() {
        t.write(100_000);
        // IW = 10 SMSS: one super-segment of 14600 bytes
        t.expect(seg(ACK).seq(ISS + 1).len(10 * 1460).gso(1460));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1 + 4 * 1460).wnd(1000));
        // cwnd counts bytes: what the ACK freed plus slow-start growth, again in MSS units
        int room = t.conn.info().cwnd() - 6 * 1460;
        t.expect(seg(ACK).seq(ISS + 1 + 10 * 1460).len(room / 1460 * 1460).gso(1460));
    }

    @Test
    @DisplayName("a loss inside a super-segment is retransmitted as one MSS segment without gsoSize")
    void retransmitOneMss() {
        t.write(10 * 1460).expect(seg(ACK | PSH).len(10 * 1460).gso(1460));
        t.advanceMillis(200).expect(seg(ACK).seq(ISS + 1).len(1460).gso(0));
        assertEquals(1, t.conn.info().retransmits());
    }

    @Test
    @DisplayName("a write of one MSS or less is a plain segment")
    void smallIsPlain() {
        t.write(1000).expect(seg(ACK | PSH).len(1000).gso(0));
    }
}
