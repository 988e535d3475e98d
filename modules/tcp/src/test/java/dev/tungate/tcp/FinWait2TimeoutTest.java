package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.FIN;
import static dev.tungate.tcp.Segment.RST;
import static dev.tungate.tcp.State.CLOSED;
import static dev.tungate.tcp.State.FIN_WAIT_2;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FIN-WAIT-2 timeout (Linux tcp_fin_timeout): a peer that never sends its FIN does not pin the flow")
class FinWait2TimeoutTest {
    private static final long FIN_TIMEOUT_MS = 60_000;
    private TcpHarness t;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    /** Our FIN sent and acknowledged: FIN-WAIT-2, waiting for the peer's FIN. */
    private static TcpHarness finWait2(TcpConfig config) {
        TcpHarness t = TcpHarness.established(config, ISS, IRS);
        t.close().expect(seg(FIN | ACK).seq(ISS + 1).ack(IRS + 1));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2));
        t.expectState(FIN_WAIT_2).expectNothing();
        return t;
    }

    /** The timeout on at 60 s, RTO bounded at 60 s (RFC 6298 (2.5) allows it): the timeout is finTimeout itself. */
    private static TcpConfig config() {
        return TcpHarness.config(c -> {
            c.finTimeoutNanos = FIN_TIMEOUT_MS * 1_000_000L;
            c.maxRtoNanos = 60_000_000_000L;
        });
    }

    @Test
    @DisplayName("silence for finTimeout (here 60 s) ends FIN-WAIT-2 with <SEQ=SND.NXT><CTL=RST> and TIMED_OUT")
    void silentPeerTimesOut() {
        t = finWait2(config());
        assertEquals(FIN_TIMEOUT_MS * 1_000_000L, t.config.finTimeoutNanos);
        t.advanceMillis(FIN_TIMEOUT_MS - 1).expectNothing().expectState(FIN_WAIT_2);
        t.advanceMillis(1).expect(seg(RST).seq(ISS + 2));
        t.expectState(CLOSED).expectEvent(TcpEvent.TIMED_OUT).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("each segment from the peer starts the timeout over: a half-closed flow still carrying data lives on")
    void peerSegmentRestartsTimeout() {
        t = finWait2(config());
        t.advanceMillis(FIN_TIMEOUT_MS - 1_000);
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 2).data("still talking"));
        t.advance(Duration.ofMillis(40)).expect(seg(ACK).seq(ISS + 2).ack(IRS + 14));
        t.advanceMillis(FIN_TIMEOUT_MS - 41).expectNothing().expectState(FIN_WAIT_2);
        t.advanceMillis(1).expect(seg(RST).seq(ISS + 2));
        t.expectState(CLOSED).expectEvent(TcpEvent.TIMED_OUT).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("never sooner than maxRtoNanos: a live peer's retransmissions may pause that long (default 120 s)")
    void atLeastMaxRto() {
        t = finWait2(TcpHarness.config(c -> c.finTimeoutNanos = FIN_TIMEOUT_MS * 1_000_000L));
        t.advanceMillis(120_000 - 1).expectNothing().expectState(FIN_WAIT_2);
        t.advanceMillis(1).expect(seg(RST).seq(ISS + 2));
        t.expectState(CLOSED).expectEvent(TcpEvent.TIMED_OUT).expectEvent(TcpEvent.CLOSED);
    }

    @Test
    @DisplayName("off by default: FIN-WAIT-2 waits for the peer's FIN forever (RFC 9293 has no timer; half-close is real)")
    void offByDefault() {
        t = finWait2(new TcpConfig());
        assertEquals(Long.MAX_VALUE, t.conn.nextDeadlineNanos());
        t.advanceMillis(10 * FIN_TIMEOUT_MS).expectNothing().expectState(FIN_WAIT_2);
    }
}
