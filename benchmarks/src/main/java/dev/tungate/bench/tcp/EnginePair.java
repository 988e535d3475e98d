package dev.tungate.bench.tcp;

import dev.tungate.tcp.Segment;
import dev.tungate.tcp.State;
import dev.tungate.tcp.TcpConfig;
import dev.tungate.tcp.TcpConnection;
import dev.tungate.tcp.TcpEvent;
import dev.tungate.tcp.TcpOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * The simulator without impairments, for measuring: two engines on a virtual clock joined by a
 * lossless link of fixed one-way delay, a client that sends {@code bytes} and closes, a server that
 * reads at once and closes after the client's FIN. Same event loop as the test simulator
 * (modules/tcp src/test dev.tungate.tcp.sim: a priority queue on virtual time, ties in insertion
 * order), which the benchmarks module cannot see; in flight, segment text is a retained slice of
 * what the engine emitted, as a gateway's TUN write would take it, rather than a copy.
 */
final class EnginePair {
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final ArrayDeque<Event> free = new ArrayDeque<>();
    private final End client;
    private final End server;
    private final long delayNanos;
    private final ByteBuf payload;
    private long now;
    private long order;

    /** One queued happening: a segment arriving at {@code to}, or {@code to}'s timer or writer. */
    private static final class Event implements Comparable<Event> {
        static final int ARRIVAL = 0, TIMER = 1, WRITE = 2;
        long at;
        long order;
        int kind;
        End to;
        final Segment seg = new Segment();

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** One engine and its user. */
    private final class End implements TcpOutput {
        final TcpConnection conn;
        End peer;
        long toSend;
        long received;
        long consumed;
        boolean closed;
        boolean peerFin;
        long timerAt = Long.MAX_VALUE;

        End(TcpConfig config) {
            conn = new TcpConnection(config, this);
        }

        @Override
        public void emit(Segment s) {
            Event e = schedule(now + delayNanos, Event.ARRIVAL, peer);
            Segment c = e.seg;
            c.copyFrom(s).gsoSize = 0;
            c.text = s.text.isReadable() ? s.text.retainedSlice() : Unpooled.EMPTY_BUFFER;
        }

        @Override
        public void deliver(ByteBuf data) {
            received += data.readableBytes();
            data.release();
        }

        @Override
        public void event(TcpEvent e) {
            switch (e) {
                case ESTABLISHED, WRITABLE -> {
                    if (this == client) {
                        schedule(now, Event.WRITE, this);
                    }
                }
                case PEER_FIN -> peerFin = true;
                case CLOSED -> closed = true;
                case RESET, TIMED_OUT -> throw new IllegalStateException(e + " in " + conn.state());
            }
        }

        void write() {
            while (toSend > 0) {
                ByteBuf chunk = payload.slice(0, (int) Math.min(payload.capacity(), toSend));
                int taken = conn.send(chunk, now);
                toSend -= taken;
                if (taken < chunk.readableBytes()) {
                    return;
                }
            }
            if (this == client && conn.state() == State.ESTABLISHED) {
                conn.close(now);
            }
        }

        /** After every event: the user reads everything at once, and the timer event is kept armed. */
        void afterCall() {
            if (received > consumed && !closed) {
                conn.consumed((int) (received - consumed), now);
                consumed = received;
            }
            long d = conn.nextDeadlineNanos();
            if (d != Long.MAX_VALUE && d < timerAt) {
                timerAt = d;
                schedule(Math.max(d, now), Event.TIMER, this);
            }
        }
    }

    EnginePair(TcpConfig config, long delayNanos, ByteBuf payload) {
        this.delayNanos = delayNanos;
        this.payload = payload;
        this.client = new End(config);
        this.server = new End(config);
        client.peer = server;
        server.peer = client;
    }

    private Event schedule(long at, int kind, End to) {
        Event e = free.isEmpty() ? new Event() : free.poll();
        e.at = at;
        e.order = order++;
        e.kind = kind;
        e.to = to;
        queue.add(e);
        return e;
    }

    /** Moves {@code bytes} from client to server, closes both ends; returns the virtual nanoseconds it took. */
    long transfer(long bytes) {
        client.toSend = bytes;
        server.conn.listen(2_000);
        client.conn.connect(1_000, now);
        client.afterCall();
        while (!(client.closed && server.closed)) {
            Event e = queue.poll();
            if (e == null) {
                throw new IllegalStateException("stalled: client " + client.conn.state() + ", server "
                        + server.conn.state() + ", received " + server.received + " of " + bytes);
            }
            now = e.at;
            End end = e.to;
            switch (e.kind) {
                case Event.ARRIVAL -> {
                    if (!end.closed) {
                        end.conn.segmentArrives(e.seg, now);
                    }
                    e.seg.text.release();
                    e.seg.text = null;
                }
                case Event.TIMER -> {
                    if (now >= end.timerAt) {
                        end.timerAt = Long.MAX_VALUE;
                    }
                    if (!end.closed && now >= end.conn.nextDeadlineNanos()) {
                        end.conn.onTimer(now);
                    }
                }
                default -> end.write();
            }
            free.add(e);
            if (end == server && server.peerFin && server.conn.state() == State.CLOSE_WAIT) {
                server.conn.close(now);
            }
            client.afterCall();
            server.afterCall();
        }
        if (server.received != bytes) {
            throw new IllegalStateException("server received " + server.received + " of " + bytes);
        }
        return now;
    }
}
