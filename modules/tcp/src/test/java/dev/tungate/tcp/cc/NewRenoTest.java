package dev.tungate.tcp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** NewReno's window, one rule per test, SMSS = 1000 bytes so the arithmetic reads directly. */
@DisplayName("NewReno (RFC 5681, RFC 3465, RFC 6582)")
class NewRenoTest {
    private static final int SMSS = 1000;
    private static final long NOW = 5_000_000_000L;
    private final CongestionControl cc = CongestionControls.create("newreno", SMSS);

    /** Leaves cwnd = ssthresh = 10000 in congestion avoidance. */
    private void enterCongestionAvoidanceAt10000() {
        cc.onCongestionEvent(20_000, NOW);
        cc.onRecoveryEnd(12_000, NOW);
        assertEquals(10_000, cc.cwnd());
        assertEquals(10_000, cc.ssthresh());
    }

    @Test
    @DisplayName("RFC 6928 §2: IW = min(10*MSS, max(2*MSS, 14600)); ssthresh starts arbitrarily high (RFC 5681 §3.1)")
    void initialWindow() {
        assertEquals(10_000, cc.cwnd());
        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
        assertEquals(14_600, CongestionControls.create("newreno", 1460).cwnd());
        assertEquals(14_600, CongestionControls.create("newreno", 4000).cwnd());
        assertEquals(5_360, CongestionControls.create("newreno", 536).cwnd());
    }

    @Test
    @DisplayName("RFC 5681 §3.1 + RFC 3465 §2.2: slow start grows cwnd by the bytes ACKed")
    void slowStartGrowsByBytesAcked() {
        cc.onAck(1000, 10_000, -1, NOW);
        cc.onAck(300, 9_000, -1, NOW);
        assertEquals(11_300, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 3465 §2.2: one ACK grows cwnd in slow start by at most L = 2 SMSS")
    void slowStartByteCountingLimit() {
        cc.onAck(5000, 10_000, -1, NOW);
        assertEquals(12_000, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 5681 §3.1 + RFC 3465 §2.1: congestion avoidance adds one SMSS per cwnd of bytes ACKed")
    void congestionAvoidanceOneSegmentPerWindow() {
        enterCongestionAvoidanceAt10000();
        cc.onAck(4000, 10_000, -1, NOW);
        cc.onAck(4000, 10_000, -1, NOW);
        assertEquals(10_000, cc.cwnd());
        cc.onAck(2000, 10_000, -1, NOW);
        assertEquals(11_000, cc.cwnd());
        cc.onAck(10_999, 10_000, -1, NOW);
        assertEquals(11_000, cc.cwnd(), "bytes_acked restarts from zero after each increase");
        cc.onAck(1, 10_000, -1, NOW);
        assertEquals(12_000, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 5681 §3.2 step 2-3 + RFC 6582 §3.2: ssthresh = FlightSize/2, cwnd = ssthresh + 3*SMSS")
    void congestionEventHalvesFlightAndInflates() {
        cc.onCongestionEvent(20_000, NOW);
        assertEquals(10_000, cc.ssthresh());
        assertEquals(13_000, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 5681 §3.1 eq. 4: ssthresh is at least 2*SMSS")
    void congestionEventFloorsSsthresh() {
        cc.onCongestionEvent(3000, NOW);
        assertEquals(2000, cc.ssthresh());
        assertEquals(5000, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 6582 §3.2 step 3 (1): full ACK deflates cwnd to min(ssthresh, max(FlightSize, SMSS) + SMSS)")
    void recoveryEndDeflates() {
        cc.onCongestionEvent(20_000, NOW);
        cc.onRecoveryEnd(3000, NOW);
        assertEquals(4000, cc.cwnd());
        cc.onCongestionEvent(20_000, NOW);
        cc.onRecoveryEnd(0, NOW);
        assertEquals(2000, cc.cwnd(), "an empty pipe still allows SMSS + SMSS");
        cc.onCongestionEvent(20_000, NOW);
        cc.onRecoveryEnd(50_000, NOW);
        assertEquals(10_000, cc.cwnd(), "never above ssthresh");
    }

    @Test
    @DisplayName("RFC 5681 §3.1: after a timeout ssthresh = FlightSize/2 and cwnd = LW = 1 SMSS, then slow start")
    void retransmitTimeoutFallsToLossWindow() {
        cc.onRetransmitTimeout(30_000, NOW);
        assertEquals(15_000, cc.ssthresh());
        assertEquals(1000, cc.cwnd());
        cc.onAck(1000, 1000, -1, NOW);
        assertEquals(2000, cc.cwnd());
    }

    @Test
    @DisplayName("RFC 5681 §4.1: idle restart caps cwnd at RW = min(IW, cwnd)")
    void idleRestartCapsAtInitialWindow() {
        for (int i = 0; i < 10; i++) {
            cc.onAck(2000, 10_000, -1, NOW);
        }
        assertEquals(30_000, cc.cwnd());
        cc.onIdleRestart(NOW);
        assertEquals(10_000, cc.cwnd());
        cc.onRetransmitTimeout(10_000, NOW);
        cc.onIdleRestart(NOW);
        assertEquals(1000, cc.cwnd(), "a window below IW stays");
    }

    @Test
    @DisplayName("RFC 4015 §2: undo after a spurious loss response restores cwnd and ssthresh, never lowering them")
    void undoRestoresPriorWindow() {
        cc.onCongestionEvent(20_000, NOW);
        cc.undo(25_000, Integer.MAX_VALUE);
        assertEquals(25_000, cc.cwnd());
        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
        cc.undo(1000, 1000);
        assertEquals(25_000, cc.cwnd());
        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
    }
}
