package dev.tungate.gateway.udp;

import dev.tungate.gateway.dns.DnsForwarder;
import dev.tungate.gateway.icmp.HopLimit;
import dev.tungate.gateway.icmp.IcmpErrors;
import dev.tungate.gateway.icmp.PathErrors;
import dev.tungate.gateway.shard.Counters;
import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.Refusal;
import dev.tungate.gateway.shard.ProtocolHandler;
import dev.tungate.gateway.shard.ShardContext;
import dev.tungate.wire.Drop;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.Ipv4Header;
import dev.tungate.wire.Ipv6Header;
import dev.tungate.wire.PacketBuilder;
import dev.tungate.wire.UdpHeader;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * UDP for one shard: a NAT from each namespace (source, destination) pair to one connected host
 * datagram socket on the shard's loop. See the package documentation for the theory of operation.
 */
public final class UdpRelay implements ProtocolHandler {
    private static final Logger log = LogManager.getLogger();
    /** Flows per shard before new ones are refused (counted in udpFlowLimitDrops). */
    public static final int DEFAULT_MAX_FLOWS = 4096;
    /** Idle time before a binding is dropped, as Linux conntrack's 60 s for a replied UDP flow... */
    public static final long DEFAULT_IDLE_NANOS = 60_000_000_000L;
    /** ...and 10 s for flows to port 53, which carry one query and its answer. */
    public static final long DNS_IDLE_NANOS = 10_000_000_000L;
    static final int DNS_PORT = 53;
    /**
     * Bytes all of this shard's flows may hold while their upstream connects complete (per flow:
     * {@link UdpFlow#MAX_PENDING_BYTES}), so a burst of new flows cannot pin unbounded memory.
     */
    static final int MAX_SETUP_BYTES = 4 << 20;
    /** Largest datagram a host socket can return (IPv4: 65535 - 20 - 8). */
    private static final int RECV_BUFFER = 65536;

    private final ShardContext ctx;
    private final Counters counters;
    private final DnsForwarder dns;
    private final int maxFlows;
    private final long idleNanos;
    private final Map<FlowKey, UdpFlow> flows = new HashMap<>();
    private final FlowKey probe = new FlowKey();
    private final UdpHeader udp = new UdpHeader();
    private final PacketBuilder builder = new PacketBuilder();
    private final IcmpErrors errors;
    private final HopLimit hops;
    private final PathErrors path;
    /** Bytes charged by every flow's set-up queue, at most {@link #MAX_SETUP_BYTES}. */
    private int setupBytes;
    /** Forwarded host clients (port forwarding), asked before a new binding opens; null without UDP forwards. */
    private ForwardedUdp forwarded;

    public void forwarded(ForwardedUdp f) {
        forwarded = f;
    }

    /** Takes ownership of {@code dns} (null: no DNS address to serve): ticks and closes it. */
    public UdpRelay(ShardContext ctx, DnsForwarder dns) {
        this(ctx, dns, DEFAULT_MAX_FLOWS, DEFAULT_IDLE_NANOS);
    }

    public UdpRelay(ShardContext ctx, DnsForwarder dns, int maxFlows, long idleNanos) {
        this.ctx = ctx;
        this.counters = ctx.counters();
        this.dns = dns;
        this.maxFlows = maxFlows;
        this.idleNanos = idleNanos;
        this.errors = new IcmpErrors(ctx);
        this.hops = new HopLimit(ctx, errors);
        this.path = new PathErrors(errors, counters);
    }

    @Override
    public void packetIn(ByteBuf packet, IpPacket ip, int gsoSize, boolean csumTrusted) {
        try {
            int ipVersion = ip.version();
            Drop d = udp.wrap(packet, ip.l4Offset(), ip.l4Length());
            if (d == Drop.NONE && !csumTrusted) {
                d = udp.verify(ip.pseudoHeaderSum(), ip.isIpv6());
            }
            if (d != Drop.NONE) {
                counters.drops[d.ordinal()]++;
                return;
            }
            if (hops.expires(packet, ip)) {
                return;
            }
            long nowNanos = ctx.nowNanos();
            UdpFlow flow = flows.get(probe.fromNamespace(ip, udp.srcPort(), udp.dstPort()));
            if (flow == null) {
                if (forwarded != null && forwarded.replyIn(probe, packet, udp.payloadOffset(), udp.payloadLength())) {
                    counters.udpDatagrams++;
                    return;
                }
                if (dns != null && ctx.destinations().isDns(probe.remoteAddress(), probe.remotePort)) {
                    dns.query(packet, probe, ip.l4Offset(), nowNanos);
                    return;
                }
                flow = open(packet, ipVersion, HopLimit.upstream(ip), nowNanos);
                if (flow == null) {
                    return;
                }
            }
            counters.udpDatagrams++;
            flow.send(packet, udp.payloadOffset(), udp.payloadLength(), HopLimit.upstream(ip), nowNanos);
        } finally {
            packet.release();
        }
    }

