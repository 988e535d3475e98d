package dev.tungate.gateway.shard;

import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.frag.Reassembler;
import dev.tungate.gateway.icmp.IcmpErrors;
import dev.tungate.gateway.tcp.TcpRelay;
import dev.tungate.tcp.Isn;
import dev.tungate.tun.TunFrameHandler;
import dev.tungate.tun.VirtioNetHdr;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.TcpHeader;
import dev.tungate.wire.UdpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One event loop's share of the gateway: TUN queue k, the flows hashed to k, their engines,
 * timers and upstream sockets, all touched only by loop k (DESIGN.md "Sharding"). No locks.
 *
 * <p>Every frame read from the queue is validated here ({@link IpPacket}, then the L4 header and
 * checksum) and handed on: TCP to {@link TcpRelay}, UDP and ICMP echo to the services' handlers,
 * ICMPv6 neighbour and router discovery ignored (a TUN device has no link layer), anything else
 * answered "protocol unreachable". A bad frame is counted in {@link Counters#drops} and released:
 * no log, no throw.
 *
 * <p>Flow ownership: a TCP flow belongs to shard {@code hash(4-tuple) % shards}. The kernel picks
 * the TUN queue of a packet by its own flow table, which it learns from the queue a flow's
 * packets are written to (tun_flow_update), so after the owner's first write the flow arrives on
 * the owner's queue; the few frames that arrive elsewhere before that are handed to the owner
 * loop ({@link Counters#handoffs}).
 */
public final class Shard implements TunFrameHandler, ShardContext {
    private static final Logger log = LogManager.getLogger();
    /** Period of {@link ProtocolHandler#tick}: UDP flow and ICMP echo idle timeouts. */
    private static final long PROTOCOL_TICK_MILLIS = 1000;
    /** ICMPv6 types handled by the kernel on a link with neighbours, meaningless on TUN (RFC 4861, RFC 2710). */
    private static final int ICMPV6_MLD_FIRST = 130, ICMPV6_NDP_LAST = 137, ICMPV6_MLD2_REPORT = 143;

    private final int index;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final Destinations destinations;
    private final Counters counters = new Counters();
    private final IpPacket ip = new IpPacket();
    private final UdpHeader udpView = new UdpHeader();
    private final IcmpHeader icmpView = new IcmpHeader();
    private final IcmpErrors icmpErrors;
    private final TcpRelay tcp;
    private final TunWriter tun;
    private final Reassembler fragments;
    private ProtocolHandler udp;
    private ProtocolHandler icmp;
    private Shard[] shards = {this};
    private long batchNowNanos = -1;
    private ScheduledFuture<?> protocolTicker;
    private volatile Capture capture;

    public Shard(int index, EventLoop loop, ByteBufAllocator alloc, GatewayConfig cfg, Destinations destinations, Isn isn,
            TunWriter tun) {
        this.index = index;
        this.loop = loop;
        this.alloc = alloc;
        this.destinations = destinations;
        this.tun = tun;
        this.icmpErrors = new IcmpErrors(this);
        this.tcp = new TcpRelay(this, cfg, isn, icmpErrors);
        this.fragments = new Reassembler(alloc, counters);
    }

    /** Every shard of the gateway, this one at {@link #shardIndex()}; for handing frames to their owner. */
    public void peers(Shard[] all) {
        this.shards = all;
    }

    /** The services' UDP and ICMP handlers (null: answered protocol unreachable); call before frames flow. */
    public void protocolHandlers(ProtocolHandler udp, ProtocolHandler icmp) {
        this.udp = udp;
        this.icmp = icmp;
        if (protocolTicker == null && (udp != null || icmp != null)) {
            protocolTicker = loop.scheduleAtFixedRate(this::protocolTick, PROTOCOL_TICK_MILLIS, PROTOCOL_TICK_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    public TcpRelay tcp() {
        return tcp;
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
        }
    }

    @Override
    public void batchComplete() {
        tcp.flushUpstream();
        batchNowNanos = -1;
    }

    /** One IP frame; {@code mayHandOff} is false for frames already handed to this, their owner. */
    void dispatch(ByteBuf frame, int gsoSize, boolean csumTrusted, boolean mayHandOff) {
        Drop d = ip.wrap(frame, frame.readerIndex(), frame.readableBytes());
        if (d == Drop.IPV4_FRAGMENT || d == Drop.IPV6_FRAGMENT) {
            reassemble(frame, mayHandOff);
            return;
        }
        if (d != Drop.NONE) {
            drop(d, frame);
            return;
        }
        int protocol = ip.protocol();
        if (protocol == IpPacket.TCP) {
            if (mayHandOff && shards.length > 1) {
                int owner = owner(frame);
                if (owner < 0) {
                    drop(Drop.TCP_TRUNCATED, frame);
                    return;
                }
                if (owner != index) {
                    counters.handoffs++;
                    Shard o = shards[owner];
                    o.loop.execute(new Handoff(o, frame, gsoSize, csumTrusted));
                    return;
                }
            }
            tcp.segmentIn(frame, ip, gsoSize, csumTrusted);
        } else if (protocol == IpPacket.UDP) {
            udpIn(frame, csumTrusted);
        } else if (protocol == IpPacket.ICMP && ip.isIpv4() || protocol == IpPacket.ICMPV6 && ip.isIpv6()) {
            icmpIn(frame);
        } else {
            unsupported(frame);
        }
    }

    /** A fragment: once its datagram is whole, that goes through {@link #dispatch} as if it had come whole. */
    private void reassemble(ByteBuf fragment, boolean mayHandOff) {
        ByteBuf whole = fragments.offer(fragment, nowNanos());
        if (whole != null) {
            dispatch(whole, 0, false, mayHandOff);
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
        h = h * 0x9E37_79B9_7F4A_7C15L + frame.getInt(l4);   // both ports
        h ^= h >>> 29;
        h *= 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 32;
        return (int) ((h & Long.MAX_VALUE) % shards.length);
    }

    private void udpIn(ByteBuf frame, boolean csumTrusted) {
        Drop d = udpView.wrap(frame, ip.l4Offset(), ip.l4Length());
        if (d == Drop.NONE && !csumTrusted) {
            d = udpView.verify(ip.pseudoHeaderSum(), ip.isIpv6());
        }
        if (d != Drop.NONE) {
            drop(d, frame);
        } else if (udp == null) {
            unsupported(frame);
        } else {
            udp.packetIn(frame, ip.version(), ip.l4Offset(), ip.l4Length(), nowNanos());
        }
    }

    private void icmpIn(ByteBuf frame) {
        boolean v6 = ip.isIpv6();
        Drop d = icmpView.wrap(frame, ip.l4Offset(), ip.l4Length(), v6);
        if (d == Drop.NONE) {
            d = icmpView.verify(v6 ? ip.pseudoHeaderSum() : 0);
        }
        if (d != Drop.NONE) {
            drop(d, frame);
            return;
        }
        int type = icmpView.type();
        if (v6 && (type >= ICMPV6_MLD_FIRST && type <= ICMPV6_NDP_LAST || type == ICMPV6_MLD2_REPORT)) {
            counters.ndpIgnored++;
            frame.release();
        } else if (icmp == null) {
            unsupported(frame);
        } else {
            icmp.packetIn(frame, ip.version(), ip.l4Offset(), ip.l4Length(), nowNanos());
        }
    }

    /** RFC 1122 §3.2.2.1 / RFC 4443 §3.4: tell the sender this protocol is not spoken here. */
    private void unsupported(ByteBuf frame) {
        counters.protoUnreachable++;
        counters.drops[Drop.UNSUPPORTED_PROTOCOL.ordinal()]++;
        icmpErrors.protocolUnreachable(frame, ip.version());
        frame.release();
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

    /** Writes one packet with offload fields (see {@link TunWriter#write}); takes ownership. */
    public void writeFrame(ByteBuf frame, int gsoType, int gsoSize, int csumStart, int csumOffset) {
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
        tcp.resetAll();
        fragments.clear();
        if (protocolTicker != null) {
            protocolTicker.cancel(false);
        }
        if (udp != null) {
            udp.close();
        }
        if (icmp != null) {
            icmp.close();
        }
    }

    /** A TCP frame on its way to its owner shard's loop (rare: see the class comment). */
    private static final class Handoff implements Runnable {
        private final Shard owner;
        private final ByteBuf frame;
        private final int gsoSize;
        private final boolean csumTrusted;

        Handoff(Shard owner, ByteBuf frame, int gsoSize, boolean csumTrusted) {
            this.owner = owner;
            this.frame = frame;
            this.gsoSize = gsoSize;
            this.csumTrusted = csumTrusted;
        }

        @Override
        public void run() {
            owner.dispatch(frame, gsoSize, csumTrusted, false);
            owner.tcp.flushUpstream();
        }
    }
}
