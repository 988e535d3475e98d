package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
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

@DisplayName("Options: MSS (RFC 9293 §3.7.1), window scale and timestamps (RFC 7323), SACK-permitted (RFC 2018)")
class OptionsTest {
    /** Our TSval at the harness start: a millisecond clock plus ISS as the offset. */
    private static final int TS_NOW = (int) (TcpHarness.START_NANOS / 1_000_000L) + ISS;
    private TcpHarness t;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("our SYN offers MSS, window scale, SACK-permitted and timestamps; its window is unscaled")
    void synOffersEverything() {
        t = new TcpHarness();
        t.conn.connect(ISS, t.nowNanos);
        t.expect(seg(SYN).seq(ISS).wnd(65535).mss(1460).ws(5).sackPerm(true).ts(TS_NOW, 0));
    }

    @Test
    @DisplayName("a SYN with only MSS gets a SYN-ACK with only MSS: no scaling, SACK or timestamps")
    void absentOptionsStayOff() {
        t = TcpHarness.listening(new TcpConfig(), ISS);
        t.send(seg(SYN).seq(IRS).mss(1400));
        t.expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1).mss(1460).ws(-1).sackPerm(false).noTs());
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1)).expectEvent(TcpEvent.ESTABLISHED);
        assertEquals(0, t.conn.info().sndWndShift());
        assertEquals(0, t.conn.info().rcvWndShift());
        assertFalse(t.conn.info().sackEnabled());
        assertFalse(t.conn.info().timestampsEnabled());
        assertEquals(1400, t.conn.info().effectiveMss());
    }

    @Test
    @DisplayName("RFC 9293 §3.7.1: without an MSS option the peer gets 536-byte segments")
    void defaultMss() {
        t = TcpHarness.established(new TcpConfig(), ISS, IRS, seg(SYN));
        assertEquals(536, t.conn.info().effectiveMss());
        t.write(600).expect(seg(ACK).seq(ISS + 1).len(536));
    }

    @Test
    @DisplayName("a SYN offering everything is answered in kind; TSecr echoes the SYN's TSval")
    void everythingNegotiated() {
        t = TcpHarness.listening(new TcpConfig(), ISS);
        t.send(seg(SYN).seq(IRS).mss(1460).ws(7).sackPerm(true).ts(777, 0));
        t.expect(seg(SYN | ACK).seq(ISS).ack(IRS + 1).mss(1460).ws(5).sackPerm(true).ts(TS_NOW, 777));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).ts(778, TS_NOW)).expectEvent(TcpEvent.ESTABLISHED);
        assertEquals(7, t.conn.info().sndWndShift());
        assertEquals(5, t.conn.info().rcvWndShift());
        assertTrue(t.conn.info().sackEnabled());
        assertTrue(t.conn.info().timestampsEnabled());
        // RFC 6691: the 12 bytes of timestamps come out of every segment's MSS.
        assertEquals(1448, t.conn.info().effectiveMss());
    }

    @Test
    @DisplayName("the MSS we send is clamped to the smaller of our config and the peer's option")
    void mssClamped() {
        t = TcpHarness.established(TcpHarness.config(c -> c.mss = 1200), ISS, IRS, seg(SYN).mss(1460));
        t.write(1300).expect(seg(ACK).seq(ISS + 1).len(1200));
        t.assertNoLeaks();
        t = TcpHarness.established(new TcpConfig(), ISS, IRS, seg(SYN).mss(1000));
        t.write(1300).expect(seg(ACK).seq(ISS + 1).len(1000));
    }

    @Test
    @DisplayName("RFC 7323 §2.3: SEG.WND of non-SYN segments is shifted by Snd.Wind.Shift")
    void windowScalingApplied() {
        t = TcpHarness.established(new TcpConfig(), ISS, IRS, seg(SYN).mss(1460).ws(3));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).wnd(100));
        assertEquals(800, t.conn.info().sndWnd());
        t.write(1000).expect(seg(ACK).seq(ISS + 1).len(800));
    }

    @Test
    @DisplayName("RFC 7323 §2.3: our window field is RCV.WND >> Rcv.Wind.Shift")
    void ourWindowScaled() {
        t = TcpHarness.established(new TcpConfig(), ISS, IRS, seg(SYN).mss(1460).ws(0));
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS + 1).data("x"));
        t.advanceMillis(40);
        // the SYN-ACK announced 65535; the buffer (1 MiB) now lets the window open fully
        t.expect(seg(ACK).ack(IRS + 2).wnd(((1 << 20) - 1) >> 5));
    }

    @Test
    @DisplayName("RFC 7323 §2.2: no scaling when we do not offer it, even if the peer does")
    void scalingOffWhenNotOffered() {
        t = TcpHarness.listening(TcpHarness.config(c -> c.windowScaling = false), ISS);
        t.send(seg(SYN).seq(IRS).mss(1460).ws(7));
        t.expect(seg(SYN | ACK).ws(-1));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).wnd(1000)).expectEvent(TcpEvent.ESTABLISHED);
        assertEquals(1000, t.conn.info().sndWnd());
    }

    @Test
    @DisplayName("RFC 7323 §5.3 PAWS: a segment with TSval older than TS.Recent is dropped with an ACK")
    void pawsRejectsOld() {
        t = TcpHarness.established(TcpHarness.config(c -> c.quickAcks = 0), ISS, IRS, seg(SYN).mss(1460).ts(1000, 0));
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS + 1).ts(999, TS_NOW).data("stale"));
        t.expect(seg(ACK).seq(ISS + 1).ack(IRS + 1).ts(TS_NOW, 1000));
        t.expectDelivered("");
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS + 1).ts(1001, TS_NOW).data("fresh"));
        t.expectDelivered("fresh");
        t.advanceMillis(40).expect(seg(ACK).ack(IRS + 6).ts(TS_NOW + 40, 1001));
    }

    @Test
    @DisplayName("RFC 7323 §4.3: TS.Recent is taken only from segments at or below Last.ACK.sent")
    void tsRecentUpdateRule() {
        t = TcpHarness.established(new TcpConfig(), ISS, IRS, seg(SYN).mss(1460).ts(1000, 0));
        // out of order, above Last.ACK.sent: held, but its TSval is not echoed
        t.send(seg(ACK).seq(IRS + 11).ack(ISS + 1).ts(2000, TS_NOW).data("later"));
        t.expect(seg(ACK).ack(IRS + 1).ts(TS_NOW, 1000));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).ts(1500, TS_NOW).data("0123456789"));
        t.expect(seg(ACK).ack(IRS + 16).ts(TS_NOW, 1500));
        t.expectDelivered("0123456789later");
    }
}
