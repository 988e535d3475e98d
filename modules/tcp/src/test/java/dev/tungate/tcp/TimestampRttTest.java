package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.PSH;
import static dev.tungate.tcp.Segment.SYN;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 7323 §4.1 RTTM: RTT samples from the TSecr of ACKs, fed to RFC 6298")
class TimestampRttTest {
    /** SMSS with timestamps: 1460 less the 12 option bytes (RFC 6691). */
    private static final int SMSS = 1448;
    private TcpHarness t;
    private int tsFirst;
    private int tsSecond;

    /** Timestamps on; the handshake's ACK comes at once (SRTT = RTTVAR = 0); two segments go out, the first timed (Karn). */
    @BeforeEach
    void twoSegmentsInFlight() {
        t = TcpHarness.established(TcpHarness.config(c -> c.tailLossProbe = false), ISS, IRS, seg(SYN).mss(1460).ts(100, 0));
        assertEquals(0, t.conn.info().srttNanos());
        t.write(2 * SMSS);
        t.expect(seg(ACK).seq(ISS + 1).len(SMSS).ts());
        tsFirst = t.last().options.tsVal;
        t.expect(seg(ACK | PSH).seq(ISS + 1 + SMSS).len(SMSS).ts());
        tsSecond = t.last().options.tsVal;
    }

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    @Test
    @DisplayName("§4.1: an ACK of new data with no timed segment left gives the sample now - TSecr")
    void sampleFromTsecr() {
        t.advanceMillis(50);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1 + SMSS).ts(101, tsFirst));
        assertEquals(6_250_000L, t.conn.info().srttNanos(), "timed segment: SRTT = 7/8 * 0 + 1/8 * 50 ms");
        t.advanceMillis(30);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1 + 2 * SMSS).ts(102, tsSecond));
        // No segment is timed any more; TSecr says 80 ms: SRTT = 7/8 * 6.25 ms + 1/8 * 80 ms.
        assertEquals(15_468_750L, t.conn.info().srttNanos());
    }

    @Test
    @DisplayName("§4.1: a TSecr is used only from an ACK that acknowledges new data, not from a duplicate ACK")
    void noSampleFromDuplicateAck() {
        t.advanceMillis(50);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1).ts(101, tsFirst));
        assertEquals(0, t.conn.info().srttNanos());
    }
}
