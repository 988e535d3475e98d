package dev.tungate.gateway.shard;

import dev.tungate.tcp.Pinning;
import dev.tungate.gateway.frag.Reassembler;
import dev.tungate.tun.TunFrameHandler;
import dev.tungate.tun.VirtioNetHdr;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One event loop's share of the gateway: TUN queue k, the flows hashed to k, their engines,
 * timers and upstream sockets, all touched only by loop k (DESIGN.md "Sharding"). No locks.
 *
 * <p>Every frame read from the queue is validated here ({@link IpPacket}) and handed to its
 * protocol's {@link ProtocolHandler} (TCP, UDP, ICMP echo), which validates its own L4 header and
 * checksum; ICMPv6 neighbour and router discovery is ignored (a TUN device has no link layer), and
 * anything else goes to the "unsupported" handler (protocol unreachable). A bad frame is counted in
 * {@link Counters#drops} and released: no log, no throw. The shard knows handlers only through
 * that interface (docs/ARCHITECTURE.md).
 *
 * <p>Flow ownership: a TCP flow belongs to shard {@code hash(4-tuple) % shards}. The kernel picks
 * the TUN queue of a packet by its own flow table, which it learns from the queue a flow's
 * packets are written to (tun_flow_update), so after the owner's first write the flow arrives on
 * the owner's queue; the few frames that arrive elsewhere before that are handed to the owner
 * loop ({@link Counters#handoffs}). A handed-off frame is copied out of its ~64 KiB read buffer
 * when small (a SYN is 60-80 bytes) and the bytes in flight toward a loop are bounded
 * ({@link #MAX_HANDOFF_BYTES}; past it the frame is dropped and counted, TCP recovers it): a SYN
 * flood arriving half on the wrong queue once queued 64 KiB per SYN on the owner's unbounded task
 * queue, gigabytes of RSS while the owner fell behind.
 *
 * <p>No error ends the loop: a frame whose buffer cannot be had (OutOfMemoryError) is dropped and
 * counted ({@link Counters#frameMemoryDrops}); errors within a flow reset that flow (TcpRelay).
 */
public final class Shard implements TunFrameHandler, ShardContext {
    private static final Logger log = LogManager.getLogger();
    /** Period of {@link ProtocolHandler#tick}: UDP flow and ICMP echo idle timeouts. */
    private static final long PROTOCOL_TICK_MILLIS = 1000;
    /** ICMPv6 types handled by the kernel on a link with neighbours, meaningless on TUN (RFC 4861, RFC 2710). */
    private static final int ICMPV6_MLD_FIRST = 130, ICMPV6_NDP_LAST = 137, ICMPV6_MLD2_REPORT = 143;
    /** Real bytes of frames handed to this shard's loop and not yet handled: 256 super-segments' worth. */
    static final long MAX_HANDOFF_BYTES = 16L << 20;

    private final int index;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final Destinations destinations;
    private final Counters counters = new Counters();
    private final IpPacket ip = new IpPacket();
    private final IcmpHeader icmpView = new IcmpHeader();
    private final TunWriter tun;
    private ProtocolHandler tcp;
    private final Reassembler fragments;
    private ProtocolHandler udp;
    private ProtocolHandler icmp;
    private ProtocolHandler unsupported;
    private FrameStage stage;
    private Shard[] shards = {this};
    private long batchNowNanos = -1;
    private ScheduledFuture<?> protocolTicker;
    private volatile Capture capture;
    private Budgets budgets = Budgets.UNLIMITED;
    /** Bytes handed to this shard by other loops, not yet dispatched (written by them, so atomic). */
    private final AtomicLong handoffBytes = new AtomicLong();

    public Shard(int index, EventLoop loop, ByteBufAllocator alloc, Destinations destinations, TunWriter tun) {
        this.index = index;
        this.loop = loop;
        this.alloc = alloc;
        this.destinations = destinations;
        this.tun = tun;
        this.fragments = new Reassembler(alloc, counters);
    }

    /** Every shard of the gateway, this one at {@link #shardIndex()}; for handing frames to their owner. */
    public void peers(Shard[] all) {
        this.shards = all;
    }

    /**
     * The protocol handlers, on the loop before frames flow. A null TCP, UDP or ICMP handler sends
     * that protocol to {@code unsupported} (protocol unreachable); a null {@code unsupported} drops
     * such frames, counted.
     */
    public void protocolHandlers(ProtocolHandler tcp, ProtocolHandler udp, ProtocolHandler icmp, ProtocolHandler unsupported) {
        this.tcp = tcp;
        this.udp = udp;
        this.icmp = icmp;
        this.unsupported = unsupported;
        if (protocolTicker == null && (udp != null || icmp != null)) {
            protocolTicker = loop.scheduleAtFixedRate(this::protocolTick, PROTOCOL_TICK_MILLIS, PROTOCOL_TICK_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The stage between the queue and the handlers (null: none); on the loop. */
    public void stage(FrameStage s) {
        stage = s;
    }

    /** The gateway-wide memory and fd limits; call before frames flow. */
    public void budgets(Budgets b) {
        this.budgets = b;
    }

    @Override
    public Budgets budgets() {
        return budgets;
    }

    public void capture(Capture c) {
        capture = c;
    }

    // ---- TunFrameHandler -------------------------------------------------------------------------

    @Override
    public void frameRead(ByteBuf frame, VirtioNetHdr hdr) {
        if (batchNowNanos < 0) {
            batchNowNanos = System.nanoTime();
        }
        counters.framesIn++;
        counters.bytesIn += frame.readableBytes();
        Capture c = capture;
        if (c != null) {
            c.write(frame);
        }
        // NEEDS_CSUM: the kernel left the checksum to the "device"; DATA_VALID: it checked it.
        boolean csumTrusted = (hdr.flags() & (VirtioNetHdr.NEEDS_CSUM | VirtioNetHdr.DATA_VALID)) != 0;
        try {
            dispatch(frame, hdr.gsoSize(), csumTrusted, true);
        } catch (RuntimeException e) {
            // A bug, not a bad packet (those are Drop verdicts): keep reading the queue.
            log.error("shard {}: frame handling failed", index, e);
        } catch (OutOfMemoryError e) {
            // Out of direct memory outside a flow (flows contain their own): drop, count, go on.
            counters.frameMemoryDrops++;
        }
    }

    @Override
    public void batchComplete() {
        if (tcp != null) {
            tcp.batchComplete();
        }
        batchNowNanos = -1;
    }

    /** One IP frame; {@code mayHandOff} is false for frames already handed to this, their owner. */
    void dispatch(ByteBuf frame, int gsoSize, boolean csumTrusted, boolean mayHandOff) {
        ProtocolHandler h = handler(frame);
        if (h == null) {
            return;
        }
        if (mayHandOff && shards.length > 1 && h.ownsFlowsByHash()) {
            int owner = owner(frame);
            if (owner < 0) {
                drop(Drop.TCP_TRUNCATED, frame);
                return;
            }
            if (owner != index) {
                handOff(shards[owner], frame, gsoSize, csumTrusted);
                return;
            }
        }
        FrameStage st = stage;
        if (st != null && st.up(frame, ip, gsoSize, csumTrusted)) {
            return;
        }
        h.packetIn(frame, ip, gsoSize, csumTrusted);
    }

    /**
     * A frame the stage held, now due: to its handler, checksum verified (the stage completed
     * offloaded checksums and split GSO frames, so a corrupted frame is caught like on a wire).
     */
    public void deliverUp(ByteBuf frame) {
        ProtocolHandler h = handler(frame);
        if (h != null) {
            h.packetIn(frame, ip, 0, false);
        }
    }

    /** The end of work the stage did outside a read batch (a timer): flush what the handlers wrote. */
    public void stageBatchComplete() {
        if (tcp != null) {
            tcp.batchComplete();
        }
    }

    /** Resets a flow both ways (TCP: RST to both sides); false when no handler knows it. */
    public boolean resetFlow(int protocol, FlowKey key) {
        ProtocolHandler h = protocol == IpPacket.TCP ? tcp : protocol == IpPacket.UDP ? udp : icmp;
        return h != null && h.resetFlow(key);
    }

    /**
     * Validates the IP header into {@link #ip} and picks the frame's handler; null when the frame
     * was dropped or consumed here (bad IP header, neighbour discovery, no handler at all).
     */
    private ProtocolHandler handler(ByteBuf frame) {
        Drop d = ip.wrap(frame, frame.readerIndex(), frame.readableBytes());
        if (d == Drop.IPV4_FRAGMENT || d == Drop.IPV6_FRAGMENT) {
            reassemble(frame);
            return null;
        }
        if (d != Drop.NONE) {
            drop(d, frame);
            return null;
        }
        int protocol = ip.protocol();
        ProtocolHandler h;
        if (protocol == IpPacket.TCP) {
            h = tcp;
        } else if (protocol == IpPacket.UDP) {
            h = udp;
        } else if (protocol == IpPacket.ICMP && ip.isIpv4() || protocol == IpPacket.ICMPV6 && ip.isIpv6()) {
            if (ip.isIpv6() && isNeighbourDiscovery(frame)) {
                counters.ndpIgnored++;
                frame.release();
                return null;
            }
            h = icmp;
        } else {
            h = null;
        }
        if (h == null) {
            h = unsupported;
            if (h == null) {
                drop(Drop.UNSUPPORTED_PROTOCOL, frame);
            }
        }
        return h;
    }

    /**
     * ICMPv6 types handled by the kernel on a link with neighbours, meaningless on TUN. The type is
     * read first so that other ICMPv6 (echo) is checksummed once, by its handler; a neighbour
     * discovery frame with a bad checksum goes to the handler too, which counts it as bad.
     */
    private boolean isNeighbourDiscovery(ByteBuf frame) {
        if (icmpView.wrap(frame, ip.l4Offset(), ip.l4Length(), true) != Drop.NONE) {
            return false;
        }
        int type = icmpView.type();
        return (type >= ICMPV6_MLD_FIRST && type <= ICMPV6_NDP_LAST || type == ICMPV6_MLD2_REPORT)
                && icmpView.verify(ip.pseudoHeaderSum()) == Drop.NONE;
    }

    private void handOff(Shard o, ByteBuf frame, int gsoSize, boolean csumTrusted) {
        ByteBuf f = Pinning.compact(frame);
        int cost = Pinning.backingCapacity(f);
        if (o.handoffBytes.addAndGet(cost) > MAX_HANDOFF_BYTES) {
            o.handoffBytes.addAndGet(-cost);
            counters.handoffDrops++;
            f.release();
            return;
        }
        counters.handoffs++;
        o.loop.execute(new Handoff(o, f, gsoSize, csumTrusted, cost));
    }

    /** A fragment: once its datagram is whole, that goes through {@link #dispatch} as if it had come whole. */
    private void reassemble(ByteBuf fragment) {
        ByteBuf whole = fragments.offer(fragment, nowNanos());
        if (whole != null) {
            dispatch(whole, 0, false, true);
        }
    }

    /** The shard owning this TCP frame's flow, or -1 when the ports are not there. */
    private int owner(ByteBuf frame) {
        int l4 = ip.l4Offset();
        if (ip.l4Length() < TcpHeader.MIN_LENGTH) {
            return -1;
        }
        long h;
        if (ip.isIpv4()) {
            h = ip.v4().src() * 31L + ip.v4().dst();
        } else {
            h = ip.v6().srcHi() ^ ip.v6().srcLo() * 31 ^ ip.v6().dstHi() * 961 ^ ip.v6().dstLo() * 29791;
        }
        return mix(h * 0x9E37_79B9_7F4A_7C15L + frame.getInt(l4), shards.length);   // both ports
    }

    /** The shard owning the TCP flow {@code k} among {@code n}: the same hash as a frame of it from the namespace. */
    public static int owner(FlowKey k, int n) {
        long h = k.v4 ? k.ns4() * 31L + k.remote4() : k.nsHi ^ k.nsLo * 31 ^ k.remoteHi * 961 ^ k.remoteLo * 29791;
        return mix(h * 0x9E37_79B9_7F4A_7C15L + (k.nsPort << 16 | k.remotePort), n);
    }

    private static int mix(long h, int n) {
        h ^= h >>> 29;
        h *= 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 32;
        return (int) ((h & Long.MAX_VALUE) % n);
    }

    private void drop(Drop d, ByteBuf frame) {
        counters.drops[d.ordinal()]++;
        frame.release();
    }

    private void protocolTick() {
        long now = System.nanoTime();
        fragments.expire(now);
        if (udp != null) {
            udp.tick(now);
        }
        if (icmp != null) {
            icmp.tick(now);
        }
    }

    // ---- ShardContext ----------------------------------------------------------------------------

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public long nowNanos() {
        return batchNowNanos >= 0 ? batchNowNanos : System.nanoTime();
    }

    @Override
    public void writeToTun(ByteBuf ipPacket) {
        writeFrame(ipPacket, VirtioNetHdr.GSO_NONE, 0, 0, 0);
    }

    @Override
    public void writeFrame(ByteBuf frame, int gsoType, int gsoSize, int csumStart, int csumOffset) {
        FrameStage st = stage;
        if (st != null && st.down(frame, gsoType, gsoSize, csumStart, csumOffset)) {
            return;
        }
        write(frame, gsoType, gsoSize, csumStart, csumOffset);
    }

    /** A complete packet (checksums filled, no GSO) the stage let through: straight to the queue. */
    public void writeDirect(ByteBuf frame) {
        write(frame, VirtioNetHdr.GSO_NONE, 0, 0, 0);
    }

    private void write(ByteBuf frame, int gsoType, int gsoSize, int csumStart, int csumOffset) {
        counters.framesOut++;
        counters.bytesOut += frame.readableBytes();
        Capture c = capture;
        if (c != null) {
            c.write(frame);
        }
        if (!tun.write(frame, gsoType, gsoSize, csumStart, csumOffset)) {
            counters.tunWriteDrops++;
        }
    }

    @Override
    public Destinations destinations() {
        return destinations;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public int shardIndex() {
        return index;
    }

    /** Gateway stop, on this loop: RST every TCP flow both ways, close the protocol handlers. */
    public void stop() {
        fragments.clear();
        if (protocolTicker != null) {
            protocolTicker.cancel(false);
        }
        for (ProtocolHandler h : new ProtocolHandler[] {tcp, udp, icmp, unsupported}) {
            if (h != null) {
                h.close();
            }
        }
        if (stage != null) {
            stage.close();
        }
    }

    /** A TCP frame on its way to its owner shard's loop (rare: see the class comment). */
    private static final class Handoff implements Runnable {
        private final Shard owner;
        private final ByteBuf frame;
        private final int gsoSize;
        private final boolean csumTrusted;
        private final int cost;

        Handoff(Shard owner, ByteBuf frame, int gsoSize, boolean csumTrusted, int cost) {
            this.owner = owner;
            this.frame = frame;
            this.gsoSize = gsoSize;
            this.csumTrusted = csumTrusted;
            this.cost = cost;
        }

        @Override
        public void run() {
            owner.handoffBytes.addAndGet(-cost);
            try {
                owner.dispatch(frame, gsoSize, csumTrusted, false);
                owner.tcp.batchComplete();
            } catch (RuntimeException e) {
                log.error("shard {}: handed-off frame failed", owner.index, e);
            } catch (OutOfMemoryError e) {
                owner.counters.frameMemoryDrops++;
            }
        }
    }
}
