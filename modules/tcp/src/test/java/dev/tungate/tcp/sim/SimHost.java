package dev.tungate.tcp.sim;

import dev.tungate.tcp.Segment;
import dev.tungate.tcp.State;
import dev.tungate.tcp.TcpConfig;
import dev.tungate.tcp.TcpConnection;
import dev.tungate.tcp.TcpEvent;
import dev.tungate.tcp.TcpOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One end of the simulation: an engine plus the application above it and the host's timer. The
 * application writes its bytes in chunks (pausing when the send buffer is full until WRITABLE),
 * reads with a delay (sometimes stalling, so the window closes), checks every delivered byte
 * against the peer's stream, and closes as the scenario's policy says. Engine calls are never
 * made from inside an engine callback: callbacks only schedule events.
 */
final class SimHost implements TcpOutput {
    private final Simulation sim;
    final String name;
    final TcpConnection conn;
    private final Scenario.App app;
    private final TcpConfig config;
    /** Output of the CLOSED connections that answer segments arriving after this flow closed. */
    private final TcpOutput refuser = new TcpOutput() {
        @Override
        public void emit(Segment seg) {
            out.transmit(Packet.copyOf(seg));
        }

        @Override
        public void deliver(ByteBuf data) {
            data.release();
            sim.fail(name + ": a CLOSED connection delivered data");
        }

        @Override
        public void event(TcpEvent e) {
        }
    };
    private final int expectedFromPeer;
    private final long sendStream;
    private final long receiveStream;
    private final SplittableRandom rnd;
    private final Segment in = new Segment();
    private final Packet[] pieces = new Packet[(64 << 10) / 536 + 2];
    private SimLink out;
    private SimHost peer;

    /** Bytes the engine took from the application. */
    int queued;
    /** Bytes delivered in order, each checked. */
    int received;
    /** Virtual time the last byte of the peer's stream was delivered (0 when it sends none). */
    long allReceivedNanos;
    private int unconsumed;
    private boolean readScheduled;
    private boolean writeScheduled;
    boolean allQueued;
    boolean closeCalled;
    boolean peerFin;
    boolean closed;
    long arrivalsAfterClose;
    /** A RST from the peer's closed flow ended this side after all data and both FINs. */
    boolean resetAfterDone;
    private long timerEventAt = Long.MAX_VALUE;
    final Map<TcpEvent, Integer> events = new EnumMap<>(TcpEvent.class);
    /** States the engine was in after any call: the suite checks that the scenarios reach them all. */
    final Set<State> statesSeen = EnumSet.noneOf(State.class);
    /** Every buffer handed to the engine; all must be released by the time both sides are CLOSED. */
    final List<ByteBuf> lent = new ArrayList<>();

    SimHost(Simulation sim, String name, TcpConfig config, Scenario.App app, int expectedFromPeer, long sendStream,
            long receiveStream, long seed) {
        this.sim = sim;
        this.name = name;
        this.config = config;
        this.conn = new TcpConnection(config, this);
        this.app = app;
        this.expectedFromPeer = expectedFromPeer;
        this.sendStream = sendStream;
        this.receiveStream = receiveStream;
        this.rnd = new SplittableRandom(seed);
    }

    void wire(SimLink outbound, SimHost peerHost) {
        this.out = outbound;
        this.peer = peerHost;
    }

