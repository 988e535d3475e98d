package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the engine: a connection is brought to ESTABLISHED through the real
 * handshake ({@link TcpHarness}, options chosen by the input), then fed arbitrary steps: peer
 * segments with any flags, sequence and acknowledgment numbers near and far from the live ones,
 * windows, timestamps, SACK blocks and text; user writes, reads, closes and aborts; clock moves
 * that fire timers. After every step the engine's invariants must hold; at the end every buffer
 * it retained must be released ({@link TcpHarness#assertNoLeaks()}) and Netty's PARANOID detector
 * must report nothing ({@link LeakGuard}).
 *
 * <p>{@code mvn test} replays {@code src/test/resources/dev/tungate/tcp/EngineFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes (docs/FUZZING.md).
 */
class EngineFuzzTest {
    private static final int MAX_STEPS = 48;

    @BeforeAll
    static void hookLeakDetector() {
        LeakGuard.install();
    }

    @AfterAll
    static void noLeakReported() {
        LeakGuard.assertNoLeaksReported();
    }

    @FuzzTest(maxDuration = "10s")
    void segmentsAfterHandshake(FuzzedDataProvider in) {
        TcpConfig config = new TcpConfig();
        config.sendBufferBytes = 1 << in.consumeInt(12, 20);
        config.receiveBufferBytes = 1 << in.consumeInt(12, 20);
        config.nagle = in.consumeBoolean();
        config.quickAcks = in.consumeInt(0, 16);
        config.congestionControl = in.consumeBoolean() ? "cubic" : "newreno";
        config.ecn = in.consumeBoolean();
        config.keepaliveIdleNanos = in.consumeBoolean() ? 0 : 2_000_000_000L;
        config.finTimeoutNanos = in.consumeBoolean() ? 0 : 5_000_000_000L;
        SegSpec syn = seg(Segment.SYN | (in.consumeBoolean() ? Segment.ECE | Segment.CWR : 0)).mss(in.consumeInt(64, 9000));
        if (in.consumeBoolean()) {
            syn.ws(in.consumeInt(0, 16));
        }
        if (in.consumeBoolean()) {
            syn.sackPerm(true);
        }
        if (in.consumeBoolean()) {
            syn.ts(in.consumeInt(), 0);
        }
        TcpHarness t = TcpHarness.established(config, TcpHarness.ISS, TcpHarness.IRS, syn);
        t.autoConsume = in.consumeBoolean();
        boolean userClosed = false;
        for (int step = 0; step < MAX_STEPS && in.remainingBytes() > 0; step++) {
            switch (in.consumeInt(0, 7)) {
                case 0, 1, 2 -> t.send(peerSegment(in, t.conn));
                case 3 -> {
                    // The API contract: no send after close (a programmer error, it throws).
                    int n = in.consumeInt(0, 20_000);
                    if (!userClosed && (t.conn.state() == State.ESTABLISHED || t.conn.state() == State.CLOSE_WAIT
                            || t.conn.state() == State.CLOSED)) {
                        t.write(n);
                    }
                }
                case 4 -> t.advanceMillis(in.consumeLong(0, 200_000));
                case 5 -> t.consume(Math.min(in.consumeInt(0, 1 << 20), t.unconsumed()));   // only what was delivered
                case 6 -> {
                    t.close();
                    userClosed = true;
                }
                default -> {
                    if (in.consumeInt(0, 15) == 0) {
                        t.conn.abort(t.nowNanos);
                    }
                }
            }
            checkOutput(t);
            checkInvariants(t.conn, config);
        }
        t.assertNoLeaks();
    }

    /**
     * A peer segment: numbers are either near the live ones (so it passes the acceptability test
     * and reaches the deep states) or anything at all; the text is a counting pattern.
     */
    private static SegSpec peerSegment(FuzzedDataProvider in, TcpConnection c) {
        int flags = in.consumeInt(0, 255);
        boolean near = in.consumeBoolean();
        int seq = near ? c.info().rcvNxt() + in.consumeInt(-70_000, 70_000) : in.consumeInt();
        int ack = near ? c.info().sndUna() + in.consumeInt(-70_000, 70_000) : in.consumeInt();
        SegSpec s = seg(flags).seq(seq).ack(ack).wnd(in.consumeInt(0, 65535)).len(in.consumeInt(0, 1600));
        if (in.consumeBoolean()) {
            s.up(in.consumeInt(0, 65535));
        }
        if (in.consumeBoolean()) {
            s.ecn(in.consumeInt(0, 3));
        }
        if (in.consumeBoolean()) {
            s.ts(in.consumeInt(), in.consumeInt());
        }
        int blocks = in.consumeInt(0, 4);
        if (blocks > 0) {
            int[] edges = new int[blocks * 2];
            for (int i = 0; i < edges.length; i++) {
                edges[i] = c.info().sndUna() + in.consumeInt(-100_000, 2_000_000);
            }
            s.sack(edges);
        }
        if (flags == Segment.SYN || (flags & Segment.SYN) != 0 && in.consumeBoolean()) {
            s.mss(in.consumeInt(0, 65535));
        }
        return s;
    }

    /** Every emitted segment fits the header fields and the negotiated segment size. */
    private static void checkOutput(TcpHarness t) {
        while (t.pendingSegments() > 0) {
            Emitted e = t.next();
            assertTrue(e.wnd >= 0 && e.wnd <= 0xFFFF, () -> "window field out of range: " + e);
            int max = Math.max(t.conn.info().effectiveMss(), e.gsoSize > 0 ? 65535 : 0);
            assertTrue(e.text.length <= max, () -> "segment text beyond SMSS " + max + ": " + e);
        }
        t.discardOutput();
    }

    /** RFC 9293 §3.3.1 variables stay in the space they describe. */
    private static void checkInvariants(TcpConnection c, TcpConfig config) {
        if (c.state() == State.CLOSED || c.state() == State.LISTEN) {
            return;
        }
        int inFlight = c.info().sndNxt() - c.info().sndUna();
        assertTrue(Seq.le(c.info().sndUna(), c.info().sndNxt()), () -> "SND.UNA " + Seq.toString(c.info().sndUna()) + " after SND.NXT "
                + Seq.toString(c.info().sndNxt()));
        assertTrue(inFlight <= config.sendBufferBytes + 2, () -> "in flight " + inFlight + " beyond the send buffer");
        assertTrue(c.info().sndWnd() >= 0 && (long) c.info().sndWnd() <= 65535L << 14, () -> "SND.WND " + c.info().sndWnd());
        assertTrue(c.info().rcvWnd() >= 0 && c.info().rcvWnd() <= config.receiveBufferBytes + (1 << c.info().rcvWndShift()),
                () -> "RCV.WND " + c.info().rcvWnd() + " beyond the receive buffer " + config.receiveBufferBytes);
        assertTrue(c.info().outOfOrderBytes() >= 0 && c.info().outOfOrderBytes() <= config.receiveBufferBytes,
                () -> "out-of-order bytes " + c.info().outOfOrderBytes());
        assertTrue(c.info().sendQueued() >= 0 && c.info().sendQueued() <= config.sendBufferBytes, () -> "send queue " + c.info().sendQueued());
        assertTrue(c.info().cwnd() >= 0, () -> "cwnd " + c.info().cwnd());
    }
}
