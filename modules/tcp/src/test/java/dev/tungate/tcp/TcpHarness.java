package dev.tungate.tcp;

import static dev.tungate.tcp.SegSpec.seg;
import static dev.tungate.tcp.Segment.ACK;
import static dev.tungate.tcp.Segment.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One engine under a virtual clock, with the test playing the peer. Implements the engine's
 * output port: emitted segments are copied into a queue that {@link #expect} consumes, delivered
 * bytes are collected and released, events are queued. Every buffer the harness hands the engine
 * is tracked so {@link #assertNoLeaks()} can prove the engine released what it retained.
 */
final class TcpHarness implements TcpOutput {
    static final int ISS = 1000;
    static final int IRS = 5000;
    /** Peer window when a literal gives none. */
    static final int PEER_WND = 65535;
    static final long START_NANOS = 1_000_000_000_000L;

    final TcpConfig config;
    final TcpConnection conn;
    long nowNanos = START_NANOS;
    private final ArrayDeque<Emitted> emitted = new ArrayDeque<>();
    private final ArrayDeque<TcpEvent> events = new ArrayDeque<>();
    private State stateAtPeerFin;
    private final ByteArrayOutputStream delivered = new ByteArrayOutputStream();
    private final List<ByteBuf> tracked = new ArrayList<>();
    private final Segment in = new Segment();
    private boolean draining;
    private Emitted last;
    /** Deliveries the harness releases at once unless the test holds them. */
    private int deliveredUnconsumed;
    boolean autoConsume = false;

    TcpHarness(TcpConfig config) {
        this.config = config;
        this.conn = new TcpConnection(config, this);
    }

    TcpHarness() {
        this(new TcpConfig());
    }

    static TcpConfig config(Consumer<TcpConfig> tweak) {
        TcpConfig c = new TcpConfig();
        tweak.accept(c);
        return c;
    }

    // ---- fixtures: reach a state by driving real segments ----

    /** LISTEN with {@code iss}. */
    static TcpHarness listening(TcpConfig config, int iss) {
        TcpHarness t = new TcpHarness(config);
        t.conn.listen(iss);
        return t;
    }

    /** Passive open to ESTABLISHED; the peer's SYN carries {@code synOptions} (at least an MSS). */
    static TcpHarness established(TcpConfig config, int iss, int irs, SegSpec syn) {
        TcpHarness t = listening(config, iss);
        t.send(syn.seq(irs));
        boolean ecnSetup = config.ecn && (syn.flags & (Segment.ECE | Segment.CWR)) == (Segment.ECE | Segment.CWR);
        t.expect(seg(SYN | ACK | (ecnSetup ? Segment.ECE : 0)).seq(iss).ack(irs + 1));
        t.send(seg(ACK).seq(irs + 1).ack(iss + 1));
        t.expectState(State.ESTABLISHED).expectEvent(TcpEvent.ESTABLISHED).expectNothing();
        return t;
    }

    /** ESTABLISHED with MSS 1460 and no other options, default config. */
    static TcpHarness established() {
        return established(new TcpConfig(), ISS, IRS);
    }

    static TcpHarness established(TcpConfig config, int iss, int irs) {
        return established(config, iss, irs, seg(SYN).mss(1460));
    }

    static TcpHarness established(Consumer<TcpConfig> tweak) {
        return established(config(tweak), ISS, IRS);
    }

    /** ESTABLISHED with a receive buffer of {@code receiveBufferBytes} and no quick ACKs (delayed ACKs from the start). */
    static TcpHarness establishedWithoutQuickAcks(int receiveBufferBytes) {
        return established(c -> {
            c.receiveBufferBytes = receiveBufferBytes;
            c.quickAcks = 0;
        });
    }

    /** Active open to ESTABLISHED; the SYN-ACK carries {@code synAck} options (at least an MSS). */
    static TcpHarness activeEstablished(TcpConfig config, int iss, int irs, SegSpec synAck) {
        TcpHarness t = new TcpHarness(config);
        t.conn.connect(iss, t.nowNanos);
        t.expect(seg(SYN).seq(iss));
        t.send(synAck.seq(irs).ack(iss + 1));
        t.expect(seg(ACK).seq(iss + 1).ack(irs + 1));
        t.expectState(State.ESTABLISHED).expectEvent(TcpEvent.ESTABLISHED).expectNothing();
        return t;
    }

    // ---- the peer's side ----

    /** In ESTABLISHED (from {@link #established}): the peer sends {@code count} segments of {@code len} bytes in order from IRS + 1. */
    TcpHarness sendInOrder(int count, int len) {
        for (int i = 0; i < count; i++) {
            send(seg(ACK).seq(IRS + 1 + i * len).ack(ISS + 1).len(len));
        }
        return this;
    }

    /** The peer sends this segment; unset fields: wnd = 65535, ack = 0, no options, no text. */
    TcpHarness send(SegSpec s) {
        in.seq = s.seq == null ? 0 : s.seq;
        in.ack = s.ack == null ? 0 : s.ack;
        in.flags = s.flags;
        in.wnd = s.wnd == null ? PEER_WND : s.wnd;
        in.urgentPointer = s.up == null ? 0 : s.up;
        in.ecn = s.ecn == null ? 0 : s.ecn;
        in.gsoSize = s.gsoSize == null ? 0 : s.gsoSize;
        in.options.clear();
        if (s.mss != null) {
            in.options.mss = s.mss;
        }
        if (s.ws != null) {
            in.options.windowScale = s.ws;
        }
        if (s.sackPerm != null) {
            in.options.sackPermitted = s.sackPerm;
        }
        if (s.ts != null && s.ts) {
            in.options.hasTimestamps = true;
            in.options.tsVal = s.tsVal == null ? 0 : s.tsVal;
            in.options.tsEcr = s.tsEcr == null ? 0 : s.tsEcr;
        }
        if (s.sack != null) {
            in.options.sackBlocks = s.sack.length / 2;
            for (int i = 0; i < s.sack.length / 2; i++) {
                in.options.sackLeft[i] = s.sack[2 * i];
                in.options.sackRight[i] = s.sack[2 * i + 1];
            }
        }
        byte[] bytes = s.textBytes();
        ByteBuf text = track(PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, bytes.length)));
        text.writeBytes(bytes);
        in.text = text;
        try {
            conn.segmentArrives(in, nowNanos);
        } finally {
            in.text = null;
            text.release();
        }
        return this;
    }

    /** The user sends bytes through the engine; returns the harness (see {@link #lastTaken}). */
    TcpHarness write(String s) {
        return write(s.getBytes(StandardCharsets.US_ASCII));
    }

    int lastTaken;

    TcpHarness write(byte[] b) {
        ByteBuf buf = track(PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, b.length)));
        buf.writeBytes(b);
        try {
            lastTaken = conn.send(buf, nowNanos);
        } finally {
            buf.release();
        }
        return this;
    }

    /** {@code n} bytes of a counting pattern. */
    TcpHarness write(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return write(b);
    }

    TcpHarness close() {
        conn.close(nowNanos);
        return this;
    }

    /** Bytes delivered and not yet consumed (0 with {@link #autoConsume}). */
    int unconsumed() {
        return deliveredUnconsumed;
    }

    TcpHarness consume(int bytes) {
        deliveredUnconsumed -= bytes;
        conn.consumed(bytes, nowNanos);
        return this;
    }

    /** Move the virtual clock, firing every timer that comes due on the way. */
    TcpHarness advance(Duration d) {
        long target = nowNanos + d.toNanos();
        for (int i = 0; i < 10_000; i++) {
            long next = conn.nextDeadlineNanos();
            if (next == Long.MAX_VALUE || next - target > 0) {
                break;
            }
            nowNanos = Math.max(nowNanos, next);
            conn.onTimer(nowNanos);
        }
        nowNanos = target;
        return this;
    }

    TcpHarness advanceMillis(long ms) {
        return advance(Duration.ofMillis(ms));
    }

    // ---- expectations ----

    /** The engine's next emitted segment matches the literal. */
    TcpHarness expect(SegSpec s) {
        Emitted e = emitted.poll();
        assertNotNull(e, "expected " + s + " but nothing was emitted");
        last = e;
        String ctx = "expected " + s + " got " + e;
        assertEquals(SegSpec.flagNames(s.flags), SegSpec.flagNames(e.flags), "flags: " + ctx);
        if (s.seq != null) assertEquals(Integer.toUnsignedString(s.seq), Integer.toUnsignedString(e.seq), "seq: " + ctx);
        if (s.ack != null) assertEquals(Integer.toUnsignedString(s.ack), Integer.toUnsignedString(e.ack), "ack: " + ctx);
        if (s.wnd != null) assertEquals(s.wnd, e.wnd, "wnd: " + ctx);
        if (s.up != null) assertEquals(s.up, e.up, "up: " + ctx);
        if (s.ecn != null) assertEquals(s.ecn, e.ecn, "ecn: " + ctx);
        if (s.gsoSize != null) assertEquals(s.gsoSize, e.gsoSize, "gsoSize: " + ctx);
        if (s.len != null) assertEquals(s.len, e.text.length, "len: " + ctx);
        if (s.data != null) assertArrayEquals(s.data, e.text, "data: " + ctx);
        if (s.mss != null) assertEquals(s.mss, e.options.mss, "mss: " + ctx);
        if (s.ws != null) assertEquals(s.ws, e.options.windowScale, "ws: " + ctx);
        if (s.sackPerm != null) assertEquals(s.sackPerm, e.options.sackPermitted, "sackPerm: " + ctx);
        if (s.ts != null) assertEquals(s.ts, e.options.hasTimestamps, "ts: " + ctx);
        if (s.tsVal != null) assertEquals(s.tsVal, e.options.tsVal, "tsVal: " + ctx);
        if (s.tsEcr != null) assertEquals(s.tsEcr, e.options.tsEcr, "tsEcr: " + ctx);
        if (s.sack != null) {
            assertEquals(s.sack.length / 2, e.options.sackBlocks, "sack blocks: " + ctx);
            for (int i = 0; i < s.sack.length / 2; i++) {
                assertEquals(s.sack[2 * i], e.options.sackLeft[i], "sack left " + i + ": " + ctx);
                assertEquals(s.sack[2 * i + 1], e.options.sackRight[i], "sack right " + i + ": " + ctx);
            }
        }
        return this;
    }

    /** The segment matched by the last {@link #expect}. */
    Emitted last() {
        return last;
    }

    /** The next emitted segment, whatever it is (for tests that inspect it by hand). */
    Emitted next() {
        Emitted e = emitted.poll();
        assertNotNull(e, "expected a segment but nothing was emitted");
        last = e;
        return e;
    }

    int pendingSegments() {
        return emitted.size();
    }

    TcpHarness expectNothing() {
        Emitted e = emitted.peek();
        assertNull(e, () -> "expected nothing, got " + e + (emitted.size() > 1 ? " (+" + (emitted.size() - 1) + " more)" : ""));
        return this;
    }

    TcpHarness expectState(State s) {
        assertEquals(s, conn.state(), "state");
        return this;
    }

    TcpHarness expectEvent(TcpEvent e) {
        assertEquals(e, events.poll(), "event");
        return this;
    }

    TcpHarness expectNoEvent() {
        assertNull(events.peek(), () -> "unexpected event " + events.peek());
        return this;
    }

    /** Everything delivered since the last call equals {@code s}. */
    TcpHarness expectDelivered(String s) {
        return expectDelivered(s.getBytes(StandardCharsets.US_ASCII));
    }

    TcpHarness expectDelivered(byte[] b) {
        assertArrayEquals(b, delivered.toByteArray(), "delivered");
        delivered.reset();
        return this;
    }

    TcpHarness expectDeliveredLength(int n) {
        assertEquals(n, delivered.size(), "delivered bytes");
        delivered.reset();
        return this;
    }

    /** Drain emitted segments and events without checking them (setup steps only). */
    TcpHarness discardOutput() {
        emitted.clear();
        events.clear();
        return this;
    }

    /** Abort the connection if it is still open, then check every buffer came back. */
    void assertNoLeaks() {
        if (conn.state() != State.CLOSED) {
            draining = true;
            conn.abort(nowNanos);
        }
        for (ByteBuf b : tracked) {
            assertEquals(0, b.refCnt(), "a buffer the engine retained was not released");
        }
    }

    private ByteBuf track(ByteBuf b) {
        tracked.add(b);
        return b;
    }

    // ---- TcpOutput ----

    @Override
    public void emit(Segment seg) {
        assertNotNull(seg.text, "emitted text must not be null");
        assertTrue(seg.text.refCnt() > 0, "emitted text already released");
        if (!draining) {
            emitted.add(new Emitted(seg));
        }
    }

    @Override
    public void deliver(ByteBuf data) {
        try {
            byte[] b = new byte[data.readableBytes()];
            data.getBytes(data.readerIndex(), b);
            delivered.writeBytes(b);
            deliveredUnconsumed += b.length;
        } finally {
            data.release();
        }
        if (autoConsume && !draining) {
            int n = deliveredUnconsumed;
            deliveredUnconsumed = 0;
            conn.consumed(n, nowNanos);
        }
    }

    /** The engine's state when it last reported PEER_FIN, as a user's event handler would see it. */
    State stateAtPeerFin() {
        return stateAtPeerFin;
    }

    @Override
    public void event(TcpEvent event) {
        if (event == TcpEvent.PEER_FIN) {
            stateAtPeerFin = conn.state();
        }
        if (!draining) {
            events.add(event);
        }
        if (events.size() > 1000) {
            fail("event storm");
        }
    }
}
