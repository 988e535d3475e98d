package dev.tungate.gateway.tcp;

import dev.tungate.gateway.ConnectionInfo;
import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.icmp.HopLimit;
import dev.tungate.gateway.icmp.IcmpErrors;
import dev.tungate.gateway.shard.Counters;
import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.ProtocolHandler;
import dev.tungate.gateway.shard.ShardContext;
import dev.tungate.gateway.shard.MemoryBudget;
import dev.tungate.gateway.shard.Refusal;
import dev.tungate.tcp.Isn;
import dev.tungate.tcp.Segment;
import dev.tungate.tcp.TcpConfig;
import dev.tungate.tcp.TcpConnection;
import dev.tungate.tcp.TcpEvent;
import dev.tungate.tcp.TcpOutput;
import dev.tungate.tcp.table.ConnectionTable;
import dev.tungate.tcp.table.TimerWheel;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A shard's TCP: its connection table, timer wheel and upstream channel set-up, and the dispatch of
 * each arriving segment (DESIGN.md "Data flow", steps 3-4):
 *
 * <pre>
 *   TCP frame ─ wrap + checksum + options ─ table.get(4-tuple) ─┬─ flow.segmentIn(seg)
 *                                                                ├─ SYN, no flow: new TcpFlow, connect upstream
 *                                                                └─ other, no flow: RFC 9293 §3.10.7.1 reply (RST)
 * </pre>
 *
 * The frame itself serves as the segment text (indices moved to the payload), so nothing is
 * copied or allocated on the way in; the engine retains what it keeps.
 */