    /** The byte at {@code pos} of stream {@code stream}: position-dependent, so loss, duplication and misorder show. */
    static byte byteAt(long stream, long pos) {
        long z = stream + pos * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 31)) * 0xBF58_476D_1CE4_E5B9L;
        return (byte) (z ^ (z >>> 29));
    }

    // ---- the engine's output port ----

    @Override
    public void emit(Segment seg) {
        if (seg.gsoSize > 0 && seg.text.readableBytes() > seg.gsoSize && !sim.scenario.superSegmentsWhole) {
            int n = Packet.split(seg, pieces);
            for (int i = 0; i < n; i++) {
                out.transmit(pieces[i]);
                pieces[i] = null;
            }
        } else {
            out.transmit(Packet.copyOf(seg));
        }
    }

    @Override
    public void deliver(ByteBuf data) {
        int n = data.readableBytes();
        if (received + (long) n > expectedFromPeer) {
            sim.fail(name + ": delivered " + (received + (long) n) + " bytes, peer sent only " + expectedFromPeer);
        }
        for (int i = 0; i < n && received + i < expectedFromPeer; i++) {
            if (data.getByte(data.readerIndex() + i) != byteAt(receiveStream, received + i)) {
                sim.fail(name + ": byte " + (received + i) + " of the peer's stream is wrong");
                break;
            }
        }
        received += n;
        if (received == expectedFromPeer && n > 0) {
            allReceivedNanos = sim.now();
        }
        data.release();
        unconsumed += n;
        if (!readScheduled) {
            readScheduled = true;
            long delay = app.readDelayNanos();
            if (app.readStall() > 0 && rnd.nextDouble() < app.readStall()) {
                // Mostly shorter than a few RTOs; one stall in four long enough for persist back-off.
                delay += rnd.nextInt(4) == 0 ? rnd.nextLong(5_000 * Scenario.MS, 30_000 * Scenario.MS)
                        : rnd.nextLong(500 * Scenario.MS, 3_000 * Scenario.MS);
            }
            sim.at(sim.now() + delay, this::read);
        }
    }

    @Override
    public void event(TcpEvent e) {
        events.merge(e, 1, Integer::sum);
        if (sim.tracing()) {
            sim.trace(name, null, "event " + e + ", state " + conn.state());
        }
        switch (e) {
            case ESTABLISHED, WRITABLE -> scheduleWrite(sim.now());
            case PEER_FIN -> {
                peerFin = true;
                if (received != expectedFromPeer) {
                    sim.fail(name + ": peer's FIN after " + received + " of " + expectedFromPeer + " bytes");
                }
                sim.at(sim.now(), this::maybeClose);
            }
            case RESET -> {
                // Tolerated only when nothing but the last ACK of our FIN was missing (see arrivedAfterClose).
                if (peerFin && received == expectedFromPeer && closeCalled) {
                    resetAfterDone = true;
                } else {
                    sim.fail(name + ": RESET in " + conn.state());
                }
            }
            case TIMED_OUT -> sim.fail(name + ": TIMED_OUT in " + conn.state());
            case CLOSED -> {
                if (closed) {
                    sim.fail(name + ": CLOSED reported twice");
                }
                closed = true;
            }
        }
    }

    // ---- application and host actions, each an event of its own ----

    void open(int iss, boolean active) {
        if (active) {
            conn.connect(iss, sim.now());
        } else {
            conn.listen(iss);
        }
        afterEngineCall();
    }

    void arrive(Packet pkt) {
        if (closed) {
            arrivedAfterClose(pkt);
            return;
        }
        if (sim.tracing()) {
            sim.trace(name, pkt, "in " + conn.state());
        }
        segmentArrives(conn, pkt);
        afterEngineCall();
    }

    private void segmentArrives(TcpConnection to, Packet pkt) {
        pkt.fill(in);
        ByteBuf text = pkt.text.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(pkt.text);
        if (pkt.text.length > 0) {
            lent.add(text);
        }
        in.text = text;
        to.segmentArrives(in, sim.now());
        in.text = null;
        if (pkt.text.length > 0) {
            text.release();
        }
    }

    /**
     * The flow is gone from the table, as in the gateway: a fresh connection in CLOSED answers
     * (RFC 9293 §3.10.7.1: RST for anything but a RST). This is how a peer still in LAST-ACK learns
     * that its FIN's ACKs were all lost after our TIME-WAIT ran out.
     */
    private void arrivedAfterClose(Packet pkt) {
        arrivalsAfterClose++;
        if (sim.tracing()) {
            sim.trace(name, pkt, "in a closed flow");
        }
        segmentArrives(new TcpConnection(config, refuser), pkt);
    }

    private void scheduleWrite(long at) {
        if (!writeScheduled) {
            writeScheduled = true;
            sim.at(at, this::write);
        }
    }

    private void write() {
        writeScheduled = false;
        if (closed || closeCalled) {
            return;
        }
        while (queued < app.bytesToSend()) {
            // Offer the chunk even when it does not fit: a short take is what arms WRITABLE.
            int n = Math.min(1 + rnd.nextInt(app.maxChunk()), app.bytesToSend() - queued);
            ByteBuf chunk = Unpooled.buffer(n);
            for (int i = 0; i < n; i++) {
                chunk.writeByte(byteAt(sendStream, queued + i));
            }
            lent.add(chunk);
            int taken = conn.send(chunk, sim.now());
            chunk.release();
            queued += taken;
            afterEngineCall();
            if (taken < n) {
                return;                     // the buffer is full: WRITABLE will call again
            }
            if (app.writeGapNanos() > 0 && queued < app.bytesToSend()) {
                scheduleWrite(sim.now() + rnd.nextLong(0, app.writeGapNanos()));
                return;
            }
        }
        if (!allQueued) {
            allQueued = true;
            sim.at(sim.now(), this::maybeClose);
            sim.at(sim.now(), peer::maybeClose);
        }
    }

    private void read() {
        readScheduled = false;
        if (closed || unconsumed == 0) {
            return;
        }
        int n = unconsumed;
        unconsumed = 0;
        conn.consumed(n, sim.now());
        afterEngineCall();
    }

    /** The scenario's close policy, re-checked whenever a side finishes queueing or sees the peer's FIN. */
    void maybeClose() {
        if (closeCalled || closed || !allQueued) {
            return;
        }
        boolean client = this == sim.client;
        boolean go = switch (sim.scenario.close) {
            case EACH_WHEN_DONE -> true;
            case CLIENT_FIRST -> client || peerFin;
            case SERVER_FIRST -> !client || peerFin;
            case SIMULTANEOUS -> peer.allQueued && !peer.closeCalled;
        };
        if (!go) {
            return;
        }
        if (sim.scenario.close == Scenario.ClosePolicy.SIMULTANEOUS) {
            peer.close();
        }
        close();
    }

    private void close() {
        if (closeCalled || closed) {
            return;
        }
        closeCalled = true;
        if (sim.tracing()) {
            sim.trace(name, null, "close() in " + conn.state());
        }
        conn.close(sim.now());
        afterEngineCall();
    }

    /** After every engine call: note the state, keep one event queued at the engine's earliest deadline. */
    private void afterEngineCall() {
        statesSeen.add(conn.state());
        long d = conn.nextDeadlineNanos();
        if (d == Long.MAX_VALUE || d >= timerEventAt) {
            return;
        }
        timerEventAt = d;
        sim.at(Math.max(d, sim.now()), this::timer);
    }

    private void timer() {
        long now = sim.now();
        if (now >= timerEventAt) {
            timerEventAt = Long.MAX_VALUE;
        }
        if (closed) {
            return;
        }
        if (now >= conn.nextDeadlineNanos()) {
            conn.onTimer(now);
        }
        afterEngineCall();
    }

    /** Null when this side ended well, else what went wrong. */
    String verdict() {
        StringBuilder b = new StringBuilder();
        if (!closed || conn.state() != State.CLOSED) {
            b.append(name).append(" ended in ").append(conn.state()).append(closed ? "" : " without CLOSED").append("; ");
        }
        if (queued != app.bytesToSend()) {
            b.append(name).append(" queued ").append(queued).append(" of ").append(app.bytesToSend()).append("; ");
        }
        if (received != expectedFromPeer) {
            b.append(name).append(" received ").append(received).append(" of ").append(expectedFromPeer).append("; ");
        }
        if (!peerFin) {
            b.append(name).append(" never saw the peer's FIN; ");
        }
        int leaked = 0;
        for (ByteBuf buf : lent) {
            if (buf.refCnt() != 0) {
                leaked++;
            }
        }
        if (leaked > 0) {
            b.append(name).append(": ").append(leaked).append(" buffers lent to the engine not released; ");
        }
        return b.length() == 0 ? null : b.toString();
    }

    String stats() {
        return name + ": state=" + conn.state() + " queued=" + queued + " received=" + received + " events=" + events
                + " lateArrivals=" + arrivalsAfterClose + (resetAfterDone ? " resetAfterDone" : "");
    }
}