    /** A new binding for the flow in {@link #probe}, or null when it is refused. */
    private UdpFlow open(ByteBuf packet, int ipVersion, int hopLimit, long nowNanos) {
        InetAddress dst = probe.remoteAddress();
        Refusal no = ctx.destinations().refusal(dst, probe.remotePort, 17);
        if (no != null) {
            counters.refuse(no);   // a silent refusal (blackhole) answers nothing, as behind a dropping firewall
            if (no.answered() && errors.adminProhibited(packet, ipVersion)) {
                counters.icmpErrors++;
            }
            return null;
        }
        InetSocketAddress upstream = ctx.destinations().upstream(dst, probe.remotePort, 17);
        if (flows.size() >= maxFlows) {
            counters.udpFlowLimitDrops++;
            return null;
        }
        FlowKey key = probe.copy();
        UdpFlow flow = new UdpFlow(this, key, key.remotePort == DNS_PORT ? DNS_IDLE_NANOS : idleNanos, nowNanos,
                IcmpErrors.quoteLimit(ipVersion), upstream.getAddress(), hopLimit);
        boolean v4 = upstream.getAddress() instanceof Inet4Address;
        SocketProtocolFamily family = v4 ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        Bootstrap b = new Bootstrap().group(ctx.loop())
                .channelFactory(() -> new EpollDatagramChannel(family))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECV_BUFFER))
                .handler(flow);
        PathErrors.options(b, !v4, hopLimit);
        flows.put(key, flow);
        counters.udpFlows++;
        flow.connecting(b.connect(upstream));
        UdpFlow open = flows.get(key);
        if (open == null && errors.hostUnreachable(packet, ipVersion)) {   // the connect failed at once (no route)
            counters.icmpErrors++;
        }
        return open;
    }

    /** A datagram from the flow's upstream socket: back to the namespace as if from its destination. */
    void replyIn(UdpFlow flow, ByteBuf content) {
        FlowKey k = flow.key;
        int len = content.readableBytes();
        int headers = (k.v4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH) + UdpHeader.LENGTH;
        // IPv4 Total Length and the IPv6 Payload Length (which counts the UDP header) are 16 bits.
        if (len > 0xFFFF - (k.v4 ? headers : UdpHeader.LENGTH)) {
            counters.drops[Drop.UDP_BAD_LENGTH.ordinal()]++;
            return;
        }
        flow.lastActiveNanos = ctx.nowNanos();
        ByteBuf out = ctx.alloc().directBuffer(headers + len);
        k.replyAddresses(builder).ports(k.remotePort, k.nsPort).writeUdp(out, content, content.readerIndex(), len);
        counters.udpDatagrams++;
        ctx.writeToTun(out);
    }

    /**
     * The flow's socket reported an error: relay what its error queue holds (the ICMP messages of
     * the path, with their routers); false when it held nothing to relay.
     */
    boolean pathErrors(UdpFlow flow) {
        Channel ch = flow.channel();
        return ch != null && flow.lastDatagramLength > 0
                && path.drain(ch, lastDatagram(flow), flow.key.version(), flow.upstream) > 0;
    }

    /** Sets the flow socket's TTL / hop limit when the namespace's changed (traceroute, mtr on one socket). */
    void hopLimit(UdpFlow flow, int hopLimit) {
        PathErrors.hopLimit(flow.channel(), !(flow.upstream instanceof Inet4Address), hopLimit);
    }

    /** The destination answered ICMP port unreachable (RFC 1122 §4.1.3.3: report it to the application). */
    void portUnreachable(UdpFlow flow) {
        if (errors.portUnreachable(lastDatagram(flow), flow.key.version())) {
            counters.icmpErrors++;
        }
    }

    void connectFailed(UdpFlow flow, Throwable cause) {
        log.debug("udp {}: upstream connect failed: {}", flow.key, cause.toString());
        flows.remove(flow.key);
        flow.close();
        if (flow.lastDatagramLength > 0 && errors.hostUnreachable(lastDatagram(flow), flow.key.version())) {
            counters.icmpErrors++;
        }
    }

    void upstreamError(UdpFlow flow, Throwable cause) {
        log.debug("udp {}: upstream error: {}", flow.key, cause.toString());
    }

    /** The upstream socket was not writable: the datagram is dropped. */
    void sendDropped() {
        counters.udpSendDrops++;
    }

    /** A burst before the upstream connect completed overflowed the flow's or the shard's set-up bytes. */
    void setupOverflow() {
        counters.udpSetupDrops++;
    }

    /** Charges {@code bytes} of a set-up queue to the shard; false when that would pass {@link #MAX_SETUP_BYTES}. */
    boolean reserveSetupBytes(int bytes) {
        if (setupBytes + bytes > MAX_SETUP_BYTES) {
            return false;
        }
        setupBytes += bytes;
        return true;
    }

    void releaseSetupBytes(int bytes) {
        setupBytes -= bytes;
    }

    /** Bytes held by set-up queues now (for tests). */
    int setupBytes() {
        return setupBytes;
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    private static ByteBuf lastDatagram(UdpFlow flow) {
        return Unpooled.wrappedBuffer(flow.lastDatagram, 0, flow.lastDatagramLength);
    }

    @Override
    public void tick(long nowNanos) {
        for (Iterator<UdpFlow> it = flows.values().iterator(); it.hasNext(); ) {
            UdpFlow f = it.next();
            if (nowNanos - f.lastActiveNanos - f.idleNanos >= 0) {
                it.remove();
                f.close();
            }
        }
        if (dns != null) {
            dns.tick(nowNanos);
        }
    }

    /** Open bindings (for ctl and tests). */
    public int flowCount() {
        return flows.size();
    }

    @Override
    public void close() {
        for (UdpFlow f : flows.values()) {
            f.close();
        }
        flows.clear();
        if (dns != null) {
            dns.close();
        }
    }
}
