package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.FIN;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.Segment.URG;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Receiving: delayed ACK, receive window, reassembly and SACK blocks, urgent data")
class ReceiveTest {
    private static final int MSS = 1460;
    /** Past the quick-ACK phase (QuickAckTest covers it): delayed ACKs as RFC 9293 §3.8.6.3 has them. */
    private TcpHarness t = TcpHarness.established(c -> c.quickAcks = 0);

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("RFC 9293 §3.8.6.3: a single segment is ACKed when the delayed-ACK timer fires")
    void delayedAckTimer() {
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).len(100));
        t.expectNothing();
        t.advanceMillis(39).expectNothing();
        t.advanceMillis(1).expect(seg(ACK).seq(ISS + 1).ack(IRS + 101));
    }

    @Test
    @DisplayName("RFC 9293 §3.8.6.3 (SHLD-19): the second full-sized segment is ACKed at once")
    void everySecondSegment() {
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).len(MSS)).expectNothing();
        t.send(seg(ACK).seq(IRS + 1 + MSS).ack(ISS + 1).len(MSS));
        t.expect(seg(ACK).ack(IRS + 1 + 2 * MSS));
        t.advanceMillis(100).expectNothing();
        t.expectDeliveredLength(2 * MSS);
    }

    @Test
    @DisplayName("\"full-sized\" is the peer's segment size as seen: two 1000-byte segments from a 1000-byte-MSS sender ACK at once")
    void fullSizedAsSeen() {
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).len(1000)).expectNothing();
        t.send(seg(ACK).seq(IRS + 1001).ack(ISS + 1).len(1000));
        t.expect(seg(ACK).ack(IRS + 2001));
        t.expectDeliveredLength(2000);
    }

    @Test
    @DisplayName("RFC 5681 §4.2: an out-of-order FIN draws an immediate duplicate ACK")
    void outOfOrderFin() {
        t.send(seg(ACK | FIN).seq(IRS + 10).ack(ISS + 1));
        t.expect(seg(ACK).ack(IRS + 1)).expectState(State.ESTABLISHED);
    }

    @Test
    @DisplayName("the receive window follows consumed(): it closes while the user does not read, and reopens")
    void windowFollowsConsumed() {
        t.assertNoLeaks();
        t = TcpHarness.establishedWithoutQuickAcks(4 * MSS);
        assertEquals(4 * MSS, t.conn.info().rcvWnd());
        t.sendInOrder(4, MSS);
        t.expect(seg(ACK).ack(IRS + 1 + 2 * MSS).wnd(2 * MSS));
        // less than two segments of window left: each of the last two is ACKed at once
        t.expect(seg(ACK).ack(IRS + 1 + 3 * MSS).wnd(MSS));
        t.expect(seg(ACK).ack(IRS + 1 + 4 * MSS).wnd(0));
        assertEquals(0, t.conn.info().rcvWnd());
        // zero window: a segment at RCV.NXT is ACKed with the zero window, its text dropped
        t.send(seg(ACK).seq(IRS + 1 + 4 * MSS).ack(ISS + 1).len(1));
        t.expect(seg(ACK).ack(IRS + 1 + 4 * MSS).wnd(0));
        t.expectDeliveredLength(4 * MSS);
        // receiver SWS avoidance: a few bytes freed do not reopen the window
        t.consume(100).expectNothing();
        // a full MSS freed: a window update goes out
        t.consume(MSS).expect(seg(ACK).ack(IRS + 1 + 4 * MSS).wnd(MSS + 100));
        // the rest: the window grows by at least half the buffer, which is announced at once too
        t.consume(3 * MSS - 100).expect(seg(ACK).ack(IRS + 1 + 4 * MSS).wnd(4 * MSS));
        t.send(seg(ACK).seq(IRS + 1 + 4 * MSS).ack(ISS + 1).len(10));
        t.advanceMillis(40).expect(seg(ACK).ack(IRS + 11 + 4 * MSS).wnd(4 * MSS - 10));
        t.expectDeliveredLength(10);
    }

    @Test
    @DisplayName("RFC 5681 §4.2 + RFC 2018 §4: out-of-order data is held, ACKed at once with SACK blocks; filling the gap ACKs all")
    void outOfOrderSack() {
        t.assertNoLeaks();
        t = TcpHarness.established(TcpHarness.config(c -> c.quickAcks = 0), ISS, IRS, seg(SYN).mss(1460).sackPerm(true));
        t.send(seg(ACK).seq(IRS + 11).ack(ISS + 1).data("klmno"));
        t.expect(seg(ACK).ack(IRS + 1).sack(IRS + 11, IRS + 16));
        t.send(seg(ACK).seq(IRS + 21).ack(ISS + 1).data("uvwxy"));
        // the block holding the newest segment comes first
        t.expect(seg(ACK).ack(IRS + 1).sack(IRS + 21, IRS + 26, IRS + 11, IRS + 16));
        t.send(seg(ACK).seq(IRS + 16).ack(ISS + 1).data("pqrst"));
        t.expect(seg(ACK).ack(IRS + 1).sack(IRS + 11, IRS + 26));
        t.expectDelivered("");
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).data("abcdefghij"));
        t.expect(seg(ACK).ack(IRS + 26).sack());
        t.expectDelivered("abcdefghijklmnopqrstuvwxy");
    }

    @Test
    @DisplayName("out-of-order data without SACK: duplicate ACKs without blocks; overlapping pieces are trimmed")
    void outOfOrderOverlap() {
        t.send(seg(ACK).seq(IRS + 4).ack(ISS + 1).data("defg"));
        t.expect(seg(ACK).ack(IRS + 1).sack());
        t.send(seg(ACK).seq(IRS + 6).ack(ISS + 1).data("fghij"));
        t.expect(seg(ACK).ack(IRS + 1));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).data("abcde"));
        t.expect(seg(ACK).ack(IRS + 11));
        t.expectDelivered("abcdefghij");
    }

    @Test
    @DisplayName("a FIN above a gap waits for the gap to fill")
    void finAfterGap() {
        t.send(seg(ACK | FIN).seq(IRS + 4).ack(ISS + 1).data("def"));
        t.expect(seg(ACK).ack(IRS + 1)).expectState(State.ESTABLISHED);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).data("abc"));
        t.expect(seg(ACK).ack(IRS + 8)).expectState(State.CLOSE_WAIT).expectEvent(TcpEvent.PEER_FIN);
        t.expectDelivered("abcdef");
    }

    @Test
    @DisplayName("RFC 9293 §3.8.6.3 counts full-sized segments in bytes: one GSO super-segment of 65000 bytes (44 MSS) is accepted whole and ACKed at once")
    void superSegmentAccepted() {
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS + 1).len(65_000).gso(1448));
        t.expect(seg(ACK).ack(IRS + 65_001));
        t.expectDeliveredLength(65_000);
        assertEquals(65_000, t.conn.info().bytesReceived());
    }

    @Test
    @DisplayName("data beyond the window is trimmed to it and the excess draws an ACK")
    void trimmedToWindow() {
        t.assertNoLeaks();
        t = TcpHarness.establishedWithoutQuickAcks(1000);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).len(1500));
        t.expect(seg(ACK).ack(IRS + 1001).wnd(0));
        t.expectDeliveredLength(1000);
    }

    @Test
    @DisplayName("RFC 9293 §3.10.7.4 sixth step + RFC 6093: the urgent pointer is tracked, urgent data stays inline")
    void urgentPointer() {
        t.send(seg(ACK | URG).seq(IRS + 1).ack(ISS + 1).up(3).data("abcdef"));
        assertEquals(IRS + 4, t.conn.info().rcvUp());
        assertFalse(t.conn.info().urgentPending());
        t.expectDelivered("abcdef");
        t.send(seg(ACK | URG).seq(IRS + 7).ack(ISS + 1).up(500).data("gh"));
        assertEquals(IRS + 507, t.conn.info().rcvUp());
        assertTrue(t.conn.info().urgentPending());
        t.expectDelivered("gh");
        t.advanceMillis(40).expect(seg(ACK).ack(IRS + 9));
    }
}
