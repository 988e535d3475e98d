package dev.tungate.gateway.tcp;

import dev.tungate.gateway.ConnectionInfo;
import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.tcp.Segment;
import dev.tungate.tcp.State;
import dev.tungate.tcp.TcpConnection;
import dev.tungate.tcp.TcpInfo;
import dev.tungate.tcp.TcpEvent;
import dev.tungate.tcp.TcpOutput;
import dev.tungate.tcp.table.TimerWheel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One relayed TCP connection: the engine facing the namespace, the Netty channel facing the real
 * destination, and the rules that tie them (DESIGN.md "Decisions"):
 *
 * <ul>
 * <li>Handshake mirroring: the client's SYN is held ({@link #syn}) while the upstream connect runs;
 *     retransmitted SYNs are absorbed. Accepted: {@code listen(iss)} then the held SYN, so the
 *     SYN-ACK leaves only now. Refused: the held SYN goes to the engine still CLOSED, which answers
 *     RST per RFC 9293 §3.10.7.1 (the client sees ECONNREFUSED). Unreachable or timed out: ICMP
 *     host unreachable (the client sees EHOSTUNREACH).
 * <li>Half-close: the client's FIN (PEER_FIN) becomes shutdownOutput upstream after the bytes
 *     before it are written; the upstream FIN (ChannelInputShutdownEvent) becomes engine.close()
 *     after the bytes before it were taken by the engine.
 * <li>Resets: RST from the client (RESET) closes upstream with SO_LINGER 0, which sends RST; an
 *     upstream reset (IOException) aborts the engine, which sends RST to the client.
 * <li>Backpressure: delivered bytes count as consumed (reopening the window) only while the
 *     upstream channel is writable; bytes the engine's send buffer did not take are kept in
 *     {@link #pendingUp} with upstream autoRead off until the engine reports WRITABLE.
 * </ul>
 *
 * Everything runs on the shard's loop. The engine is never re-entered: its callbacks only set
 * flags, and {@link #after} does the follow-up calls once the engine has returned.
 */
public final class TcpFlow extends TimerWheel.Timer implements TcpOutput, HalfOpenLimiter.Member {
    private static final Logger log = LogManager.getLogger();
    private final TcpRelay relay;
    private final FlowKey key;
    private final TcpConnection engine;
    private final Upstream upstreamHandler = new Upstream();
    /** Delivered text on its way upstream, small segments coalesced (real bytes, see UpstreamWrites). */
    private final UpstreamWrites writes = new UpstreamWrites();
    private final InetSocketAddress upstreamAddress;
    /** The client's SYN, held while connecting upstream; null once answered. */
    private Segment syn;
    /** The SYN's IP packet, quoted in an ICMP error if the destination is unreachable. */
    private byte[] synPacket;
    private int ipVersion;
    private Channel upstream;
    /** The upstream channel while its connect runs (closed at once if the flow ends meanwhile). */
    private Channel connecting;
    /** Delivered bytes not yet reported consumed because the upstream channel was not writable. */
    private int unconsumed;
    /** Upstream bytes the engine's send buffer has not taken yet (autoRead is off while non-null). */
    private ByteBuf pendingUp;
    private boolean sendSpaceOpened;
    private boolean upstreamInputDone;
    private boolean upstreamOutputShut;
    /** The upstream shutdownOutput has happened (after every earlier write completed). */
    private boolean upstreamOutputDone;
    private boolean upstreamClosedByUs;
    private boolean closed;
    /** Queued in the relay's flush list for this batch. */
    boolean flushQueued;
    /** This flow's place among the shard's half-open flows; null once ESTABLISHED or ended. */
    HalfOpenLimiter.Entry halfOpen;
    private State loggedState = State.CLOSED;

    TcpFlow(TcpRelay relay, FlowKey key, InetSocketAddress upstreamAddress) {
        this.relay = relay;
        this.key = key;
        this.engine = new TcpConnection(relay.config(key.v4), this);
        this.upstreamAddress = upstreamAddress;
    }

    public FlowKey key() {
        return key;
    }

    public State state() {
        return engine.state();
    }

    /** True while the client's SYN is held and the upstream connect runs. */
    public boolean connecting() {
        return syn != null;
    }

    // ---- handshake --------------------------------------------------------------------------

    /** Holds a copy of the SYN (text dropped: a SYN's data is sent again by the client) and connects. */
    void connect(Segment synIn, ByteBuf frame, int ipOffset, int ipVersion, long nowNanos) {
        syn = new Segment().copyFrom(synIn);
        syn.gsoSize = 0;
        syn.text = Unpooled.EMPTY_BUFFER;
        this.ipVersion = ipVersion;
        synPacket = new byte[frame.writerIndex() - ipOffset];
        frame.getBytes(ipOffset, synPacket);
        observeIn(synIn);
        ChannelFuture connecting;
        try {
            connecting = relay.connectUpstream(upstreamAddress, upstreamHandler);
            this.connecting = connecting.channel();
        } catch (ChannelException e) {      // no socket at all (e.g. out of file descriptors): unreachable
            settled(nowNanos, synIn, "SYN held while connecting upstream");
            connected(null, e);
            return;
        }
        connecting.addListener((ChannelFutureListener) f -> {
            try {
                connected(f.isSuccess() ? f.channel() : null, f.cause());
            } catch (RuntimeException | OutOfMemoryError e) {
                failed(e);
            }
        });
        settled(nowNanos, synIn, "SYN held while connecting upstream");
    }

    /** Port forward: {@code host} (autoRead off) speaks for the flow; the engine opens into the namespace (RFC 9293 §3.10.1). */
    void openInto(Channel host, long now) {
        upstream = host;
        host.pipeline().addLast(upstreamHandler);
        engine.connect(relay.isn(key, now), now);
        after(now, null, "forwarded client accepted");
    }

    /** The upstream connect ended: {@code ch} connected, or null and {@code cause} says why not. */
    private void connected(Channel ch, Throwable cause) {
        long now = relay.nowNanos();
        connecting = null;
        if (closed) {                       // the client reset or the gateway stopped meanwhile
            if (ch != null) {
                ch.close();
            }
            return;
        }
        Segment held = syn;
        byte[] quoted = synPacket;
        syn = null;
        synPacket = null;
        if (ch != null) {
            upstream = ch;
            relay.counters().tcpConnections++;
            if (noting()) {
                note("upstream " + FlowKey.endpoint(upstreamAddress.getAddress(), upstreamAddress.getPort()) + " accepted");
            }
            engine.listen(relay.isn(key, now));
            engine.segmentArrives(held, now);
            after(now, held, "upstream accepted");
            return;
        }
        if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
            relay.counters().tcpRefused++;
            if (noting()) {
                note("upstream refused: " + cause.getMessage());
            }
            // RFC 9293 §3.10.7.1: a CLOSED connection answers a SYN with <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
            engine.segmentArrives(held, now);
        } else {
            relay.counters().tcpUnreachable++;
            if (noting()) {
                note("upstream unreachable: " + cause);
            }
            relay.hostUnreachable(Unpooled.wrappedBuffer(quoted), ipVersion, cause);
        }
        finish();
    }

    // ---- namespace side ---------------------------------------------------------------------

    /** A segment of this flow from the namespace; {@code seg.text} is borrowed. */
    void segmentIn(Segment seg, long nowNanos) {
        if (closed) {
            return;
        }
        observeIn(seg);
        if (syn != null) {
            if (seg.has(Segment.RST)) {      // the client gave up before upstream answered
                note("client reset while connecting");
                finish();
            }
            // Retransmitted SYNs are absorbed: the SYN-ACK leaves only when upstream accepts.
            return;
        }
        engine.segmentArrives(seg, nowNanos);
        after(nowNanos, seg, "segment");
    }

    private void observeIn(Segment seg) {
        if (log.isTraceEnabled()) {
            log.trace("{} in  {} [{}]", key, describe(seg), engine.state());
        }
        TcpObserver o = relay.observer();
        if (o != null) {
            o.segment(this, true, seg);
        }
    }

    // ---- engine output (TcpOutput): no engine calls from here -------------------------------

    @Override
    public void emit(Segment seg) {
        if (log.isTraceEnabled()) {
            log.trace("{} out {} [{}]", key, describe(seg), engine.state());
        }
        TcpObserver o = relay.observer();
        if (o != null) {
            o.segment(this, false, seg);
        }
        relay.emit(key, seg);
    }

    @Override
    public void deliver(ByteBuf data) {
        if (upstream == null || upstreamOutputShut) {
            data.release();
            return;
        }
        unconsumed += data.readableBytes();
        writes.write(upstream, data);
        if (upstream.isWritable()) {
            relay.queueFlush(this);       // once per read batch
        } else {
            upstream.flush();             // past the high-water mark: don't hold a batch's worth
        }
    }

    @Override
    public void event(TcpEvent event) {
        switch (event) {
            case ESTABLISHED -> relay.established(this, upstream);
            case PEER_FIN -> shutdownUpstreamOutput();
            case WRITABLE -> sendSpaceOpened = true;
            case RESET, TIMED_OUT -> {
                relay.counters().tcpResets++;
                note(event == TcpEvent.RESET ? "client reset: resetting upstream" : "retransmission limit: resetting upstream");
                resetUpstream();
            }
            case CLOSED -> finish();
        }
    }

    private void shutdownUpstreamOutput() {
        if (upstream == null || upstreamOutputShut) {
            return;
        }
        upstreamOutputShut = true;
        note("client FIN: shutdownOutput upstream");
        writes.flushAll(upstream);
        // Netty fails writes still queued when the output shuts down, so wait for the earlier ones.
        upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            Channel ch = f.channel();
            if (ch.isActive()) {
                ((DuplexChannel) ch).shutdownOutput();
            }
            upstreamOutputDone = true;
            closeUpstreamIfDone();
        });
    }

    /** Both directions of the upstream socket are finished: release it now rather than after TIME-WAIT. */
    private void closeUpstreamIfDone() {
        if (upstreamInputDone && upstreamOutputDone && upstream != null && upstream.isOpen()) {
            upstreamClosedByUs = true;
            upstream.close();
        }
    }

    private void resetUpstream() {
        if (upstream != null && upstream.isOpen()) {
            upstreamClosedByUs = true;
            upstream.config().setOption(ChannelOption.SO_LINGER, 0);
            upstream.close();
        }
    }

    void flushUpstreamChannel() {
        if (upstream != null) {
            writes.flush(upstream);
        }
    }

    /** Real bytes held: text going upstream, out-of-order text (≤ 2x payload, Pinning), upstream bytes for the engine. */
    long pinnedBytes() {
        TcpInfo i = engine.info();
        long held = writes.pinnedBytes(upstream) + 2L * i.outOfOrderBytes() + i.sendQueued();
        return pendingUp == null ? held : held + pendingUp.readableBytes();
    }

    // ---- upstream side ----------------------------------------------------------------------

    private void upstreamRead(ByteBuf data) {
        if (closed) {
            data.release();
            return;
        }
        if (pendingUp != null) {            // a read already in flight when autoRead went off
            pendingUp = append(pendingUp, data);
            return;
        }
        long now = relay.nowNanos();
        int offered = data.readableBytes();
        int taken = engine.send(data, now);
        if (taken < offered) {
            data.skipBytes(taken);
            pendingUp = data;
            upstream.config().setAutoRead(false);
        } else {
            data.release();
        }
        after(now, null, "upstream data");
    }

    private ByteBuf append(ByteBuf held, ByteBuf more) {
        CompositeByteBuf c;
        if (held instanceof CompositeByteBuf hc) {
            c = hc;
        } else {
            c = relay.alloc().compositeBuffer();
            c.addComponent(true, held);
        }
        return c.addComponent(true, more);
    }

    /** Offers the held upstream bytes again after WRITABLE; resumes reading once all are taken. */
    private void drainPending(long now) {
        int offered = pendingUp.readableBytes();
        int taken = engine.send(pendingUp, now);
        if (taken < offered) {
            pendingUp.skipBytes(taken);
            return;
        }
        pendingUp.release();
        pendingUp = null;
        if (upstreamInputDone) {
            engine.close(now);
        } else if (upstream != null) {
            upstream.config().setAutoRead(true);
        }
    }

    private void upstreamFin() {
        if (closed || upstreamInputDone) {
            return;
        }
        upstreamInputDone = true;
        note("upstream FIN: closing toward the client");
        closeUpstreamIfDone();
        if (pendingUp == null) {
            long now = relay.nowNanos();
            engine.close(now);
            after(now, null, "upstream FIN");
        }
    }

    private void upstreamFailed(Throwable cause) {
        if (closed) {
            return;
        }
        long now = relay.nowNanos();
        relay.counters().tcpResets++;
        if (noting()) {
            note("upstream reset (" + cause.getMessage() + "): resetting the client");
        }
        upstreamClosedByUs = true;
        upstream.close();
        engine.abort(now);
        after(now, null, "upstream reset");
    }

    private void upstreamInactive() {
        if (closed || upstreamClosedByUs || upstreamInputDone && upstreamOutputShut) {
            return;
        }
        upstreamFailed(new IOException("upstream closed"));
    }

    // ---- after each engine call ---------------------------------------------------------------

    /**
     * Follow-up once the engine has returned: report consumed bytes while upstream is writable,
     * refill the send buffer after WRITABLE, re-arm the timer, log the state change.
     */
    private void after(long now, Segment cause, String what) {
        // Each round can feed the other (a consumed() reopens the window and may free send space);
        // a few rounds settle what one event started, and the bound keeps a ping-pong from spinning
        // here: anything left waits for the next event or timer.
        for (int round = 0; round < 4 && !closed; round++) {
            boolean again = false;
            if (unconsumed > 0 && upstream != null && upstream.isWritable()) {
                int n = unconsumed;
                unconsumed = 0;
                engine.consumed(n, now);
                again = true;
            }
            if (sendSpaceOpened) {
                sendSpaceOpened = false;
                if (pendingUp != null) {
                    drainPending(now);
                    again = true;
                }
            }
            if (!again) {
                break;
            }
        }
        if (!closed) {
            relay.reschedule(this, engine.nextDeadlineNanos());
        }
        settled(now, cause, what);
    }

    private void settled(long now, Segment cause, String what) {
        State s = engine.state();
        if (s != loggedState && log.isDebugEnabled()) {
            log.debug("{} {} -> {} on {}", key, loggedState, s, cause != null ? describe(cause) : what);
        }
        loggedState = s;
        TcpObserver o = relay.observer();
        if (o != null) {
            o.settled(this);
        }
    }

    private static String describe(Segment s) {
        return Segments.flags(s.flags) + " seq=" + Integer.toUnsignedString(s.seq) + " ack=" + Integer.toUnsignedString(s.ack)
                + " len=" + (s.text == null ? 0 : s.text.readableBytes()) + " wnd=" + s.wnd;
    }

    /** Whether a {@link #note} is wanted; callers building the text test it first (connection setup is hot). */
    private boolean noting() {
        return log.isDebugEnabled() || relay.observer() != null;
    }

    private void note(String what) {
        if (log.isDebugEnabled()) {
            log.debug("{} {}", key, what);
        }
        TcpObserver o = relay.observer();
        if (o != null) {
            o.note(this, what);
        }
    }

    @Override
    protected void expired(long nowNanos) {
        if (closed) {
            return;
        }
        try {
            engine.onTimer(nowNanos);
            after(nowNanos, null, "timer");
        } catch (RuntimeException | OutOfMemoryError e) {
            failed(e);
        }
    }

    /**
     * A bug (an exception from the engine or this class) or direct memory exhausted: contained to
     * this flow, so the loop and other flows go on (an Error escaping a Netty loop ends it). Upstream
     * is reset; the client is not (after a bug the engine's state is unknown; out of memory, its
     * retransmissions meet the closed-port answer).
     */
    void failed(Throwable e) {
        if (!relay.memoryExhausted(e)) {
            log.error("{}: flow failed, dropping it", key, e);   // a bug, not the namespace's doing
        }
        resetUpstream();
        finish();
    }

    /**
     * An ICMP too-big from the namespace about a segment of ours (RFC 1191 / 8201, checked against the
     * flight per RFC 5927): true when the engine lowered its MSS and resent what is outstanding.
     */
    boolean packetTooBig(int mtu, boolean ipv6, int quotedSeq, long now) {
        boolean lowered = engine.icmpPacketTooBig(mtu, ipv6, quotedSeq, now);
        if (lowered) {
            after(now, null, "ICMP packet too big, MTU " + mtu);
        }
        return lowered;
    }

    /** This flow is in TIME-WAIT and {@code syn} may open a new incarnation of its 4-tuple. */
    boolean acceptsNewSyn(Segment syn) {
        return !closed && this.syn == null && engine.acceptsNewSyn(syn);
    }

    /** Ends a TIME-WAIT flow for a new incarnation (RFC 9293 §3.10.5: in TIME-WAIT, ABORT just deletes the TCB). */
    void retire(long now) {
        engine.abort(now);
        finish();
    }

    /** Evicted (HalfOpenLimiter): the upstream socket goes now; the client hears nothing, as from a dropped SYN. */
    @Override
    public void evict(long now) {
        relay.counters().tcpHalfOpenEvictions++;
        note("half-open flow evicted");
        resetUpstream();
        finish();
    }

    /** Gateway stop: RST to the client, RST upstream (SO_LINGER 0). */
    void reset(long now) {
        if (closed) {
            return;
        }
        if (syn != null) {
            finish();
            return;
        }
        resetUpstream();
        engine.abort(now);
        after(now, null, "gateway stop");
        finish();
    }

    /** Final: out of the table, timer cancelled, buffers released, upstream closed. Idempotent. */
    private void finish() {
        if (closed) {
            return;
        }
        closed = true;
        syn = null;
        relay.halfOpenDone(this);   // idempotent
        relay.remove(this);
        writes.release();
        if (pendingUp != null) {
            pendingUp.release();
            pendingUp = null;
        }
        if (upstream != null && upstream.isOpen()) {
            upstreamClosedByUs = true;
            upstream.close();
        }
        if (connecting != null) {           // its connect listener then finds the flow closed
            connecting.close();
            connecting = null;
        }
        TcpObserver o = relay.observer();
        if (o != null) {
            o.settled(this);
        }
    }

    /** A snapshot for {@code ctl conns}; on the shard's loop. */
    public ConnectionInfo info() {
        return ConnectionInfo.of(key, connecting() ? "SYN_HELD" : engine.state().name(), engine, relay.shardIndex(), upstreamAddress);
    }

    @Override
    public String toString() {
        return key.toString();
    }

    /** The upstream channel's handler: every callback on the shard's loop. */
    private final class Upstream extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                upstreamRead((ByteBuf) msg);
            } catch (RuntimeException | OutOfMemoryError e) {
                failed(e);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                upstreamFin();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (!closed && ctx.channel().isWritable()) {
                writes.flush(ctx.channel());   // coalesced text held while unwritable
                if (unconsumed > 0) {
                    after(relay.nowNanos(), null, "upstream writable");
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException || relay.memoryExhausted(cause)) {   // OOM: no read buffer to be had
                upstreamFailed(cause);
            } else {
                log.warn("{}: upstream handler failed, resetting the flow", key, cause);
                upstreamFailed(new IOException(cause));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upstreamInactive();
        }
    }
}
