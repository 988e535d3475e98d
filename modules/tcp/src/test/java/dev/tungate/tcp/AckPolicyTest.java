package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * When the receiver ACKs without waiting for the delayed-ACK timer, beyond RFC 9293 §3.8.6.3's
 * "every second full-sized segment" (ReceiveTest): a sender limited by our window must not wait
 * 40 ms for news that would let it go on, or its loss probe fires first (a spurious retransmit).
 */
@DisplayName("ACK policy: quick-ACK at the start, ACK at once near the window's end, window updates on read")
class AckPolicyTest {
    private static final int MSS = 1460;
    private TcpHarness t;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("Linux tcp_incr_quickack: the first 16 data segments of a connection are ACKed at once, the 17th waits for the delayed-ACK timer")
    void quickAckAtStart() {
        t = TcpHarness.established();
        for (int i = 0; i < 16; i++) {
            t.send(seg(ACK).seq(IRS + 1 + i * 100).ack(ISS + 1).len(100));
            t.expect(seg(ACK).ack(IRS + 1 + (i + 1) * 100));
        }
        t.send(seg(ACK).seq(IRS + 1601).ack(ISS + 1).len(100)).expectNothing();
        t.advanceMillis(40).expect(seg(ACK).ack(IRS + 1701));
        t.expectDeliveredLength(1700);
    }

    @Test
    @DisplayName("Linux tcp_incr_quickack: quick ACKs are at most half the window in segments of the peer's size as seen (at least 536): 2144 bytes give two")
    void quickAckBoundedByWindow() {
        t = TcpHarness.established(c -> c.receiveBufferBytes = 4 * 536);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).len(100)).expect(seg(ACK).ack(IRS + 101));
        t.send(seg(ACK).seq(IRS + 101).ack(ISS + 1).len(100)).expect(seg(ACK).ack(IRS + 201));
        t.send(seg(ACK).seq(IRS + 201).ack(ISS + 1).len(100)).expectNothing();
        t.advanceMillis(40).expect(seg(ACK).ack(IRS + 301));
        t.expectDeliveredLength(300);
    }

    @Test
    @DisplayName("a segment leaving less than 2 full-sized segments of the announced window is ACKed at once (the sender is about to stall)")
    void ackWhenWindowNearlyExhausted() {
        t = TcpHarness.establishedWithoutQuickAcks(10 * MSS);
        t.sendInOrder(7, MSS);
        t.expect(seg(ACK).ack(IRS + 1 + 2 * MSS).wnd(8 * MSS));
        t.expect(seg(ACK).ack(IRS + 1 + 4 * MSS).wnd(6 * MSS));
        t.expect(seg(ACK).ack(IRS + 1 + 6 * MSS).wnd(4 * MSS));
        t.expectNothing();                                           // the 7th: 3 MSS left, delayed
        t.send(seg(ACK).seq(IRS + 1 + 7 * MSS).ack(ISS + 1).len(MSS));
        t.expect(seg(ACK).ack(IRS + 1 + 8 * MSS).wnd(2 * MSS));   // second full-sized segment
        t.send(seg(ACK).seq(IRS + 1 + 8 * MSS).ack(ISS + 1).len(MSS));
        t.expect(seg(ACK).ack(IRS + 1 + 9 * MSS).wnd(MSS));       // one segment alone, 1 MSS left: at once
        t.expectDeliveredLength(9 * MSS);
    }

    @Test
    @DisplayName("Linux __tcp_cleanup_rbuf: a read that doubles the window the peer knows is announced at once; a smaller growth waits (RFC 9293 §3.8.6.2.2)")
    void windowUpdateWhenDoubled() {
        t = TcpHarness.establishedWithoutQuickAcks(8 * MSS);
        t.sendInOrder(6, MSS);
        t.expect(seg(ACK).ack(IRS + 1 + 2 * MSS).wnd(6 * MSS));
        t.expect(seg(ACK).ack(IRS + 1 + 4 * MSS).wnd(4 * MSS));
        t.expect(seg(ACK).ack(IRS + 1 + 6 * MSS).wnd(2 * MSS));
        t.expectDeliveredLength(6 * MSS);
        t.consume(MSS).expectNothing();                              // 2 MSS known, 3 MSS on offer
        t.consume(MSS).expect(seg(ACK).ack(IRS + 1 + 6 * MSS).wnd(4 * MSS));
    }
}
