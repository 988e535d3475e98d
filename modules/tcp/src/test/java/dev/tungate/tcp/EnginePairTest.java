package dev.tungate.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two engines back to back over a lossy, reordering, duplicating link on a virtual clock: an end-to-end check
 * of the engine against itself (the cc+sim helper's simulator goes much further). Data in both
 * directions must arrive intact and both sides must reach CLOSED.
 */
@DisplayName("two engines over a lossy link")
class EnginePairTest {
    private static final long MS = 1_000_000L;
    private static final boolean TRACE = Boolean.getBoolean("pair.trace");
    private final StringBuilder TRACE_OUT = new StringBuilder();

    /** A segment in flight, copied off the sender's reused Segment. */
    private static final class Packet implements Comparable<Packet> {
        final long at;
        final long order;
        final End to;
        final Segment seg = new Segment();

        Packet(long at, long order, End to, Segment s) {
            this.at = at;
            this.order = order;
            this.to = to;
            seg.copyFrom(s).gsoSize = 0;
            seg.text = Unpooled.copiedBuffer(s.text);
        }

        @Override
        public int compareTo(Packet o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }
    }

    private final class End implements TcpOutput {
        final TcpConnection conn;
        End peer;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final List<TcpEvent> events = new ArrayList<>();
        byte[] toSend;
        int sent;
        boolean closed;
        int unconsumed;

        End(TcpConfig config) {
            conn = new TcpConnection(config, this);
        }

        @Override
        public void emit(Segment seg) {
            segments++;
            if (TRACE) {
                TRACE_OUT.append((now / MS) + " " + (conn == aConn ? "A" : "B") + " emits "
                        + SegSpec.flagNames(seg.flags) + " seq=" + seg.seq + " len=" + seg.text.readableBytes()
                        + " una=" + conn.info().sndUna() + " nxt=" + conn.info().sndNxt() + " rec=" + conn.info().inRecovery() + " cwnd=" + conn.info().cwnd()).append('\n');
            }
            if (rnd.nextDouble() < loss) {
                if (conn == aConn && seg.text.readableBytes() > 0) {
                    aTextLost++;
                }
                return;
            }
            long departs = now;
            if (link.bytesPerSecond > 0) {
                // A bottleneck serialises each direction, so virtual time measures throughput.
                long wireBytes = 40 + seg.text.readableBytes();
                departs = Math.max(now, busyUntil[conn == aConn ? 0 : 1]) + wireBytes * 1_000_000_000L / link.bytesPerSecond;
                busyUntil[conn == aConn ? 0 : 1] = departs;
            }
            long delay = link.delayNanos + (long) (rnd.nextDouble() * jitterNanos);
            if (rnd.nextDouble() < link.reorder) {
                delay += (long) (rnd.nextDouble() * 2 * link.delayNanos);   // held back: later segments overtake it
            }
            wire.add(new Packet(departs + delay, order++, peer, seg));
            if (rnd.nextDouble() < link.duplicate) {
                wire.add(new Packet(now + delay + (long) (rnd.nextDouble() * jitterNanos), order++, peer, seg));
            }
        }

        @Override
        public void deliver(ByteBuf data) {
            byte[] b = new byte[data.readableBytes()];
            data.readBytes(b);
            data.release();
            got.writeBytes(b);
            if (reentrantConsume) {
                conn.consumed(b.length, now);   // the user reads at once, from inside the engine's call
            } else {
                unconsumed += b.length;
            }
        }

        @Override
        public void event(TcpEvent e) {
            events.add(e);
        }

        void pump() {
            if (unconsumed > 0) {
                int n = unconsumed;
                unconsumed = 0;
                conn.consumed(n, now);
            }
            State s = conn.state();
            if (s != State.ESTABLISHED && s != State.CLOSE_WAIT) {
                return;
            }
            while (sent < toSend.length && conn.sendSpace() > 0) {
                ByteBuf chunk = Unpooled.wrappedBuffer(toSend, sent, Math.min(7000, toSend.length - sent));
                sent += conn.send(chunk, now);
                chunk.release();
            }
            if (sent == toSend.length && !closed) {
                closed = true;
                conn.close(now);
            }
        }
    }

    /** Link shape beyond loss and jitter: the default is 5 ms, duplication at a quarter of the loss rate, no reordering. */
    private record Link(long delayNanos, double duplicate, double reorder, long bytesPerSecond) { }

    private final PriorityQueue<Packet> wire = new PriorityQueue<>();
    private final long[] busyUntil = new long[2];
    private Link link;
    private Random rnd;
    private double loss;
    private long jitterNanos;
    private long now = 1_000 * MS;
    private long order;
    private long segments;
    private boolean reentrantConsume;
    private TcpConnection aConn;
    /** Text segments from A the link dropped, and when B had all of A's bytes. */
    private long aTextLost;
    private long bulkDoneNanos;

    @ParameterizedTest(name = "seed {0}, loss {1}, jitter {2} ms, cc {3}, gso {4}, sack {5}, ts {6}")
    @CsvSource({
        "1, 0.0, 0, cubic, 0, true, true",
        "2, 0.02, 0, newreno, 0, true, true",
        "3, 0.02, 4, cubic, 0, true, true",
        "4, 0.05, 4, newreno, 0, true, true",
        "5, 0.05, 8, cubic, 65536, true, true",
        "6, 0.10, 2, cubic, 0, true, true",
        "7, 0.10, 8, newreno, 65536, true, true",
        "8, 0.03, 10, cubic, 0, true, true",
        "9, 0.05, 3, newreno, 0, false, true",
        "10, 0.10, 6, cubic, 0, false, false",
        "11, 0.02, 0, newreno, 65536, false, false",
        "12, 0.15, 5, cubic, 0, true, false",
        "13, 0.20, 1, newreno, 0, true, true",
        "14, 0.08, 12, cubic, 65536, false, true",
        "15, 0.05, 0, cubic, 0, true, true",
        "16, 0.25, 3, newreno, 0, false, false",
    })
    void transferBothWays(long seed, double loss, long jitterMs, String cc, int gso, boolean sack, boolean ts) {
        run(seed, loss, jitterMs, cc, gso, sack, ts);
    }

    /** Random settings per seed; {@code -Dpair.sweep=N} runs N seeds instead of the default 24. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> sweepSeeds() {
        int n = Integer.getInteger("pair.sweep", 24);
        return java.util.stream.LongStream.range(1000, 1000 + n).mapToObj(seed -> {
            Random r = new Random(seed);
            return org.junit.jupiter.params.provider.Arguments.of(seed, r.nextInt(31) / 100.0, (long) r.nextInt(10),
                    r.nextBoolean() ? "cubic" : "newreno", r.nextBoolean() ? 65536 : 0, r.nextBoolean(), r.nextBoolean());
        });
    }

    @ParameterizedTest(name = "sweep seed {0}, loss {1}, jitter {2} ms, cc {3}, gso {4}, sack {5}, ts {6}")
    @org.junit.jupiter.params.provider.MethodSource("sweepSeeds")
    void sweep(long seed, double loss, long jitterMs, String cc, int gso, boolean sack, boolean ts) {
        run(seed, loss, jitterMs, cc, gso, sack, ts);
    }

    private void run(long seed, double loss, long jitterMs, String cc, int gso, boolean sack, boolean ts) {
        run(seed, loss, jitterMs, cc, gso, sack, ts, new Link(5 * MS, loss / 4, 0, 0), 300_000, 200_000);
    }

    /**
     * The lead's integration setting (2% loss, 1% duplication, 25% reordering, 1 ms, here with a
     * 100 MB/s bottleneck), one bulk direction, eight seeds per configuration (more with
     * {@code -Dpair.seeds=N}, for measuring). Prints the sums; asserts only that the data arrives
     * and both ends close.
     */
    private static final int SEEDS = Integer.getInteger("pair.seeds", 8);

    @ParameterizedTest(name = "reordering 25%: cc {0}, sack {1}, ts {2}")
    @CsvSource({
        "cubic, true, true",
        "newreno, true, true",
        "cubic, true, false",
        "cubic, false, true",
    })
    void bulkUnderReordering(String cc, boolean sack, boolean ts) {
        long virtualNanos = 0;
        long lost = 0;
        long retransmits = 0;
        long fast = 0;
        long timeouts = 0;
        long undone = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            aTextLost = 0;
            bulkDoneNanos = 0;
            long start = now;
            End a = run(seed, 0.02, 0, cc, 0, sack, ts, new Link(MS, 0.01, 0.25, 100_000_000L), 2 << 20, 1000);
            virtualNanos += bulkDoneNanos - start;
            System.out.printf("  seed %d: %.3f s, lost=%d retransmits=%d fast=%d timeouts=%d undone=%d dupThresh=%d%n", seed,
                    (bulkDoneNanos - start) / 1e9, aTextLost, a.conn.info().retransmits(), a.conn.info().fastRetransmits(),
                    a.conn.info().timeouts(), a.conn.info().spuriousRecoveries(), a.conn.info().dupThresh());
            lost += aTextLost;
            retransmits += a.conn.info().retransmits();
            fast += a.conn.info().fastRetransmits();
            timeouts += a.conn.info().timeouts();
            undone += a.conn.info().spuriousRecoveries();
        }
        System.out.printf("reorder25 cc=%s sack=%b ts=%b, %d x 2 MiB: %.3f s virtual to deliver, lost by link=%d"
                + " retransmits=%d fast recoveries=%d timeouts=%d undone=%d%n", cc, sack, ts, SEEDS, virtualNanos / 1e9,
                lost, retransmits, fast, timeouts, undone);
    }

    private End run(long seed, double loss, long jitterMs, String cc, int gso, boolean sack, boolean ts, Link link,
            int aBytes, int bBytes) {
        this.link = link;
        this.rnd = new Random(seed);
        this.reentrantConsume = seed % 2 == 1;
        this.loss = loss;
        this.jitterNanos = jitterMs * MS;
        TcpConfig ca = new TcpConfig();
        ca.congestionControl = cc;
        ca.gsoMaxBytes = gso;
        ca.receiveBufferBytes = 64 * 1024;
        ca.sack = sack;
        ca.timestamps = ts;
        TcpConfig cb = new TcpConfig();
        cb.congestionControl = cc;
        cb.sendBufferBytes = 32 * 1024;
        cb.sack = sack;
        cb.timestamps = ts;
        End a = new End(ca);
        aConn = a.conn;
        End b = new End(cb);
        a.peer = b;
        b.peer = a;
        Random data = new Random(seed * 31);
        a.toSend = new byte[aBytes];
        b.toSend = new byte[bBytes];
        data.nextBytes(a.toSend);
        data.nextBytes(b.toSend);
        b.conn.listen(0x7000_0000);
        a.conn.connect(0xFFFF_0000, now);
        long limit = now + 3_600_000 * MS;   // an hour of virtual time: 30% loss both ways is slow
        for (int i = 0; i < 5_000_000 && now < limit; i++) {
            long next = Math.min(a.conn.nextDeadlineNanos(), b.conn.nextDeadlineNanos());
            if (!wire.isEmpty()) {
                next = Math.min(next, wire.peek().at);
            }
            if (next == Long.MAX_VALUE) {
                break;
            }
            now = Math.max(now, next);
            Packet p = wire.peek();
            if (p != null && p.at <= now) {
                wire.poll();
                if (TRACE) {
                    TRACE_OUT.append((now / MS) + " -> " + (p.to == a ? "A" : "B") + " " + SegSpec.flagNames(p.seg.flags)
                            + " seq=" + p.seg.seq + " ack=" + p.seg.ack + " len=" + p.seg.text.readableBytes()
                            + " wnd=" + p.seg.wnd + " ts=" + p.seg.options.tsVal + "/" + p.seg.options.tsEcr
                            + " sack=" + p.seg.options.sackBlocks).append('\n');
                }
                p.to.conn.segmentArrives(p.seg, now);
                p.seg.text.release();
            } else {
                a.conn.onTimer(now);
                b.conn.onTimer(now);
            }
            a.pump();
            b.pump();
            if (bulkDoneNanos == 0 && b.got.size() == a.toSend.length) {
                bulkDoneNanos = now;
            }
        }
        while (!wire.isEmpty()) {
            wire.poll().seg.text.release();
        }
        String diag = "now=" + now + " A " + a.conn.state() + " una=" + a.conn.info().sndUna() + " nxt=" + a.conn.info().sndNxt()
                + " wnd=" + a.conn.info().sndWnd() + " rcvNxt=" + a.conn.info().rcvNxt() + " sent=" + a.sent + " dl=" + a.conn.nextDeadlineNanos()
                + " ev=" + a.events + " | B " + b.conn.state() + " una=" + b.conn.info().sndUna() + " nxt=" + b.conn.info().sndNxt()
                + " wnd=" + b.conn.info().sndWnd() + " rcvNxt=" + b.conn.info().rcvNxt() + " rcvWnd=" + b.conn.info().rcvWnd() + " sent=" + b.sent
                + " dl=" + b.conn.nextDeadlineNanos() + " ev=" + b.events;
        if (TRACE) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/pair-trace-" + seed + ".txt"), TRACE_OUT);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        assertArrayEquals(a.toSend, b.got.toByteArray(), "A to B " + diag);
        assertArrayEquals(b.toSend, a.got.toByteArray(), "B to A");
        assertEquals(State.CLOSED, a.conn.state(), "A events " + a.events);
        assertEquals(State.CLOSED, b.conn.state(), "B events " + b.events);
        assertEquals(TcpEvent.CLOSED, a.events.get(a.events.size() - 1));
        assertEquals(TcpEvent.CLOSED, b.events.get(b.events.size() - 1));
        assertTrue(!a.events.contains(TcpEvent.RESET) && !b.events.contains(TcpEvent.RESET), a.events + " " + b.events);
        assertTrue(!a.events.contains(TcpEvent.TIMED_OUT) && !b.events.contains(TcpEvent.TIMED_OUT));
        return a;
    }
}
