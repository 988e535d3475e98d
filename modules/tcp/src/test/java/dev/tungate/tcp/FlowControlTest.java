package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sending under flow control: zero window and persist, Nagle, bounded send buffer")
class FlowControlTest {
    private TcpHarness t = TcpHarness.established();

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("RFC 9293 §3.8.6.1: a zero window is probed with one byte, with backoff, until it reopens")
    void zeroWindowPersist() {
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).wnd(0));
        assertEquals(0, t.conn.info().sndWnd());
        t.write("abc").expectNothing();
        t.advanceMillis(199).expectNothing();
        t.advanceMillis(1).expect(seg(ACK).seq(ISS + 1).data("a"));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).wnd(0));        // probe refused
        t.advanceMillis(399).expectNothing();
        t.advanceMillis(1).expect(seg(ACK).seq(ISS + 1).data("a"));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).wnd(1000));     // window reopens
        t.expect(seg(ACK | PSH).seq(ISS + 1).data("abc"));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 4).wnd(1000));
        assertEquals(Long.MAX_VALUE, t.conn.nextDeadlineNanos());
    }

    @Test
    @DisplayName("RFC 9293 §3.8.6.1: a probe byte the peer takes is acknowledged like data")
    void probeAccepted() {
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).wnd(0));
        t.write("abc");
        t.advanceMillis(200).expect(seg(ACK).seq(ISS + 1).data("a"));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2).wnd(0));
        assertEquals(ISS + 2, t.conn.info().sndUna());
        t.advanceMillis(200).expect(seg(ACK).seq(ISS + 2).data("b"));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2).wnd(10));
        t.expect(seg(ACK | PSH).seq(ISS + 2).data("bc"));
    }

    @Test
    @DisplayName("RFC 9293 §3.7.4 Nagle: small writes wait while a small segment is unacknowledged")
    void nagle() {
        t.write("a").expect(seg(ACK | PSH).seq(ISS + 1).data("a"));
        t.write("b").write("c").expectNothing();
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2));
        t.expect(seg(ACK | PSH).seq(ISS + 2).data("bc"));
    }

    @Test
    @DisplayName("with Nagle off every write goes out at once")
    void noNagle() {
        t.assertNoLeaks();
        t = TcpHarness.established(c -> c.nagle = false);
        t.write("a").expect(seg(ACK | PSH).seq(ISS + 1).data("a"));
        t.write("b").expect(seg(ACK | PSH).seq(ISS + 2).data("b"));
    }

    @Test
    @DisplayName("RFC 9293 §3.8.6.2.1 sender SWS: a window-limited runt waits while data is in flight")
    void senderSws() {
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).wnd(2000));
        t.write(3000).expect(seg(ACK).seq(ISS + 1).len(1460));
        // 540 bytes of window left: less than an MSS and than half the largest window (32767)
        t.expectNothing();
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1461).wnd(2000));
        t.expect(seg(ACK).seq(ISS + 1461).len(1460));
    }

    @Test
    @DisplayName("the send buffer is bounded; WRITABLE follows when acknowledgements free space")
    void boundedSendBuffer() {
        t.assertNoLeaks();
        t = TcpHarness.established(c -> c.sendBufferBytes = 2000);
        t.write(3000);
        assertEquals(2000, t.lastTaken);
        assertEquals(0, t.conn.sendSpace());
        t.expect(seg(ACK).seq(ISS + 1).len(1460));
        t.expectNothing().expectNoEvent();                          // Nagle holds the 540-byte tail
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1461));
        t.expect(seg(ACK | PSH).seq(ISS + 1461).len(540));
        assertEquals(1460, t.conn.sendSpace());
        t.expectEvent(TcpEvent.WRITABLE).expectNoEvent();
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2001));
        t.expectNoEvent();
    }

    @Test
    @DisplayName("send after a reset takes nothing (the CLOSED event already went out)")
    void sendAfterReset() {
        t.send(seg(Segment.RST).seq(IRS + 1)).expectEvent(TcpEvent.RESET).expectEvent(TcpEvent.CLOSED);
        t.write("late");
        assertEquals(0, t.lastTaken);
    }

    @Test
    @DisplayName("send after close is a programmer error")
    void sendAfterClose() {
        t.close().expect(seg(ACK | Segment.FIN).seq(ISS + 1));
        assertThrows(IllegalStateException.class, () -> t.write("late"));
    }
}