public final class TcpRelay implements ProtocolHandler {
    /**
     * Half-open flows per shard (SYN held or SYN-RECEIVED, each with an upstream socket): past
     * this the oldest is evicted (see {@link HalfOpenLimiter}, which also says why SYN cookies do
     * not fit the mirrored handshake). Two shards' worth is 8,192 fds, well under a 20,000 limit
     * and its reserve; a half-open flow costs ~10 KiB of heap, so ~40 MiB per shard at the cap.
     */
    static final int MAX_HALF_OPEN = 4096;
    /** One source's share of {@link #MAX_HALF_OPEN}: a single flooding address cannot take them all. */
    static final int MAX_HALF_OPEN_PER_SOURCE = MAX_HALF_OPEN / 4;
    /** Half-open age past which a flow is dropped under pressure: the first SYN-ACK retransmission (RFC 6298 1 s). */
    static final long HALF_OPEN_PRESSURE_AGE_NANOS = 1_000_000_000L;
    /**
     * Timer wheel resolution: Linux's jiffy at HZ=250. Far below the 40 ms delayed ACK and the
     * 200 ms minimum RTO, and a quarter of the wake-ups a 1 ms tick costs a busy gateway.
     */
    static final long TICK_NANOS = 4_000_000L;
    private static final int WHEEL_SLOTS = 1024;
    /** Upstream write buffer: autoRead/consumed flip at these marks (bounded memory per flow). */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);

    private final ShardContext shard;
    private final Counters counters;
    private final TcpConfig config4;
    private final TcpConfig config6;
    private final Isn isn;
    private final TcpEmitter emitter;
    private final IcmpErrors icmp;
    private final TcpPath path;
    private final ConnectionTable<TcpFlow> table = new ConnectionTable<>(1024);
    private final TimerWheel wheel;
    private final int connectTimeoutMillis;
    private final TcpHeader th = new TcpHeader();
    private final Segment seg = new Segment();
    private final FlowKey scratch = new FlowKey();
    /** A connection that stays CLOSED: it answers segments of unknown flows per RFC 9293 §3.10.7.1. */
    private final TcpConnection closedEngine;
    private final ArrayDeque<TcpFlow> toFlush = new ArrayDeque<>();
    private final Runnable tick = this::tick;
    private ScheduledFuture<?> ticker;
    private TcpObserver observer;
    private final HalfOpenLimiter halfOpen =
            new HalfOpenLimiter(MAX_HALF_OPEN, MAX_HALF_OPEN_PER_SOURCE, HALF_OPEN_PRESSURE_AGE_NANOS);
    private final ChannelFutureListener upstreamClosed = f -> fdClosed();

    public TcpRelay(ShardContext shard, GatewayConfig cfg, Isn isn) {
        this.shard = shard;
        this.counters = shard.counters();
        this.isn = isn;
        this.icmp = new IcmpErrors(shard);
        this.path = new TcpPath(shard, icmp, counters);
        this.config4 = engineConfig(cfg, 20);
        this.config6 = engineConfig(cfg, 40);
        this.emitter = new TcpEmitter(shard, cfg.offload);
        this.wheel = new TimerWheel(TICK_NANOS, WHEEL_SLOTS, System.nanoTime());
        this.closedEngine = new TcpConnection(config4, new ClosedReplies());
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, cfg.connectTimeoutMillis);
    }

    /**
     * Engine settings for one IP version: the MSS follows the TUN MTU (RFC 9293 §3.7.1: MTU minus
     * the fixed IP and TCP headers, at most 65535 - 60 so a full segment fits one IP datagram);
     * with offload a super-segment carries up to 64 KiB minus the largest headers.
     */
    static TcpConfig engineConfig(GatewayConfig cfg, int ipHeader) {
        TcpConfig c = new TcpConfig();
        c.mss = Math.min(cfg.mtu - ipHeader - TcpHeader.MIN_LENGTH, 0xFFFF - TcpHeader.MAX_LENGTH - ipHeader);
        c.gsoMaxBytes = cfg.offload ? 0xFFFF - ipHeader - TcpHeader.MAX_LENGTH : 0;
        c.mslNanos = cfg.mslNanos;
        c.sendBufferBytes = cfg.sendBufferBytes;
        c.receiveBufferBytes = cfg.receiveBufferBytes;
        c.congestionControl = cfg.congestionControl;
        return c;
    }

    TcpConfig config(boolean v4) {
        return v4 ? config4 : config6;
    }

    public void observer(TcpObserver o) {
        observer = o;
    }

    TcpObserver observer() {
        return observer;
    }

    Counters counters() {
        return counters;
    }

    ByteBufAllocator alloc() {
        return shard.alloc();
    }

    long nowNanos() {
        return shard.nowNanos();
    }

    int shardIndex() {
        return shard.shardIndex();
    }

    int isn(FlowKey k, long now) {
        return isn.isn(k.remoteHi, k.remoteLo, k.remotePort, k.nsHi, k.nsLo, k.nsPort, now);
    }

    // ---- in ------------------------------------------------------------------------------------

    @Override
    public boolean ownsFlowsByHash() {
        return true;
    }

    /**
     * One TCP frame, IP already validated into {@code ip}. {@code csumTrusted}: the kernel left the
     * checksum to us as offload (NEEDS_CSUM) or vouched for it (DATA_VALID), so it is not verified.
     * Takes ownership of {@code frame}.
     */
    @Override
    public void packetIn(ByteBuf frame, IpPacket ip, int gsoSize, boolean csumTrusted) {
        if (path.expires(frame, ip)) {
            frame.release();
            return;
        }
        int ipOffset = frame.readerIndex();
        Drop d = th.wrap(frame, ip.l4Offset(), ip.l4Length());
        if (d == Drop.NONE && !csumTrusted) {
            d = th.verify(ip.pseudoHeaderSum());
        }
        if (d == Drop.NONE) {
            d = th.parseOptions(seg.options);
        }
        if (d != Drop.NONE) {
            counters.drops[d.ordinal()]++;
            frame.release();
            return;
        }
        scratch.fromNamespace(ip, th.srcPort(), th.dstPort());
        seg.fill(th);
        seg.ecn = ip.ecn();
        seg.gsoSize = gsoSize;
        int headersEnd = th.payloadOffset();
        frame.setIndex(headersEnd, headersEnd + th.payloadLength());
        seg.text = frame;
        long now = shard.nowNanos();
        FlowKey k = scratch;
        TcpFlow f = table.get(k.nsHi, k.nsLo, k.nsPort, k.remoteHi, k.remoteLo, k.remotePort);
        if (f != null && f.acceptsNewSyn(seg)) {
            f.retire(now);   // RFC 6191: a TIME-WAIT pair is reused by a SYN that is clearly newer
            f = null;
        }
        if (f != null && seg.text.isReadable() && shard.budgets().memory().spent(now)
                && f.pinnedBytes() > MemoryBudget.FLOW_FLOOR) {
            // Memory pressure: the text waits for the client's retransmission; the ACK and
            // window it carries are still taken, so the flow's own sending goes on.
            counters.tcpMemoryDrops++;
            frame.writerIndex(frame.readerIndex());
            seg.flags &= ~Segment.FIN;
        }
        if (f != null) {
            try {
                f.segmentIn(seg, now);
            } catch (RuntimeException | OutOfMemoryError e) {
                f.failed(e);
            }
        } else if ((seg.flags & (Segment.SYN | Segment.ACK | Segment.RST)) == Segment.SYN) {
            try {
                open(frame, ipOffset, ip.version(), HopLimit.upstream(ip), now);
            } finally {
                seg.text = null;
                frame.release();
            }
            return;
        } else {
            counters.tcpStray++;
            closedEngine.segmentArrives(seg, now);
        }
        seg.text = null;
        frame.release();
    }

    /** A SYN for a new flow: refuse it (policy, disabled host loopback) or hold it and connect. */
    private void open(ByteBuf frame, int ipOffset, int ipVersion, int hopLimit, long now) {
        InetAddress dst = scratch.remoteAddress();
        Refusal no = shard.destinations().refusal(dst, scratch.remotePort, IpPacket.TCP);
        if (no != null) {
            counters.refuse(no);
            if (no.answered()) {
                closedEngine.segmentArrives(seg, now);   // RST,ACK as from a closed port; silent: connect() times out
            }
            return;
        }
        InetSocketAddress up = shard.destinations().upstream(dst, scratch.remotePort, IpPacket.TCP);
        if (up == null) {
            counters.blocked++;
            closedEngine.segmentArrives(seg, now);   // RST,ACK as from a closed port
            return;
        }
        if (shard.budgets().memory().spent(now)) {
            counters.tcpMemoryRefusals++;
            closedEngine.segmentArrives(seg, now);   // RST,ACK: refused at once rather than retried into the pressure
            return;
        }
        if (!shard.budgets().fds().tryOpen(now)) {
            counters.tcpFdRefusals++;
            closedEngine.segmentArrives(seg, now);   // RST,ACK: the fd reserve is for flows already open
            return;
        }
        counters.tcpSyns++;
        FlowKey k = scratch.copy();
        TcpFlow f = new TcpFlow(this, k, up);
        table.put(k.nsHi, k.nsLo, k.nsPort, k.remoteHi, k.remoteLo, k.remotePort, f);
        // Per-source share by IPv4 address or IPv6 /64 (one host's addresses are a /64).
        f.halfOpen = halfOpen.admit(f, k.v4 ? k.nsLo : k.nsHi, now);
        counters.tcpHalfOpen = halfOpen.size();
        startTicker();   // held SYNs have no engine timer; the tick prunes them under pressure
        path.syn(hopLimit);
        try {
            f.connect(seg, frame, ipOffset, ipVersion, now);
        } catch (RuntimeException | OutOfMemoryError e) {
            f.failed(e);   // not left in the table holding its SYN with no connect running
        }
    }

    /**
     * Port forwarding ({@code gateway/forward}): {@code host} is an accepted host client, registered on
     * this shard's loop with autoRead off; the engine opens {@code k} INTO the namespace (active open).
     * The client's bytes are read only once the namespace's server answered SYN-ACK; its RST or the
     * SYN retries running out reset the host client (SO_LINGER 0). False, with {@code host} reset, when
     * the 4-tuple is taken or a budget is spent.
     */
    public boolean openForwarded(FlowKey k, Channel host) {
        long now = shard.nowNanos();
        boolean taken = table.get(k.nsHi, k.nsLo, k.nsPort, k.remoteHi, k.remoteLo, k.remotePort) != null;
        if (taken || shard.budgets().memory().spent(now) || !shard.budgets().fds().tryOpen(now)) {
            host.config().setOption(ChannelOption.SO_LINGER, 0);
            host.close();
            return false;
        }
        host.closeFuture().addListener(upstreamClosed);
        configure((EpollSocketChannelConfig) host.config());
        TcpFlow f = new TcpFlow(this, k, (InetSocketAddress) host.remoteAddress());
        table.put(k.nsHi, k.nsLo, k.nsPort, k.remoteHi, k.remoteLo, k.remotePort, f);
        try {
            f.openInto(host, now);
        } catch (RuntimeException | OutOfMemoryError e) {
            f.failed(e);
        }
        return true;
    }

    /** ESTABLISHED: out of the half-open set; a forwarded client's bytes are read from now on. */
    void established(TcpFlow f, Channel upstream) {
        halfOpenDone(f);
        if (upstream != null) {
            upstream.config().setAutoRead(true);
        }
    }

    /**
     * True for an OutOfMemoryError, counted as a flow reset for want of memory (tcpMemoryResets). A
     * namespace can bring that about, so it is counted, not logged per flow: a stack trace per flow
     * would turn the attack into a log storm.
     */
    boolean memoryExhausted(Throwable e) {
        boolean oom = e instanceof OutOfMemoryError;
        counters.tcpMemoryResets += oom ? 1 : 0;
        return oom;
    }

    private void fdClosed() {
        shard.budgets().fds().closed();
    }

    /** The flow left the half-open state (ESTABLISHED, or ended); idempotent. */
    void halfOpenDone(TcpFlow f) {
        halfOpen.done(f.halfOpen);
        f.halfOpen = null;
        counters.tcpHalfOpen = halfOpen.size();
    }

    /**
     * A new upstream channel, configured and connecting; on the shard's loop. Done by hand rather
     * than by {@code Bootstrap.clone().connect()}: no option maps copied, no reflective
     * construction, no resolver lookup (the address is resolved) for every connection.
     */
    ChannelFuture connectUpstream(InetSocketAddress to, ChannelHandler handler) {
        EpollSocketChannel ch;
        try {
            ch = new EpollSocketChannel();
        } catch (RuntimeException | Error e) {
            shard.budgets().fds().closed();   // the fd taken in open() was never had
            throw e;
        }
        configure(ch.config());
        ch.pipeline().addLast(handler);
        path.configure(ch, to);
        ChannelFuture registered = shard.loop().register(ch);   // on the loop: done before it returns
        if (registered.cause() != null) {
            ch.unsafe().closeForcibly();
            shard.budgets().fds().closed();
            return registered;
        }
        ch.closeFuture().addListener(upstreamClosed);
        return ch.connect(to).addListener(path.connectListener(to)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /** Upstream sockets, connected or accepted: half-close, no Nagle (the namespace's own TCP decides), bounded writes. */
    private void configure(EpollSocketChannelConfig c) {
        c.setAllowHalfClosure(true);
        c.setTcpNoDelay(true);
        c.setAllocator(shard.alloc());
        c.setWriteBufferWaterMark(WATER_MARK);
        c.setConnectTimeoutMillis(connectTimeoutMillis);
    }

    /**
     * An ICMP fragmentation needed / packet too big from the namespace about a segment this relay
     * sent on flow {@code k} (the quoted 4-tuple reversed), its TCP header carrying {@code quotedSeq}:
     * the flow's engine checks it against its flight (RFC 5927) and lowers its MSS (RFC 1191 / 8201).
     * On this shard's loop: the ICMP may have come in on any queue ({@code IcmpRelay} hands it here).
     */
    public void packetTooBig(FlowKey k, int mtu, int quotedSeq) {
        TcpFlow f = table.get(k.nsHi, k.nsLo, k.nsPort, k.remoteHi, k.remoteLo, k.remotePort);
        if (f == null) {
            return;
        }
        try {
            if (f.packetTooBig(mtu, !k.v4, quotedSeq, shard.nowNanos())) {
                counters.tcpPathMtuLowered++;
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            f.failed(e);
        }
        batchComplete();
    }

    /**
     * The ICMP error a router sent about the held SYN ({@link TcpPath}), else ICMP host unreachable
     * (RFC 792) / address unreachable (RFC 4443 §3.1), quoting the held SYN.
     */
    void hostUnreachable(ByteBuf synPacket, int ipVersion, Throwable cause) {
        if (!path.relayConnectError(synPacket, ipVersion, cause)) {
            icmp.hostUnreachable(synPacket, ipVersion);
        }
    }

    // ---- out -----------------------------------------------------------------------------------

    void emit(FlowKey k, Segment s) {
        emitter.emit(k, s);
    }

    void queueFlush(TcpFlow f) {
        if (!f.flushQueued) {
            f.flushQueued = true;
            toFlush.add(f);
        }
    }

    @Override
    public void batchComplete() {
        flushUpstream();
    }

    /** Flushes every upstream channel written since the last call: once per TUN read batch. */
    void flushUpstream() {
        TcpFlow f;
        while ((f = toFlush.poll()) != null) {
            f.flushQueued = false;
            f.flushUpstreamChannel();
        }
    }

    // ---- timers --------------------------------------------------------------------------------

    void reschedule(TcpFlow f, long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            if (f.scheduled()) {
                wheel.cancel(f);
            }
            return;
        }
        if (f.scheduled() && f.deadlineNanos() == deadlineNanos) {
            return;
        }
        wheel.schedule(f, deadlineNanos);
        startTicker();
    }

    private void startTicker() {
        if (ticker == null) {
            ticker = shard.loop().scheduleAtFixedRate(tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /** Runs due engine timers; the ticker stops while no timer is armed (an idle gateway sleeps). */
    private void tick() {
        long now = System.nanoTime();
        wheel.expire(now);
        halfOpen.expire(now);
        counters.tcpHalfOpen = halfOpen.size();
        flushUpstream();
        if (wheel.size() == 0 && halfOpen.size() == 0 && ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    void remove(TcpFlow f) {
        FlowKey k = f.key();
        if (table.get(k.nsHi, k.nsLo, k.nsPort, k.remoteHi, k.remoteLo, k.remotePort) == f) {
            table.remove(k.nsHi, k.nsLo, k.nsPort, k.remoteHi, k.remoteLo, k.remotePort);
        }
        if (f.scheduled()) {
            wheel.cancel(f);
        }
    }

    @Override
    public boolean resetFlow(FlowKey k) {
        TcpFlow f = table.get(k.nsHi, k.nsLo, k.nsPort, k.remoteHi, k.remoteLo, k.remotePort);
        if (f == null) {
            return false;
        }
        f.reset(shard.nowNanos());
        flushUpstream();
        return true;
    }

    /** Real bytes the shard's flows hold (see {@link TcpFlow#pinnedBytes}); on the loop (control path). */
    public long pinnedBytes() {
        long[] sum = {0};
        table.forEach(f -> sum[0] += f.pinnedBytes());
        return sum[0];
    }

    /** Adds a snapshot of every flow to {@code out}; on the loop (control path). */
    public void snapshot(List<ConnectionInfo> out) {
        table.forEach(f -> out.add(f.info()));
    }

    /** Gateway stop: RST both ways for every flow. */
    @Override
    public void close() {
        List<TcpFlow> all = new ArrayList<>(table.size());
        table.forEach(all::add);
        long now = System.nanoTime();
        for (TcpFlow f : all) {
            f.reset(now);
        }
        flushUpstream();
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    /** Output of {@link #closedEngine}: segments go back to the 4-tuple of the frame being handled. */
    private final class ClosedReplies implements TcpOutput {
        @Override
        public void emit(Segment s) {
            emitter.emit(scratch, s);
        }

        @Override
        public void deliver(ByteBuf data) {
            data.release();
        }

        @Override
        public void event(TcpEvent event) {
        }
    }
}
