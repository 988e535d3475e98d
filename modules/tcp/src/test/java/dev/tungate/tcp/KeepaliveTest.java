package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.RST;
import static dev.tungate.tcp.TcpHarness.IRS;
import static dev.tungate.tcp.TcpHarness.ISS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 9293 §3.8.4: keepalive")
class KeepaliveTest {
    private TcpHarness t;

    @AfterEach
    void nothingLeft() {
        t.expectNothing();
        t.assertNoLeaks();
    }

    private static TcpHarness withKeepalive() {
        return TcpHarness.established(c -> {
            c.keepaliveIdleNanos = 10_000_000_000L;
            c.keepaliveIntervalNanos = 1_000_000_000L;
            c.keepaliveProbes = 3;
        });
    }

    @Test
    @DisplayName("off by default: an idle connection sends nothing and arms no timer")
    void offByDefault() {
        t = TcpHarness.established();
        assertEquals(Long.MAX_VALUE, t.conn.nextDeadlineNanos());
        t.advance(Duration.ofHours(3)).expectNothing().expectState(State.ESTABLISHED);
    }

    @Test
    @DisplayName("after the idle time a probe <SEQ=SND.NXT-1><ACK=RCV.NXT> goes out; an answer resets the count")
    void probeAnswered() {
        t = withKeepalive();
        t.advance(Duration.ofMillis(9_999)).expectNothing();
        t.advance(Duration.ofMillis(1)).expect(seg(ACK).seq(ISS).ack(IRS + 1).len(0));
        t.send(seg(ACK).seq(IRS + 1).ack(ISS + 1));
        t.advance(Duration.ofMillis(9_999)).expectNothing();
        t.advance(Duration.ofMillis(1)).expect(seg(ACK).seq(ISS).ack(IRS + 1));
        t.expectState(State.ESTABLISHED);
    }

    @Test
    @DisplayName("unanswered probes every interval, then RST and TIMED_OUT")
    void probesExhausted() {
        t = withKeepalive();
        t.advance(Duration.ofSeconds(10)).expect(seg(ACK).seq(ISS));
        t.advance(Duration.ofSeconds(1)).expect(seg(ACK).seq(ISS));
        t.advance(Duration.ofSeconds(1)).expect(seg(ACK).seq(ISS));
        t.advance(Duration.ofSeconds(1)).expect(seg(RST).seq(ISS + 1));
        t.expectState(State.CLOSED).expectEvent(TcpEvent.TIMED_OUT).expectEvent(TcpEvent.CLOSED);
    }
}
