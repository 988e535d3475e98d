package dev.tungate.tcp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CUBIC's window, one rule per test. SMSS = 1000 bytes, so 7000 bytes are 7 segments. The usual
 * start: a loss at cwnd = 10 segments gives W_max = 10, ssthresh = cwnd = 7 and
 * K = cbrt((10 - 7) / 0.4) = 1.95743 s.
 */
@DisplayName("CUBIC (RFC 9438)")
class CubicTest {
    private static final int SMSS = 1000;
    private static final long T0 = 100_000_000_000L;
    private static final long RTT = 100_000_000L;
    private final Cubic cc = (Cubic) CongestionControls.create("cubic", SMSS);

    private void lossAtTenSegments() {
        cc.onCongestionEvent(10_000, T0);
    }

    @Test
    @DisplayName("RFC 9438 §4.6: ssthresh = FlightSize * 0.7, cwnd = ssthresh, W_max = cwnd before the cut")
    void congestionEventBacksOffByBeta() {
        lossAtTenSegments();
        assertEquals(7000, cc.ssthresh());
        assertEquals(7000, cc.cwnd());
        assertEquals(10.0, cc.wMax(), 1e-9);
    }

    @Test
    @DisplayName("RFC 9438 §4.6: ssthresh is at least 2 SMSS")
    void congestionEventFloorsSsthresh() {
        cc.onCongestionEvent(2000, T0);
        assertEquals(2000, cc.ssthresh());
        assertEquals(2000, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 9438 §4.7: fast convergence, a loss below W_max sets W_max = cwnd * (1 + 0.7) / 2")
    void fastConvergence() {
        lossAtTenSegments();
        cc.onCongestionEvent(7000, T0 + RTT);
        assertEquals(5.95, cc.wMax(), 1e-9);
        assertEquals(4900, cc.ssthresh());
    }

    @Test
    @DisplayName("RFC 9438 §4.2: K = cbrt((W_max - cwnd_epoch) / C) at the first ACK in congestion avoidance")
    void kFromWmaxAndEpochWindow() {
        lossAtTenSegments();
        cc.onAck(1000, 7000, RTT, T0 + RTT);
        assertEquals(1.9574338205844317, cc.k(), 1e-12);
    }

    @Test
    @DisplayName("RFC 9438 §4.3: while W_cubic(t) < W_est, cwnd = W_est, which grows by alpha_cubic = 0.5294 per window")
    void renoFriendlyRegion() {
        lossAtTenSegments();
        cc.onAck(1000, 7000, RTT, T0);
        // W_cubic(0) = 7 < W_est = 7 + 0.52941 * 1 / 7 = 7.07563 segments
        assertEquals(7.07563025210084, cc.wEst(), 1e-12);
        assertEquals(7075, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 9438 §4.3: alpha_cubic becomes 1 once W_est reaches cwnd_prior")
    void renoFriendlyAlphaBecomesOne() {
        lossAtTenSegments();
        while (cc.wEst() < 10.0) {
            cc.onAck(1000, 7000, RTT, T0);
        }
        double before = cc.wEst();
        int cwnd = cc.cwnd();
        cc.onAck(1000, 7000, RTT, T0);
        assertEquals(1.0 / (cwnd / 1000.0), cc.wEst() - before, 1e-12);
    }

    @Test
    @DisplayName("RFC 9438 §4.4: concave region, cwnd grows by (W_cubic(t + RTT) - cwnd) / cwnd per segment")
    void concaveGrowthTowardTarget() {
        lossAtTenSegments();
        cc.onAck(1000, 7000, RTT, T0);
        assertEquals(7075, cc.cwnd());
        // t = 2 s: W_cubic(2.1) = 0.4 * (2.1 - 1.95743)^3 + 10 = 10.00116; 1000 * (10.00116 - 7.075) / 7.075 = 413.59
        cc.onAck(1000, 7000, RTT, T0 + 2_000_000_000L);
        assertEquals(7488, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 9438 §4.4-4.5: the target is at most 1.5 * cwnd")
    void targetClampedToOneAndAHalfWindows() {
        lossAtTenSegments();
        cc.onAck(1000, 7000, RTT, T0);
        // t = 10 s: W_cubic is 216 segments, far above 1.5 * 7.075; growth = 1000 * 0.5
        cc.onAck(1000, 7000, RTT, T0 + 10_000_000_000L);
        assertEquals(7575, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 9438 §4.8: a timeout sets cwnd = 1 SMSS and ssthresh = FlightSize * 0.7")
    void retransmitTimeout() {
        cc.onRetransmitTimeout(20_000, T0);
        assertEquals(1000, cc.cwnd());
        assertEquals(14_000, cc.ssthresh());
    }

    @Test
    @DisplayName("RFC 9438 §4.8: the first congestion avoidance after a timeout has K = 0 and W_max = cwnd_epoch")
    void afterTimeoutEpochStartsAtCurrentWindow() {
        lossAtTenSegments();
        cc.onRetransmitTimeout(10_000, T0);
        while (cc.cwnd() < cc.ssthresh()) {
            cc.onAck(1000, 1000, RTT, T0);
        }
        assertEquals(7000, cc.cwnd());
        cc.onAck(1000, 7000, RTT, T0 + RTT);
        assertEquals(0.0, cc.k());
        assertEquals(7.0, cc.wMax(), 1e-9);
    }

    @Test
    @DisplayName("RFC 9438 §4.10 + RFC 3465: slow start below ssthresh, at most 2 SMSS per ACK")
    void slowStart() {
        cc.onAck(1000, 10_000, RTT, T0);
        cc.onAck(9000, 10_000, RTT, T0);
        assertEquals(13_000, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 5681 §4.1: idle restart caps cwnd at the initial window; the next stage is a new epoch (RFC 9438 §4.2)")
    void idleRestart() {
        for (int i = 0; i < 5; i++) {
            cc.onAck(2000, 10_000, RTT, T0);
        }
        cc.onCongestionEvent(20_000, T0);                       // W_max = 20, cwnd = ssthresh = 14000
        cc.onAck(1000, 14_000, RTT, T0);                        // epoch 1 starts at T0
        cc.onAck(8000, 14_000, RTT, T0 + 10_000_000_000L);      // clamped growth: 8000 * 0.5
        assertEquals(18_037, cc.cwnd());
        cc.onIdleRestart(T0 + 30_000_000_000L);
        assertEquals(10_000, cc.cwnd());
        cc.onAck(2000, 10_000, RTT, T0 + 31_000_000_000L);
        cc.onAck(2000, 12_000, RTT, T0 + 31_000_000_000L);
        assertEquals(14_000, cc.cwnd(), "slow start back to ssthresh");
        // A new epoch at T0 + 32 s: t = 0, so only W_est = 14 + 0.52941 / 14 applies; epoch 1 (t = 32 s) would add 500.
        cc.onAck(1000, 14_000, RTT, T0 + 32_000_000_000L);
        assertEquals(14_037, cc.cwnd());
        assertEquals(Math.cbrt(15.0), cc.k(), 1e-12);
    }

    @Test
    @DisplayName("RFC 9438 §4.9: undo of a spurious loss restores W_max, K and the epoch along with cwnd and ssthresh")
    void undoRestoresCubicState() {
        lossAtTenSegments();
        cc.onAck(1000, 7000, RTT, T0);
        cc.onAck(1000, 7000, RTT, T0 + 2_000_000_000L);
        assertEquals(7488, cc.cwnd());
        cc.onCongestionEvent(7488, T0 + 2_100_000_000L);    // fast convergence: W_max = 7.488 * 0.85
        assertEquals(6.3648, cc.wMax(), 1e-9);
        cc.undo(7488, 7000);
        assertEquals(7488, cc.cwnd());
        assertEquals(7000, cc.ssthresh());
        assertEquals(10.0, cc.wMax(), 1e-9);
        assertEquals(1.9574338205844317, cc.k(), 1e-12);
        // Still epoch 1 (started at T0): at t = 10 s the clamped growth applies, 1000 * 0.5.
        cc.onAck(1000, 7488, RTT, T0 + 10_000_000_000L);
        assertEquals(7988, cc.cwnd());
    }
}
