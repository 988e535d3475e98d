package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 9293 §3.10.7.4: data in ESTABLISHED")
class DataTransferTest {
    /** Past the quick-ACK phase (QuickAckTest covers it): delayed ACKs and piggybacking. */
    private final TcpHarness t = TcpHarness.established(c -> c.quickAcks = 0);

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("sent data goes out at SND.NXT and SND.UNA follows the ACK")
    void sendData() {
        t.write("hello").expect(seg(ACK | PSH).seq(ISS + 1).ack(IRS + 1).data("hello"));
        assertEquals(ISS + 6, t.conn.info().sndNxt());
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 6));
        assertEquals(ISS + 6, t.conn.info().sndUna());
        assertEquals(5, t.conn.info().bytesAcked());
    }

    @Test
    @DisplayName("received data is delivered, RCV.NXT = SEG.SEQ + SEG.LEN")
    void receiveData() {
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS + 1).data("world"));
        t.expectDelivered("world");
        assertEquals(IRS + 6, t.conn.info().rcvNxt());
        t.advance(Duration.ofMillis(40)).expect(seg(ACK).seq(ISS + 1).ack(IRS + 6));
    }

    @Test
    @DisplayName("data both ways: the reply piggybacks the ACK")
    void piggyback() {
        t.send(seg(ACK | PSH).seq(IRS + 1).ack(ISS + 1).data("ping"));
        t.expectDelivered("ping");
        t.write("pong").expect(seg(ACK | PSH).seq(ISS + 1).ack(IRS + 5).data("pong"));
        t.advance(Duration.ofMillis(100));   // no delayed ACK left: the reply carried it
    }

    @Test
    @DisplayName("a large write is cut into MSS segments within cwnd (IW 10) and the window")
    void segmentation() {
        t.write(30_000);
        for (int i = 0; i < 10; i++) {
            t.expect(seg(ACK).seq(ISS + 1 + i * 1460).len(1460));
        }
        t.expectNothing();
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1 + 2 * 1460));
        // cwnd grew (slow start); the ACK freed 2 segments of flight, so cwnd / SMSS - 8 go out
        int more = t.conn.info().cwnd() / 1460 - 8;
        assertTrue(more > 2, "cwnd grew in slow start: " + t.conn.info().cwnd());
        for (int i = 0; i < more; i++) {
            t.expect(seg(ACK).seq(ISS + 1 + (10 + i) * 1460).len(1460));
        }
    }

    @Test
    @DisplayName("a retransmitted (duplicate) segment is not delivered twice and draws an ACK")
    void duplicateData() {
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).data("abc"));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).data("abc"));
        t.expect(seg(ACK).ack(IRS + 4));
        t.expectDelivered("abc");
    }

    @Test
    @DisplayName("a segment overlapping RCV.NXT delivers only the new part")
    void overlap() {
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).data("abc"));
        t.send(seg(ACK).seq(IRS + 2).ack(ISS + 1).data("bcdef"));
        t.expectDelivered("abcdef");
        t.advance(Duration.ofMillis(40)).expect(seg(ACK).ack(IRS + 7));
    }
}
